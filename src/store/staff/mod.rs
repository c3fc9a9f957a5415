//! Staff accounts and the one-time links that let someone set a password.

pub use crate::domain::role::StaffUser;
use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;

/// A one-time setup or invitation link; only the token's hash is given.
pub struct NewInvite<'a> {
    /// None for a trust administrator's link.
    pub school_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub role: &'a str,
    pub token_hash: &'a str,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub created_by: Option<i64>,
}

pub async fn insert_invite(
    ex: impl SqliteExecutor<'_>,
    i: NewInvite<'_>,
) -> Result<i64, sqlx::Error> {
    let (created_at, expires_at) = (stamp(i.created_at), stamp(i.expires_at));
    let res = sqlx::query!(
        "INSERT INTO staff_invites (school_id, staff_user_id, role, token_hash, created_at, expires_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        i.school_id,
        i.staff_user_id,
        i.role,
        i.token_hash,
        created_at,
        expires_at,
        i.created_by
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

pub async fn user(ex: impl SqliteExecutor<'_>, id: i64) -> Result<Option<StaffUser>, sqlx::Error> {
    sqlx::query_as!(
        StaffUser,
        r#"SELECT id AS "id!", school_id AS "school_id?", email, name, password_hash AS "password_hash?", role,
                  active AS "active: bool", created_at AS "created_at: OffsetDateTime"
           FROM staff_users WHERE id = ?"#,
        id
    )
    .fetch_optional(ex)
    .await
}

pub async fn user_by_email(
    ex: impl SqliteExecutor<'_>,
    email: &str,
) -> Result<Option<StaffUser>, sqlx::Error> {
    sqlx::query_as!(
        StaffUser,
        r#"SELECT id AS "id!", school_id AS "school_id?", email, name, password_hash AS "password_hash?", role,
                  active AS "active: bool", created_at AS "created_at: OffsetDateTime"
           FROM staff_users WHERE email = ?"#,
        email
    )
    .fetch_optional(ex)
    .await
}

/// A school's staff, active first, then by name.
pub async fn users(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
) -> Result<Vec<StaffUser>, sqlx::Error> {
    sqlx::query_as!(
        StaffUser,
        r#"SELECT id AS "id!", school_id AS "school_id?", email, name, password_hash AS "password_hash?", role,
                  active AS "active: bool", created_at AS "created_at: OffsetDateTime"
           FROM staff_users WHERE school_id = ? ORDER BY active DESC, name COLLATE NOCASE"#,
        school_id
    )
    .fetch_all(ex)
    .await
}

/// Adds an account: a school's (`school_id`), or a trust administrator's (None, role `trust`).
pub async fn insert_user(
    ex: impl SqliteExecutor<'_>,
    school_id: Option<i64>,
    email: &str,
    name: &str,
    role: &str,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
    let res = sqlx::query!(
        "INSERT INTO staff_users (school_id, email, name, role, created_at) VALUES (?, ?, ?, ?, ?)",
        school_id,
        email,
        name,
        role,
        now
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

pub async fn set_password(
    ex: impl SqliteExecutor<'_>,
    id: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE staff_users SET password_hash = ? WHERE id = ?",
        hash,
        id
    )
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn set_role(ex: impl SqliteExecutor<'_>, id: i64, role: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE staff_users SET role = ? WHERE id = ?", role, id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn set_active(
    ex: impl SqliteExecutor<'_>,
    id: i64,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE staff_users SET active = ? WHERE id = ?", active, id)
        .execute(ex)
        .await?;
    Ok(())
}

/// How many active headteachers a school has.
pub async fn active_heads(ex: impl SqliteExecutor<'_>, school_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "count!: i64" FROM staff_users
           WHERE school_id = ? AND role = 'headteacher' AND active = 1"#,
        school_id
    )
    .fetch_one(ex)
    .await
}

/// An unused, unexpired invitation.
#[derive(Debug, Clone)]
pub struct Invite {
    pub id: i64,
    pub school_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub role: String,
    pub expires_at: OffsetDateTime,
}

pub async fn live_invite(
    ex: impl SqliteExecutor<'_>,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<Invite>, sqlx::Error> {
    let now = stamp(now);
    sqlx::query_as!(
        Invite,
        r#"SELECT i.id AS "id!", i.school_id AS "school_id?", i.staff_user_id AS "staff_user_id?", i.role,
                  i.expires_at AS "expires_at: OffsetDateTime"
           FROM staff_invites i LEFT JOIN staff_users u ON u.id = i.staff_user_id
           WHERE i.token_hash = ? AND i.used_at IS NULL AND i.expires_at > ?
             AND (i.staff_user_id IS NULL OR u.active = 1)"#,
        token_hash,
        now
    )
    .fetch_optional(ex)
    .await
}

/// Marks an invitation used; false when it was already used (a second submit).
pub async fn use_invite(
    ex: impl SqliteExecutor<'_>,
    id: i64,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let now = stamp(now);
    let res = sqlx::query!(
        "UPDATE staff_invites SET used_at = ? WHERE id = ? AND used_at IS NULL",
        now,
        id
    )
    .execute(ex)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// Cancels a person's outstanding invitations (before issuing a new one).
pub async fn cancel_invites_for(
    ex: impl SqliteExecutor<'_>,
    staff_user_id: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    sqlx::query!(
        "UPDATE staff_invites SET used_at = ? WHERE staff_user_id = ? AND used_at IS NULL",
        now,
        staff_user_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub session_id: i64,
    pub session_created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    /// The school a trust administrator is looking at, if any.
    pub viewing_school_id: Option<i64>,
    pub user: StaffUser,
}

pub async fn session(
    ex: impl SqliteExecutor<'_>,
    token_hash: &str,
) -> Result<Option<SessionRow>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT s.id AS "session_id!", s.created_at AS "session_created_at: OffsetDateTime",
                  s.last_seen_at AS "last_seen_at: OffsetDateTime",
                  s.viewing_school_id AS "viewing_school_id?", u.id AS "id!",
                  u.school_id AS "school_id?", u.email, u.name, u.password_hash AS "password_hash?", u.role,
                  u.active AS "active: bool", u.created_at AS "created_at: OffsetDateTime"
           FROM staff_sessions s JOIN staff_users u ON u.id = s.staff_user_id WHERE s.token_hash = ?"#,
        token_hash
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| SessionRow {
        session_id: r.session_id,
        session_created_at: r.session_created_at,
        last_seen_at: r.last_seen_at,
        viewing_school_id: r.viewing_school_id,
        user: StaffUser {
            id: r.id,
            school_id: r.school_id,
            email: r.email,
            name: r.name,
            password_hash: r.password_hash,
            role: r.role,
            active: r.active,
            created_at: r.created_at,
        },
    }))
}

pub async fn insert_session(
    ex: impl SqliteExecutor<'_>,
    token_hash: &str,
    user_id: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    sqlx::query!(
        "INSERT INTO staff_sessions (token_hash, staff_user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
        token_hash,
        user_id,
        now,
        now
    )
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn touch_session(
    ex: impl SqliteExecutor<'_>,
    session_id: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    sqlx::query!(
        "UPDATE staff_sessions SET last_seen_at = ? WHERE id = ?",
        now,
        session_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn delete_session(
    ex: impl SqliteExecutor<'_>,
    token_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM staff_sessions WHERE token_hash = ?",
        token_hash
    )
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn delete_sessions_of(
    ex: impl SqliteExecutor<'_>,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM staff_sessions WHERE staff_user_id = ?",
        user_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Deletes sessions that can no longer be used (idle since before `idle_before`, or started
/// before `started_before`).
pub async fn purge_sessions(
    ex: impl SqliteExecutor<'_>,
    idle_before: OffsetDateTime,
    started_before: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let idle_before = stamp(idle_before);
    let started_before = stamp(started_before);
    sqlx::query!(
        "DELETE FROM staff_sessions WHERE last_seen_at < ? OR created_at < ?",
        idle_before,
        started_before
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Points a trust administrator's session at a school to look at, or at none.
pub async fn set_viewing(
    ex: impl SqliteExecutor<'_>,
    session_id: i64,
    school_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE staff_sessions SET viewing_school_id = ? WHERE id = ?",
        school_id,
        session_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// The trust administrators, active first, then by name.
pub async fn trust_admins(ex: impl SqliteExecutor<'_>) -> Result<Vec<StaffUser>, sqlx::Error> {
    sqlx::query_as!(
        StaffUser,
        r#"SELECT id AS "id!", school_id AS "school_id?", email, name, password_hash AS "password_hash?", role,
                  active AS "active: bool", created_at AS "created_at: OffsetDateTime"
           FROM staff_users WHERE role = 'trust' ORDER BY active DESC, name COLLATE NOCASE"#
    )
    .fetch_all(ex)
    .await
}

/// How many trust administrators can sign in.
pub async fn active_trust_admins(ex: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "count!: i64" FROM staff_users WHERE role = 'trust' AND active = 1"#
    )
    .fetch_one(ex)
    .await
}
