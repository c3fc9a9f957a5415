//! Erasing a carer: a tombstone appended to the school's chain, their declarations redacted, and
//! every other personal detail the portal holds about them emptied or deleted, in one
//! transaction (the caller's `BEGIN IMMEDIATE`).

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::domain::chain::{Erasure, ErasureRecord};
use crate::domain::evidence::GENESIS;
use crate::domain::school::Scope;

use super::declarations::head_of;

/// What an erasure records about itself, besides its place in the chain and what it finds to
/// erase.
#[derive(Debug, Clone)]
pub struct NewErasure {
    pub carer_id: i64,
    /// A UTC stamp.
    pub erased_at: String,
    /// `rule` or `request`.
    pub basis: &'static str,
    pub reason: String,
    pub override_reason: String,
    pub requested_by: String,
    pub approved_by: String,
    /// The audit event's actor (`staff:3`, `system`).
    pub actor: String,
}

/// A school's erasures in chain order.
pub async fn chain(ex: impl SqliteExecutor<'_>, scope: Scope) -> Result<Vec<Erasure>, sqlx::Error> {
    let school_id = scope.id();
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", school_id, seq, carer_id, erased_at, basis, reason, override AS override_reason,
                  requested_by, approved_by, erased, redacted, prev_hash, row_hash
           FROM erasures WHERE school_id = ? ORDER BY seq, id"#,
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Erasure {
            record: ErasureRecord {
                id: r.id,
                school_id: r.school_id,
                seq: r.seq,
                carer_id: r.carer_id,
                erased_at: r.erased_at,
                basis: r.basis,
                reason: r.reason,
                override_reason: r.override_reason,
                requested_by: r.requested_by,
                approved_by: r.approved_by,
                erased: r.erased,
                redacted: r.redacted,
                prev_hash: r.prev_hash,
            },
            row_hash: r.row_hash,
        })
        .collect())
}

/// The first erasure with no `carer.erased` audit event (written outside the portal), if any.
pub async fn first_unaudited(ex: impl SqliteExecutor<'_>) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT e.id AS "id!" FROM erasures e WHERE NOT EXISTS
             (SELECT 1 FROM audit_events a WHERE a.subject = 'erasure:' || e.id AND a.action = 'carer.erased')
           ORDER BY e.id LIMIT 1"#
    )
    .fetch_optional(ex)
    .await
}

/// The first `carer.erased` audit event whose erasure is gone (deleted), as its subject.
pub async fn first_event_without_erasure(
    ex: impl SqliteExecutor<'_>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT a.subject AS "subject!" FROM audit_events a WHERE a.action = 'carer.erased'
             AND NOT EXISTS (SELECT 1 FROM erasures e WHERE 'erasure:' || e.id = a.subject)
           ORDER BY a.id LIMIT 1"#
    )
    .fetch_optional(ex)
    .await
}

