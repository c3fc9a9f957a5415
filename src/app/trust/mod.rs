//! The trust above the schools: its administrators, adding a school, and looking at a school's
//! records (read-only). The trust's figures are in [`dashboard`], its code of conduct in [`code`].

pub mod code;
pub mod dashboard;

use time::Duration;

use crate::app::{AppError, AppState, FieldErrors, seed};
use crate::clock::Clock;
use crate::domain::email::Email;
use crate::domain::name::PersonName;
use crate::domain::role::{INVITE_DAYS, TrustAdmin};
use crate::domain::secret::{new_token, sha256_hex};
use crate::store::{Db, schools, staff, trust};

pub use crate::store::staff::StaffUser;
pub use crate::store::trust::Member;

/// Every school of the portal, by name.
pub async fn members(state: &AppState) -> Result<Vec<Member>, AppError> {
    Ok(trust::schools(&state.db.read).await?)
}

/// A school as typed on the trust's "Add a school" form.
pub struct NewSchool<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub address: &'a str,
}

/// A school just added, with the link its first headteacher sets up their account with.
pub struct Added {
    pub name: String,
    pub slug: String,
    pub setup_link: String,
}

/// Adds a school from the trust's pages: its own copy of the sample code (version 1) and a
/// setup link for its first headteacher, as `signoff school add` does. Nothing is stored when a
/// field is wrong; the errors say what to change.
pub async fn add_school(
    state: &AppState,
    me: &TrustAdmin,
    typed: NewSchool<'_>,
) -> Result<Result<Added, FieldErrors>, AppError> {
    let mut errors = FieldErrors::new();
    let name = crate::domain::text::single_spaced(typed.name);
    if name.is_empty() || name.chars().count() > 120 {
        errors.push((
            "name".into(),
            "Give the school's name as parents know it, such as \u{201c}Elmwood Academy\u{201d} (up to 120 characters).".into(),
        ));
    }
    let slug = match crate::domain::school::check_slug(typed.slug) {
        Ok(slug) => match schools::by_slug(&state.db.read, &slug).await? {
            Some(other) => {
                errors.push((
                    "slug".into(),
                    format!(
                        "The address \u{201c}{slug}\u{201d} is already {}'s: choose another.",
                        other.name
                    ),
                ));
                None
            }
            None => Some(slug),
        },
        Err(e) => {
            errors.push(("slug".into(), e));
            None
        }
    };
    let address = crate::domain::text::tidy_block(typed.address);
    if address.chars().count() > 500 {
        errors.push((
            "address".into(),
            "The postal address is too long: keep it to 500 characters.".into(),
        ));
    }
    let Some(slug) = slug.filter(|_| errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let detail = format!(
        "added by trust administrator staff:{}: sample code of conduct published as version 1",
        me.id
    );
    let made = match seed::create(&mut tx, &slug, &name, &address, now, &detail).await {
        Ok(made) => made,
        // Added by someone else since the check above.
        Err(e) if crate::store::is_unique_violation(&e) => {
            let msg = format!(
                "The address \u{201c}{slug}\u{201d} was taken a moment ago: choose another."
            );
            return Ok(Err(vec![("slug".into(), msg)]));
        }
        Err(e) => return Err(e.into()),
    };
    let subject = format!("school:{}", made.scope.id());
    trust::record_event(&mut *tx, now, &me.actor(), "school.added", &subject, &slug).await?;
    tx.commit().await?;
    Ok(Ok(Added {
        name,
        slug,
        setup_link: format!("{}/setup/{}", state.config.base_url(), made.setup_token),
    }))
}

/// The trust administrators, active first.
pub async fn admins(state: &AppState) -> Result<Vec<StaffUser>, AppError> {
    Ok(staff::trust_admins(&state.db.read).await?)
}

/// A new trust administrator's account and one-time setup link (a token), in one transaction.
async fn appoint(
    db: &Db,
    clock: &dyn Clock,
    by: Option<i64>,
    name: &PersonName,
    email: &Email,
) -> Result<String, sqlx::Error> {
    let now = clock.now();
    let token = new_token();
    let mut tx = db.begin().await?;
    let id =
        staff::insert_user(&mut *tx, None, email.as_str(), name.as_str(), "trust", now).await?;
    let invite = staff::NewInvite {
        scope: None,
        staff_user_id: Some(id),
        role: "trust",
        token_hash: &sha256_hex(&token),
        created_at: now,
        expires_at: now + Duration::days(INVITE_DAYS),
        created_by: by,
    };
    staff::insert_invite(&mut *tx, invite).await?;
    let actor = by.map_or_else(|| "system".to_string(), |id| format!("staff:{id}"));
    let subject = format!("staff:{id}");
    trust::record_event(&mut *tx, now, &actor, "trust.admin_appointed", &subject, "").await?;
    tx.commit().await?;
    Ok(token)
}

/// Checks a name and email for a new account; the errors name the field.
async fn check_new(
    db: &Db,
    name: &str,
    email: &str,
) -> Result<Result<(PersonName, Email), FieldErrors>, sqlx::Error> {
    let mut errors = FieldErrors::new();
    let (name, email) = crate::app::staff::new_account(db, name, email, &mut errors).await?;
    Ok(match (name, email) {
        (Some(n), Some(e)) if errors.is_empty() => Ok((n, e)),
        _ => Err(errors),
    })
}

/// Appoints a trust administrator from the trust's pages; returns their setup link to pass on.
pub async fn invite_admin(
    state: &AppState,
    me: &TrustAdmin,
    name: &str,
    email: &str,
) -> Result<Result<String, FieldErrors>, AppError> {
    let (name, email) = match check_new(&state.db, name, email).await? {
        Ok(ok) => ok,
        Err(errors) => return Ok(Err(errors)),
    };
    match appoint(&state.db, state.clock.as_ref(), Some(me.id), &name, &email).await {
        Ok(token) => Ok(Ok(format!("{}/setup/{token}", state.config.base_url()))),
        Err(e) if crate::store::is_unique_violation(&e) => Ok(Err(vec![(
            "email".into(),
            "Someone already has an account with this email address.".into(),
        )])),
        Err(e) => Err(e.into()),
    }
}

/// The first (or any) trust administrator, from the server's shell (`signoff trust add-admin`);
/// returns the setup token. The error says what to change.
pub async fn appoint_from_shell(
    db: &Db,
    clock: &dyn Clock,
    name: &str,
    email: &str,
) -> anyhow::Result<String> {
    match check_new(db, name, email).await? {
        Ok((name, email)) => Ok(appoint(db, clock, None, &name, &email).await?),
        Err(errors) => {
            let said: Vec<String> = errors.into_iter().map(|(_, m)| m).collect();
            anyhow::bail!(said.join(" "))
        }
    }
}

/// Switches a trust administrator off (ending their sessions) or back on. Nobody switches
/// themselves off, and the trust always keeps one who can sign in; the error says why not.
pub async fn set_admin_active(
    state: &AppState,
    me: &TrustAdmin,
    id: &str,
    active: bool,
) -> Result<Result<(), String>, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let user = staff::user(&state.db.read, None, id)
        .await?
        .filter(|u| u.role == "trust")
        .ok_or(AppError::NotFound)?;
    if !active && user.id == me.id {
        return Ok(Err(
            "You cannot switch off your own account. Ask another trust administrator.".into(),
        ));
    }
    let mut tx = state.db.begin().await?;
    if !active && user.active && staff::active_trust_admins(&mut *tx).await? <= 1 {
        return Ok(Err(
            "The trust must keep at least one administrator who can sign in.".into(),
        ));
    }
    staff::set_active(&mut *tx, None, user.id, active).await?;
    if !active {
        staff::delete_sessions_of(&mut *tx, None, user.id).await?;
    }
    let action = if active {
        "trust.admin_switched_on"
    } else {
        "trust.admin_switched_off"
    };
    let subject = format!("staff:{}", user.id);
    trust::record_event(
        &mut *tx,
        state.clock.now(),
        &me.actor(),
        action,
        &subject,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Points the administrator's session at a school (by its address) to look at its records.
pub async fn look_at(
    state: &AppState,
    me: &TrustAdmin,
    session_id: i64,
    slug: &str,
) -> Result<(), AppError> {
    let school = schools::by_slug(&state.db.read, slug.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    crate::app::sessions::look_at(state, me, session_id, Some(school.scope)).await
}
