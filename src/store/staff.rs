//! Staff accounts and the one-time links that let someone set a password.

use sqlx::SqliteExecutor;

/// Stores a one-time setup or invitation link (its token only as a hash).
pub async fn insert_invite(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    staff_user_id: Option<i64>,
    role: &str,
    token_hash: &str,
    now: &str,
    expires_at: &str,
    created_by: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let res = sqlx::query(
        "INSERT INTO staff_invites (school_id, staff_user_id, role, token_hash, created_at, expires_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(school_id)
    .bind(staff_user_id)
    .bind(role)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .bind(created_by)
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}
