//! Headteacher-only pages: staff accounts and the school's settings.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::Duration;

use super::error::AppError;
use super::extract::{CsrfOnly, Form};
use super::session::{Head, Role, Staff};
use crate::AppState;
use crate::clock::stamp;
use crate::domain::email::Email;
use crate::domain::name::PersonName;
use crate::domain::secret::{new_token, sha256_hex};
use crate::domain::text::is_plain;
use crate::seed::INVITE_DAYS;
use crate::store::{audit, schools, staff};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/head/staff", get(list_staff).post(invite_staff))
        .route("/head/staff/{id}/role", post(change_role))
        .route("/head/staff/{id}/active", post(set_active))
        .route("/head/staff/{id}/invite", post(reinvite))
        .route("/head/settings", get(show_settings).post(save_settings))
}

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

async fn staff_page(state: &AppState, me: Staff) -> Result<StaffPage, AppError> {
    let school_name = schools::get(&state.db.read, me.school_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let rows = staff::users(&state.db.read, me.school_id)
        .await?
        .into_iter()
        .map(|u| StaffRow {
            me: u.id == me.id,
            id: u.id,
            name: u.name,
            email: u.email,
            role: Role::parse(&u.role).map(Role::label).unwrap_or(""),
            is_head: u.role == "headteacher",
            active: u.active,
            pending: u.password_hash.is_none(),
        })
        .collect();
    Ok(StaffPage {
        school_name,
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

/// Makes a one-time link for `user_id`, cancelling older ones; returns the link.
async fn make_invite(
    state: &AppState,
    me: &Staff,
    user_id: i64,
    role: &str,
    conn: &mut sqlx::SqliteConnection,
) -> Result<String, AppError> {
    let now = state.clock.now();
    let token = new_token();
    staff::cancel_invites_for(&mut *conn, user_id, &stamp(now)).await?;
    staff::insert_invite(
        &mut *conn,
        staff::NewInvite {
            school_id: me.school_id,
            staff_user_id: Some(user_id),
            role,
            token_hash: &sha256_hex(&token),
            created_at: &stamp(now),
            expires_at: &stamp(now + Duration::days(INVITE_DAYS)),
            created_by: Some(me.id),
        },
    )
    .await?;
    Ok(format!("{}/setup/{token}", state.config.base_url()))
}

#[derive(Deserialize)]
pub struct InviteForm {
    csrf: Option<String>,
    name: Option<String>,
    email: Option<String>,
    role: Option<String>,
}

/// `POST /head/staff`: invites a colleague; the link is shown once, to pass on.
pub async fn invite_staff(
    State(state): State<AppState>,
    Head(me): Head,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let mut errors = Vec::new();
    let name = PersonName::parse(form.name.as_deref().unwrap_or(""))
        .map_err(|e| errors.push(("name".to_string(), e.to_string())))
        .ok();
    let email = match Email::parse(form.email.as_deref().unwrap_or("")) {
        Ok(e)
            if staff::user_by_email(&state.db.read, e.as_str())
                .await?
                .is_some() =>
        {
            errors.push((
                "email".into(),
                "Someone already has an account with this email address.".into(),
            ));
            None
        }
        Ok(e) => Some(e),
        Err(e) => {
            errors.push(("email".into(), e.to_string()));
            None
        }
    };
    let role = Role::parse(form.role.as_deref().unwrap_or(""));
    if role.is_none() {
        errors.push((
            "role".into(),
            "Choose a role: office staff or headteacher.".into(),
        ));
    }
    let (Some(name), Some(email), Some(role), true) = (name, email, role, errors.is_empty()) else {
        let mut page = staff_page(&state, me).await?;
        page.errors = errors;
        page.name = form.name.unwrap_or_default().chars().take(200).collect();
        page.email = form.email.unwrap_or_default().chars().take(254).collect();
        page.role = form.role.unwrap_or_default();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let now = stamp(state.clock.now());
    let mut tx = state.db.begin().await?;
    let id = staff::insert_user(
        &mut *tx,
        me.school_id,
        email.as_str(),
        name.as_str(),
        role.as_str(),
        &now,
    )
    .await?;
    let link = make_invite(&state, &me, id, role.as_str(), &mut tx).await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: me.school_id,
            at: &now,
            actor: &me.actor(),
            action: "staff.invited",
            subject: &format!("staff:{id}"),
            detail: role.as_str(),
        },
    )
    .await?;
    tx.commit().await?;
    let mut page = staff_page(&state, me).await?;
    page.new_link = Some((name.to_string(), link));
    Ok(page.into_response())
}

/// Loads a colleague of the signed-in headteacher's school.
async fn colleague(state: &AppState, me: &Staff, id: &str) -> Result<staff::StaffUser, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    staff::user(&state.db.read, id)
        .await?
        .filter(|u| u.school_id == me.school_id)
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub struct RoleForm {
    csrf: Option<String>,
    role: Option<String>,
}

fn refuse(message: &str) -> AppError {
    AppError::Status(StatusCode::CONFLICT, message.to_string())
}

/// `POST /head/staff/{id}/role`.
pub async fn change_role(
    State(state): State<AppState>,
    Head(me): Head,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let user = colleague(&state, &me, &id).await?;
    let role = Role::parse(form.role.as_deref().unwrap_or(""))
        .ok_or_else(|| AppError::BadRequest("Choose office staff or headteacher.".into()))?;
    let mut tx = state.db.begin().await?;
    if user.role == "headteacher"
        && role != Role::Headteacher
        && user.active
        && staff::active_heads(&mut *tx, me.school_id).await? <= 1
    {
        return Err(refuse(
            "The school must keep at least one active headteacher. Make someone else a headteacher first.",
        ));
    }
    staff::set_role(&mut *tx, user.id, role.as_str()).await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: me.school_id,
            at: &stamp(state.clock.now()),
            actor: &me.actor(),
            action: "staff.role_changed",
            subject: &format!("staff:{}", user.id),
            detail: &format!("{} -> {}", user.role, role.as_str()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/head/staff?done=role").into_response())
}

#[derive(Deserialize)]
pub struct ActiveForm {
    csrf: Option<String>,
    active: Option<String>,
}

/// `POST /head/staff/{id}/active`: deactivating ends the person's sessions at once.
pub async fn set_active(
    State(state): State<AppState>,
    Head(me): Head,
    Path(id): Path<String>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let user = colleague(&state, &me, &id).await?;
    let active = form.active.as_deref() == Some("yes");
    if !active && user.id == me.id {
        return Err(refuse(
            "You cannot deactivate your own account. Ask another headteacher.",
        ));
    }
    let mut tx = state.db.begin().await?;
    if !active
        && user.role == "headteacher"
        && user.active
        && staff::active_heads(&mut *tx, me.school_id).await? <= 1
    {
        return Err(refuse(
            "The school must keep at least one active headteacher.",
        ));
    }
    staff::set_active(&mut *tx, user.id, active).await?;
    if !active {
        // Signed out at once, and a reset or invitation link still waiting no longer works.
        staff::delete_sessions_of(&mut *tx, user.id).await?;
        staff::cancel_invites_for(&mut *tx, user.id, &stamp(state.clock.now())).await?;
    }
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: me.school_id,
            at: &stamp(state.clock.now()),
            actor: &me.actor(),
            action: if active {
                "staff.reactivated"
            } else {
                "staff.deactivated"
            },
            subject: &format!("staff:{}", user.id),
            detail: "",
        },
    )
    .await?;
    tx.commit().await?;
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
    Head(me): Head,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let user = colleague(&state, &me, &id).await?;
    if !user.active {
        return Err(refuse("Reactivate this account before sending a new link."));
    }
    let mut tx = state.db.begin().await?;
    let link = make_invite(&state, &me, user.id, &user.role, &mut tx).await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: me.school_id,
            at: &stamp(state.clock.now()),
            actor: &me.actor(),
            action: "staff.link_issued",
            subject: &format!("staff:{}", user.id),
            detail: "",
        },
    )
    .await?;
    tx.commit().await?;
    let mut page = staff_page(&state, me).await?;
    page.new_link = Some((user.name, link));
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "head/settings.html")]
pub struct SettingsPage {
    pub school_name: String,
    pub staff: Staff,
    pub name: String,
    pub address: String,
    pub cover_rule: String,
    pub letter_text: String,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
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
    let school = schools::get(&state.db.read, me.school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SettingsPage {
        school_name: school.name.clone(),
        name: school.name,
        address: school.address,
        cover_rule: school.cover_rule,
        letter_text: school.letter_text,
        errors: Vec::new(),
        saved: q.saved.is_some(),
        staff: me,
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    csrf: Option<String>,
    name: Option<String>,
    address: Option<String>,
    cover_rule: Option<String>,
    letter_text: Option<String>,
}

/// `POST /head/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    Head(me): Head,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let name = form.name.unwrap_or_default().trim().to_string();
    let address = form
        .address
        .unwrap_or_default()
        .replace("\r\n", "\n")
        .trim()
        .to_string();
    let letter_text = form
        .letter_text
        .unwrap_or_default()
        .replace("\r\n", "\n")
        .trim()
        .to_string();
    let cover_rule = form.cover_rule.unwrap_or_default();
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 120 || !is_plain(&name) || name.contains('\n') {
        errors.push((
            "name".to_string(),
            "Enter the school's name (up to 120 characters).".to_string(),
        ));
    }
    if address.chars().count() > 500 || !is_plain(&address) {
        errors.push((
            "address".into(),
            "Keep the address to 500 characters of plain text.".into(),
        ));
    }
    if letter_text.is_empty() || letter_text.chars().count() > 5000 || !is_plain(&letter_text) {
        errors.push((
            "letter_text".into(),
            "Write the letter's text (up to 5,000 characters).".into(),
        ));
    }
    if cover_rule != "one" && cover_rule != "all" {
        errors.push((
            "cover_rule".into(),
            "Choose when a pupil counts as covered.".into(),
        ));
    }
    if !errors.is_empty() {
        let page = SettingsPage {
            school_name: schools::get(&state.db.read, me.school_id)
                .await?
                .map(|s| s.name)
                .unwrap_or_default(),
            name: name.chars().take(200).collect(),
            address: address.chars().take(600).collect(),
            cover_rule,
            letter_text: letter_text.chars().take(6000).collect(),
            errors,
            saved: false,
            staff: me,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let mut tx = state.db.begin().await?;
    schools::update_settings(
        &mut *tx,
        me.school_id,
        &name,
        &address,
        &cover_rule,
        &letter_text,
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: me.school_id,
            at: &stamp(state.clock.now()),
            actor: &me.actor(),
            action: "school.settings_changed",
            subject: &format!("school:{}", me.school_id),
            detail: &format!("cover rule {cover_rule}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/head/settings?saved=1").into_response())
}
