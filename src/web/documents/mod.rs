//! Documents parents sign: the office reads their history; headteachers draft, publish and
//! record reviews.

mod drafts;
mod history;
mod publish;
mod translate;

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
        .route(
            "/office/documents/{doc}/versions/{n}/in/{lang}",
            get(translate::show_translation),
        )
        .route(
            "/head/documents/{doc}/versions/{n}/translate",
            get(translate::show_translate).post(translate::publish_translation),
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
