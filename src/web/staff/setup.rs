//! Setting a password from a one-time link (an invitation, a reset, the first headteacher's).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use crate::app::setup::{self, Link, Typed};
use crate::app::{AppState, sessions};
use crate::domain::role::Role;
use crate::domain::secret::sha256_hex;
use crate::web::csrf;
use crate::web::error::AppError;
use crate::web::extract::Form;
use crate::web::session;

#[derive(Template, WebTemplate)]
#[template(path = "staff/setup.html")]
pub struct SetupPage {
    pub school_name: String,
    pub csrf: String,
    pub action: String,
    /// Name and email are asked only when the link makes a new account.
    pub new_account: bool,
    /// The account exists but has never had a password (a trust administrator appointed by
    /// name and email): its first, not a new one.
    pub first_password: bool,
    pub role_label: String,
    pub existing_email: String,
    pub name: String,
    pub email: String,
    pub name_error: Option<String>,
    pub email_error: Option<String>,
    pub password_error: Option<String>,
}

impl SetupPage {
    pub fn has_errors(&self) -> bool {
        self.name_error.is_some() || self.email_error.is_some() || self.password_error.is_some()
    }
}

fn scope(token: &str) -> String {
    format!("setup:{}", sha256_hex(token))
}

fn setup_page(state: &AppState, token: &str, link: &Link) -> SetupPage {
    SetupPage {
        school_name: link.school_name.clone(),
        csrf: csrf::token(&state.secret, &scope(token)),
        action: format!("/setup/{token}"),
        new_account: link.existing.is_none(),
        first_password: link
            .existing
            .as_ref()
            .is_some_and(|u| u.password_hash.is_none()),
        role_label: Role::parse(&link.invite.role)
            .map(|r| r.label())
            .unwrap_or("Staff")
            .to_string(),
        existing_email: link
            .existing
            .as_ref()
            .map(|u| u.email.clone())
            .unwrap_or_default(),
        name: String::new(),
        email: String::new(),
        name_error: None,
        email_error: None,
        password_error: None,
    }
}

/// `GET /setup/{token}`: choose a password (and, for a new account, a name and email).
pub async fn show_setup(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<SetupPage, AppError> {
    let link = setup::open(&state, &token).await?;
    Ok(setup_page(&state, &token, &link))
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /setup/{token}`: sets the password, uses up the link and signs the person in.
pub async fn finish_setup(
    State(state): State<AppState>,
    Path(token): Path<String>,
    jar: CookieJar,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    let link = setup::open(&state, &token).await?;
    if !csrf::verify(&state.secret, &scope(&token), &form.csrf) {
        return Err(csrf::expired_form());
    }
    let typed = Typed {
        name: &form.name,
        email: &form.email,
        password: form.password.clone(),
        confirm: &form.confirm,
    };
    match setup::finish(&state, &link, typed).await? {
        Ok(user_id) => {
            let old = session::session_token(&state, &jar);
            let token = sessions::start(&state, old.as_deref(), user_id).await?;
            let jar = session::start_cookie(&state, jar, token);
            Ok((jar, Redirect::to("/office")).into_response())
        }
        Err(problems) => {
            let mut page = setup_page(&state, &token, &link);
            page.name = form.name.chars().take(200).collect();
            page.email = form.email.chars().take(254).collect();
            page.name_error = problems.name;
            page.email_error = problems.email;
            page.password_error = problems.password;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
