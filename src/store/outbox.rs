//! Campaigns and their messages: the outbox the sender works through, which is also each
//! carer's delivery log.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;

pub async fn create_campaign(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    document_id: i64,
    kind: &str,
    filter: &str,
    by: Option<i64>,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
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
    school_id: i64,
    campaign_id: i64,
    carer_id: i64,
    channel: &str,
    recipient: &str,
    status: &str,
    not_before: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let (not_before, now) = (stamp(not_before), stamp(now));
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
    pub school_id: i64,
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

/// Queued messages whose time has come, oldest first.
pub async fn due(
    ex: impl SqliteExecutor<'_>,
    now: OffsetDateTime,
    limit: i64,
) -> Result<Vec<Due>, sqlx::Error> {
    let now = stamp(now);
    sqlx::query_as!(
        Due,
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
}

/// Messages marked `sending` before `before` and not finished: their send may or may not have
/// happened (the portal stopped, or the batch's last write failed).
pub async fn interrupted(
    ex: impl SqliteExecutor<'_>,
    before: OffsetDateTime,
) -> Result<Vec<Due>, sqlx::Error> {
    let before = stamp(before);
    sqlx::query_as!(
        Due,
        r#"SELECT m.id AS "id!", m.school_id, m.campaign_id, c.document_id, c.kind, m.carer_id, m.channel,
                  m.recipient, m.attempts, m.provider_ref, m.notify_id
           FROM messages m JOIN campaigns c ON c.id = m.campaign_id
           WHERE m.status = 'sending' AND m.updated_at < ? ORDER BY m.id"#,
        before
    )
    .fetch_all(ex)
    .await
}

/// Marks a message as being sent, keeping its first reference (so a repeat after a crash carries
/// the same Message-ID or Notify reference).
pub async fn mark_sending(
    ex: impl SqliteExecutor<'_>,
    id: i64,
    provider_ref: &str,
    code_id: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    sqlx::query!(
        "UPDATE messages SET status = 'sending', attempts = attempts + 1,
             provider_ref = COALESCE(provider_ref, ?), code_id = ?, updated_at = ?
         WHERE id = ?",
        provider_ref,
        code_id,
        now,
        id
    )
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn mark_sent(
    ex: impl SqliteExecutor<'_>,
    id: i64,
    notify_id: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    sqlx::query!(
        "UPDATE messages SET status = 'sent', notify_id = COALESCE(?, notify_id), sent_at = ?,
             updated_at = ?, detail = '' WHERE id = ?",
        notify_id,
        now,
        now,
        id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Puts a message back in the queue for `at` (a retry, or the next sending hours).
pub async fn requeue(
    ex: impl SqliteExecutor<'_>,
    id: i64,
    at: OffsetDateTime,
    detail: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let (at, now) = (stamp(at), stamp(now));
    sqlx::query!(
        "UPDATE messages SET status = 'queued', next_attempt_at = ?, detail = ?, updated_at = ? WHERE id = ?",
        at,
        detail,
        now,
        id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Ends a message: failed, cancelled or opted out.
pub async fn finish(
    ex: impl SqliteExecutor<'_>,
    id: i64,
    status: &str,
    detail: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    sqlx::query!(
        "UPDATE messages SET status = ?, detail = ?, updated_at = ? WHERE id = ?",
        status,
        detail,
        now,
        id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Applies a Notify status callback to the message it names, within the school whose token it
/// carried. Returns whether a message matched.
pub async fn mark_reported(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    notify_id: &str,
    reference: &str,
    status: &str,
    detail: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let now = stamp(now);
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

/// A campaign with how many of its messages are in each state.
#[derive(Debug, Clone)]
pub struct CampaignRow {
    pub id: i64,
    pub document_id: i64,
    pub kind: String,
    pub filter: String,
    pub created_at: OffsetDateTime,
    pub created_by_name: Option<String>,
}

pub async fn campaign(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    id: i64,
) -> Result<Option<CampaignRow>, sqlx::Error> {
    sqlx::query_as!(
        CampaignRow,
        r#"SELECT c.id AS "id!", c.document_id, c.kind, c.filter, c.created_at AS "created_at: OffsetDateTime",
                  u.name AS "created_by_name?"
           FROM campaigns c LEFT JOIN staff_users u ON u.id = c.created_by
           WHERE c.school_id = ? AND c.id = ?"#,
        school_id,
        id
    )
    .fetch_optional(ex)
    .await
}

/// A school's latest campaigns, newest first.
pub async fn campaigns(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    limit: i64,
) -> Result<Vec<CampaignRow>, sqlx::Error> {
    sqlx::query_as!(
        CampaignRow,
        r#"SELECT c.id AS "id!", c.document_id, c.kind, c.filter, c.created_at AS "created_at: OffsetDateTime",
                  u.name AS "created_by_name?"
           FROM campaigns c LEFT JOIN staff_users u ON u.id = c.created_by
           WHERE c.school_id = ? ORDER BY c.id DESC LIMIT ?"#,
        school_id,
        limit
    )
    .fetch_all(ex)
    .await
}

/// (status, count) for a campaign's messages.
pub async fn counts(
    ex: impl SqliteExecutor<'_>,
    campaign_id: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT status, COUNT(*) AS "n!: i64" FROM messages WHERE campaign_id = ? GROUP BY status"#,
        campaign_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|r| (r.status, r.n)).collect())
}

/// One line of a carer's delivery log.
#[derive(Debug, Clone)]
pub struct LogRow {
    pub id: i64,
    pub campaign_id: i64,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub status: String,
    pub detail: String,
    pub created_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
    pub opened_at: Option<OffsetDateTime>,
}

pub async fn for_carer(
    ex: impl SqliteExecutor<'_>,
    carer_id: i64,
) -> Result<Vec<LogRow>, sqlx::Error> {
    sqlx::query_as!(
        LogRow,
        r#"SELECT m.id AS "id!", m.campaign_id, c.kind, m.channel, m.recipient, m.status, m.detail,
                  m.created_at AS "created_at: OffsetDateTime", m.sent_at AS "sent_at?: OffsetDateTime",
                  m.updated_at AS "updated_at: OffsetDateTime",
                  sc.first_used_at AS "opened_at?: OffsetDateTime"
           FROM messages m JOIN campaigns c ON c.id = m.campaign_id
           LEFT JOIN signing_codes sc ON sc.id = m.code_id
           WHERE m.carer_id = ? ORDER BY m.id DESC"#,
        carer_id
    )
    .fetch_all(ex)
    .await
}

/// Each carer's latest message status per channel in a school: (carer, channel, status).
pub async fn latest_per_channel(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT m.carer_id, m.channel, m.status FROM messages m
           WHERE m.school_id = ? AND m.status NOT IN ('cancelled', 'opted_out')
             AND m.id = (SELECT MAX(x.id) FROM messages x WHERE x.carer_id = m.carer_id
                         AND x.channel = m.channel AND x.status NOT IN ('cancelled', 'opted_out'))"#,
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.carer_id, r.channel, r.status))
        .collect())
}

/// For each carer invited to sign a document: when they were first invited and how many
/// reminder campaigns have included them.
pub async fn invitations(
    ex: impl SqliteExecutor<'_>,
    document_id: i64,
) -> Result<Vec<(i64, OffsetDateTime, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT m.carer_id AS "carer_id!",
                  MIN(CASE WHEN c.kind = 'invitation' THEN m.created_at END) AS "invited?: String",
                  COUNT(DISTINCT CASE WHEN c.kind = 'reminder' THEN c.id END) AS "reminders!: i64"
           FROM messages m JOIN campaigns c ON c.id = m.campaign_id
           WHERE c.document_id = ? AND m.status NOT IN ('cancelled')
           GROUP BY m.carer_id"#,
        document_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let at = crate::clock::parse_stamp(r.invited.as_deref()?)?;
            Some((r.carer_id, at, r.reminders))
        })
        .collect())
}

/// How many messages wait to be sent (queued or mid-send), in every school.
pub async fn waiting(ex: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM messages WHERE status IN ('queued', 'sending')"#
    )
    .fetch_one(ex)
    .await
}

/// The parts of a message a stop link needs.
pub struct MessageRef {
    pub school_id: i64,
    pub carer_id: i64,
    pub channel: String,
    pub recipient: String,
}

pub async fn message(
    ex: impl SqliteExecutor<'_>,
    id: i64,
) -> Result<Option<MessageRef>, sqlx::Error> {
    sqlx::query_as!(
        MessageRef,
        "SELECT school_id, carer_id, channel, recipient FROM messages WHERE id = ?",
        id
    )
    .fetch_optional(ex)
    .await
}
