//! Copying the live database to a new file, and checking a copy.

use sqlx::{Connection, SqliteConnection, SqliteExecutor};

/// Writes a consistent copy of the database to `path` (SQLite's `VACUUM INTO`, safe while the
/// portal serves).
pub async fn vacuum_into(ex: impl SqliteExecutor<'_>, path: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("VACUUM INTO ?", path).execute(ex).await?;
    Ok(())
}

/// Opens the database file at `path` read-only and runs `PRAGMA integrity_check`: `ok`, or the
/// first problem SQLite found.
pub async fn integrity_check(path: &str) -> Result<String, sqlx::Error> {
    let mut conn = SqliteConnection::connect(&format!("sqlite://{path}?mode=ro")).await?;
    // The pragma always answers with a row; the macro cannot know that.
    let result = sqlx::query_scalar!("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    conn.close().await?;
    Ok(result)
}
