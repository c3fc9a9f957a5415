//! A document's published versions: immutable once written (a trigger refuses any change).

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
use crate::domain::document::Version;
use crate::domain::school::Scope;
use crate::domain::wording::Wording;

/// A `versions` row as the queries read it, before its wording is gathered.
pub(super) struct VersionRow {
    pub(super) id: i64,
    pub(super) school_id: i64,
    pub(super) document_id: i64,
    pub(super) number: i64,
    pub(super) title: String,
    pub(super) body_md: String,
    pub(super) approved_by: String,
    pub(super) approved_on: String,
    pub(super) last_reviewed: String,
    pub(super) next_review_due: String,
    pub(super) related_policies: String,
    pub(super) declaration_text: String,
    pub(super) summary: String,
    pub(super) material: bool,
    pub(super) canonical_text: String,
    pub(super) sha256: String,
    pub(super) published_at: OffsetDateTime,
    pub(super) published_by: Option<i64>,
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

/// A version about to be published. `canonical_text` and `sha256` come from `domain::evidence`.
pub struct NewVersion<'a> {
    pub scope: Scope,
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
    let school_id = v.scope.id();
    let res = sqlx::query!(
        "INSERT INTO versions (school_id, document_id, number, title, body_md, approved_by, approved_on,
             last_reviewed, next_review_due, related_policies, declaration_text, summary, material, canonical_text,
             sha256, published_at, published_by, trust_version_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                 (SELECT trust_version_id FROM drafts WHERE school_id = ? AND document_id = ?))",
        school_id,
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
        school_id,
        v.document_id
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

/// One of a school's published versions by id.
pub async fn version(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
) -> Result<Option<Version>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        VersionRow,
        r#"SELECT id AS "id!", school_id, document_id, number, title, body_md, approved_by, approved_on,
                  last_reviewed, next_review_due, related_policies, declaration_text, summary,
                  material AS "material: bool", canonical_text, sha256, published_at AS "published_at: OffsetDateTime",
                  published_by AS "published_by?"
           FROM versions WHERE id = ? AND school_id = ?"#,
        id,
        school_id
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(Version::from))
}

/// Every published version of a document, newest first.
pub async fn versions_of(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
) -> Result<Vec<Version>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        VersionRow,
        r#"SELECT id AS "id!", school_id, document_id, number, title, body_md, approved_by, approved_on,
                  last_reviewed, next_review_due, related_policies, declaration_text, summary,
                  material AS "material: bool", canonical_text, sha256, published_at AS "published_at: OffsetDateTime",
                  published_by AS "published_by?"
           FROM versions WHERE document_id = ? AND school_id = ? ORDER BY number DESC"#,
        document_id,
        school_id
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(Version::from).collect())
}

pub async fn version_by_number(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
    number: i64,
) -> Result<Option<Version>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        VersionRow,
        r#"SELECT id AS "id!", school_id, document_id, number, title, body_md, approved_by, approved_on,
                  last_reviewed, next_review_due, related_policies, declaration_text, summary,
                  material AS "material: bool", canonical_text, sha256, published_at AS "published_at: OffsetDateTime",
                  published_by AS "published_by?"
           FROM versions WHERE document_id = ? AND number = ? AND school_id = ?"#,
        document_id,
        number,
        school_id
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(Version::from))
}

/// How many carers signed each version of a school's document: (version id, count). The school
/// is checked on the document (its declarations are all the school's), so the count stays on the
/// covering index.
pub async fn signed_counts(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let school_id = scope.id();
    let rows = sqlx::query!(
        r#"SELECT version_id, COUNT(*) AS "count!: i64" FROM declarations
           WHERE document_id = (SELECT id FROM documents WHERE id = ? AND school_id = ?)
           GROUP BY version_id"#,
        document_id,
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|r| (r.version_id, r.count)).collect())
}

/// The highest version number of a document (0 when none is published).
pub async fn latest_number(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
) -> Result<i64, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_scalar!(
        r#"SELECT COALESCE(MAX(number), 0) AS "number!: i64" FROM versions
           WHERE document_id = ? AND school_id = ?"#,
        document_id,
        school_id
    )
    .fetch_one(ex)
    .await
}

/// Every published version of every school, by document then number, for `signoff verify`
/// (which checks the whole file, so takes no scope).
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
