//! What was sent: campaigns and their figures, each carer's delivery log, and what the reminder
//! schedule and the office's counts read from it.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::domain::school::Scope;

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
    scope: Scope,
    id: i64,
) -> Result<Option<CampaignRow>, sqlx::Error> {
    let school_id = scope.id();
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
    scope: Scope,
    limit: i64,
) -> Result<Vec<CampaignRow>, sqlx::Error> {
    let school_id = scope.id();
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
    scope: Scope,
    campaign_id: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let school_id = scope.id();
    let rows = sqlx::query!(
        r#"SELECT status, COUNT(*) AS "n!: i64" FROM messages
           WHERE campaign_id = ? AND school_id = ? GROUP BY status"#,
        campaign_id,
        school_id
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
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<LogRow>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        LogRow,
        r#"SELECT m.id AS "id!", m.campaign_id, c.kind, m.channel, m.recipient, m.status, m.detail,
                  m.created_at AS "created_at: OffsetDateTime", m.sent_at AS "sent_at?: OffsetDateTime",
                  m.updated_at AS "updated_at: OffsetDateTime",
                  sc.first_used_at AS "opened_at?: OffsetDateTime"
           FROM messages m JOIN campaigns c ON c.id = m.campaign_id
           LEFT JOIN signing_codes sc ON sc.id = m.code_id
           WHERE m.carer_id = ? AND m.school_id = ? ORDER BY m.id DESC"#,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await
}

/// Each carer's latest message per channel in a school: (carer, channel, status, recipient).
pub async fn latest_per_channel(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    let school_id = scope.id();
    let rows = sqlx::query!(
        r#"SELECT m.carer_id, m.channel, m.status, m.recipient FROM messages m
           WHERE m.school_id = ? AND m.status NOT IN ('cancelled', 'opted_out')
             AND m.id = (SELECT MAX(x.id) FROM messages x WHERE x.carer_id = m.carer_id
                         AND x.channel = m.channel AND x.status NOT IN ('cancelled', 'opted_out'))"#,
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.carer_id, r.channel, r.status, r.recipient))
        .collect())
}

/// For each carer invited to sign a document: when they were first invited, and when the latest
/// reminder that included them was queued (if any).
pub async fn invitations(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
) -> Result<Vec<(i64, OffsetDateTime, Option<OffsetDateTime>)>, sqlx::Error> {
    let school_id = scope.id();
    let rows = sqlx::query!(
        r#"SELECT m.carer_id AS "carer_id!",
                  MIN(CASE WHEN c.kind = 'invitation' THEN m.created_at END) AS "invited?: String",
                  MAX(CASE WHEN c.kind = 'reminder' THEN m.created_at END) AS "reminded?: String"
           FROM messages m JOIN campaigns c ON c.id = m.campaign_id
           WHERE c.document_id = ? AND c.school_id = ? AND m.status NOT IN ('cancelled')
           GROUP BY m.carer_id"#,
        document_id,
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let at = crate::clock::parse_stamp(r.invited.as_deref()?)?;
            let reminded = r.reminded.as_deref().and_then(crate::clock::parse_stamp);
            Some((r.carer_id, at, reminded))
        })
        .collect())
}

/// (carer, channel) of every invitation to a document queued since `since`: a second press of
/// Send, or a second `signoff invite`, must not message them twice.
pub async fn invited_since(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
    since: OffsetDateTime,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let since = crate::clock::stamp(since);
    let school_id = scope.id();
    let rows = sqlx::query!(
        r#"SELECT m.carer_id, m.channel FROM messages m JOIN campaigns c ON c.id = m.campaign_id
           WHERE c.document_id = ? AND c.school_id = ? AND c.kind = 'invitation' AND c.created_at >= ?
             AND m.status <> 'cancelled'"#,
        document_id,
        school_id,
        since
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|r| (r.carer_id, r.channel)).collect())
}
