//! Staff accounts: invitations, roles, switching accounts off and on, one-time links.

use time::Duration;

use crate::app::{AppError, AppState, FieldErrors};
use crate::domain::email::Email;
use crate::domain::name::PersonName;
use crate::domain::role::{Actor, INVITE_DAYS, Role};
use crate::domain::secret::{new_token, sha256_hex};
use crate::store::{audit, staff};

/// Makes a one-time link for `user_id`, cancelling older ones; returns the link.
async fn make_invite(
    state: &AppState,
    me: &Actor,
    user_id: i64,
    role: &str,
    conn: &mut sqlx::SqliteConnection,
) -> Result<String, AppError> {
    let now = state.clock.now();
    let token = new_token();
    staff::cancel_invites_for(&mut *conn, Some(me.scope), user_id, now).await?;
    staff::insert_invite(
        &mut *conn,
        staff::NewInvite {
            scope: Some(me.scope),
            staff_user_id: Some(user_id),
            role,
            token_hash: &sha256_hex(&token),
            created_at: now,
            expires_at: now + Duration::days(INVITE_DAYS),
            created_by: Some(me.id),
        },
    )
    .await?;
    let school = crate::app::school::of(state, me).await?;
    Ok(format!(
        "{}/setup/{token}",
        crate::app::school::links(state, &school)
    ))
}

/// A colleague to invite, as typed.
pub struct Invitation<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub role: &'a str,
}

/// A new account's name and email as typed, each checked (the email not already anyone's); what
/// is wrong goes into `errors` under the field's name.
pub(crate) async fn new_account(
    db: &crate::store::Db,
    name: &str,
    email: &str,
    errors: &mut FieldErrors,
) -> Result<(Option<PersonName>, Option<Email>), sqlx::Error> {
    let name = PersonName::parse(name)
        .map_err(|e| errors.push(("name".to_string(), e.to_string())))
        .ok();
    let email = match Email::parse(email) {
        Ok(e) if staff::user_by_email(&db.read, e.as_str()).await?.is_some() => {
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
    Ok((name, email))
}

/// Invites a colleague: their account, a one-time link (returned, to pass on) and the audit
/// event, together.
pub async fn invite(
    state: &AppState,
    me: &Actor,
    typed: Invitation<'_>,
) -> Result<Result<(String, String), FieldErrors>, AppError> {
    let mut errors = Vec::new();
    let (name, email) = new_account(&state.db, typed.name, typed.email, &mut errors).await?;
    let role = Role::parse_school(typed.role);
    if role.is_none() {
        errors.push((
            "role".into(),
            "Choose a role: office staff or headteacher.".into(),
        ));
    }
    let (Some(name), Some(email), Some(role), true) = (name, email, role, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let id = staff::insert_user(
        &mut *tx,
        Some(me.scope),
        email.as_str(),
        name.as_str(),
        role.as_str(),
        now,
    )
    .await?;
    let link = make_invite(state, me, id, role.as_str(), &mut tx).await?;
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "staff.invited",
        &format!("staff:{id}"),
        role.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok((name.to_string(), link)))
}

/// A colleague of `me`'s school, by the id in the address.
pub async fn colleague(
    state: &AppState,
    me: &Actor,
    id: &str,
) -> Result<staff::StaffUser, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    staff::user(&state.db.read, Some(me.scope), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Changes a colleague's role, keeping at least one active headteacher.
pub async fn change_role(
    state: &AppState,
    me: &Actor,
    id: &str,
    role: &str,
) -> Result<(), AppError> {
    let user = colleague(state, me, id).await?;
    let role = Role::parse_school(role)
        .ok_or_else(|| AppError::BadRequest("Choose office staff or headteacher.".into()))?;
    let mut tx = state.db.begin().await?;
    if user.role == "headteacher"
        && role != Role::Headteacher
        && user.active
        && staff::active_heads(&mut *tx, me.scope).await? <= 1
    {
        return Err(AppError::Conflict(
            "The school must keep at least one active headteacher. Make someone else a headteacher first.".into(),
        ));
    }
    staff::set_role(&mut *tx, me.scope, user.id, role.as_str()).await?;
    audit::by_staff(
        &mut *tx,
        me,
        state.clock.now(),
        "staff.role_changed",
        &format!("staff:{}", user.id),
        &format!("{} -> {}", user.role, role.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Switches a colleague's account off (ending their sessions and links at once) or back on.
pub async fn set_active(
    state: &AppState,
    me: &Actor,
    id: &str,
    active: bool,
) -> Result<(), AppError> {
    let user = colleague(state, me, id).await?;
    if !active && user.id == me.id {
        return Err(AppError::Conflict(
            "You cannot deactivate your own account. Ask another headteacher.".into(),
        ));
    }
    let mut tx = state.db.begin().await?;
    if !active
        && user.role == "headteacher"
        && user.active
        && staff::active_heads(&mut *tx, me.scope).await? <= 1
    {
        return Err(AppError::Conflict(
            "The school must keep at least one active headteacher.".into(),
        ));
    }
    let mine = Some(me.scope);
    staff::set_active(&mut *tx, mine, user.id, active).await?;
    if !active {
        // Signed out at once, and a reset or invitation link still waiting no longer works.
        staff::delete_sessions_of(&mut *tx, mine, user.id).await?;
        staff::cancel_invites_for(&mut *tx, mine, user.id, state.clock.now()).await?;
    }
    audit::by_staff(
        &mut *tx,
        me,
        state.clock.now(),
        if active {
            "staff.reactivated"
        } else {
            "staff.deactivated"
        },
        &format!("staff:{}", user.id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A new one-time link for a colleague (a lost password or invitation); returns (name, link).
pub async fn reinvite(
    state: &AppState,
    me: &Actor,
    id: &str,
) -> Result<(String, String), AppError> {
    let user = colleague(state, me, id).await?;
    if !user.active {
        return Err(AppError::Conflict(
            "Reactivate this account before sending a new link.".into(),
        ));
    }
    let mut tx = state.db.begin().await?;
    let link = make_invite(state, me, user.id, &user.role, &mut tx).await?;
    audit::by_staff(
        &mut *tx,
        me,
        state.clock.now(),
        "staff.link_issued",
        &format!("staff:{}", user.id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok((user.name, link))
}

/// Everyone on the staff of `me`'s school.
pub async fn list(state: &AppState, me: &Actor) -> Result<Vec<staff::StaffUser>, AppError> {
    Ok(staff::users(&state.db.read, me.scope).await?)
}
