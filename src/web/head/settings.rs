//! The school's settings: its name, address and contact details for parents and letters, the
//! covering rule, the letter's text.

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
    pub form: SettingsForm,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
}

impl SettingsPage {
    /// The languages a school can show beside the original.
    pub fn languages(&self) -> &'static [crate::domain::translation::Language] {
        &crate::domain::translation::LANGUAGES
    }
}

impl SettingsPage {
    /// The message beside one field, when it has one.
    pub fn error(&self, field: &str) -> Option<&str> {
        crate::web::views::error_for(&self.errors, field)
    }
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
        form: SettingsForm {
            name: school.name,
            address: school.address,
            phone: school.phone,
            email: school.email,
            office_hours: school.office_hours,
            cover_rule: school.cover_rule,
            letter_text: school.letter_text,
            side_by_side: school::side_by_side(&state, me.scope).await?,
        },
        errors: Vec::new(),
        saved: q.saved.is_some(),
        staff: me,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub office_hours: String,
    pub cover_rule: String,
    pub letter_text: String,
    pub side_by_side: String,
}

/// `POST /head/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    HeadForm(me, form): HeadForm<SettingsForm>,
) -> Result<Response, AppError> {
    let typed = Settings {
        name: form.name,
        address: form.address,
        phone: form.phone,
        email: form.email,
        office_hours: form.office_hours,
        cover_rule: form.cover_rule,
        letter_text: form.letter_text,
        side_by_side: form.side_by_side,
    }
    .tidied();
    let Err(errors) = school::save_settings(&state, &me, &typed).await? else {
        return Ok(Redirect::to("/head/settings?saved=1").into_response());
    };
    // What was typed comes back (cut to a sane length), so nothing needs typing twice.
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let page = SettingsPage {
        school_name: school::name(&state, Some(me.scope)).await?,
        form: SettingsForm {
            name: cut(&typed.name, 200),
            address: cut(&typed.address, 600),
            phone: cut(&typed.phone, 60),
            email: cut(&typed.email, 200),
            office_hours: cut(&typed.office_hours, 300),
            cover_rule: typed.cover_rule,
            letter_text: cut(&typed.letter_text, 6000),
            side_by_side: cut(&typed.side_by_side, 20),
        },
        errors,
        saved: false,
        staff: me,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
