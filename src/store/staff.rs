//! Staff accounts and the one-time links that let someone set a password.

use sqlx::SqliteExecutor;

/// A one-time setup or invitation link; only the token's hash is given.
pub struct NewInvite<'a> {
    pub school_id: i64,
    pub staff_user_id: Option<i64>,
    pub role: &'a str,
    pub token_hash: &'a str,
    pub created_at: &'a str,
    pub expires_at: &'a str,
    pub created_by: Option<i64>,
}

pub async fn insert_invite(
    ex: impl SqliteExecutor<'_>,
    i: NewInvite<'_>,
) -> Result<i64, sqlx::Error> {
    let res = sqlx::query(
        "INSERT INTO staff_invites (school_id, staff_user_id, role, token_hash, created_at, expires_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(i.school_id)
    .bind(i.staff_user_id)
    .bind(i.role)
    .bind(i.token_hash)
    .bind(i.created_at)
    .bind(i.expires_at)
    .bind(i.created_by)
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}
