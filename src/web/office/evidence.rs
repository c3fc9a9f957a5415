//! Everything held about one carer (the evidence pack), printable and as JSON, for a complaint or
//! a subject access request (built in `app::evidence` and `app::subject_access`).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::app::AppState;
use crate::app::evidence::{Pack, pack};
use crate::web::error::AppError;
use crate::web::session::Staff;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/carers/{id}/evidence", get(show_evidence))
        .route("/office/carers/{id}/evidence.json", get(download_evidence))
}

#[derive(Template, WebTemplate)]
#[template(path = "office/evidence.html")]
pub struct EvidencePage {
    pub school_name: String,
    pub staff: Staff,
    /// When the pack was made, in UK time (the pack itself keeps UTC).
    pub generated_at: String,
    pub p: Pack,
}

/// `GET /office/carers/{id}/evidence`: printable.
pub async fn show_evidence(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<EvidencePage, AppError> {
    let p = pack(&state, &staff, &id).await?;
    Ok(EvidencePage {
        school_name: p.school.clone(),
        staff,
        generated_at: crate::web::views::display_stamp(&p.generated_at_utc),
        p,
    })
}

/// `GET /office/carers/{id}/evidence.json`: the same, for a complaint file or a subject access request.
pub async fn download_evidence(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = pack(&state, &staff, &id).await?;
    let body = serde_json::to_vec_pretty(&p).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"signoff-carer-{}-{}.json\"",
                    p.carer_id, p.generated_on
                ),
            ),
        ],
        body,
    )
        .into_response())
}
