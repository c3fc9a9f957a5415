//! Pages anyone may see: the school's front door and the current code of conduct.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::error::AppError;
use super::parent::{MetaView, code_form_token};
use crate::AppState;
use crate::store::{documents, schools};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(show_home))
        .route("/policy", get(show_policy))
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub school_name: String,
    pub csrf: String,
    pub titles: Vec<String>,
}

/// `GET /`: the school's front door.
pub async fn show_home(State(state): State<AppState>) -> Result<HomePage, AppError> {
    let school = schools::first(&state.db.read)
        .await?
        .ok_or(AppError::NotFound)?;
    let titles = documents::current_for_school(&state.db.read, school.id)
        .await?
        .into_iter()
        .map(|c| c.version.title)
        .collect();
    Ok(HomePage {
        school_name: school.name,
        csrf: code_form_token(&state),
        titles,
    })
}

pub struct PublicDoc {
    pub title: String,
    pub number: i64,
    pub meta: MetaView,
    pub html: Arc<str>,
    pub declaration_text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "policy.html")]
pub struct PolicyPage {
    pub school_name: String,
    pub docs: Vec<PublicDoc>,
}

/// `GET /policy`: the current version of each document, for anyone to read.
pub async fn show_policy(State(state): State<AppState>) -> Result<PolicyPage, AppError> {
    let school = schools::first(&state.db.read)
        .await?
        .ok_or(AppError::NotFound)?;
    let docs = documents::current_for_school(&state.db.read, school.id)
        .await?
        .into_iter()
        .map(|c| PublicDoc {
            title: c.version.title.clone(),
            number: c.version.number,
            meta: MetaView::of(&c.version),
            html: super::parent::policy_html(&state, &c.version),
            declaration_text: c.version.declaration_text.clone(),
        })
        .collect();
    Ok(PolicyPage {
        school_name: school.name,
        docs,
    })
}
