//! Signing in and out.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use crate::app::sessions::{self, Refused};
use crate::app::{AppState, school};
use crate::domain::redirect::safe_next;
use crate::web::csrf;
use crate::web::error::AppError;
use crate::web::extract::{ClientIp, Form};
use crate::web::session::{self, NoSession, Staff};

/// What the sign-in form's token acts for: nobody yet.
const SIGN_IN: &str = "staff-sign-in";

#[derive(Template, WebTemplate)]
#[template(path = "staff/sign_in.html")]
pub struct SignInPage {
    pub school_name: String,
    pub csrf: String,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    expired: Option<String>,
    out: Option<String>,
}

/// `GET /staff/sign-in`.
pub async fn show_sign_in(
    State(state): State<AppState>,
    Query(q): Query<SignInQuery>,
) -> Result<SignInPage, AppError> {
    let notice = if q.expired.is_some() {
        Some("You were signed out because the page was left for 30 minutes, or you had been signed in for 8 hours. Sign in again.".into())
    } else if q.out.is_some() {
        Some("You have signed out.".into())
    } else {
        None
    };
    Ok(SignInPage {
        school_name: school::name(&state, None).await?,
        csrf: csrf::token(&state.secret, SIGN_IN),
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
        notice,
    })
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// `POST /staff/sign-in`.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    if !csrf::verify(&state.secret, SIGN_IN, &form.csrf) {
        return Err(csrf::expired_form());
    }
    let next = safe_next(form.next.as_deref());
    let old = session::session_token(&state, &jar);
    let refused =
        match sessions::sign_in(&state, ip, &form.email, form.password, old.as_deref()).await? {
            Ok(token) => {
                let jar = session::start_cookie(&state, jar, token);
                return Ok((jar, Redirect::to(&next)).into_response());
            }
            Err(refused) => refused,
        };
    let (status, error) = match refused {
        Refused::Paused => (
            StatusCode::TOO_MANY_REQUESTS,
            "There have been too many wrong passwords, so signing in is paused for 15 minutes. Try again later, or ask a headteacher for a new invitation link.",
        ),
        Refused::Wrong => (
            StatusCode::UNAUTHORIZED,
            "The email address or password is not right. Check them and try again.",
        ),
    };
    let page = SignInPage {
        school_name: school::name(&state, None).await?,
        csrf: csrf::token(&state.secret, SIGN_IN),
        email: form.email.chars().take(254).collect(),
        next,
        error: Some(error.to_string()),
        notice: None,
    };
    Ok((status, page).into_response())
}

/// `POST /staff/sign-out`: works with or without a live session, so a stale tab can still leave.
pub async fn sign_out(
    State(state): State<AppState>,
    staff_member: Result<Staff, NoSession>,
    jar: CookieJar,
    Form(form): Form<Tokened>,
) -> Result<Response, AppError> {
    if let Ok(s) = &staff_member {
        s.check_form(form.csrf.as_deref())?;
    }
    let token = session::session_token(&state, &jar);
    sessions::sign_out(
        &state,
        staff_member.ok().as_ref().map(|s| &s.actor),
        token.as_deref(),
    )
    .await?;
    let jar = session::end_cookie(&state, jar);
    Ok((jar, Redirect::to("/staff/sign-in?out=1")).into_response())
}

/// Sign-out's form: its token, checked only when a session is live.
#[derive(Deserialize)]
pub struct Tokened {
    csrf: Option<String>,
}
