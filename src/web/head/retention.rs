//! Keeping records: the school's retention rule, who it will erase next, requests waiting for a
//! headteacher, and every erasure made.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::retention::{self, MAX_YEARS, Preview};
use crate::app::{AppState, school};
use crate::domain::chain::Erasure;
use crate::domain::dates::{format_iso, format_stamp};
use crate::web::error::AppError;
use crate::web::extract::HeadForm;
use crate::web::session::{Head, Staff};

#[derive(Template, WebTemplate)]
#[template(path = "head/retention.html")]
pub struct RetentionPage {
    pub school_name: String,
    pub staff: Staff,
    pub p: Preview,
    pub erasures: Vec<Erasure>,
    /// The years field as typed (or as saved).
    pub years: String,
    pub confirm: bool,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
    pub max_years: i64,
}

impl RetentionPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        crate::web::views::error_for(&self.errors, field)
    }
    pub fn stamp(&self, s: &str) -> String {
        format_stamp(s)
    }
    pub fn date(&self, s: &str) -> String {
        format_iso(s)
    }
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn page(state: &AppState, me: Staff) -> Result<RetentionPage, AppError> {
    let p = retention::preview(state, &me).await?;
    Ok(RetentionPage {
        school_name: school::name(state, Some(me.scope)).await?,
        erasures: retention::erasures(state, &me).await?,
        years: p.rule.years.to_string(),
        confirm: false,
        errors: Vec::new(),
        saved: false,
        max_years: MAX_YEARS,
        p,
        staff: me,
    })
}

/// `GET /head/retention`.
pub async fn show_retention(
    State(state): State<AppState>,
    Head(me): Head,
    Query(q): Query<SavedQuery>,
) -> Result<RetentionPage, AppError> {
    let mut page = page(&state, me).await?;
    page.saved = q.saved.is_some();
    Ok(page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RuleForm {
    years: String,
    confirm: Option<String>,
}

/// `POST /head/retention`: sets and confirms the rule.
pub async fn save_retention(
    State(state): State<AppState>,
    HeadForm(me, form): HeadForm<RuleForm>,
) -> Result<Response, AppError> {
    let confirmed = form.confirm.is_some();
    match retention::save_rule(&state, &me, &form.years, confirmed).await? {
        Ok(_) => Ok(Redirect::to("/head/retention?saved=1").into_response()),
        Err(errors) => {
            let mut page = page(&state, me).await?;
            page.years = form.years.trim().chars().take(20).collect();
            page.confirm = confirmed;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
