//! Page pieces more than one audience shows: dates, a version's approval block, a pupil line, a
//! status tag, a diff, the review banner.

use crate::domain::dates::{Review, review_state};
use crate::domain::diff::{self, Piece};
use crate::domain::document::Version;
use crate::domain::status::Status;

pub use crate::domain::dates::format_iso as display_date;
pub use crate::domain::dates::format_stamp as display_stamp;

/// A pupil as a carer's pages and receipts show them.
pub struct ChildView {
    pub name: String,
    pub class_name: String,
}

/// A version's approval and review dates, as every policy page shows them.
pub struct MetaView {
    pub approved_by: String,
    pub approved_on: String,
    pub last_reviewed: String,
    pub next_review_due: String,
    pub related: Vec<String>,
}

impl MetaView {
    /// From the fields a version or a draft keeps (dates as ISO text, policies one per line).
    pub fn new(
        approved_by: &str,
        approved_on: &str,
        last_reviewed: &str,
        next_review_due: &str,
        related_policies: &str,
    ) -> Self {
        MetaView {
            approved_by: approved_by.to_string(),
            approved_on: display_date(approved_on),
            last_reviewed: display_date(last_reviewed),
            next_review_due: display_date(next_review_due),
            related: related_policies
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
        }
    }

    pub fn of(v: &Version) -> Self {
        MetaView::new(
            &v.approved_by,
            &v.approved_on,
            &v.last_reviewed,
            &v.next_review_due,
            &v.related_policies,
        )
    }
}

/// A status as a coloured tag: (CSS class, words).
pub fn tag(status: Status, paper: bool) -> (&'static str, &'static str) {
    match (status, paper) {
        (Status::Signed, true) => ("tag-paper", "Signed on paper"),
        (Status::Signed, false) => ("tag-signed", "Signed"),
        (Status::MustResign, _) => ("tag-resign", "Must re-sign"),
        (Status::NotSigned, _) => ("tag-not", "Not signed"),
    }
}

/// The review rule (`domain::dates::review_state`) as a notice: `(css class, message)`.
pub fn review_notice(next_review_due: &str, today: time::Date) -> Option<(String, String)> {
    let when = display_date(next_review_due);
    Some(match review_state(next_review_due, today)? {
        Review::Overdue(days) => (
            "notice-warning".into(),
            format!("The review of this code was due on {when} and is {days} days overdue."),
        ),
        Review::DueIn(days) => (
            "notice".into(),
            format!("The next review of this code is due on {when} (in {days} days)."),
        ),
    })
}

/// One run of a diff for a template: `kind` is `same`, `added` or `removed`.
pub struct Run {
    pub kind: &'static str,
    pub text: String,
}

/// The word differences between two versions, ready for a template.
pub fn runs(old: &str, new: &str) -> (Vec<Run>, usize, usize) {
    let pieces = diff::versions(old, new);
    let (added, removed) = diff::counts(&pieces);
    let runs = pieces
        .into_iter()
        .map(|p| match p {
            Piece::Same(t) => Run {
                kind: "same",
                text: t,
            },
            Piece::Added(t) => Run {
                kind: "added",
                text: t,
            },
            Piece::Removed(t) => Run {
                kind: "removed",
                text: t,
            },
        })
        .collect();
    (runs, added, removed)
}

/// The message for one field among a form's `(field, message)` errors, for the inline error
/// beside it (the summary at the top lists them all).
pub fn error_for<'a>(errors: &'a [(String, String)], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
}
