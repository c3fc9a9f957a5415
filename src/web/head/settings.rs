//! The school's settings: its name and address for letters, the covering rule, the letter's text.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::app::school::{self, Settings};
use crate::web::error::AppError;
use crate::web::extract::HeadForm;
use crate::web::session::{Head, Staff};

#[derive(Template, WebTemplate)]
#[template(path = "head/settings.html")]
pub struct SettingsPage {
    pub school_name: String,
    pub staff: Staff,
    pub name: String,
    pub address: String,
    pub cover_rule: String,
    pub letter_text: String,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /head/settings`.
pub async fn show_settings(
    State(state): State<AppState>,
    Head(me): Head,
    Query(q): Query<SavedQuery>,
) -> Result<SettingsPage, AppError> {
    let school = school::of(&state, &me).await?;
    Ok(SettingsPage {
        school_name: school.name.clone(),
        name: school.name,
        address: school.address,
        cover_rule: school.cover_rule,
        letter_text: school.letter_text,
        errors: Vec::new(),
        saved: q.saved.is_some(),
        staff: me,
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    cover_rule: String,
    #[serde(default)]
    letter_text: String,
}

/// `POST /head/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    HeadForm(me, form): HeadForm<SettingsForm>,
) -> Result<Response, AppError> {
    let typed = Settings::typed(
        &form.name,
        &form.address,
        &form.cover_rule,
        &form.letter_text,
    );
    let Err(errors) = school::save_settings(&state, &me, &typed).await? else {
        return Ok(Redirect::to("/head/settings?saved=1").into_response());
    };
    let page = SettingsPage {
        school_name: school::name(&state, Some(me.school_id)).await?,
        name: typed.name.chars().take(200).collect(),
        address: typed.address.chars().take(600).collect(),
        cover_rule: typed.cover_rule,
        letter_text: typed.letter_text.chars().take(6000).collect(),
        errors,
        saved: false,
        staff: me,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
