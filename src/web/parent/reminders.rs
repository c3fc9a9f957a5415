//! A carer's own reminder settings, reached from their signing page: the way to stop text
//! messages (which have no room for a stop link) as well as emails.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{code_problem_page, switch_to};
use crate::app::AppState;
use crate::app::ParentProblem;
use crate::app::outreach::log::{self, Reachable};
use crate::app::signing;
use crate::domain::i18n::Tr;
use crate::domain::outreach::Channel;
use crate::web::csrf;
use crate::web::error::AppError;
use crate::web::extract::{ClientIp, Form};
use crate::web::lang::Choice;

#[derive(Template, WebTemplate)]
#[template(path = "parent/reminders.html")]
pub struct RemindersPage {
    pub tr: Tr,
    pub school_name: String,
    pub contact: crate::app::school::Contact,
    pub base: String,
    pub csrf: String,
    pub channels: Vec<Reachable>,
    pub done: bool,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /s/{code}/reminders`.
pub async fn show_reminders(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(typed): Path<String>,
    Query(q): Query<DoneQuery>,
    choice: Choice,
) -> Result<Response, AppError> {
    let (code, owner) = match signing::open_code(&state, ip, &typed).await? {
        Ok(ok) => ok,
        Err(problem) => {
            return code_problem_page(&state, None, choice.anonymous(), &typed, problem).await;
        }
    };
    if let Some(to) = switch_to(&state, &owner, &choice).await? {
        return Ok(to);
    }
    let language = crate::app::signing::carer_language(&state, &owner).await?;
    Ok(RemindersPage {
        tr: choice.carer(language.as_deref()),
        school_name: crate::app::school::name(&state, Some(owner.scope)).await?,
        contact: crate::app::school::contact(&state, Some(owner.scope)).await?,
        base: format!("/s/{}", code.as_str()),
        csrf: csrf::token(&state.secret, &csrf::parent_scope(&code)),
        channels: log::channels_of(&state, owner.scope, owner.carer_id).await?,
        done: q.done.is_some(),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct StopForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    channel: String,
}

/// `POST /s/{code}/reminders`: stops one channel.
pub async fn stop_reminders(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(typed): Path<String>,
    choice: Choice,
    Form(form): Form<StopForm>,
) -> Result<Response, AppError> {
    let (code, owner) = match signing::open_code(&state, ip, &typed).await? {
        Ok(ok) => ok,
        Err(problem) => {
            return code_problem_page(&state, None, choice.anonymous(), &typed, problem).await;
        }
    };
    if !csrf::verify(&state.secret, &csrf::parent_scope(&code), &form.csrf) {
        return Err(csrf::expired_form());
    }
    let Some(channel) = Channel::parse(&form.channel) else {
        return Err(AppError::Parent(ParentProblem::NoChannel));
    };
    log::opt_out(&state, owner.scope, owner.carer_id, channel).await?;
    Ok(Redirect::to(&format!("/s/{}/reminders?done=1", code.as_str())).into_response())
}
