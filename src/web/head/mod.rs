//! The headteacher's own pages: staff accounts, the school's settings and the checkpoint of its
//! evidence chain. (Drafting and publishing documents is in `web::documents`.)

mod checkpoint;
mod messaging;
mod retention;
mod settings;
mod staff;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/head/staff",
            get(staff::list_staff).post(staff::invite_staff),
        )
        .route("/head/staff/{id}/role", post(staff::change_role))
        .route("/head/staff/{id}/active", post(staff::set_active))
        .route("/head/staff/{id}/invite", post(staff::reinvite))
        .route(
            "/head/messaging",
            get(messaging::show_messaging).post(messaging::save_messaging),
        )
        .route("/head/messaging/test", post(messaging::send_test_message))
        .route(
            "/head/retention",
            get(retention::show_retention).post(retention::save_retention),
        )
        .route(
            "/head/settings",
            get(settings::show_settings).post(settings::save_settings),
        )
        .route("/head/checkpoint", get(checkpoint::show_checkpoint))
        .route(
            "/head/checkpoint/download",
            post(checkpoint::download_checkpoint),
        )
        .route("/head/checkpoint/receipt", post(checkpoint::check_receipt))
}
