//! The append-only audit log: who did what to what, and when.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
use crate::domain::role::Actor;
use crate::domain::school::Scope;

/// One event to record. `actor` is `staff:<id>`, `carer:<id>` or `system`; `subject` names the
/// record, such as `declaration:12`.
pub struct Event<'a> {
    pub scope: Scope,
    pub at: OffsetDateTime,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
}

/// Records what a member of staff did, now (`at`), to `subject`.
pub async fn by_staff(
    ex: impl SqliteExecutor<'_>,
    who: &Actor,
    at: OffsetDateTime,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    record(
        ex,
        Event {
            scope: who.scope,
            at,
            actor: &who.actor(),
            action,
            subject,
            detail,
        },
    )
    .await
}

pub async fn record(ex: impl SqliteExecutor<'_>, e: Event<'_>) -> Result<(), sqlx::Error> {
    let at = stamp(e.at);
    let school_id = e.scope.id();
    sqlx::query!(
        "INSERT INTO audit_events (school_id, at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)",
        school_id,
        at,
        e.actor,
        e.action,
        e.subject,
        e.detail,
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// How many of a school's audit events name `subject`.
pub async fn count_for_subject(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    subject: &str,
) -> Result<i64, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "count!: i64" FROM audit_events WHERE subject = ? AND school_id = ?"#,
        subject,
        school_id
    )
    .fetch_one(ex)
    .await
}

/// A signing the audit log records whose declaration is gone (deleted): the first such event's
/// id, subject (`declaration:<id>`) and time. `signoff verify` checks the whole file.
pub async fn first_signing_without_declaration(
    ex: impl SqliteExecutor<'_>,
) -> Result<Option<(i64, String, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT a.id, a.subject, a.at FROM audit_events a
         WHERE a.action IN ('declaration.signed', 'declaration.paper_recorded')
           AND NOT EXISTS (SELECT 1 FROM declarations d
                           WHERE d.id = CAST(substr(a.subject, 13) AS INTEGER)
                             AND 'declaration:' || d.id = a.subject)
         ORDER BY a.id LIMIT 1",
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| (r.id, r.subject, r.at)))
}

/// A translation the audit log does not record as published with its fingerprint (one written
/// outside the portal): the first such translation's id. `signoff verify` checks the whole file.
pub async fn first_translation_without_event(
    ex: impl SqliteExecutor<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT t.id AS "id!" FROM version_translations t
           WHERE NOT EXISTS (SELECT 1 FROM audit_events a
                             WHERE a.subject = 'version:' || t.version_id
                               AND a.action = 'translation.published'
                               AND a.school_id = t.school_id
                               AND a.detail LIKE 'translation ' || t.id || ':%sha256 ' || t.sha256)
           ORDER BY t.id LIMIT 1"#
    )
    .fetch_optional(ex)
    .await
}
