//! Schools: the tenant every other row belongs to.

use sqlx::{FromRow, SqliteExecutor};

#[derive(Debug, Clone, FromRow)]
pub struct School {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub address: String,
    pub cover_rule: String,
    pub letter_text: String,
}

const COLUMNS: &str = "id, slug, name, address, cover_rule, letter_text";

pub async fn get(ex: impl SqliteExecutor<'_>, id: i64) -> Result<Option<School>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM schools WHERE id = ?"))
        .bind(id)
        .fetch_optional(ex)
        .await
}

/// The instance's first school: the one `/` belongs to.
pub async fn first(ex: impl SqliteExecutor<'_>) -> Result<Option<School>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM schools ORDER BY id LIMIT 1"
    ))
    .fetch_optional(ex)
    .await
}

pub async fn insert(
    ex: impl SqliteExecutor<'_>,
    slug: &str,
    name: &str,
    address: &str,
    letter_text: &str,
    now: &str,
) -> Result<i64, sqlx::Error> {
    let res = sqlx::query(
        "INSERT INTO schools (slug, name, address, letter_text, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(slug)
    .bind(name)
    .bind(address)
    .bind(letter_text)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

/// Changes the school's name, address, cover rule and letter text.
pub async fn update_settings(
    ex: impl SqliteExecutor<'_>,
    id: i64,
    name: &str,
    address: &str,
    cover_rule: &str,
    letter_text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE schools SET name = ?, address = ?, cover_rule = ?, letter_text = ? WHERE id = ?",
    )
    .bind(name)
    .bind(address)
    .bind(cover_rule)
    .bind(letter_text)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}
