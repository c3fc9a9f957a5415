//! Documents parents sign, and their published versions.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;

pub use crate::domain::document::{Current, Document, Version};
use crate::domain::wording::Wording;

/// A `versions` row as the queries read it, before its wording is gathered.
struct VersionRow {
    id: i64,
    school_id: i64,
    document_id: i64,
    number: i64,
    title: String,
    body_md: String,
    approved_by: String,
    approved_on: String,
    last_reviewed: String,
    next_review_due: String,
    related_policies: String,
    declaration_text: String,
    summary: String,
    material: bool,
    canonical_text: String,
    sha256: String,
    published_at: OffsetDateTime,
    published_by: Option<i64>,
}

impl From<VersionRow> for Version {
    fn from(r: VersionRow) -> Version {
        Version {
            id: r.id,
            school_id: r.school_id,
            document_id: r.document_id,
            number: r.number,
            wording: Wording {
                title: r.title,
                body_md: r.body_md,
                approved_by: r.approved_by,
                approved_on: r.approved_on,
                last_reviewed: r.last_reviewed,
                next_review_due: r.next_review_due,
                related_policies: r.related_policies,
                declaration_text: r.declaration_text,
            },
            summary: r.summary,
            material: r.material,
            canonical_text: r.canonical_text,
            sha256: r.sha256,
            published_at: r.published_at,
            published_by: r.published_by,
        }
    }
}

pub async fn insert_document(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    slug: &str,
    title: &str,
    position: i64,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
    let res = sqlx::query!(
        "INSERT INTO documents (school_id, slug, title, position, created_at) VALUES (?, ?, ?, ?, ?)",
        school_id,
        slug,
        title,
        position,
        now
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

/// A version about to be published. `canonical_text` and `sha256` come from `domain::evidence`.
pub struct NewVersion<'a> {
    pub school_id: i64,
    pub document_id: i64,
    pub number: i64,
    pub wording: &'a Wording,
    pub summary: &'a str,
    pub material: bool,
    pub canonical_text: &'a str,
    pub sha256: &'a str,
    pub published_at: OffsetDateTime,
    pub published_by: Option<i64>,
}

/// Publishes a version; it notes the trust version its draft was made from, if any.
pub async fn insert_version(
    ex: impl SqliteExecutor<'_>,
    v: NewVersion<'_>,
) -> Result<i64, sqlx::Error> {
    let published_at = stamp(v.published_at);
    let res = sqlx::query!(
        "INSERT INTO versions (school_id, document_id, number, title, body_md, approved_by, approved_on,
             last_reviewed, next_review_due, related_policies, declaration_text, summary, material, canonical_text,
             sha256, published_at, published_by, trust_version_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                 (SELECT trust_version_id FROM drafts WHERE school_id = ? AND document_id = ?))",
        v.school_id,
        v.document_id,
        v.number,
        v.wording.title,
        v.wording.body_md,
        v.wording.approved_by,
        v.wording.approved_on,
        v.wording.last_reviewed,
        v.wording.next_review_due,
        v.wording.related_policies,
        v.wording.declaration_text,
        v.summary,
        v.material,
        v.canonical_text,
        v.sha256,
        published_at,
        v.published_by,
        v.school_id,
        v.document_id
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

pub async fn version(ex: impl SqliteExecutor<'_>, id: i64) -> Result<Option<Version>, sqlx::Error> {
    sqlx::query_as!(
        VersionRow,
        r#"SELECT id AS "id!", school_id, document_id, number, title, body_md, approved_by, approved_on,
                  last_reviewed, next_review_due, related_policies, declaration_text, summary,
                  material AS "material: bool", canonical_text, sha256, published_at AS "published_at: OffsetDateTime",
                  published_by AS "published_by?"
           FROM versions WHERE id = ?"#,
        id
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(Version::from))
}

/// Every document of a school that has a published version, in display order, with its current
/// version. One query: the school's current versions joined to their documents.
pub async fn current_for_school(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
) -> Result<Vec<Current>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT v.id AS "id!", v.school_id, v.document_id, v.number, v.title, v.body_md, v.approved_by,
                  v.approved_on, v.last_reviewed, v.next_review_due, v.related_policies, v.declaration_text,
                  v.summary, v.material AS "material: bool", v.canonical_text, v.sha256,
                  v.published_at AS "published_at: OffsetDateTime",
                  v.published_by AS "published_by?",
                  d.slug AS d_slug, d.title AS d_title, d.position AS d_position,
                  COALESCE((SELECT MAX(m.number) FROM versions m WHERE m.document_id = v.document_id AND m.material = 1), 1)
                      AS "latest_material!: i64",
                  (SELECT r.reviewed_on FROM reviews r WHERE r.document_id = v.document_id ORDER BY r.id DESC LIMIT 1)
                      AS "r_last?: String",
                  (SELECT r.next_review_due FROM reviews r WHERE r.document_id = v.document_id ORDER BY r.id DESC LIMIT 1)
                      AS "r_next?: String"
           FROM versions v JOIN documents d ON d.id = v.document_id
           WHERE v.school_id = ?
             AND v.number = (SELECT MAX(number) FROM versions x WHERE x.document_id = v.document_id)
           ORDER BY d.position, d.id"#,
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Current {
            document: Document {
                id: r.document_id,
                school_id: r.school_id,
                slug: r.d_slug,
                title: r.d_title,
                position: r.d_position,
            },
            latest_material: r.latest_material,
            last_reviewed: r.r_last.unwrap_or_else(|| r.last_reviewed.clone()),
            next_review_due: r.r_next.unwrap_or_else(|| r.next_review_due.clone()),
            version: Version::from(VersionRow {
                id: r.id,
                school_id: r.school_id,
                document_id: r.document_id,
                number: r.number,
                title: r.title,
                body_md: r.body_md,
                approved_by: r.approved_by,
                approved_on: r.approved_on,
                last_reviewed: r.last_reviewed,
                next_review_due: r.next_review_due,
                related_policies: r.related_policies,
                declaration_text: r.declaration_text,
                summary: r.summary,
                material: r.material,
                canonical_text: r.canonical_text,
                sha256: r.sha256,
                published_at: r.published_at,
                published_by: r.published_by,
            }),
        })
        .collect())
}

