//! Instance-wide settings, such as the secret that signs form tokens.

use sqlx::SqliteExecutor;

pub async fn get(ex: impl SqliteExecutor<'_>, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("SELECT value FROM settings WHERE key = ?", key)
        .fetch_optional(ex)
        .await
}

/// Stores `value` under `key` unless the key is already set; returns what is stored afterwards.
pub async fn get_or_insert(
    ex: &mut sqlx::SqliteConnection,
    key: &str,
    value: &str,
) -> Result<String, sqlx::Error> {
    sqlx::query!(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
        key,
        value
    )
    .execute(&mut *ex)
    .await?;
    sqlx::query_scalar!("SELECT value FROM settings WHERE key = ?", key)
        .fetch_one(&mut *ex)
        .await
}
