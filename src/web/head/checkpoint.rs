//! The school's evidence chain for the governors: the signed checkpoint to download each term,
//! and checking a parent's receipt against the school's record (use cases in `app::checkpoint`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::app::checkpoint::{self, Overview};
use crate::web::error::AppError;
use crate::web::extract::{Button, HeadForm};
use crate::web::session::{Head, Staff};
use crate::web::views::display_stamp;

#[derive(Template, WebTemplate)]
#[template(path = "head/checkpoint.html")]
pub struct CheckpointPage {
    pub school_name: String,
    pub staff: Staff,
    /// The chain's newest entry: its number, hash and when it was made (UK time).
    pub head: Option<(i64, String, String)>,
    /// The fingerprint of the key checkpoints are signed with, once made.
    pub fingerprint: Option<String>,
    pub form: ReceiptForm,
    pub errors: Vec<(String, String)>,
    /// The receipt check's answer: whether it matched, and in words.
    pub answer: Option<(bool, String)>,
}

impl CheckpointPage {
    /// The message beside one field, when it has one.
    pub fn error(&self, field: &str) -> Option<&str> {
        crate::web::views::error_for(&self.errors, field)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReceiptForm {
    pub number: String,
    pub hash: String,
}

async fn page(
    state: &AppState,
    staff: Staff,
    form: ReceiptForm,
) -> Result<CheckpointPage, AppError> {
    let Overview { head, fingerprint } = checkpoint::overview(state, staff.scope).await?;
    Ok(CheckpointPage {
        school_name: crate::app::school::name(state, Some(staff.scope)).await?,
        head: head.map(|h| (h.seq, h.row_hash, display_stamp(&h.at))),
        fingerprint,
        form,
        errors: Vec::new(),
        answer: None,
        staff,
    })
}

/// `GET /head/checkpoint`.
pub async fn show_checkpoint(
    State(state): State<AppState>,
    Head(me): Head,
) -> Result<CheckpointPage, AppError> {
    page(&state, me, ReceiptForm::default()).await
}

/// `POST /head/checkpoint/download`: the signed file (a POST: it records an audit event, and
/// makes the signing key the first time).
pub async fn download_checkpoint(
    State(state): State<AppState>,
    HeadForm(me, Button {}): HeadForm<Button>,
) -> Result<Response, AppError> {
    let Some(d) = checkpoint::download(&state, &me).await? else {
        return Err(AppError::Conflict(
            "No parent has signed yet, so the school's record has nothing to checkpoint. \
             Download one once the first declarations are in."
                .into(),
        ));
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/plain; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", d.file_name),
            ),
        ],
        d.text,
    )
        .into_response())
}

/// `POST /head/checkpoint/receipt`: the answer in the page (nothing is stored, so no redirect).
pub async fn check_receipt(
    State(state): State<AppState>,
    HeadForm(me, form): HeadForm<ReceiptForm>,
) -> Result<CheckpointPage, AppError> {
    let result = checkpoint::check_receipt(&state, me.scope, &form.number, &form.hash).await?;
    // What was typed comes back (cut to a sane length), so it can be corrected.
    let cut = |s: &str| s.chars().take(200).collect::<String>();
    let form = ReceiptForm {
        number: cut(&form.number),
        hash: cut(&form.hash),
    };
    let mut p = page(&state, me, form).await?;
    match result {
        Ok(answer) => p.answer = Some((answer.matches(), answer.message())),
        Err(errors) => p.errors = errors,
    }
    Ok(p)
}
