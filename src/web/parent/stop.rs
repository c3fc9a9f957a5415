//! A stop link from a message: one click, no sign-in. `GET` asks (link checkers and previews
//! fetch links, so a `GET` never stops anything); `POST` stops, whether from the page's button
//! or a mail client's one-click unsubscribe (RFC 8058).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::app::outreach::log::{self, StopLink};
use crate::domain::i18n::Tr;
use crate::domain::outreach::contact::masked;
use crate::web::error::AppError;
use crate::web::lang::Choice;

#[derive(Template, WebTemplate)]
#[template(path = "parent/stop.html")]
pub struct StopPage {
    pub tr: Tr,
    pub school_name: String,
    pub contact: crate::app::school::Contact,
    pub channel: &'static str,
    pub recipient: String,
    pub done: bool,
    pub action: String,
}

async fn link(state: &AppState, id: &str, token: &str) -> Result<StopLink, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    log::stop_link(state, id, token)
        .await?
        .ok_or(AppError::NotFound)
}

async fn page(
    state: &AppState,
    l: &StopLink,
    done: bool,
    action: String,
    choice: &Choice,
) -> Result<StopPage, AppError> {
    let language = crate::app::outreach::log::carer_language(state, l).await?;
    Ok(StopPage {
        tr: choice.carer(language.as_deref()),
        school_name: crate::app::school::name(state, Some(l.scope)).await?,
        contact: crate::app::school::contact(state, Some(l.scope)).await?,
        channel: l.channel.as_str(),
        recipient: masked(&l.recipient),
        done,
        action,
    })
}

/// `GET /stop/{id}/{token}`: asks whether to stop.
pub async fn show_stop(
    State(state): State<AppState>,
    Path((id, token)): Path<(String, String)>,
    choice: Choice,
) -> Result<StopPage, AppError> {
    let l = link(&state, &id, &token).await?;
    page(
        &state,
        &l,
        l.already,
        format!("/stop/{id}/{token}"),
        &choice,
    )
    .await
}

/// `POST /stop/{id}/{token}`: stops reminders by that channel.
pub async fn stop_messages(
    State(state): State<AppState>,
    Path((id, token)): Path<(String, String)>,
    choice: Choice,
) -> Result<Response, AppError> {
    let l = link(&state, &id, &token).await?;
    log::stop(&state, &l).await?;
    Ok(page(&state, &l, true, String::new(), &choice)
        .await?
        .into_response())
}
