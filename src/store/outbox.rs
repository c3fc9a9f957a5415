//! Campaigns and their messages: the outbox the sender works through, which is also each
//! carer's delivery log.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
use crate::domain::school::Scope;

pub async fn create_campaign(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
    kind: &str,
    filter: &str,
    by: Option<i64>,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    let res = sqlx::query!(
        "INSERT INTO campaigns (school_id, document_id, kind, filter, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        school_id,
        document_id,
        kind,
        filter,
        by,
        now
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

/// Adds one message to a campaign; a second for the same campaign, carer and channel is ignored.
#[allow(clippy::too_many_arguments)]
pub async fn enqueue(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    campaign_id: i64,
    carer_id: i64,
    channel: &str,
    recipient: &str,
    status: &str,
    not_before: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let (not_before, now) = (stamp(not_before), stamp(now));
    let school_id = scope.id();
    sqlx::query!(
        "INSERT INTO messages (school_id, campaign_id, carer_id, channel, recipient, status,
             next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (campaign_id, carer_id, channel) DO NOTHING",
        school_id,
        campaign_id,
        carer_id,
        channel,
        recipient,
        status,
        not_before,
        now,
        now
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// A message the sender is to send, with what it needs to write it.
#[derive(Debug, Clone)]
pub struct Due {
    pub id: i64,
    /// The message's school, as the store read it.
    pub scope: Scope,
    pub campaign_id: i64,
    pub document_id: i64,
    pub kind: String,
    pub carer_id: i64,
    pub channel: String,
    pub recipient: String,
    pub attempts: i64,
    pub provider_ref: Option<String>,
    pub notify_id: Option<String>,
}

/// A `messages` row joined to its campaign, as [`due`] and [`interrupted`] read it.
struct DueRow {
    id: i64,
    school_id: i64,
    campaign_id: i64,
    document_id: i64,
    kind: String,
    carer_id: i64,
    channel: String,
    recipient: String,
    attempts: i64,
    provider_ref: Option<String>,
    notify_id: Option<String>,
}

impl From<DueRow> for Due {
    fn from(r: DueRow) -> Due {
        Due {
            id: r.id,
            scope: Scope::from_row(r.school_id),
            campaign_id: r.campaign_id,
            document_id: r.document_id,
            kind: r.kind,
            carer_id: r.carer_id,
            channel: r.channel,
            recipient: r.recipient,
            attempts: r.attempts,
            provider_ref: r.provider_ref,
            notify_id: r.notify_id,
        }
    }
}

/// Queued messages whose time has come, oldest first, in every school (the sender's queue).
pub async fn due(
    ex: impl SqliteExecutor<'_>,
    now: OffsetDateTime,
    limit: i64,
) -> Result<Vec<Due>, sqlx::Error> {
    let now = stamp(now);
    sqlx::query_as!(
        DueRow,
        r#"SELECT m.id AS "id!", m.school_id, m.campaign_id, c.document_id, c.kind, m.carer_id, m.channel,
                  m.recipient, m.attempts, m.provider_ref, m.notify_id
           FROM messages m JOIN campaigns c ON c.id = m.campaign_id
           WHERE m.status = 'queued' AND m.next_attempt_at <= ?
           ORDER BY m.next_attempt_at, m.id LIMIT ?"#,
        now,
        limit
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(Due::from).collect())
}

/// Messages marked `sending` before `before` and not finished: their send may or may not have
/// happened (the portal stopped, or the batch's last write failed). In every school.
pub async fn interrupted(
    ex: impl SqliteExecutor<'_>,
    before: OffsetDateTime,
) -> Result<Vec<Due>, sqlx::Error> {
    let before = stamp(before);
    sqlx::query_as!(
        DueRow,
        r#"SELECT m.id AS "id!", m.school_id, m.campaign_id, c.document_id, c.kind, m.carer_id, m.channel,
                  m.recipient, m.attempts, m.provider_ref, m.notify_id
           FROM messages m JOIN campaigns c ON c.id = m.campaign_id
           WHERE m.status = 'sending' AND m.updated_at < ? ORDER BY m.id"#,
        before
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(Due::from).collect())
}

/// Marks a message as being sent, keeping its first reference (so a repeat after a crash carries
/// the same Message-ID or Notify reference).
pub async fn mark_sending(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
    provider_ref: &str,
    code_id: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE messages SET status = 'sending', attempts = attempts + 1,
             provider_ref = COALESCE(provider_ref, ?), code_id = ?, updated_at = ?
         WHERE id = ? AND school_id = ? AND status IN ('queued', 'sending')",
        provider_ref,
        code_id,
        now,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn mark_sent(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
    notify_id: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE messages SET status = 'sent', notify_id = COALESCE(?, notify_id), sent_at = ?,
             updated_at = ?, detail = '' WHERE id = ? AND school_id = ? AND status = 'sending'",
        notify_id,
        now,
        now,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

// The three below change only a message still queued or being sent: a Notify delivery report
// that arrived while its batch was out must not be overwritten by the batch's own results.

/// Puts a message back in the queue for `at` (a retry, or the next sending hours).
pub async fn requeue(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
    at: OffsetDateTime,
    detail: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let (at, now) = (stamp(at), stamp(now));
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE messages SET status = 'queued', next_attempt_at = ?, detail = ?, updated_at = ?
         WHERE id = ? AND school_id = ? AND status IN ('queued', 'sending')",
        at,
        detail,
        now,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Ends a message: failed, cancelled or opted out.
pub async fn finish(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
    status: &str,
    detail: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE messages SET status = ?, detail = ?, updated_at = ?
         WHERE id = ? AND school_id = ? AND status IN ('queued', 'sending')",
        status,
        detail,
        now,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Applies a Notify status callback to the message it names, within the school whose token it
/// carried. Returns whether a message matched.
pub async fn mark_reported(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    notify_id: &str,
    reference: &str,
    status: &str,
    detail: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    let res = sqlx::query!(
        "UPDATE messages SET status = ?, detail = ?, updated_at = ?, notify_id = COALESCE(notify_id, ?)
         WHERE school_id = ? AND (notify_id = ? OR provider_ref = ?)
           AND status IN ('sending', 'sent', 'delivered', 'bounced', 'failed')",
        status,
        detail,
        now,
        notify_id,
        school_id,
        notify_id,
        reference
    )
    .execute(ex)
    .await?;
    Ok(res.rows_affected() > 0)
}

/// The parts of a message a stop link needs.
pub struct MessageRef {
    /// The message's school, as the store read it.
    pub scope: Scope,
    pub carer_id: i64,
    pub channel: String,
    pub recipient: String,
}

/// The message a stop link names: the link is signed by the portal (the caller checks that
/// first), so, like a signing code, it makes its school's scope.
pub async fn message(
    ex: impl SqliteExecutor<'_>,
    id: i64,
) -> Result<Option<MessageRef>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT school_id, carer_id, channel, recipient FROM messages WHERE id = ?",
        id
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| MessageRef {
        scope: Scope::from_row(r.school_id),
        carer_id: r.carer_id,
        channel: r.channel,
        recipient: r.recipient,
    }))
}
