//! Everything the portal holds about one carer, read for a subject access request: their record,
//! every child linked to them (left or not), their signing codes (never a code or its hash),
//! every message to them and every audit event that concerns them. Declarations are read by
//! `declarations::for_carer`, opt-outs by `messaging::opt_outs_of`.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::domain::school::Scope;

/// A carer's row as stored, with the fields the office's pages leave out.
#[derive(Debug, Clone)]
pub struct CarerRow {
    pub id: i64,
    pub mis_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub left_on: Option<String>,
    pub language: Option<String>,
    pub language_source: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// When their details were erased (the row stays, emptied).
    pub erased_at: Option<OffsetDateTime>,
}

/// One of a school's carers (none for another school's).
pub async fn record(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Option<CarerRow>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        CarerRow,
        r#"SELECT id AS "id!", mis_id AS "mis_id?", first_name, last_name, email, phone, address,
                  postcode, left_on AS "left_on?", language AS "language?",
                  language_source AS "language_source?",
                  created_at AS "created_at: OffsetDateTime", updated_at AS "updated_at: OffsetDateTime",
                  erased_at AS "erased_at?: OffsetDateTime"
           FROM carers WHERE id = ? AND school_id = ?"#,
        carer_id,
        school_id
    )
    .fetch_optional(ex)
    .await
}

/// A child linked to the carer, and how.
#[derive(Debug, Clone)]
pub struct ChildLink {
    pub first_name: String,
    pub last_name: String,
    pub class_name: String,
    pub year_group: String,
    pub relationship: String,
    pub left_on: Option<String>,
}

/// Every child linked to the carer, those who have left included, current first.
pub async fn children(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<ChildLink>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        ChildLink,
        r#"SELECT p.first_name, p.last_name, p.class_name, p.year_group, cp.relationship,
                  p.left_on AS "left_on?"
           FROM carer_pupils cp JOIN pupils p ON p.id = cp.pupil_id
           WHERE cp.carer_id = ? AND p.school_id = ?
           ORDER BY p.left_on IS NOT NULL, p.class_name, p.last_name, p.first_name"#,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await
}

/// A signing code as held: when it was made and used, never the code or its hash.
#[derive(Debug, Clone)]
pub struct CodeRow {
    pub id: i64,
    pub created_at: OffsetDateTime,
    pub created_by_name: Option<String>,
    pub revoked_at: Option<OffsetDateTime>,
    pub first_used_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
    /// The channel of the message that carried it, if one did.
    pub sent_by: Option<String>,
}

/// Every code the carer has been issued, oldest first.
pub async fn codes(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<CodeRow>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        CodeRow,
        r#"SELECT sc.id AS "id!", sc.created_at AS "created_at: OffsetDateTime",
                  u.name AS "created_by_name?", sc.revoked_at AS "revoked_at?: OffsetDateTime",
                  sc.first_used_at AS "first_used_at?: OffsetDateTime",
                  sc.last_used_at AS "last_used_at?: OffsetDateTime",
                  (SELECT m.channel FROM messages m WHERE m.code_id = sc.id LIMIT 1) AS "sent_by?: String"
           FROM signing_codes sc LEFT JOIN staff_users u ON u.id = sc.created_by
           WHERE sc.carer_id = ? AND sc.school_id = ? ORDER BY sc.id"#,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await
}

/// A message to the carer, queued or sent, with what became of it.
#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: i64,
    pub campaign_id: i64,
    pub kind: String,
    pub document_id: i64,
    pub document: String,
    pub queued_by_name: Option<String>,
    pub channel: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i64,
    pub detail: String,
    pub provider_ref: Option<String>,
    pub notify_id: Option<String>,
    pub created_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
    /// When the link it carried was first opened.
    pub opened_at: Option<OffsetDateTime>,
}

