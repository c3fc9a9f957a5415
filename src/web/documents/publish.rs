//! Publishing the draft as the next version, and recording a review that changed nothing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::publishing::{self, publish, review};
use crate::app::{AppState, school};
use crate::domain::draft::publish_errors;
use crate::domain::london::to_london;
use crate::domain::text::tidy_block;
use crate::web::error::AppError;
use crate::web::extract::HeadForm;
use crate::web::session::{Head, Staff};
use crate::web::views::{self, display_date};

#[derive(Template, WebTemplate)]
#[template(path = "head/publish.html")]
pub struct PublishPage {
    pub school_name: String,
    pub staff: Staff,
    pub doc_id: i64,
    pub title: String,
    pub number: i64,
    pub first: bool,
    pub change: String,
    pub summary: String,
    pub approved_on: String,
    pub last_reviewed: String,
    pub next_review_due: String,
    pub errors: Vec<(String, String)>,
}

impl PublishPage {
    /// The inline error beside a field.
    pub fn error(&self, field: &str) -> Option<&str> {
        views::error_for(&self.errors, field)
    }

    /// Whether an error's field is on this page (the rest are on the draft's).
    pub fn on_this_page(&self, field: &str) -> bool {
        [
            "change",
            "summary",
            "password",
            "approved_on",
            "last_reviewed",
            "next_review_due",
        ]
        .contains(&field)
    }
}

/// `GET /head/documents/{doc}/publish`: material or minor, the parents' summary, and a password.
pub async fn show_publish(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
) -> Result<Response, AppError> {
    let doc = publishing::own_document(&state, &me, &doc).await?;
    let Some(p) = publish::pending(&state, &doc).await? else {
        return Ok(Redirect::to(&format!("/office/documents/{}", doc.id)).into_response());
    };
    let today = to_london(state.clock.now()).date();
    Ok(PublishPage {
        school_name: school::name(&state, Some(me.scope)).await?,
        doc_id: doc.id,
        title: p.draft.title.clone(),
        number: p.number,
        first: p.first,
        change: String::new(),
        errors: publish_errors(&p.draft, today),
        approved_on: display_date(&p.draft.approved_on),
        last_reviewed: display_date(&p.draft.last_reviewed),
        next_review_due: display_date(&p.draft.next_review_due),
        summary: p.draft.summary,
        staff: me,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    change: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    password: String,
    approved_on: Option<String>,
    last_reviewed: Option<String>,
    next_review_due: Option<String>,
}

/// `POST /head/documents/{doc}/publish`: the draft becomes the next, immutable version.
pub async fn publish_version(
    State(state): State<AppState>,
    Path(doc): Path<String>,
    HeadForm(me, form): HeadForm<PublishForm>,
) -> Result<Response, AppError> {
    let doc = publishing::own_document(&state, &me, &doc).await?;
    let Some(pending) = publish::pending(&state, &doc).await? else {
        return Ok(Redirect::to(&format!("/office/documents/{}", doc.id)).into_response());
    };
    let (title, number, first) = (pending.draft.title.clone(), pending.number, pending.first);
    let choice = publish::Choice {
        change: &form.change,
        summary: &form.summary,
        password: form.password,
        approved_on: form.approved_on.as_deref(),
        last_reviewed: form.last_reviewed.as_deref(),
        next_review_due: form.next_review_due.as_deref(),
    };
    let typed = |field: &Option<String>, stored: &str| -> String {
        field
            .as_deref()
            .map_or_else(|| display_date(stored), |t| t.chars().take(40).collect())
    };
    let dates = (
        typed(&form.approved_on, &pending.draft.approved_on),
        typed(&form.last_reviewed, &pending.draft.last_reviewed),
        typed(&form.next_review_due, &pending.draft.next_review_due),
    );
    match publish::publish(&state, &me, &doc, pending, choice).await? {
        Ok(material) => Ok(Redirect::to(&format!(
            "/office/documents/{}?done={}",
            doc.id,
            if material { "material" } else { "minor" }
        ))
        .into_response()),
        Err(errors) => {
            let page = PublishPage {
                school_name: school::name(&state, Some(me.scope)).await?,
                doc_id: doc.id,
                title,
                number,
                first,
                change: form.change,
                summary: tidy_block(&form.summary).chars().take(2500).collect(),
                approved_on: dates.0,
                last_reviewed: dates.1,
                next_review_due: dates.2,
                errors,
                staff: me,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    reviewed_on: String,
    #[serde(default)]
    next_review_due: String,
    #[serde(default)]
    note: String,
}

/// `POST /head/documents/{doc}/review`: a review that changed nothing moves the dates on, without
/// a new version or a new signing round.
pub async fn record_review(
    State(state): State<AppState>,
    Path(doc): Path<String>,
    HeadForm(me, form): HeadForm<ReviewForm>,
) -> Result<Response, AppError> {
    let doc = publishing::own_document(&state, &me, &doc).await?;
    let typed = review::Typed {
        reviewed_on: &form.reviewed_on,
        next_review_due: &form.next_review_due,
        note: &form.note,
    };
    let Err(errors) = review::record(&state, &me, &doc, typed).await? else {
        return Ok(
            Redirect::to(&format!("/office/documents/{}?done=review", doc.id)).into_response(),
        );
    };
    let mut page = super::history::document_page(&state, me, &doc).await?;
    page.errors = errors;
    page.review_on = form.reviewed_on.chars().take(40).collect();
    page.review_next = form.next_review_due.chars().take(40).collect();
    page.review_note = form.note.trim().chars().take(1100).collect();
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
