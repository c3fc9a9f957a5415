//! The status list as CSV for Excel and the MIS (the format is `domain::status::export`).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::StatusQuery;
use crate::app::{AppState, reports};
use crate::domain::status::export;
use crate::web::error::AppError;
use crate::web::session::Staff;

/// `GET /office/export.csv`: the carers the list's filters select, one row per carer and child.
pub async fn export_csv(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StatusQuery>,
) -> Result<Response, AppError> {
    let l = reports::load(&state, &staff, q.doc.as_deref()).await?;
    let report = &l.report;
    let carers = report.carers_where(q.class(), q.status_filter(), q.search());
    let bytes = export::status_csv(report, &carers).map_err(|e| AppError::Internal(e.into()))?;
    let filename = format!("signoff-status-{}.csv", state.clock.now().date());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
