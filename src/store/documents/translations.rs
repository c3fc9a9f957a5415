//! Translations of published versions: immutable once written, like the versions themselves.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
use crate::domain::school::Scope;
use crate::domain::translation::Translation;
use crate::domain::wording::Wording;

/// A `version_translations` row joined with its version's dates, as the queries read it.
struct Row {
    id: i64,
    version_id: i64,
    language: String,
    title: String,
    approved_by: String,
    related_policies: String,
    body_md: String,
    declaration_text: String,
    authoritative: bool,
    summary: String,
    canonical_text: String,
    sha256: String,
    published_at: OffsetDateTime,
    published_by: Option<i64>,
    approved_on: String,
    last_reviewed: String,
    next_review_due: String,
    /// Its version's number (for `signoff verify`, which rebuilds the fixed text).
    number: i64,
}

impl From<Row> for Translation {
    fn from(r: Row) -> Translation {
        Translation {
            id: r.id,
            version_id: r.version_id,
            language: r.language,
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
            authoritative: r.authoritative,
            summary: r.summary,
            canonical_text: r.canonical_text,
            sha256: r.sha256,
            published_at: r.published_at,
            published_by: r.published_by,
        }
    }
}

/// A translation about to be published; `canonical_text` and `sha256` come from
/// `domain::translation::canonical`.
pub struct NewTranslation<'a> {
    pub scope: Scope,
    pub version_id: i64,
    pub language: &'a str,
    pub wording: &'a Wording,
    pub authoritative: bool,
    pub summary: &'a str,
    pub canonical_text: &'a str,
    pub sha256: &'a str,
    pub published_at: OffsetDateTime,
    pub published_by: i64,
}

pub async fn insert_translation(
    ex: impl SqliteExecutor<'_>,
    t: NewTranslation<'_>,
) -> Result<i64, sqlx::Error> {
    let school_id = t.scope.id();
    let published_at = stamp(t.published_at);
    let w = t.wording;
    let res = sqlx::query!(
        "INSERT INTO version_translations (school_id, version_id, language, title, approved_by,
             related_policies, body_md, declaration_text, authoritative, summary, canonical_text,
             sha256, published_at, published_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        school_id,
        t.version_id,
        t.language,
        w.title,
        w.approved_by,
        w.related_policies,
        w.body_md,
        w.declaration_text,
        t.authoritative,
        t.summary,
        t.canonical_text,
        t.sha256,
        published_at,
        t.published_by
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

/// A version's translations, by language tag.
pub async fn translations_of(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    version_id: i64,
) -> Result<Vec<Translation>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        Row,
        r#"SELECT t.id AS "id!", t.version_id, t.language, t.title, t.approved_by, t.related_policies,
                  t.body_md, t.declaration_text, t.authoritative AS "authoritative: bool",
                  t.summary, t.canonical_text, t.sha256, t.published_at AS "published_at: OffsetDateTime",
                  t.published_by, v.approved_on, v.last_reviewed, v.next_review_due,
                  v.number AS "number!: i64"
           FROM version_translations t JOIN versions v ON v.id = t.version_id
           WHERE t.version_id = ? AND t.school_id = ? ORDER BY t.language"#,
        version_id,
        school_id
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(Translation::from).collect())
}

/// Every translation in the file with its version's number, for `signoff verify`.
pub async fn all_translations(
    ex: impl SqliteExecutor<'_>,
) -> Result<Vec<(Translation, i64)>, sqlx::Error> {
    let rows = sqlx::query_as!(
        Row,
        r#"SELECT t.id AS "id!", t.version_id, t.language, t.title, t.approved_by, t.related_policies,
                  t.body_md, t.declaration_text, t.authoritative AS "authoritative: bool",
                  t.summary, t.canonical_text, t.sha256, t.published_at AS "published_at: OffsetDateTime",
                  t.published_by, v.approved_on, v.last_reviewed, v.next_review_due,
                  v.number AS "number!: i64"
           FROM version_translations t JOIN versions v ON v.id = t.version_id ORDER BY t.id"#
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let number = r.number;
            (Translation::from(r), number)
        })
        .collect())
}
