//! The parent's journey: enter a code (or open a personal link), read, sign, keep the receipt.
//! Parents have no cookie: each form's token is an HMAC over the code it acts for.

mod receipt;
mod reminders;
mod sign;
mod stop;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::csrf;
use super::error::AppError;
use super::extract::{ClientIp, Form, RequestHost};
use crate::app::signing::{self, CodeProblem};
use crate::app::{AppState, school};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign", get(show_code_form).post(enter_code))
        .route(
            "/s/{code}",
            get(sign::show_declaration).post(sign::sign_declaration),
        )
        .route("/s/{code}/receipt/{id}", get(receipt::show_receipt))
        .route(
            "/s/{code}/reminders",
            get(reminders::show_reminders).post(reminders::stop_reminders),
        )
        .route(
            "/stop/{id}/{token}",
            get(stop::show_stop).post(stop::stop_messages),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "parent/code.html")]
pub struct CodePage {
    pub school_name: String,
    pub contact: school::Contact,
    pub csrf: String,
    pub code: String,
    pub error: Option<String>,
}

/// `GET /sign`: the box for the code from a letter (naming the school at this host, if any).
pub async fn show_code_form(
    State(state): State<AppState>,
    host: RequestHost,
) -> Result<CodePage, AppError> {
    let contact = school::contact_at_host(&state, host.as_deref()).await?;
    Ok(CodePage {
        school_name: contact.school.clone(),
        contact,
        csrf: csrf::code_entry_token(&state),
        code: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

fn problem_status(problem: &CodeProblem) -> StatusCode {
    match problem {
        CodeProblem::Malformed(_) => StatusCode::BAD_REQUEST,
        CodeProblem::Unknown => StatusCode::NOT_FOUND,
        CodeProblem::TooMany => StatusCode::TOO_MANY_REQUESTS,
    }
}

/// The code box again, with what was typed and what is wrong with it (naming the school at
/// `host`, the request's, when known).
async fn code_problem_page(
    state: &AppState,
    host: Option<&str>,
    typed: &str,
    problem: CodeProblem,
) -> Result<Response, AppError> {
    let contact = school::contact_at_host(state, host).await?;
    let page = CodePage {
        school_name: contact.school.clone(),
        contact,
        csrf: csrf::code_entry_token(state),
        code: typed.chars().take(40).collect(),
        error: Some(problem.message()),
    };
    Ok((problem_status(&problem), page).into_response())
}

/// `POST /sign`: a typed code; on success, on to the personal signing page.
pub async fn enter_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    host: RequestHost,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    if !csrf::verify(&state.secret, csrf::CODE_ENTRY, &form.csrf) {
        return Err(csrf::expired_form());
    }
    match signing::open_code(&state, ip, &form.code).await? {
        Ok((code, _)) => Ok(Redirect::to(&format!("/s/{}", code.as_str())).into_response()),
        Err(problem) => code_problem_page(&state, host.as_deref(), &form.code, problem).await,
    }
}