/// Every published version of a document, newest first.
pub async fn versions_of(
    ex: impl SqliteExecutor<'_>,
    document_id: i64,
) -> Result<Vec<Version>, sqlx::Error> {
    sqlx::query_as!(
        VersionRow,
        r#"SELECT id AS "id!", school_id, document_id, number, title, body_md, approved_by, approved_on,
                  last_reviewed, next_review_due, related_policies, declaration_text, summary,
                  material AS "material: bool", canonical_text, sha256, published_at AS "published_at: OffsetDateTime",
                  published_by AS "published_by?"
           FROM versions WHERE document_id = ? ORDER BY number DESC"#,
        document_id
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(Version::from).collect())
}

pub async fn document(
    ex: impl SqliteExecutor<'_>,
    id: i64,
) -> Result<Option<Document>, sqlx::Error> {
    sqlx::query_as!(
        Document,
        r#"SELECT id AS "id!", school_id, slug, title, position FROM documents WHERE id = ?"#,
        id
    )
    .fetch_optional(ex)
    .await
}

pub async fn document_by_slug(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    slug: &str,
) -> Result<Option<Document>, sqlx::Error> {
    sqlx::query_as!(
        Document,
        r#"SELECT id AS "id!", school_id, slug, title, position FROM documents WHERE school_id = ? AND slug = ?"#,
        school_id,
        slug
    )
    .fetch_optional(ex)
    .await
}

/// All of a school's documents, published or not, in display order.
pub async fn documents(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
) -> Result<Vec<Document>, sqlx::Error> {
    sqlx::query_as!(
        Document,
        r#"SELECT id AS "id!", school_id, slug, title, position FROM documents WHERE school_id = ? ORDER BY position, id"#,
        school_id
    )
    .fetch_all(ex)
    .await
}

/// The next free display position in a school.
pub async fn next_position(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COALESCE(MAX(position), -1) + 1 AS "position!: i64" FROM documents WHERE school_id = ?"#,
        school_id
    )
    .fetch_one(ex)
    .await
}

pub async fn version_by_number(
    ex: impl SqliteExecutor<'_>,
    document_id: i64,
    number: i64,
) -> Result<Option<Version>, sqlx::Error> {
    sqlx::query_as!(
        VersionRow,
        r#"SELECT id AS "id!", school_id, document_id, number, title, body_md, approved_by, approved_on,
                  last_reviewed, next_review_due, related_policies, declaration_text, summary,
                  material AS "material: bool", canonical_text, sha256, published_at AS "published_at: OffsetDateTime",
                  published_by AS "published_by?"
           FROM versions WHERE document_id = ? AND number = ?"#,
        document_id,
        number
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(Version::from))
}

/// How many carers signed each version of a document: (version id, count).
pub async fn signed_counts(
    ex: impl SqliteExecutor<'_>,
    document_id: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT version_id, COUNT(*) AS "count!: i64" FROM declarations WHERE document_id = ? GROUP BY version_id"#,
        document_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|r| (r.version_id, r.count)).collect())
}

/// The highest version number of a document (0 when none is published).
pub async fn latest_number(
    ex: impl SqliteExecutor<'_>,
    document_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COALESCE(MAX(number), 0) AS "number!: i64" FROM versions WHERE document_id = ?"#,
        document_id
    )
    .fetch_one(ex)
    .await
}

/// Every published version of every school, by document then number, for `signoff verify`.
pub async fn all_versions(ex: impl SqliteExecutor<'_>) -> Result<Vec<Version>, sqlx::Error> {
    sqlx::query_as!(
        VersionRow,
        r#"SELECT id AS "id!", school_id, document_id, number, title, body_md, approved_by, approved_on,
                  last_reviewed, next_review_due, related_policies, declaration_text, summary,
                  material AS "material: bool", canonical_text, sha256, published_at AS "published_at: OffsetDateTime",
                  published_by AS "published_by?"
           FROM versions ORDER BY document_id, number"#
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(Version::from).collect())
}
