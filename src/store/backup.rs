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

/// Makes a copy made by [`vacuum_into`] hold one school alone: every other school's rows go, and
/// the instance's own key (`settings`) with them, deleted in the order the foreign keys allow (so
/// a row of this school that pointed at another's would stop it, rather than be kept dangling).
/// The evidence tables' triggers, which refuse deletes, are lifted for it and put back exactly as
/// they were; then the file is rewritten, so nothing deleted is left in it.
pub async fn keep_one_school(path: &str, school_id: i64) -> Result<(), sqlx::Error> {
    let mut conn = SqliteConnection::connect(&format!("sqlite://{path}")).await?;
    sqlx::query!("PRAGMA foreign_keys = ON")
        .execute(&mut conn)
        .await?;
    let mut tx = conn.begin().await?;
    let triggers = sqlx::query!(
        r#"SELECT name AS "name!: String", sql AS "sql!: String"
           FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"#
    )
    .fetch_all(&mut *tx)
    .await?;
    // Kept runtime queries: a trigger's name and definition are data here, and DDL takes no
    // parameters. Both come from the copy's own schema.
    for t in &triggers {
        sqlx::query(&format!("DROP TRIGGER \"{}\"", t.name.replace('"', "\"\"")))
            .execute(&mut *tx)
            .await?;
    }
    let s = school_id;
    sqlx::query!("DELETE FROM messages WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM campaigns WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM reminder_plans WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM messaging WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "DELETE FROM opt_outs WHERE carer_id IN (SELECT id FROM carers WHERE school_id <> ?)",
        s
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM carer_pupils WHERE carer_id IN (SELECT id FROM carers WHERE school_id <> ?)",
        s
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM signing_codes WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM declarations WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM erasure_requests WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM erasures WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM chain_formats WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM audit_events WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM reviews WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM drafts WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM roster_mappings WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM roster_uploads WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM version_translations WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM versions WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM trust_adoptions WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM documents WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM pupils WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM carers WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    // Sessions of other schools' staff and of trust administrators (which may be looking at
    // another school), and invitations other than this school's.
    sqlx::query!(
        "DELETE FROM staff_sessions WHERE staff_user_id IN \
         (SELECT id FROM staff_users WHERE school_id IS NULL OR school_id <> ?)",
        s
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM staff_invites WHERE school_id IS NULL OR school_id <> ?",
        s
    )
    .execute(&mut *tx)
    .await?;
    // The trust's log is about every school. Its administrators stay (the trust's code versions
    // this school adopted name who published them), without their passwords.
    sqlx::query!("DELETE FROM trust_events")
        .execute(&mut *tx)
        .await?;
    sqlx::query!("UPDATE staff_users SET password_hash = NULL WHERE school_id IS NULL")
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM staff_users WHERE school_id <> ?", s)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM settings")
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM schools WHERE id <> ?", s)
        .execute(&mut *tx)
        .await?;
    for t in &triggers {
        sqlx::query(&t.sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    sqlx::query!("VACUUM").execute(&mut conn).await?;
    conn.close().await
}
