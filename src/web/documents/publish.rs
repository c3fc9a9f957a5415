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
use crate::domain::text::tidy_block;
use crate::web::error::AppError;
use crate::web::extract::HeadForm;
use crate::web::session::{Head, Staff};

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
    pub errors: Vec<(String, String)>,
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
    Ok(PublishPage {
        school_name: school::name(&state, Some(me.school_id)).await?,
        doc_id: doc.id,
        title: p.draft.title.clone(),
        number: p.number,
        first: p.first,
        change: String::new(),
        errors: publish_errors(&p.draft),
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
    };
    match publish::publish(&state, &me, &doc, pending, choice).await? {
        Ok(material) => Ok(Redirect::to(&format!(
            "/office/documents/{}?done={}",
            doc.id,
            if material { "material" } else { "minor" }
        ))
        .into_response()),
        Err(errors) => {
            let page = PublishPage {
                school_name: school::name(&state, Some(me.school_id)).await?,
                doc_id: doc.id,
                title,
                number,
                first,
                change: form.change,
                summary: tidy_block(&form.summary).chars().take(2500).collect(),
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
