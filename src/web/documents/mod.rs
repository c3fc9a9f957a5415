//! Documents parents sign: the office reads their history; headteachers draft, publish and
//! record reviews.

mod drafts;
mod history;
mod publish;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/documents", get(history::list_documents))
        .route("/office/documents/{doc}", get(history::show_document))
        .route(
            "/office/documents/{doc}/versions/{n}",
            get(history::show_version),
        )
        .route("/head/documents", post(drafts::add_document))
        .route(
            "/head/documents/{doc}/draft",
            get(drafts::edit_draft).post(drafts::save_draft),
        )
        .route(
            "/head/documents/{doc}/draft/start",
            post(drafts::start_draft),
        )
        .route(
            "/head/documents/{doc}/draft/paste",
            post(drafts::paste_from_word),
        )
        .route(
            "/head/documents/{doc}/draft/preview",
            get(drafts::preview_draft),
        )
        .route(
            "/head/documents/{doc}/draft/discard",
            post(drafts::discard_draft),
        )
        .route(
            "/head/documents/{doc}/publish",
            get(publish::show_publish).post(publish::publish_version),
        )
        .route("/head/documents/{doc}/review", post(publish::record_review))
}
