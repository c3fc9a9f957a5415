//! Recording a paper declaration that came back to the office.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::app::signing::paper::{self, Recorded, own_carer};
use crate::web::error::AppError;
use crate::web::extract::{StaffForm, field};

#[derive(Deserialize)]
pub struct PaperForm {
    #[serde(default, deserialize_with = "field::id")]
    version_id: Option<i64>,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    note: String,
}

/// `POST /office/carers/{id}/paper`: a signed paper declaration came back to the office.
pub async fn record_paper_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm(staff, form): StaffForm<PaperForm>,
) -> Result<Response, AppError> {
    let carer = own_carer(&state, &staff, &id).await?;
    let typed = paper::Typed {
        version_id: form.version_id,
        received_on: &form.received_on,
        note: &form.note,
    };
    let done = match paper::record(&state, &staff, &carer, typed).await? {
        Ok(Recorded::New) => "paper",
        Ok(Recorded::Already) => "already",
        Err(errors) => {
            let mut page = super::carer::carer_page(&state, staff, carer.id).await?;
            page.errors = errors;
            page.paper_version = form.version_id.map(|v| v.to_string()).unwrap_or_default();
            page.paper_received = form.received_on.chars().take(40).collect();
            page.paper_note = form.note.chars().take(600).collect();
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    Ok(Redirect::to(&format!("/office/carers/{}?done={done}", carer.id)).into_response())
}
