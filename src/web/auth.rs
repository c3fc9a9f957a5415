//! Staff sign-in, sign-out, and setting a password from a one-time setup or invitation link.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::csrf;
use super::error::AppError;
use super::extract::{ClientIp, CsrfOnly, Form};
use super::limit::Verdict;
use super::session::{self, Role, Staff};
use crate::AppState;
use crate::clock::stamp;
use crate::domain::email::Email;
use crate::domain::name::PersonName;
use crate::domain::password;
use crate::domain::redirect::safe_next;
use crate::domain::secret::{new_token, sha256_hex};
use crate::store::{audit, schools, staff};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/sign-in", get(show_sign_in).post(sign_in))
        .route("/staff/sign-out", post(sign_out))
        .route("/setup/{token}", get(show_setup).post(finish_setup))
}

/// Verifies a password against this hash when the account does not exist, so an unknown email
/// costs as much time as a wrong password (argon2id, the default cost).
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$dJXCFtwrm24nY7hKkjXemA$OUhuEq4zFaAp8yDzQThvSRjepgMYS4j1GUphLf9R4iY";

/// Runs argon2 on the blocking pool, one at a time, so hashing never stalls parents' requests.
pub async fn verify_password(
    state: &AppState,
    password: String,
    hash: String,
) -> Result<bool, AppError> {
    let _permit = state
        .hashing
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(move || password::verify(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// Hashes a new password on the blocking pool.
pub async fn hash_password(state: &AppState, password: String) -> Result<String, AppError> {
    let _permit = state
        .hashing
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

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

async fn school_name(state: &AppState) -> Result<String, AppError> {
    Ok(schools::first(&state.db.read)
        .await?
        .map(|s| s.name)
        .unwrap_or_default())
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
        school_name: school_name(&state).await?,
        csrf: csrf::token(&state.secret, "staff-sign-in"),
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
        notice,
    })
}

#[derive(Deserialize)]
pub struct SignInForm {
    csrf: Option<String>,
    email: Option<String>,
    password: Option<String>,
    next: Option<String>,
}

/// Starts a session for `user_id`, replacing the browser's old one (session ids rotate at sign-in).
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    user_id: i64,
) -> Result<String, AppError> {
    if let Some(old) = session::session_token(state, headers) {
        staff::delete_session(&state.db.write, &sha256_hex(&old)).await?;
    }
    let token = new_token();
    staff::insert_session(
        &state.db.write,
        &sha256_hex(&token),
        user_id,
        &stamp(state.clock.now()),
    )
    .await?;
    Ok(token)
}

/// `POST /staff/sign-in`.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    if !csrf::verify(
        &state.secret,
        "staff-sign-in",
        form.csrf.as_deref().unwrap_or(""),
    ) {
        return Err(csrf::expired_form());
    }
    let typed_email = form.email.unwrap_or_default();
    let account = typed_email.trim().to_lowercase();
    let next = safe_next(form.next.as_deref());
    let page = |error: &str| SignInPage {
        school_name: String::new(),
        csrf: csrf::token(&state.secret, "staff-sign-in"),
        email: typed_email.chars().take(254).collect(),
        next: next.clone(),
        error: Some(error.to_string()),
        notice: None,
    };
    // Both counts are taken before the password is hashed, so attempts sent at once see each other.
    let network = super::limit::network(ip);
    let mut wait = std::time::Duration::ZERO;
    let by_address = state.sign_in_addresses.reserve(&network);
    let by_account = if by_address == Verdict::Refuse {
        Verdict::Refuse
    } else {
        state.sign_in_accounts.reserve(&account)
    };
    if by_account == Verdict::Refuse && by_address != Verdict::Refuse {
        state.sign_in_addresses.succeeded(&network);
    }
    for verdict in [by_address, by_account] {
        match verdict {
            Verdict::Refuse => {
                let mut p = page(
                    "There have been too many wrong passwords, so signing in is paused for 15 minutes. Try again later, or ask a headteacher for a new invitation link.",
                );
                p.school_name = school_name(&state).await?;
                return Ok((StatusCode::TOO_MANY_REQUESTS, p).into_response());
            }
            Verdict::Wait(d) => wait = wait.max(d),
            Verdict::Go => {}
        }
    }
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let password = form.password.unwrap_or_default();
    let user = staff::user_by_email(&state.db.read, &account).await?;
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_string());
    let matches = verify_password(&state, password, hash).await?;
    let user = match user {
        Some(u) if matches && u.active && u.password_hash.is_some() => u,
        _ => {
            let mut p =
                page("The email address or password is not right. Check them and try again.");
            p.school_name = school_name(&state).await?;
            return Ok((StatusCode::UNAUTHORIZED, p).into_response());
        }
    };
    state.sign_in_accounts.clear(&account);
    state.sign_in_addresses.succeeded(&network);
    let token = start_session(&state, &headers, user.id).await?;
    audit::record(
        &state.db.write,
        audit::Event {
            school_id: user.school_id,
            at: &stamp(state.clock.now()),
            actor: &format!("staff:{}", user.id),
            action: "staff.signed_in",
            subject: &format!("staff:{}", user.id),
            detail: "",
        },
    )
    .await?;
    Ok((
        [(header::SET_COOKIE, session::session_cookie(&state, &token))],
        Redirect::to(&next),
    )
        .into_response())
}

