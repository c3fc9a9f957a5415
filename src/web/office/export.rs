//! The status list as CSV for the MIS, safe to open in Excel.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::StatusQuery;
use crate::app::{AppState, reports};
use crate::domain::csv_safe;
use crate::web::error::AppError;
use crate::web::session::Staff;

/// `GET /office/export.csv`: the status list for the MIS, safe to open in Excel.
pub async fn export_csv(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StatusQuery>,
) -> Result<Response, AppError> {
    let l = reports::load(&state, &staff, q.doc.as_deref()).await?;
    let report = &l.report;
    let mut w = csv::Writer::from_writer(Vec::with_capacity(report.carers.len() * 120));
    let header = [
        "Carer ID",
        "Carer",
        "Email",
        "Phone",
        "Children",
        "Classes",
        "Status",
        "Version signed",
        "Signed at (UTC)",
        "Method",
    ];
    w.write_record(header)
        .map_err(|e| AppError::Internal(e.into()))?;
    for c in report.carers_where(q.class(), q.status_filter(), q.search()) {
        let children = c
            .children
            .iter()
            .map(|&p| {
                format!(
                    "{} {}",
                    report.pupils[p].first_name, report.pupils[p].last_name
                )
            })
            .collect::<Vec<_>>();
        let mut classes = c
            .children
            .iter()
            .map(|&p| report.pupils[p].class_name.clone())
            .collect::<Vec<_>>();
        classes.dedup();
        let record = [
            c.record.id.to_string(),
            c.record.full_name(),
            c.record.email.clone(),
            c.record.phone.clone(),
            children.join("; "),
            classes.join("; "),
            c.status.label().to_string(),
            c.record
                .best_signed
                .map(|n| n.to_string())
                .unwrap_or_default(),
            c.record.best_signed_at.clone().unwrap_or_default(),
            c.record.best_method.clone().unwrap_or_default(),
        ];
        w.write_record(record.iter().map(|s| csv_safe::cell(s)))
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e.to_string())))?;
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
