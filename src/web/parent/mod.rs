//! The parent's journey: enter a code (or open a personal link), read, sign, keep the receipt.
//! Parents have no cookie: each form's token is an HMAC over the code it acts for.

mod receipt;
mod reminders;
mod sign;
mod stop;
mod texts;

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
use super::lang::Choice;
use crate::app::signing::{self, CodeProblem};
use crate::app::{AppState, carers, school};
use crate::domain::code::CodeError;
use crate::domain::i18n::Tr;

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
    pub tr: Tr,
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
    choice: Choice,
) -> Result<CodePage, AppError> {
    let contact = school::contact_at_host(&state, host.as_deref()).await?;
    Ok(CodePage {
        tr: choice.anonymous(),
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

/// What the parent is told about a code that did not open, and what to do about it.
fn problem_message(tr: &Tr, problem: &CodeProblem) -> String {
    match problem {
        CodeProblem::Malformed(CodeError::Empty) => tr.t("code-empty"),
        CodeProblem::Malformed(CodeError::WrongLength(n)) => tr.tn("code-length", *n),
        CodeProblem::Malformed(CodeError::BadCharacter(c)) => {
            tr.t1("code-bad-character", "typed", c)
        }
        CodeProblem::Unknown => tr.t("code-unknown"),
        CodeProblem::TooMany => tr.t("code-too-many"),
    }
}

/// The code box again, with what was typed and what is wrong with it (naming the school at
/// `host`, the request's, when known), in `tr`'s language.
async fn code_problem_page(
    state: &AppState,
    host: Option<&str>,
    tr: Tr,
    typed: &str,
    problem: CodeProblem,
) -> Result<Response, AppError> {
    let contact = school::contact_at_host(state, host).await?;
    let page = CodePage {
        error: Some(problem_message(&tr, &problem)),
        tr,
        school_name: contact.school.clone(),
        contact,
        csrf: csrf::code_entry_token(state),
        code: typed.chars().take(40).collect(),
    };
    Ok((problem_status(&problem), page).into_response())
}

/// `POST /sign`: a typed code; on success, on to the personal signing page. A language chosen
/// with the switch before typing the code (the cookie) becomes the carer's.
pub async fn enter_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    host: RequestHost,
    choice: Choice,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    if !csrf::verify(&state.secret, csrf::CODE_ENTRY, &form.csrf) {
        return Err(csrf::expired_form());
    }
    match signing::open_code(&state, ip, &form.code).await? {
        Ok((code, owner)) => {
            if let Some(lang) = choice.asked.or(choice.cookie) {
                carers::choose_language(&state, &owner, lang).await?;
            }
            Ok(Redirect::to(&format!("/s/{}", code.as_str())).into_response())
        }
        Err(problem) => {
            let tr = choice.anonymous();
            code_problem_page(&state, host.as_deref(), tr, &form.code, problem).await
        }
    }
}

/// A carer's page asked for in a language (`?lang=`): remembers it as theirs and goes back to
/// the page without it, so the page and what is kept of it are made in that language.
async fn switch_to(
    state: &AppState,
    owner: &crate::store::codes::CodeOwner,
    choice: &Choice,
) -> Result<Option<Response>, AppError> {
    let Some(lang) = choice.asked else {
        return Ok(None);
    };
    carers::choose_language(state, owner, lang).await?;
    Ok(Some(Redirect::to(&choice.here).into_response()))
}
