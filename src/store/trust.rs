//! The trust above the schools: its own log, its code of conduct's versions, and the schools
//! that adopt that code. The trust's own tables need no school's scope; a school's adoption and
//! draft do.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
use crate::domain::school::Scope;

/// Records what a trust administrator did that belongs to no one school.
pub async fn record_event(
    ex: impl SqliteExecutor<'_>,
    at: OffsetDateTime,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let at = stamp(at);
    sqlx::query!(
        "INSERT INTO trust_events (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        at,
        actor,
        action,
        subject,
        detail
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// How many trust events name `action` (for tests and the log's checks).
pub async fn count_events(ex: impl SqliteExecutor<'_>, action: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM trust_events WHERE action = ?"#,
        action
    )
    .fetch_one(ex)
    .await
}

/// A published version of the trust's code.
#[derive(Debug, Clone)]
pub struct TrustVersion {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub body_md: String,
    pub summary: String,
    pub sha256: String,
    pub published_at: OffsetDateTime,
}

/// Every version of the trust's code, newest first.
pub async fn versions(ex: impl SqliteExecutor<'_>) -> Result<Vec<TrustVersion>, sqlx::Error> {
    sqlx::query_as!(
        TrustVersion,
        r#"SELECT id AS "id!", number, title, body_md, summary, sha256,
                  published_at AS "published_at: OffsetDateTime"
           FROM trust_versions ORDER BY number DESC"#
    )
    .fetch_all(ex)
    .await
}

/// The trust's latest version, if it has published one.
pub async fn latest(ex: impl SqliteExecutor<'_>) -> Result<Option<TrustVersion>, sqlx::Error> {
    sqlx::query_as!(
        TrustVersion,
        r#"SELECT id AS "id!", number, title, body_md, summary, sha256,
                  published_at AS "published_at: OffsetDateTime"
           FROM trust_versions ORDER BY number DESC LIMIT 1"#
    )
    .fetch_optional(ex)
    .await
}

/// One version of the trust's code by id.
pub async fn version(
    ex: impl SqliteExecutor<'_>,
    id: i64,
) -> Result<Option<TrustVersion>, sqlx::Error> {
    sqlx::query_as!(
        TrustVersion,
        r#"SELECT id AS "id!", number, title, body_md, summary, sha256,
                  published_at AS "published_at: OffsetDateTime"
           FROM trust_versions WHERE id = ?"#,
        id
    )
    .fetch_optional(ex)
    .await
}

/// A version of the trust's code to publish.
pub struct NewTrustVersion<'a> {
    pub title: &'a str,
    pub body_md: &'a str,
    pub summary: &'a str,
    pub sha256: &'a str,
    pub published_at: OffsetDateTime,
    pub published_by: i64,
}

/// Publishes the next version of the trust's code (numbered within the caller's transaction);
/// returns its id and number.
pub async fn insert_version(
    ex: &mut sqlx::SqliteConnection,
    v: NewTrustVersion<'_>,
) -> Result<(i64, i64), sqlx::Error> {
    let number = sqlx::query_scalar!(
        r#"SELECT COALESCE(MAX(number), 0) + 1 AS "n!: i64" FROM trust_versions"#
    )
    .fetch_one(&mut *ex)
    .await?;
    let at = stamp(v.published_at);
    let res = sqlx::query!(
        "INSERT INTO trust_versions (number, title, body_md, summary, sha256, published_at, published_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        number,
        v.title,
        v.body_md,
        v.summary,
        v.sha256,
        at,
        v.published_by
    )
    .execute(&mut *ex)
    .await?;
    Ok((res.last_insert_rowid(), number))
}

/// A school that takes the trust's code as one of its documents.
#[derive(Debug, Clone)]
pub struct Adoption {
    /// The adopting school, as the store read it.
    pub scope: Scope,
    pub document_id: i64,
    pub local_md: String,
    /// The newest trust version any published version of the document was made from.
    pub published_number: Option<i64>,
}

/// Every adoption, with the trust version each school has published (for the trust's dashboard,
/// which goes through every school).
pub async fn adoptions(ex: impl SqliteExecutor<'_>) -> Result<Vec<Adoption>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT a.school_id AS "school_id!", a.document_id, a.local_md,
                  (SELECT MAX(tv.number) FROM versions v JOIN trust_versions tv ON tv.id = v.trust_version_id
                   WHERE v.document_id = a.document_id) AS "published_number?: i64"
           FROM trust_adoptions a"#
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Adoption {
            scope: Scope::from_row(r.school_id),
            document_id: r.document_id,
            local_md: r.local_md,
            published_number: r.published_number,
        })
        .collect())
}

/// One school's adoption, if it has adopted the trust's code.
pub async fn adoption(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Option<Adoption>, sqlx::Error> {
    let school_id = scope.id();
    let row = sqlx::query!(
        r#"SELECT a.document_id, a.local_md,
                  (SELECT MAX(tv.number) FROM versions v JOIN trust_versions tv ON tv.id = v.trust_version_id
                   WHERE v.document_id = a.document_id) AS "published_number?: i64"
           FROM trust_adoptions a WHERE a.school_id = ?"#,
        school_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| Adoption {
        scope,
        document_id: r.document_id,
        local_md: r.local_md,
        published_number: r.published_number,
    }))
}

/// Records (or changes) which document a school takes the trust's code as, and its local sections.
pub async fn adopt(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
    local_md: &str,
    now: OffsetDateTime,
    by: i64,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    sqlx::query!(
        "INSERT INTO trust_adoptions (school_id, document_id, local_md, adopted_at, adopted_by)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (school_id) DO UPDATE SET document_id = excluded.document_id,
             local_md = excluded.local_md, adopted_at = excluded.adopted_at, adopted_by = excluded.adopted_by",
        school_id,
        document_id,
        local_md,
        now,
        by
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Notes on a school's draft which trust version it was made from (carried into the version
/// published from it).
pub async fn mark_draft(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
    trust_version_id: i64,
) -> Result<(), sqlx::Error> {
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE drafts SET trust_version_id = ? WHERE school_id = ? AND document_id = ?",
        trust_version_id,
        school_id,
        document_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// A school as the trust's pages list it.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: i64,
    /// The school's scope, as the store read it.
    pub scope: Scope,
    pub slug: String,
    pub name: String,
}

/// Every school of the portal, by name.
pub async fn schools(ex: impl SqliteExecutor<'_>) -> Result<Vec<Member>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", slug, name FROM schools ORDER BY name COLLATE NOCASE, id"#
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Member {
            id: r.id,
            scope: Scope::from_row(r.id),
            slug: r.slug,
            name: r.name,
        })
        .collect())
}
