//! Staff sessions: starting one, resuming one from its token (with the idle and absolute
//! limits), ending one. The cookie itself is HTTP and lives in `web::session`.
//!
//! The portal keeps only each token's SHA-256, and enforces an absolute limit as well as an idle
//! one; tower-sessions' SQLite store keys rows by the raw id and has no absolute limit, so it is
//! not used.

use crate::app::{AppError, AppState};
use crate::domain::role::{Actor, Role, TrustAdmin};
use crate::domain::school::Scope;
use crate::domain::secret::{new_token, sha256_hex};
use crate::store::{Touched, audit, staff, trust};

/// What a session token turned out to be.
pub enum Resumed {
    /// A live session of a school's staff: who it belongs to, and the token's hash (which keys
    /// its form tokens).
    Active { actor: Actor, hash: String },
    /// A live session of a trust administrator, and the school it is looking at, if any.
    Trust {
        admin: TrustAdmin,
        viewing: Option<Scope>,
        session_id: i64,
        hash: String,
    },
    /// It was live, but past the idle or absolute limit; it has been removed.
    Expired,
    /// Unknown, or the person's account was switched off.
    SignedOut,
}

/// Checks a session token and keeps a live session's last-seen time (at most every 30 s).
pub async fn resume(state: &AppState, token: &str) -> Result<Resumed, AppError> {
    let hash = sha256_hex(token);
    let Some(row) = staff::session(&state.db.read, &hash).await? else {
        return Ok(Resumed::SignedOut);
    };
    let now = state.clock.now();
    let (created, seen) = (row.session_created_at, row.last_seen_at);
    let expired =
        now - seen > state.config.session_idle || now - created > state.config.session_absolute;
    if expired || !row.user.active {
        staff::delete_session(&state.db.write, &hash).await?;
        return Ok(if expired {
            Resumed::Expired
        } else {
            Resumed::SignedOut
        });
    }
    if now - seen > time::Duration::seconds(30) {
        // Sessions are not shown on any report or parent's page.
        let mut tx = state.db.begin().await?.touching(Touched::Nothing);
        staff::touch_session(&mut *tx, row.session_id, now).await?;
        tx.commit().await?;
    }
    let (Some(role), school) = (Role::parse(&row.user.role), row.user.scope) else {
        return Ok(Resumed::SignedOut);
    };
    Ok(match (role, school) {
        (Role::Trust, None) => Resumed::Trust {
            admin: TrustAdmin {
                id: row.user.id,
                name: row.user.name,
                email: row.user.email,
            },
            viewing: row.viewing,
            session_id: row.session_id,
            hash,
        },
        (Role::Trust, Some(_)) | (_, None) => Resumed::SignedOut,
        (role, Some(scope)) => Resumed::Active {
            actor: Actor {
                id: row.user.id,
                scope,
                name: row.user.name,
                email: row.user.email,
                role,
            },
            hash,
        },
    })
}

/// Starts a session for `user_id`, ending the browser's old one (ids rotate at sign-in).
/// Returns the new token, for the cookie.
pub async fn start(state: &AppState, old: Option<&str>, user_id: i64) -> Result<String, AppError> {
    let mut tx = state.db.begin().await?.touching(Touched::Nothing);
    if let Some(old) = old {
        staff::delete_session(&mut *tx, &sha256_hex(old)).await?;
    }
    let token = new_token();
    staff::insert_session(&mut *tx, &sha256_hex(&token), user_id, state.clock.now()).await?;
    tx.commit().await?;
    Ok(token)
}

/// Why a sign-in did not start a session.
pub enum Refused {
    /// Too many wrong passwords from this network or for this account.
    Paused,
    /// The email or password is not right (which one is not said).
    Wrong,
}

/// Checks an email and password within the limits on guessing; on success starts a session
/// (ending `old`) and returns its token.
pub async fn sign_in(
    state: &AppState,
    ip: std::net::IpAddr,
    email: &str,
    password: String,
    old: Option<&str>,
) -> Result<Result<String, Refused>, AppError> {
    use crate::app::limit::{Verdict, network};
    let account = email.trim().to_lowercase();
    // Both counts are taken before the password is hashed, so attempts sent at once see each other.
    let network = network(ip);
    let by_address = state.sign_in_addresses.reserve(&network);
    let by_account = if by_address == Verdict::Refuse {
        Verdict::Refuse
    } else {
        state.sign_in_accounts.reserve(&account)
    };
    if by_account == Verdict::Refuse && by_address != Verdict::Refuse {
        state.sign_in_addresses.succeeded(&network);
    }
    let mut wait = std::time::Duration::ZERO;
    for verdict in [by_address, by_account] {
        match verdict {
            Verdict::Refuse => return Ok(Err(Refused::Paused)),
            Verdict::Wait(d) => wait = wait.max(d),
            Verdict::Go => {}
        }
    }
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let user = staff::user_by_email(&state.db.read, &account).await?;
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| crate::app::passwords::DUMMY_HASH.to_string());
    let matches = crate::app::passwords::verify(state, password, hash).await?;
    let user = match user {
        Some(u) if matches && u.active && u.password_hash.is_some() => u,
        _ => return Ok(Err(Refused::Wrong)),
    };
    state.sign_in_accounts.clear(&account);
    state.sign_in_addresses.succeeded(&network);
    let token = start(state, old, user.id).await?;
    let who = format!("staff:{}", user.id);
    let mut tx = state.db.begin().await?.touching(Touched::Nothing);
    let at = state.clock.now();
    match user.scope {
        Some(scope) => {
            let event = audit::Event {
                scope,
                at,
                actor: &who,
                action: "staff.signed_in",
                subject: &who,
                detail: "",
            };
            audit::record(&mut *tx, event).await?
        }
        None => trust::record_event(&mut *tx, at, &who, "staff.signed_in", &who, "").await?,
    }
    tx.commit().await?;
    Ok(Ok(token))
}

/// Points a trust administrator's session at a school to look at (read-only), or back at the
/// trust's own pages; the school's audit log notes the look.
pub async fn look_at(
    state: &AppState,
    admin: &TrustAdmin,
    session_id: i64,
    school: Option<Scope>,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?.touching(Touched::Nothing);
    staff::set_viewing(&mut *tx, session_id, school).await?;
    if let Some(scope) = school {
        let who = admin.actor();
        let event = audit::Event {
            scope,
            at: state.clock.now(),
            actor: &who,
            action: "trust.looked_at_school",
            subject: &format!("school:{}", scope.id()),
            detail: "read-only",
        };
        audit::record(&mut *tx, event).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Ends the session behind `token` (if any), noting it for `actor` when signed in.
pub async fn sign_out(
    state: &AppState,
    actor: Option<&Actor>,
    token: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?.touching(Touched::Nothing);
    if let Some(a) = actor {
        let at = state.clock.now();
        audit::by_staff(&mut *tx, a, at, "staff.signed_out", &a.actor(), "").await?;
    }
    if let Some(token) = token {
        staff::delete_session(&mut *tx, &sha256_hex(token)).await?;
    }
    tx.commit().await?;
    Ok(())
}
