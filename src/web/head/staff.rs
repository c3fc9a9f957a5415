//! Staff accounts: the list, inviting a colleague, roles, switching accounts off and on.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::staff::{self as accounts, Invitation};
use crate::app::{AppState, school};
use crate::domain::role::Role;
use crate::domain::role::StaffUser;
use crate::web::error::AppError;
use crate::web::extract::{Button, HeadForm, field};
use crate::web::session::{Head, Staff};

pub struct StaffRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub is_head: bool,
    pub active: bool,
    pub pending: bool,
    pub me: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "head/staff.html")]
pub struct StaffPage {
    pub school_name: String,
    pub staff: Staff,
    pub rows: Vec<StaffRow>,
    pub errors: Vec<(String, String)>,
    pub name: String,
    pub email: String,
    pub role: String,
    pub flash: Option<String>,
    /// A link just made, shown once: (for whom, link).
    pub new_link: Option<(String, String)>,
}

fn row(u: StaffUser, me: &Staff) -> StaffRow {
    let role = Role::parse(&u.role);
    StaffRow {
        me: u.id == me.id,
        id: u.id,
        role: role.map(Role::label).unwrap_or(""),
        is_head: role == Some(Role::Headteacher),
        active: u.active,
        pending: u.password_hash.is_none(),
        name: u.name,
        email: u.email,
    }
}

async fn staff_page(state: &AppState, me: Staff) -> Result<StaffPage, AppError> {
    let rows = accounts::list(state, &me)
        .await?
        .into_iter()
        .map(|u| row(u, &me))
        .collect();
    Ok(StaffPage {
        school_name: school::name(state, Some(me.scope)).await?,
        rows,
        errors: Vec::new(),
        name: String::new(),
        email: String::new(),
        role: "office".into(),
        flash: None,
        new_link: None,
        staff: me,
    })
}

#[derive(Deserialize)]
pub struct FlashQuery {
    done: Option<String>,
}

/// `GET /head/staff`.
pub async fn list_staff(
    State(state): State<AppState>,
    Head(me): Head,
    Query(q): Query<FlashQuery>,
) -> Result<StaffPage, AppError> {
    let mut page = staff_page(&state, me).await?;
    page.flash = match q.done.as_deref() {
        Some("role") => Some("Role changed.".into()),
        Some("deactivated") => {
            Some("Account deactivated. Anyone signed in with it has been signed out.".into())
        }
        Some("reactivated") => Some("Account reactivated.".into()),
        _ => None,
    };
    Ok(page)
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// `POST /head/staff`: invites a colleague; the link is shown once, to pass on.
pub async fn invite_staff(
    State(state): State<AppState>,
    HeadForm(me, form): HeadForm<InviteForm>,
) -> Result<Response, AppError> {
    let typed = Invitation {
        name: &form.name,
        email: &form.email,
        role: &form.role,
    };
    match accounts::invite(&state, &me, typed).await? {
        Ok(new_link) => {
            let mut page = staff_page(&state, me).await?;
            page.new_link = Some(new_link);
            Ok(page.into_response())
        }
        Err(errors) => {
            let mut page = staff_page(&state, me).await?;
            page.errors = errors;
            page.name = form.name.chars().take(200).collect();
            page.email = form.email.chars().take(254).collect();
            page.role = form.role;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /head/staff/{id}/role`.
pub async fn change_role(
    State(state): State<AppState>,
    Path(id): Path<String>,
    HeadForm(me, form): HeadForm<RoleForm>,
) -> Result<Response, AppError> {
    accounts::change_role(&state, &me, &id, &form.role).await?;
    Ok(Redirect::to("/head/staff?done=role").into_response())
}

#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(default, deserialize_with = "field::yes")]
    active: bool,
}

/// `POST /head/staff/{id}/active`: deactivating ends the person's sessions at once.
pub async fn set_active(
    State(state): State<AppState>,
    Path(id): Path<String>,
    HeadForm(me, form): HeadForm<ActiveForm>,
) -> Result<Response, AppError> {
    let active = form.active;
    accounts::set_active(&state, &me, &id, active).await?;
    Ok(Redirect::to(if active {
        "/head/staff?done=reactivated"
    } else {
        "/head/staff?done=deactivated"
    })
    .into_response())
}

/// `POST /head/staff/{id}/invite`: a new one-time link, for a lost password or a lost invitation.
pub async fn reinvite(
    State(state): State<AppState>,
    Path(id): Path<String>,
    HeadForm(me, _): HeadForm<Button>,
) -> Result<Response, AppError> {
    let new_link = accounts::reinvite(&state, &me, &id).await?;
    let mut page = staff_page(&state, me).await?;
    page.new_link = Some(new_link);
    Ok(page.into_response())
}
