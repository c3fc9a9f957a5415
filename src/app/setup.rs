//! Setting a password from a one-time link (an invitation, a reset, the first headteacher's).

use crate::app::{AppError, AppState};
use crate::domain::email::Email;
use crate::domain::name::PersonName;
use crate::domain::password;
use crate::domain::secret::sha256_hex;
use crate::store::{audit, staff};

/// The refusal for a used, expired or replaced link.
pub fn invalid_link() -> AppError {
    AppError::Gone(
        "This link has already been used, has expired, or was replaced by a newer one. Ask a headteacher for a new \
         invitation link; if nobody can sign in, run `signoff setup-link` on the server."
            .into(),
    )
}

/// A live link and what the page needs to know about it.
pub struct Link {
    pub invite: staff::Invite,
    /// The account the link is for, when it is not a new one.
    pub existing: Option<staff::StaffUser>,
    pub school_name: String,
}

/// Opens a link, or refuses it.
pub async fn open(state: &AppState, token: &str) -> Result<Link, AppError> {
    let invite = staff::live_invite(&state.db.read, &sha256_hex(token), state.clock.now())
        .await?
        .ok_or_else(invalid_link)?;
    let existing = match invite.staff_user_id {
        Some(id) => staff::user(&state.db.read, invite.scope, id).await?,
        None => None,
    };
    let school_name = match invite.scope {
        Some(scope) => crate::app::school::name(state, Some(scope)).await?,
        // A trust administrator's link belongs to no one school: the page names the portal.
        None => String::new(),
    };
    Ok(Link {
        invite,
        existing,
        school_name,
    })
}

/// What was typed on the set-up page.
pub struct Typed<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password: String,
    pub confirm: &'a str,
}

/// What to put right, by field.
#[derive(Default)]
pub struct Problems {
    pub name: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
}

impl Problems {
    pub fn any(&self) -> bool {
        self.name.is_some() || self.email.is_some() || self.password.is_some()
    }
}

/// Sets the password, uses up the link (making the account when the link is for a new one) and
/// ends every older session of the account, in one transaction. Returns the account's id.
pub async fn finish(
    state: &AppState,
    link: &Link,
    typed: Typed<'_>,
) -> Result<Result<i64, Problems>, AppError> {
    let mut problems = Problems::default();
    let (mut name, mut email) = (None, None);
    if link.existing.is_none() {
        match PersonName::parse(typed.name) {
            Ok(n) => name = Some(n),
            Err(e) => problems.name = Some(e.to_string()),
        }
        match Email::parse(typed.email) {
            Ok(e)
                if staff::user_by_email(&state.db.read, e.as_str())
                    .await?
                    .is_some() =>
            {
                problems.email = Some("There is already an account with this email address. Sign in instead, or use another address.".into());
            }
            Ok(e) => email = Some(e),
            Err(e) => problems.email = Some(e.to_string()),
        }
    }
    let existing_email = link
        .existing
        .as_ref()
        .map(|u| u.email.as_str())
        .unwrap_or("");
    let existing_name = link
        .existing
        .as_ref()
        .map(|u| u.name.as_str())
        .unwrap_or("");
    let also_not = [
        typed.email,
        typed.name,
        existing_email,
        existing_name,
        link.school_name.as_str(),
    ];
    if let Err(e) = password::check_new(&typed.password, &also_not) {
        problems.password = Some(e.to_string());
    } else if typed.confirm != typed.password {
        problems.password =
            Some("The two passwords are not the same. Type the same password twice.".into());
    }
    if problems.any() {
        return Ok(Err(problems));
    }
    let hash = crate::app::passwords::hash(state, typed.password).await?;
    let now = state.clock.now();
    let invite = &link.invite;
    let mut tx = state.db.begin().await?;
    if !staff::use_invite(&mut *tx, invite.scope, invite.id, now).await? {
        return Err(invalid_link());
    }
    let user_id = match (invite.staff_user_id, name, email) {
        (Some(id), _, _) => id,
        (None, Some(name), Some(email)) => {
            match staff::insert_user(
                &mut *tx,
                invite.scope,
                email.as_str(),
                name.as_str(),
                &invite.role,
                now,
            )
            .await
            {
                Ok(id) => id,
                Err(e) if crate::store::is_unique_violation(&e) => {
                    problems.email =
                        Some("There is already an account with this email address.".into());
                    return Ok(Err(problems));
                }
                Err(e) => return Err(e.into()),
            }
        }
        _ => return Err(invalid_link()),
    };
    staff::set_password(&mut *tx, invite.scope, user_id, &hash).await?;
    // A new password ends every session the account had (a lost or stolen one among them).
    staff::delete_sessions_of(&mut *tx, invite.scope, user_id).await?;
    let (who, detail) = (format!("staff:{user_id}"), format!("invite:{}", invite.id));
    match invite.scope {
        Some(scope) => {
            let event = audit::Event {
                scope,
                at: now,
                actor: &who,
                action: "staff.password_set",
                subject: &who,
                detail: &detail,
            };
            audit::record(&mut *tx, event).await?
        }
        None => {
            let action = "staff.password_set";
            crate::store::trust::record_event(&mut *tx, now, &who, action, &who, &detail).await?
        }
    }
    tx.commit().await?;
    Ok(Ok(user_id))
}