/// Every message to the carer, oldest first.
pub async fn messages(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        MessageRow,
        r#"SELECT m.id AS "id!", m.campaign_id, c.kind, c.document_id, d.title AS document,
                  u.name AS "queued_by_name?", m.channel, m.recipient, m.status, m.attempts, m.detail,
                  m.provider_ref AS "provider_ref?", m.notify_id AS "notify_id?",
                  m.created_at AS "created_at: OffsetDateTime", m.sent_at AS "sent_at?: OffsetDateTime",
                  m.updated_at AS "updated_at: OffsetDateTime",
                  sc.first_used_at AS "opened_at?: OffsetDateTime"
           FROM messages m JOIN campaigns c ON c.id = m.campaign_id
           JOIN documents d ON d.id = c.document_id
           LEFT JOIN staff_users u ON u.id = c.created_by
           LEFT JOIN signing_codes sc ON sc.id = m.code_id
           WHERE m.carer_id = ? AND m.school_id = ? ORDER BY m.id"#,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await
}

/// One audit event.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Every audit event of the school that concerns the carer, oldest first: those about them
/// (`carer:ID`) or done by them, those about their declarations (`declaration:ID`), and those
/// about the campaigns that queued their messages (`campaign:ID`), and those about erasures of
/// their details (`erasure:ID`). Codes, messages and erasure requests have no events of their
/// own: issuing a code, opting out and asking for an erasure are recorded against `carer:ID`.
pub async fn audit(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let school_id = scope.id();
    let me = format!("carer:{carer_id}");
    sqlx::query_as!(
        AuditRow,
        r#"SELECT a.id AS "id!", a.at, a.actor, a.action, a.subject, a.detail
           FROM audit_events a
           WHERE a.school_id = ? AND a.id IN (
               SELECT e.id FROM audit_events e WHERE e.subject = ?
               UNION SELECT e.id FROM audit_events e WHERE e.actor = ?
               UNION SELECT e.id FROM declarations d
                     JOIN audit_events e ON e.subject = 'declaration:' || d.id
                     WHERE d.carer_id = ? AND d.school_id = ?
               UNION SELECT e.id FROM (SELECT DISTINCT campaign_id FROM messages
                                       WHERE carer_id = ? AND school_id = ?) m
                     JOIN audit_events e ON e.subject = 'campaign:' || m.campaign_id
               UNION SELECT e.id FROM erasures x
                     JOIN audit_events e ON e.subject = 'erasure:' || x.id
                     WHERE x.carer_id = ? AND x.school_id = ?)
           ORDER BY a.id"#,
        school_id,
        me,
        me,
        carer_id,
        school_id,
        carer_id,
        school_id,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await
}

/// A request to erase the carer's details, and what was decided.
#[derive(Debug, Clone)]
pub struct ErasureRequestRow {
    pub reason: String,
    pub requested_by_name: Option<String>,
    pub requested_at: OffsetDateTime,
    pub outcome: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
}

/// Every request to erase the carer, oldest first.
pub async fn erasure_requests(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<ErasureRequestRow>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        ErasureRequestRow,
        r#"SELECT r.reason, a.name AS "requested_by_name?",
                  r.requested_at AS "requested_at: OffsetDateTime", r.outcome,
                  d.name AS "decided_by_name?", r.decided_at AS "decided_at?: OffsetDateTime"
           FROM erasure_requests r
           LEFT JOIN staff_users a ON a.id = r.requested_by
           LEFT JOIN staff_users d ON d.id = r.decided_by
           WHERE r.carer_id = ? AND r.school_id = ? ORDER BY r.id"#,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await
}

/// An erasure of the carer's details, as its tombstone in the chain records it.
#[derive(Debug, Clone)]
pub struct ErasureRow {
    pub seq: i64,
    pub erased_at: OffsetDateTime,
    pub basis: String,
    pub reason: String,
    pub override_reason: String,
    pub approved_by: String,
    pub erased: String,
}

/// Every erasure of the carer's details, oldest first.
pub async fn erasures(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<ErasureRow>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        ErasureRow,
        r#"SELECT seq, erased_at AS "erased_at: OffsetDateTime", basis, reason,
                  "override" AS override_reason, approved_by, erased
           FROM erasures WHERE carer_id = ? AND school_id = ? ORDER BY id"#,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await
}
