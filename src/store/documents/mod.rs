//! Documents parents sign, and (in `versions.rs`) their published versions.

mod translations;
mod versions;

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
pub use crate::domain::document::{Current, Document, Version};
use crate::domain::school::Scope;
pub use translations::{NewTranslation, all_translations, insert_translation, translations_of};
use versions::VersionRow;
pub use versions::{
    NewVersion, all_versions, insert_version, latest_number, signed_counts, version,
    version_by_number, versions_of,
};

/// A `documents` row as the queries read it, before it is given the scope it was read with.
struct DocumentRow {
    id: i64,
    slug: String,
    title: String,
    position: i64,
}

impl DocumentRow {
    fn of(self, scope: Scope) -> Document {
        Document {
            id: self.id,
            scope,
            slug: self.slug,
            title: self.title,
            position: self.position,
        }
    }
}

pub async fn insert_document(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    slug: &str,
    title: &str,
    position: i64,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
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

/// Every document of a school that has a published version, in display order, with its current
/// version. One query: the school's current versions joined to their documents.
pub async fn current_for_school(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Vec<Current>, sqlx::Error> {
    let school_id = scope.id();
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
                scope,
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

/// One of a school's documents by id (none for another school's).
pub async fn document(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
) -> Result<Option<Document>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        DocumentRow,
        r#"SELECT id AS "id!", slug, title, position FROM documents WHERE id = ? AND school_id = ?"#,
        id,
        school_id
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(|r| r.of(scope)))
}

pub async fn document_by_slug(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    slug: &str,
) -> Result<Option<Document>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        DocumentRow,
        r#"SELECT id AS "id!", slug, title, position FROM documents WHERE school_id = ? AND slug = ?"#,
        school_id,
        slug
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(|r| r.of(scope)))
}

/// All of a school's documents, published or not, in display order.
pub async fn documents(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Vec<Document>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        DocumentRow,
        r#"SELECT id AS "id!", slug, title, position FROM documents WHERE school_id = ? ORDER BY position, id"#,
        school_id
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(|r| r.of(scope)).collect())
}

/// The next free display position in a school.
pub async fn next_position(ex: impl SqliteExecutor<'_>, scope: Scope) -> Result<i64, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_scalar!(
        r#"SELECT COALESCE(MAX(position), -1) + 1 AS "position!: i64" FROM documents WHERE school_id = ?"#,
        school_id
    )
    .fetch_one(ex)
    .await
}
