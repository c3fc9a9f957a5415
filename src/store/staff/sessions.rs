//! Staff sessions: a person's, not a school's data, so found by their token's hash or their id;
//! [`session`] makes the scopes of the account's school and of the school a trust administrator
//! is looking at.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use super::{StaffUser, bind};
use crate::clock::stamp;
use crate::domain::school::Scope;

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub session_id: i64,
    pub session_created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    /// The school a trust administrator is looking at, if any.
    pub viewing: Option<Scope>,
    pub user: StaffUser,
}

/// The live session with this token's hash, with its account and their school's scope (and the
/// scope of the school a trust administrator is looking at).
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
        viewing: r.viewing_school_id.map(Scope::from_row),
        user: StaffUser {
            id: r.id,
            scope: r.school_id.map(Scope::from_row),
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

/// Ends every session of an account of `school` (None: the trust's).
pub async fn delete_sessions_of(
    ex: impl SqliteExecutor<'_>,
    school: Option<Scope>,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    let school_id = bind(school);
    sqlx::query!(
        "DELETE FROM staff_sessions
         WHERE staff_user_id = (SELECT id FROM staff_users WHERE id = ? AND school_id IS ?)",
        user_id,
        school_id
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
    school: Option<Scope>,
) -> Result<(), sqlx::Error> {
    let school_id = bind(school);
    sqlx::query!(
        "UPDATE staff_sessions SET viewing_school_id = ? WHERE id = ?",
        school_id,
        session_id
    )
    .execute(ex)
    .await?;
    Ok(())
}