/// `POST /staff/sign-out`.
pub async fn sign_out(
    State(state): State<AppState>,
    staff_member: Result<Staff, session::NoSession>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    if let Ok(s) = &staff_member {
        s.check_form(form.csrf.as_deref())?;
        audit::record(
            &state.db.write,
            audit::Event {
                school_id: s.school_id,
                at: &stamp(state.clock.now()),
                actor: &s.actor(),
                action: "staff.signed_out",
                subject: &s.actor(),
                detail: "",
            },
        )
        .await?;
    }
    if let Some(token) = session::session_token(&state, &headers) {
        staff::delete_session(&state.db.write, &sha256_hex(&token)).await?;
    }
    Ok((
        [(header::SET_COOKIE, session::clear_cookie(&state))],
        Redirect::to("/staff/sign-in?out=1"),
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/setup.html")]
pub struct SetupPage {
    pub school_name: String,
    pub csrf: String,
    pub action: String,
    /// Name and email are asked only when the link makes a new account.
    pub new_account: bool,
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

fn invalid_link() -> AppError {
    AppError::Status(
        StatusCode::NOT_FOUND,
        "This link has already been used, has expired, or was replaced by a newer one. Ask a headteacher for a new \
         invitation link; if nobody can sign in, run `signoff setup-link` on the server."
            .into(),
    )
}

async fn setup_page(
    state: &AppState,
    token: &str,
    invite: &staff::Invite,
) -> Result<SetupPage, AppError> {
    let existing = match invite.staff_user_id {
        Some(id) => staff::user(&state.db.read, id).await?,
        None => None,
    };
    Ok(SetupPage {
        school_name: schools::get(&state.db.read, invite.school_id)
            .await?
            .map(|s| s.name)
            .unwrap_or_default(),
        csrf: csrf::token(&state.secret, &format!("setup:{}", sha256_hex(token))),
        action: format!("/setup/{token}"),
        new_account: existing.is_none(),
        role_label: Role::parse(&invite.role)
            .map(|r| r.label())
            .unwrap_or("Staff")
            .to_string(),
        existing_email: existing.map(|u| u.email).unwrap_or_default(),
        name: String::new(),
        email: String::new(),
        name_error: None,
        email_error: None,
        password_error: None,
    })
}

/// `GET /setup/{token}`: choose a password (and, for a new account, a name and email).
pub async fn show_setup(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<SetupPage, AppError> {
    let invite = staff::live_invite(
        &state.db.read,
        &sha256_hex(&token),
        &stamp(state.clock.now()),
    )
    .await?
    .ok_or_else(invalid_link)?;
    setup_page(&state, &token, &invite).await
}

#[derive(Deserialize)]
pub struct SetupForm {
    csrf: Option<String>,
    name: Option<String>,
    email: Option<String>,
    password: Option<String>,
    confirm: Option<String>,
}

/// `POST /setup/{token}`: sets the password, uses up the link and signs the person in.
pub async fn finish_setup(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    let token_hash = sha256_hex(&token);
    let now = stamp(state.clock.now());
    let invite = staff::live_invite(&state.db.read, &token_hash, &now)
        .await?
        .ok_or_else(invalid_link)?;
    if !csrf::verify(
        &state.secret,
        &format!("setup:{token_hash}"),
        form.csrf.as_deref().unwrap_or(""),
    ) {
        return Err(csrf::expired_form());
    }
    let mut page = setup_page(&state, &token, &invite).await?;
    page.name = form
        .name
        .clone()
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    page.email = form
        .email
        .clone()
        .unwrap_or_default()
        .chars()
        .take(254)
        .collect();
    let mut name = None;
    let mut email = None;
    if page.new_account {
        match PersonName::parse(form.name.as_deref().unwrap_or("")) {
            Ok(n) => name = Some(n),
            Err(e) => page.name_error = Some(e.to_string()),
        }
        match Email::parse(form.email.as_deref().unwrap_or("")) {
            Ok(e) => {
                if staff::user_by_email(&state.db.read, e.as_str())
                    .await?
                    .is_some()
                {
                    page.email_error = Some("There is already an account with this email address. Sign in instead, or use another address.".into());
                } else {
                    email = Some(e);
                }
            }
            Err(e) => page.email_error = Some(e.to_string()),
        }
    }
    let password = form.password.unwrap_or_default();
    let also_not = [
        page.email.as_str(),
        page.existing_email.as_str(),
        page.school_name.as_str(),
    ];
    if let Err(e) = password::check_new(&password, &also_not) {
        page.password_error = Some(e.to_string());
    } else if form.confirm.as_deref() != Some(password.as_str()) {
        page.password_error =
            Some("The two passwords are not the same. Type the same password twice.".into());
    }
    if page.has_errors() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let hash = hash_password(&state, password).await?;
    let mut tx = state.db.begin().await?;
    if !staff::use_invite(&mut *tx, invite.id, &now).await? {
        return Err(invalid_link());
    }
    let user_id = match (invite.staff_user_id, name, email) {
        (Some(id), _, _) => id,
        (None, Some(name), Some(email)) => {
            match staff::insert_user(
                &mut *tx,
                invite.school_id,
                email.as_str(),
                name.as_str(),
                &invite.role,
                &now,
            )
            .await
            {
                Ok(id) => id,
                Err(e) if crate::store::is_unique_violation(&e) => {
                    page.email_error =
                        Some("There is already an account with this email address.".into());
                    return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
                }
                Err(e) => return Err(e.into()),
            }
        }
        _ => return Err(invalid_link()),
    };
    staff::set_password(&mut *tx, user_id, &hash).await?;
    // A new password ends every session the account had (a lost or stolen one among them).
    staff::delete_sessions_of(&mut *tx, user_id).await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: invite.school_id,
            at: &now,
            actor: &format!("staff:{user_id}"),
            action: "staff.password_set",
            subject: &format!("staff:{user_id}"),
            detail: &format!("invite:{}", invite.id),
        },
    )
    .await?;
    tx.commit().await?;
    let session_token = start_session(&state, &headers, user_id).await?;
    Ok((
        [(
            header::SET_COOKIE,
            session::session_cookie(&state, &session_token),
        )],
        Redirect::to("/office"),
    )
        .into_response())
}
