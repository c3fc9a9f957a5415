//! Staff accounts and the one-time links that let someone set a password.
//!
//! An account is a school's (its [`Scope`]) or the trust's (`None`): the functions that read or
//! change one by its id take which, and find nothing elsewhere (`school_id IS ?` matches the
//! trust's NULL too). Sessions are in `sessions.rs`.

mod sessions;

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
pub use crate::domain::role::StaffUser;
use crate::domain::school::Scope;
pub use sessions::{
    SessionRow, delete_session, delete_sessions_of, insert_session, purge_sessions, session,
    set_viewing, touch_session,
};

/// A `staff_users` row as the queries read it.
struct UserRow {
    id: i64,
    school_id: Option<i64>,
    email: String,
    name: String,
    password_hash: Option<String>,
    role: String,
    active: bool,
    created_at: OffsetDateTime,
}

impl From<UserRow> for StaffUser {
    fn from(r: UserRow) -> StaffUser {
        StaffUser {
            id: r.id,
            scope: r.school_id.map(Scope::from_row),
            email: r.email,
            name: r.name,
            password_hash: r.password_hash,
            role: r.role,
            active: r.active,
            created_at: r.created_at,
        }
    }
}

/// The id to bind for an account's school (NULL for the trust's).
fn bind(school: Option<Scope>) -> Option<i64> {
    school.map(Scope::id)
}

/// A one-time setup or invitation link; only the token's hash is given.
pub struct NewInvite<'a> {
    /// None for a trust administrator's link.
    pub scope: Option<Scope>,
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
    let school_id = bind(i.scope);
    let res = sqlx::query!(
        "INSERT INTO staff_invites (school_id, staff_user_id, role, token_hash, created_at, expires_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        school_id,
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

/// An account of `school` (None: the trust's) by id.
pub async fn user(
    ex: impl SqliteExecutor<'_>,
    school: Option<Scope>,
    id: i64,
) -> Result<Option<StaffUser>, sqlx::Error> {
    let school_id = bind(school);
    sqlx::query_as!(
        UserRow,
        r#"SELECT id AS "id!", school_id AS "school_id?", email, name, password_hash AS "password_hash?", role,
                  active AS "active: bool", created_at AS "created_at: OffsetDateTime"
           FROM staff_users WHERE id = ? AND school_id IS ?"#,
        id,
        school_id
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(StaffUser::from))
}

/// The account with this email address, in any school or the trust's: for signing in (which
/// makes the account's scope) and for keeping addresses unique across the portal.
pub async fn user_by_email(
    ex: impl SqliteExecutor<'_>,
    email: &str,
) -> Result<Option<StaffUser>, sqlx::Error> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id AS "id!", school_id AS "school_id?", email, name, password_hash AS "password_hash?", role,
                  active AS "active: bool", created_at AS "created_at: OffsetDateTime"
           FROM staff_users WHERE email = ?"#,
        email
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(StaffUser::from))
}

/// A school's staff, active first, then by name.
pub async fn users(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Vec<StaffUser>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        UserRow,
        r#"SELECT id AS "id!", school_id AS "school_id?", email, name, password_hash AS "password_hash?", role,
                  active AS "active: bool", created_at AS "created_at: OffsetDateTime"
           FROM staff_users WHERE school_id = ? ORDER BY active DESC, name COLLATE NOCASE"#,
        school_id
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(StaffUser::from).collect())
}

/// Adds an account: a school's, or a trust administrator's (None, role `trust`).
pub async fn insert_user(
    ex: impl SqliteExecutor<'_>,
    school: Option<Scope>,
    email: &str,
    name: &str,
    role: &str,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
    let school_id = bind(school);
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
    school: Option<Scope>,
    id: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    let school_id = bind(school);
    sqlx::query!(
        "UPDATE staff_users SET password_hash = ? WHERE id = ? AND school_id IS ?",
        hash,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Changes the role of one of a school's staff.
pub async fn set_role(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
    role: &str,
) -> Result<(), sqlx::Error> {
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE staff_users SET role = ? WHERE id = ? AND school_id = ?",
        role,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn set_active(
    ex: impl SqliteExecutor<'_>,
    school: Option<Scope>,
    id: i64,
    active: bool,
) -> Result<(), sqlx::Error> {
    let school_id = bind(school);
    sqlx::query!(
        "UPDATE staff_users SET active = ? WHERE id = ? AND school_id IS ?",
        active,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// How many active headteachers a school has.
pub async fn active_heads(ex: impl SqliteExecutor<'_>, scope: Scope) -> Result<i64, sqlx::Error> {
    let school_id = scope.id();
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
    /// The school the link is for (None: the trust's), as the store read it.
    pub scope: Option<Scope>,
    pub staff_user_id: Option<i64>,
    pub role: String,
    pub expires_at: OffsetDateTime,
}

/// The live link with this token's hash, with its school's scope.
pub async fn live_invite(
    ex: impl SqliteExecutor<'_>,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<Invite>, sqlx::Error> {
    let now = stamp(now);
    let row = sqlx::query!(
        r#"SELECT i.id AS "id!", i.school_id AS "school_id?", i.staff_user_id AS "staff_user_id?", i.role,
                  i.expires_at AS "expires_at: OffsetDateTime"
           FROM staff_invites i LEFT JOIN staff_users u ON u.id = i.staff_user_id
           WHERE i.token_hash = ? AND i.used_at IS NULL AND i.expires_at > ?
             AND (i.staff_user_id IS NULL OR u.active = 1)"#,
        token_hash,
        now
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| Invite {
        id: r.id,
        scope: r.school_id.map(Scope::from_row),
        staff_user_id: r.staff_user_id,
        role: r.role,
        expires_at: r.expires_at,
    }))
}

/// Marks an invitation used; false when it was already used (a second submit).
pub async fn use_invite(
    ex: impl SqliteExecutor<'_>,
    school: Option<Scope>,
    id: i64,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let now = stamp(now);
    let school_id = bind(school);
    let res = sqlx::query!(
        "UPDATE staff_invites SET used_at = ? WHERE id = ? AND school_id IS ? AND used_at IS NULL",
        now,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// Cancels a person's outstanding invitations (before issuing a new one).
pub async fn cancel_invites_for(
    ex: impl SqliteExecutor<'_>,
    school: Option<Scope>,
    staff_user_id: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = bind(school);
    sqlx::query!(
        "UPDATE staff_invites SET used_at = ?
         WHERE staff_user_id = ? AND school_id IS ? AND used_at IS NULL",
        now,
        staff_user_id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// The trust administrators, active first, then by name.
pub async fn trust_admins(ex: impl SqliteExecutor<'_>) -> Result<Vec<StaffUser>, sqlx::Error> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id AS "id!", school_id AS "school_id?", email, name, password_hash AS "password_hash?", role,
                  active AS "active: bool", created_at AS "created_at: OffsetDateTime"
           FROM staff_users WHERE role = 'trust' ORDER BY active DESC, name COLLATE NOCASE"#
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(StaffUser::from).collect())
}

/// How many trust administrators can sign in.
pub async fn active_trust_admins(ex: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "count!: i64" FROM staff_users WHERE role = 'trust' AND active = 1"#
    )
    .fetch_one(ex)
    .await
}
