//! Documents parents sign, and their published versions.

use sqlx::{FromRow, SqliteExecutor};

#[derive(Debug, Clone, FromRow)]
pub struct Document {
    pub id: i64,
    pub school_id: i64,
    pub slug: String,
    pub title: String,
    pub position: i64,
}

/// A published version, exactly as stored.
#[derive(Debug, Clone, FromRow)]
pub struct Version {
    pub id: i64,
    pub school_id: i64,
    pub document_id: i64,
    pub number: i64,
    pub title: String,
    pub body_md: String,
    pub approved_by: String,
    pub approved_on: String,
    pub last_reviewed: String,
    pub next_review_due: String,
    pub related_policies: String,
    pub declaration_text: String,
    pub summary: String,
    pub material: bool,
    pub canonical_text: String,
    pub sha256: String,
    pub published_at: String,
    pub published_by: Option<i64>,
}

const VERSION_COLUMNS: &str = "id, school_id, document_id, number, title, body_md, approved_by, approved_on, \
    last_reviewed, next_review_due, related_policies, declaration_text, summary, material, canonical_text, \
    sha256, published_at, published_by";

/// A document with its current version and the number of its latest material version: everything
/// needed to tell a parent's status.
#[derive(Debug, Clone)]
pub struct Current {
    pub document: Document,
    pub version: Version,
    pub latest_material: i64,
    /// The latest review's dates (a review with no changes moves them on without a new version).
    pub last_reviewed: String,
    pub next_review_due: String,
}

pub async fn insert_document(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    slug: &str,
    title: &str,
    position: i64,
    now: &str,
) -> Result<i64, sqlx::Error> {
    let res = sqlx::query("INSERT INTO documents (school_id, slug, title, position, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(school_id)
        .bind(slug)
        .bind(title)
        .bind(position)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(res.last_insert_rowid())
}

/// A version about to be published. `canonical_text` and `sha256` come from `domain::evidence`.
pub struct NewVersion<'a> {
    pub school_id: i64,
    pub document_id: i64,
    pub number: i64,
    pub title: &'a str,
    pub body_md: &'a str,
    pub approved_by: &'a str,
    pub approved_on: &'a str,
    pub last_reviewed: &'a str,
    pub next_review_due: &'a str,
    pub related_policies: &'a str,
    pub declaration_text: &'a str,
    pub summary: &'a str,
    pub material: bool,
    pub canonical_text: &'a str,
    pub sha256: &'a str,
    pub published_at: &'a str,
    pub published_by: Option<i64>,
}

pub async fn insert_version(
    ex: impl SqliteExecutor<'_>,
    v: NewVersion<'_>,
) -> Result<i64, sqlx::Error> {
    let res = sqlx::query(
        "INSERT INTO versions (school_id, document_id, number, title, body_md, approved_by, approved_on, \
         last_reviewed, next_review_due, related_policies, declaration_text, summary, material, canonical_text, \
         sha256, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(v.school_id)
    .bind(v.document_id)
    .bind(v.number)
    .bind(v.title)
    .bind(v.body_md)
    .bind(v.approved_by)
    .bind(v.approved_on)
    .bind(v.last_reviewed)
    .bind(v.next_review_due)
    .bind(v.related_policies)
    .bind(v.declaration_text)
    .bind(v.summary)
    .bind(v.material)
    .bind(v.canonical_text)
    .bind(v.sha256)
    .bind(v.published_at)
    .bind(v.published_by)
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

pub async fn version(ex: impl SqliteExecutor<'_>, id: i64) -> Result<Option<Version>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM versions WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// Every document of a school that has a published version, in display order, with its current
/// version. One query: the school's current versions joined to their documents.
pub async fn current_for_school(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
) -> Result<Vec<Current>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        version: Version,
        d_slug: String,
        d_title: String,
        d_position: i64,
        latest_material: i64,
        r_last: Option<String>,
        r_next: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {cols}, d.slug AS d_slug, d.title AS d_title, d.position AS d_position,
                COALESCE((SELECT MAX(m.number) FROM versions m WHERE m.document_id = v.document_id AND m.material = 1), 1)
                    AS latest_material,
                (SELECT r.reviewed_on FROM reviews r WHERE r.document_id = v.document_id ORDER BY r.id DESC LIMIT 1) AS r_last,
                (SELECT r.next_review_due FROM reviews r WHERE r.document_id = v.document_id ORDER BY r.id DESC LIMIT 1) AS r_next
         FROM versions v JOIN documents d ON d.id = v.document_id
         WHERE v.school_id = ?
           AND v.number = (SELECT MAX(number) FROM versions x WHERE x.document_id = v.document_id)
         ORDER BY d.position, d.id",
        cols = VERSION_COLUMNS
            .split(", ")
            .map(|c| format!("v.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .bind(school_id)
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Current {
            document: Document {
                id: r.version.document_id,
                school_id: r.version.school_id,
                slug: r.d_slug,
                title: r.d_title,
                position: r.d_position,
            },
            latest_material: r.latest_material,
            last_reviewed: r.r_last.unwrap_or_else(|| r.version.last_reviewed.clone()),
            next_review_due: r
                .r_next
                .unwrap_or_else(|| r.version.next_review_due.clone()),
            version: r.version,
        })
        .collect())
}

/// Every published version of a document, newest first.
pub async fn versions_of(
    ex: impl SqliteExecutor<'_>,
    document_id: i64,
) -> Result<Vec<Version>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM versions WHERE document_id = ? ORDER BY number DESC"
    ))
    .bind(document_id)
    .fetch_all(ex)
    .await
}

pub async fn document(
    ex: impl SqliteExecutor<'_>,
    id: i64,
) -> Result<Option<Document>, sqlx::Error> {
    sqlx::query_as("SELECT id, school_id, slug, title, position FROM documents WHERE id = ?")
        .bind(id)
        .fetch_optional(ex)
        .await
}

pub async fn document_by_slug(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    slug: &str,
) -> Result<Option<Document>, sqlx::Error> {
    sqlx::query_as("SELECT id, school_id, slug, title, position FROM documents WHERE school_id = ? AND slug = ?")
        .bind(school_id)
        .bind(slug)
        .fetch_optional(ex)
        .await
}

/// All of a school's documents, published or not, in display order.
pub async fn documents(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
) -> Result<Vec<Document>, sqlx::Error> {
    sqlx::query_as("SELECT id, school_id, slug, title, position FROM documents WHERE school_id = ? ORDER BY position, id")
        .bind(school_id)
        .fetch_all(ex)
        .await
}

/// The next free display position in a school.
pub async fn next_position(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(position), -1) + 1 FROM documents WHERE school_id = ?")
        .bind(school_id)
        .fetch_one(ex)
        .await
}

pub async fn version_by_number(
    ex: impl SqliteExecutor<'_>,
    document_id: i64,
    number: i64,
) -> Result<Option<Version>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM versions WHERE document_id = ? AND number = ?"
    ))
    .bind(document_id)
    .bind(number)
    .fetch_optional(ex)
    .await
}

/// How many carers signed each version of a document: (version id, count).
pub async fn signed_counts(
    ex: impl SqliteExecutor<'_>,
    document_id: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version_id, COUNT(*) FROM declarations WHERE document_id = ? GROUP BY version_id",
    )
    .bind(document_id)
    .fetch_all(ex)
    .await
}

/// The highest version number of a document (0 when none is published).
pub async fn latest_number(
    ex: impl SqliteExecutor<'_>,
    document_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) FROM versions WHERE document_id = ?")
        .bind(document_id)
        .fetch_one(ex)
        .await
}
