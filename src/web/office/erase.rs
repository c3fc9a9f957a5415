//! Erasing a carer on request: the office asks with a reason, a headteacher approves (with a
//! reason of their own if a child of the carer is still at the school) or declines; a headteacher
//! may also erase at once. The carer page shows where things stand.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::app::retention::{self, Asked, CarerErasure};
use crate::domain::dates::format_stamp;
use crate::web::error::AppError;
use crate::web::extract::{HeadForm, StaffForm};
use crate::web::session::Staff;

/// The erasure part of the carer page.
#[derive(Default)]
pub struct EraseBox {
    /// The carer was erased: when, why and by whom, as the chain records it.
    pub erased: Option<ErasedRow>,
    /// A request waiting for a headteacher.
    pub waiting: Option<WaitingRow>,
    pub current_child: bool,
    /// What was typed, kept when the form comes back with a mistake.
    pub reason: String,
    pub override_reason: String,
}

pub struct ErasedRow {
    pub when: String,
    pub why: String,
    pub approved_by: String,
    pub what: String,
    pub override_reason: String,
}

pub struct WaitingRow {
    pub id: i64,
    pub reason: String,
    pub by: String,
    pub when: String,
}

impl EraseBox {
    pub fn from(c: CarerErasure) -> EraseBox {
        EraseBox {
            erased: c.erasure.map(|e| ErasedRow {
                when: format_stamp(&e.erased_at),
                why: if e.basis == "rule" {
                    e.reason.clone()
                } else {
                    format!("At the carer's request: {}", e.reason)
                },
                approved_by: e.approved_by.clone(),
                what: e.erased.clone(),
                override_reason: e.override_reason.clone(),
            }),
            waiting: c.waiting.map(|w| WaitingRow {
                id: w.id,
                reason: w.reason,
                by: c.waiting_by,
                when: format_stamp(&w.requested_at),
            }),
            current_child: c.current_child,
            reason: String::new(),
            override_reason: String::new(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EraseForm {
    reason: String,
    #[serde(rename = "override")]
    override_reason: String,
}

/// `POST /office/carers/{id}/erase`: the office's request, or a headteacher's erasure.
pub async fn ask(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm(staff, form): StaffForm<EraseForm>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    match retention::ask(&state, &staff, id, &form.reason, &form.override_reason).await? {
        Ok(Asked::Waiting) => Ok(Redirect::to(&format!(
            "/office/carers/{id}?done=erase-asked#erase"
        ))
        .into_response()),
        Ok(Asked::Erased(_)) => {
            Ok(Redirect::to(&format!("/office/carers/{id}?done=erased")).into_response())
        }
        Err(errors) => again(&state, staff, id, form, errors).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecideForm {
    decision: String,
    #[serde(rename = "override")]
    override_reason: String,
}

/// `POST /office/carers/{id}/erase/{request}`: a headteacher approves or declines a request.
pub async fn decide(
    State(state): State<AppState>,
    Path((id, request)): Path<(String, String)>,
    HeadForm(staff, form): HeadForm<DecideForm>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let request: i64 = request.parse().map_err(|_| AppError::NotFound)?;
    let approve = match form.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => {
            return Err(AppError::BadRequest(
                "Choose Approve and erase, or Decline.".into(),
            ));
        }
    };
    match retention::decide(&state, &staff, request, approve, &form.override_reason).await? {
        Ok(()) => {
            let done = if approve { "erased" } else { "erase-declined" };
            Ok(Redirect::to(&format!("/office/carers/{id}?done={done}")).into_response())
        }
        Err(errors) => {
            let form = EraseForm {
                reason: String::new(),
                override_reason: form.override_reason,
            };
            again(&state, staff, id, form, errors).await
        }
    }
}

/// The carer page again, with the mistakes beside the fields and what was typed kept.
async fn again(
    state: &AppState,
    staff: Staff,
    id: i64,
    form: EraseForm,
    errors: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let mut page = super::carer::carer_page(state, staff, id).await?;
    let cut = |s: &str| s.trim().chars().take(600).collect::<String>();
    page.erase.reason = cut(&form.reason);
    page.erase.override_reason = cut(&form.override_reason);
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