/// Erases a carer of `scope`'s school: appends the tombstone, redacts their declarations, empties
/// their carer row, message addresses and any roster file that names them, revokes their codes
/// and deletes the records of their children who have left and have no other carer left to
/// erase. Returns the tombstone. Fails (writing nothing, with the caller's transaction) if the
/// carer is not the school's or was already erased.
pub async fn erase(
    tx: &mut SqliteConnection,
    scope: Scope,
    e: NewErasure,
) -> Result<Erasure, sqlx::Error> {
    let school_id = scope.id();
    let carer = sqlx::query!(
        r#"SELECT first_name, last_name, email, phone, erased_at AS "erased_at?"
           FROM carers WHERE id = ? AND school_id = ?"#,
        e.carer_id,
        school_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(sqlx::Error::RowNotFound)?;
    if carer.erased_at.is_some() {
        return Err(sqlx::Error::Protocol(
            "this carer was already erased".into(),
        ));
    }
    let redacted: Vec<(i64, String)> = sqlx::query!(
        r#"SELECT id AS "id!", row_hash FROM declarations
           WHERE carer_id = ? AND school_id = ? AND erasure_id IS NULL ORDER BY seq"#,
        e.carer_id,
        school_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.row_hash))
    .collect();
    // Children who have left and whose every other carer is erased (or none): their records go.
    let pupils: Vec<i64> = sqlx::query_scalar!(
        r#"SELECT p.id AS "id!" FROM carer_pupils cp JOIN pupils p ON p.id = cp.pupil_id
           WHERE cp.carer_id = ?1 AND p.school_id = ?2 AND p.left_on IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM carer_pupils o JOIN carers c ON c.id = o.carer_id
                             WHERE o.pupil_id = p.id AND o.carer_id <> ?1 AND c.erased_at IS NULL)"#,
        e.carer_id,
        school_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let messages: i64 = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM messages WHERE carer_id = ? AND school_id = ?"#,
        e.carer_id,
        school_id
    )
    .fetch_one(&mut *tx)
    .await?;

    let (seq, prev_hash) = head_of(&mut *tx, scope)
        .await?
        .map_or((0, GENESIS.to_string()), |h| (h.seq, h.row_hash));
    let id: i64 =
        sqlx::query_scalar!(r#"SELECT COALESCE(MAX(id), 0) + 1 AS "id!: i64" FROM erasures"#)
            .fetch_one(&mut *tx)
            .await?;
    let record = ErasureRecord {
        id,
        school_id,
        seq: seq + 1,
        carer_id: e.carer_id,
        erased_at: e.erased_at.clone(),
        basis: e.basis.to_string(),
        reason: e.reason,
        override_reason: e.override_reason,
        requested_by: e.requested_by,
        approved_by: e.approved_by,
        erased: summary(redacted.len(), messages, pupils.len()),
        redacted: ErasureRecord::redacted_json(&redacted),
        prev_hash,
    };
    let row_hash = record.row_hash();
    sqlx::query!(
        "INSERT INTO erasures (id, school_id, seq, carer_id, erased_at, basis, reason, override, requested_by,
             approved_by, erased, redacted, prev_hash, row_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        record.id,
        record.school_id,
        record.seq,
        record.carer_id,
        record.erased_at,
        record.basis,
        record.reason,
        record.override_reason,
        record.requested_by,
        record.approved_by,
        record.erased,
        record.redacted,
        record.prev_hash,
        row_hash
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE declarations SET children = '[]', carer_name = '', typed_name = '', ip = '', user_agent = '',
             note = '', personal_salt = '', erasure_id = ?1
         WHERE carer_id = ?2 AND school_id = ?3 AND erasure_id IS NULL",
        id,
        e.carer_id,
        school_id
    )
    .execute(&mut *tx)
    .await?;
    scrub_carer(tx, scope, e.carer_id, &e.erased_at, &pupils).await?;
    // Any roster file still held that names them (the office's pending upload, or the rows an
    // import skipped) is emptied: the school's MIS keeps the source.
    for needle in [
        carer.last_name.trim().to_string(),
        carer.email.trim().to_string(),
        carer.phone.trim().to_string(),
    ] {
        if needle.chars().count() < 2 {
            continue;
        }
        sqlx::query!(
            "UPDATE roster_uploads SET content = '' WHERE school_id = ? AND instr(content, ?) > 0",
            school_id,
            needle
        )
        .execute(&mut *tx)
        .await?;
    }
    let subject = format!("erasure:{id}");
    let detail = format!(
        "carer:{} basis:{} declarations:{}",
        e.carer_id,
        e.basis,
        redacted.len()
    );
    sqlx::query!(
        "INSERT INTO audit_events (school_id, at, actor, action, subject, detail)
         VALUES (?, ?, ?, 'carer.erased', ?, ?)",
        school_id,
        e.erased_at,
        e.actor,
        subject,
        detail
    )
    .execute(&mut *tx)
    .await?;
    Ok(Erasure { record, row_hash })
}

/// Empties the carer's row, revokes their codes, empties the addresses their messages went to
/// (cancelling any not yet sent) and deletes the given children's records.
async fn scrub_carer(
    tx: &mut SqliteConnection,
    scope: Scope,
    carer_id: i64,
    now: &str,
    pupils: &[i64],
) -> Result<(), sqlx::Error> {
    let school_id = scope.id();
    let today = now.get(..10).unwrap_or(now);
    sqlx::query!(
        "UPDATE carers SET first_name = '', last_name = '', email = '', phone = '', address = '',
             postcode = '', mis_id = NULL, language = NULL, language_source = NULL,
             left_on = COALESCE(left_on, ?1), erased_at = ?2, updated_at = ?2
         WHERE id = ?3 AND school_id = ?4",
        today,
        now,
        carer_id,
        school_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE signing_codes SET revoked_at = COALESCE(revoked_at, ?1)
         WHERE carer_id = ?2 AND school_id = ?3",
        now,
        carer_id,
        school_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE messages SET recipient = '', detail = '',
             status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END, updated_at = ?1
         WHERE carer_id = ?2 AND school_id = ?3",
        now,
        carer_id,
        school_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM carer_pupils WHERE carer_id = ?", carer_id)
        .execute(&mut *tx)
        .await?;
    let pupils = serde_json::to_string(pupils).unwrap_or_else(|_| "[]".into());
    sqlx::query!(
        "DELETE FROM carer_pupils WHERE pupil_id IN (SELECT value FROM json_each(?))",
        pupils
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM pupils WHERE school_id = ? AND id IN (SELECT value FROM json_each(?))",
        school_id,
        pupils
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// What an erasure emptied, in words (never naming anyone).
fn summary(declarations: usize, messages: i64, children: usize) -> String {
    let mut parts = vec!["name, email, phone, address and language".to_string()];
    if declarations > 0 {
        parts.push(format!(
            "{declarations} declaration{}: names, children, IP address, device and note",
            if declarations == 1 { "" } else { "s" }
        ));
    }
    if messages > 0 {
        parts.push(format!(
            "{messages} message address{}",
            if messages == 1 { "" } else { "es" }
        ));
    }
    if children > 0 {
        parts.push(format!(
            "{children} record{} of a child who has left",
            if children == 1 { "" } else { "s" }
        ));
    }
    parts.join("; ")
}

/// The erasure of one carer, if they were erased (a school has few: read them all).
pub async fn of_carer(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Option<Erasure>, sqlx::Error> {
    Ok(chain(ex, scope)
        .await?
        .into_iter()
        .rev()
        .find(|e| e.carer_id == carer_id))
}
