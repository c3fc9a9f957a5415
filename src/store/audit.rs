//! The append-only audit log: who did what to what, and when.

use sqlx::SqliteExecutor;

/// One event to record. `actor` is `staff:<id>`, `carer:<id>` or `system`; `subject` names the
/// record, such as `declaration:12`.
pub struct Event<'a> {
    pub school_id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
}

pub async fn record(ex: impl SqliteExecutor<'_>, e: Event<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_events (school_id, at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(e.school_id)
        .bind(e.at)
        .bind(e.actor)
        .bind(e.action)
        .bind(e.subject)
        .bind(e.detail)
        .execute(ex)
        .await?;
    Ok(())
}

/// How many audit events name `subject`.
pub async fn count_for_subject(
    ex: impl SqliteExecutor<'_>,
    subject: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE subject = ?")
        .bind(subject)
        .fetch_one(ex)
        .await
}
