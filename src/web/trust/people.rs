//! Adding a school, and the trust's administrators.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::TrustForm;
use crate::app::AppState;
use crate::app::trust::{self, Added, NewSchool};
use crate::web::error::AppError;
use crate::web::session::Trustee;
use crate::web::views::error_for;

#[derive(Template, WebTemplate)]
#[template(path = "trust/add_school.html")]
pub struct AddSchoolPage {
    pub school_name: String,
    pub me: Trustee,
    pub errors: Vec<(String, String)>,
    pub name: String,
    pub slug: String,
    pub address: String,
    pub added: Option<Added>,
    pub base_url: String,
}

impl AddSchoolPage {
    fn error(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn add_page(state: &AppState, me: Trustee) -> AddSchoolPage {
    AddSchoolPage {
        school_name: String::new(),
        me,
        errors: Vec::new(),
        name: String::new(),
        slug: String::new(),
        address: String::new(),
        added: None,
        base_url: state.config.base_url(),
    }
}

/// `GET /trust/schools/new`.
pub async fn show_add_school(State(state): State<AppState>, me: Trustee) -> AddSchoolPage {
    add_page(&state, me)
}

#[derive(Deserialize)]
pub struct SchoolForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    address: String,
}

/// `POST /trust/schools/new`: adds the school and shows its first headteacher's setup link once.
pub async fn add_school(
    State(state): State<AppState>,
    TrustForm(me, form): TrustForm<SchoolForm>,
) -> Result<Response, AppError> {
    let typed = NewSchool {
        name: &form.name,
        slug: &form.slug,
        address: &form.address,
    };
    let outcome = trust::add_school(&state, &me.admin, typed).await?;
    let mut page = add_page(&state, me);
    match outcome {
        Ok(added) => {
            page.added = Some(added);
            Ok(page.into_response())
        }
        Err(errors) => {
            page.errors = errors;
            page.name = form.name.chars().take(200).collect();
            page.slug = form.slug.chars().take(60).collect();
            page.address = form.address.chars().take(600).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// A trust administrator as the list shows them.
pub struct AdminRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub pending: bool,
    pub me: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "trust/admins.html")]
pub struct AdminsPage {
    pub school_name: String,
    pub me: Trustee,
    pub rows: Vec<AdminRow>,
    pub errors: Vec<(String, String)>,
    pub name: String,
    pub email: String,
    pub flash: Option<String>,
    pub new_link: Option<(String, String)>,
}

impl AdminsPage {
    fn error(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn admins_page(state: &AppState, me: Trustee) -> Result<AdminsPage, AppError> {
    let rows = trust::admins(state)
        .await?
        .into_iter()
        .map(|u| AdminRow {
            me: u.id == me.admin.id,
            id: u.id,
            active: u.active,
            pending: u.password_hash.is_none(),
            name: u.name,
            email: u.email,
        })
        .collect();
    Ok(AdminsPage {
        school_name: String::new(),
        me,
        rows,
        errors: Vec::new(),
        name: String::new(),
        email: String::new(),
        flash: None,
        new_link: None,
    })
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// `GET /trust/admins`.
pub async fn list_admins(
    State(state): State<AppState>,
    me: Trustee,
    Query(q): Query<Done>,
) -> Result<AdminsPage, AppError> {
    let mut page = admins_page(&state, me).await?;
    page.flash = match q.done.as_deref() {
        Some("off") => {
            Some("Account switched off. Anyone signed in with it has been signed out.".into())
        }
        Some("on") => Some("Account switched back on.".into()),
        _ => None,
    };
    Ok(page)
}

#[derive(Deserialize)]
pub struct AdminForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
}

/// `POST /trust/admins`: appoints a trust administrator; their link is shown once, to pass on.
pub async fn invite_admin(
    State(state): State<AppState>,
    TrustForm(me, form): TrustForm<AdminForm>,
) -> Result<Response, AppError> {
    let outcome = trust::invite_admin(&state, &me.admin, &form.name, &form.email).await?;
    let mut page = admins_page(&state, me).await?;
    match outcome {
        Ok(link) => {
            page.new_link = Some((form.name.trim().to_string(), link));
            Ok(page.into_response())
        }
        Err(errors) => {
            page.errors = errors;
            page.name = form.name.chars().take(200).collect();
            page.email = form.email.chars().take(254).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

/// `POST /trust/admins/{id}/active`: switches an administrator off or back on.
pub async fn set_admin_active(
    State(state): State<AppState>,
    Path(id): Path<String>,
    TrustForm(me, form): TrustForm<ActiveForm>,
) -> Result<Response, AppError> {
    let active = form.active == "yes";
    match trust::set_admin_active(&state, &me.admin, &id, active).await? {
        Ok(()) => {
            let done = if active { "on" } else { "off" };
            Ok(Redirect::to(&format!("/trust/admins?done={done}")).into_response())
        }
        Err(why) => {
            let mut page = admins_page(&state, me).await?;
            page.errors = vec![(format!("admin-{id}"), why)];
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}
