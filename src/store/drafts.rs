//! The one working draft each document may have, and the review log.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;

pub use crate::domain::draft::Draft;
use crate::domain::school::Scope;
use crate::domain::wording::Wording;

/// The draft of one of a school's documents, if it has one.
pub async fn get(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
) -> Result<Option<Draft>, sqlx::Error> {
    let school_id = scope.id();
    let row = sqlx::query!(
        "SELECT title, body_md, approved_by, approved_on, last_reviewed, next_review_due, related_policies,
                declaration_text, summary FROM drafts WHERE document_id = ? AND school_id = ?",
        document_id,
        school_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| Draft {
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
    }))
}

/// Creates or replaces the document's draft.
pub async fn save(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
    d: &Draft,
    now: OffsetDateTime,
    by: i64,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    sqlx::query!(
        "INSERT INTO drafts (school_id, document_id, title, body_md, approved_by, approved_on, last_reviewed, next_review_due,
                             related_policies, declaration_text, summary, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (document_id) DO UPDATE SET title = excluded.title, body_md = excluded.body_md,
             approved_by = excluded.approved_by, approved_on = excluded.approved_on, last_reviewed = excluded.last_reviewed,
             next_review_due = excluded.next_review_due, related_policies = excluded.related_policies,
             declaration_text = excluded.declaration_text, summary = excluded.summary, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by",
        school_id,
        document_id,
        d.wording.title,
        d.wording.body_md,
        d.wording.approved_by,
        d.wording.approved_on,
        d.wording.last_reviewed,
        d.wording.next_review_due,
        d.wording.related_policies,
        d.wording.declaration_text,
        d.summary,
        now,
        by
    )
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn discard(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
) -> Result<bool, sqlx::Error> {
    let school_id = scope.id();
    let res = sqlx::query!(
        "DELETE FROM drafts WHERE document_id = ? AND school_id = ?",
        document_id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(res.rows_affected() > 0)
}

/// One entry of a document's review log.
#[derive(Debug, Clone)]
pub struct Review {
    pub id: i64,
    pub reviewed_on: String,
    pub next_review_due: String,
    pub decision: String,
    pub version_number: Option<i64>,
    pub note: String,
    pub recorded_at: OffsetDateTime,
    pub recorded_by_name: Option<String>,
}

pub struct NewReview<'a> {
    pub scope: Scope,
    pub document_id: i64,
    pub reviewed_on: &'a str,
    pub next_review_due: &'a str,
    pub decision: &'a str,
    pub version_id: Option<i64>,
    pub note: &'a str,
    pub recorded_at: OffsetDateTime,
    pub recorded_by: i64,
}

pub async fn insert_review(
    ex: impl SqliteExecutor<'_>,
    r: NewReview<'_>,
) -> Result<(), sqlx::Error> {
    let recorded_at = stamp(r.recorded_at);
    let school_id = r.scope.id();
    sqlx::query!(
        "INSERT INTO reviews (school_id, document_id, reviewed_on, next_review_due, decision, version_id, note, recorded_at, recorded_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        school_id,
        r.document_id,
        r.reviewed_on,
        r.next_review_due,
        r.decision,
        r.version_id,
        r.note,
        recorded_at,
        r.recorded_by
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// A document's reviews, newest first.
pub async fn reviews(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
) -> Result<Vec<Review>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        Review,
        r#"SELECT r.id AS "id!", r.reviewed_on, r.next_review_due, r.decision, v.number AS "version_number?",
                  r.note, r.recorded_at AS "recorded_at: OffsetDateTime", u.name AS "recorded_by_name?"
           FROM reviews r LEFT JOIN versions v ON v.id = r.version_id LEFT JOIN staff_users u ON u.id = r.recorded_by
           WHERE r.document_id = ? AND r.school_id = ? ORDER BY r.id DESC"#,
        document_id,
        school_id
    )
    .fetch_all(ex)
    .await
}
