//! A review that changed nothing: the dates move on, without a new version or a signing round.

use crate::app::{AppError, AppState, FieldErrors};
use crate::domain::dates::read_date;
use crate::domain::role::Actor;
use crate::domain::text::is_plain;
use crate::store::documents::{self, Document};
use crate::store::{audit, drafts};

/// A review as typed.
pub struct Typed<'a> {
    pub reviewed_on: &'a str,
    pub next_review_due: &'a str,
    pub note: &'a str,
}

/// Records the review and its audit event, or says what to put right.
pub async fn record(
    state: &AppState,
    me: &Actor,
    doc: &Document,
    typed: Typed<'_>,
) -> Result<Result<(), FieldErrors>, AppError> {
    if documents::latest_number(&state.db.read, doc.scope, doc.id).await? == 0 {
        return Err(AppError::Conflict(
            "Publish the first version before recording a review.".into(),
        ));
    }
    let today = crate::domain::london::to_london(state.clock.now()).date();
    let note = typed.note.trim();
    let mut errors = Vec::new();
    let reviewed_on = match read_date(typed.reviewed_on) {
        Some(d) if d <= today => Some(d),
        Some(_) => {
            errors.push((
                "reviewed_on".to_string(),
                "The review date cannot be in the future.".to_string(),
            ));
            None
        }
        None => {
            errors.push((
                "reviewed_on".into(),
                "Enter the date of the review, for example 12 9 2026.".into(),
            ));
            None
        }
    };
    let next_due = match read_date(typed.next_review_due) {
        Some(d) if reviewed_on.is_none_or(|r| d > r) && d > today => Some(d),
        Some(d) if d <= today && reviewed_on.is_none_or(|r| d > r) => {
            errors.push((
                "next_review_due".into(),
                "The next review must be after today.".into(),
            ));
            None
        }
        Some(_) => {
            errors.push((
                "next_review_due".into(),
                "The next review must be after this one.".into(),
            ));
            None
        }
        None => {
            errors.push((
                "next_review_due".into(),
                "Enter when the next review is due, for example 1 9 2027.".into(),
            ));
            None
        }
    };
    if note.chars().count() > 1000 || !is_plain(note) {
        errors.push((
            "note".into(),
            "Keep the note to 1,000 characters of plain text.".into(),
        ));
    }
    let (Some(reviewed_on), Some(next_due), true) = (reviewed_on, next_due, errors.is_empty())
    else {
        return Ok(Err(errors));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    drafts::insert_review(
        &mut *tx,
        drafts::NewReview {
            scope: me.scope,
            document_id: doc.id,
            reviewed_on: &reviewed_on.to_string(),
            next_review_due: &next_due.to_string(),
            decision: "no_change",
            version_id: None,
            note,
            recorded_at: now,
            recorded_by: me.id,
        },
    )
    .await?;
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "document.reviewed",
        &format!("document:{}", doc.id),
        &format!("no changes; next review due {next_due}"),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
