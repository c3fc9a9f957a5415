//! Page pieces more than one audience shows: dates, a version's approval block, a pupil line, a
//! status tag, a diff, the review banner.

use crate::domain::dates::{Review, format_iso_in, review_state};
use crate::domain::diff::{self, Change, Kind, Piece};
use crate::domain::document::Version;
use crate::domain::language::Lang;
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
        Self::new_in(
            Lang::English,
            approved_by,
            approved_on,
            last_reviewed,
            next_review_due,
            related_policies,
        )
    }

    /// [`MetaView::new`] with the dates in `lang`.
    pub fn new_in(
        lang: Lang,
        approved_by: &str,
        approved_on: &str,
        last_reviewed: &str,
        next_review_due: &str,
        related_policies: &str,
    ) -> Self {
        MetaView {
            approved_by: approved_by.to_string(),
            approved_on: format_iso_in(lang, approved_on),
            last_reviewed: format_iso_in(lang, last_reviewed),
            next_review_due: format_iso_in(lang, next_review_due),
            related: related_policies
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
        }
    }

    pub fn of(v: &Version) -> Self {
        MetaView::of_in(v, Lang::English)
    }

    /// A version's block with the dates in `lang`.
    pub fn of_in(v: &Version, lang: Lang) -> Self {
        MetaView::new_in(
            lang,
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

/// One run of a diff for a template: `markup` is the page's own tags (never outside text),
/// then `text` as `kind` says: `same`, `added` or `removed` (or nothing, for `tag`).
pub struct Run {
    pub markup: &'static str,
    pub kind: &'static str,
    pub text: String,
}

impl Run {
    fn tag(markup: &'static str) -> Run {
        Run {
            markup,
            kind: "tag",
            text: String::new(),
        }
    }
}

/// The differences between two versions as formatted text, ready for `partials/diff.html`:
/// headings, paragraphs and (nested) list items as HTML, with the words added and removed
/// marked inside them; and how many words were added and removed.
pub fn runs(old: &str, new: &str) -> (Vec<Run>, usize, usize) {
    let blocks = diff::versions(old, new);
    let (added, removed) = diff::counts(&blocks);
    let mut out = Vec::new();
    // The lists open around the current item: whether each is numbered.
    let mut lists: Vec<bool> = Vec::new();
    for b in blocks {
        match b.kind {
            Kind::Item { depth, ordered } => {
                while lists.len() > depth + 1 {
                    out.push(Run::tag(close_list(lists.pop())));
                }
                if lists.len() == depth + 1 {
                    if lists.last() == Some(&ordered) {
                        out.push(Run::tag("</li>"));
                    } else {
                        out.push(Run::tag(close_list(lists.pop())));
                    }
                }
                while lists.len() < depth + 1 {
                    out.push(Run::tag(if ordered { "<ol>" } else { "<ul>" }));
                    lists.push(ordered);
                }
            }
            _ => {
                while !lists.is_empty() {
                    out.push(Run::tag(close_list(lists.pop())));
                }
            }
        }
        let (open, close) = tags(b.kind, b.change);
        out.push(Run::tag(open));
        out.extend(b.pieces.into_iter().map(|p| match p {
            Piece::Same(text) => Run {
                markup: "",
                kind: "same",
                text,
            },
            Piece::Added(text) => Run {
                markup: "",
                kind: "added",
                text,
            },
            Piece::Removed(text) => Run {
                markup: "",
                kind: "removed",
                text,
            },
        }));
        out.push(Run::tag(close));
    }
    while !lists.is_empty() {
        out.push(Run::tag(close_list(lists.pop())));
    }
    (out, added, removed)
}

fn close_list(ordered: Option<bool>) -> &'static str {
    if ordered == Some(true) {
        "</li></ol>"
    } else {
        "</li></ul>"
    }
}

/// A block's opening and closing tags; a block added or removed whole is marked by a class
/// too (the words inside carry `<ins>` or `<del>`). An item's `</li>` waits for its sub-list.
fn tags(kind: Kind, change: Change) -> (&'static str, &'static str) {
    let c = match change {
        Change::Added => 1,
        Change::Removed => 2,
        Change::Same | Change::Edited => 0,
    };
    const H2: [&str; 3] = [
        "<h2>",
        "<h2 class=\"diff-added\">",
        "<h2 class=\"diff-removed\">",
    ];
    const H3: [&str; 3] = [
        "<h3>",
        "<h3 class=\"diff-added\">",
        "<h3 class=\"diff-removed\">",
    ];
    const H4: [&str; 3] = [
        "<h4>",
        "<h4 class=\"diff-added\">",
        "<h4 class=\"diff-removed\">",
    ];
    const H5: [&str; 3] = [
        "<h5>",
        "<h5 class=\"diff-added\">",
        "<h5 class=\"diff-removed\">",
    ];
    const H6: [&str; 3] = [
        "<h6>",
        "<h6 class=\"diff-added\">",
        "<h6 class=\"diff-removed\">",
    ];
    const P: [&str; 3] = [
        "<p>",
        "<p class=\"diff-added\">",
        "<p class=\"diff-removed\">",
    ];
    const DETAIL: [&str; 3] = [
        "<p class=\"diff-detail\">",
        "<p class=\"diff-detail diff-added\">",
        "<p class=\"diff-detail diff-removed\">",
    ];
    const LI: [&str; 3] = [
        "<li>",
        "<li class=\"diff-added\">",
        "<li class=\"diff-removed\">",
    ];
    match kind {
        Kind::Heading(2) => (H2[c], "</h2>"),
        Kind::Heading(3) => (H3[c], "</h3>"),
        Kind::Heading(4) => (H4[c], "</h4>"),
        Kind::Heading(5) => (H5[c], "</h5>"),
        Kind::Heading(_) => (H6[c], "</h6>"),
        Kind::Paragraph => (P[c], "</p>"),
        Kind::Detail => (DETAIL[c], "</p>"),
        Kind::Item { .. } => (LI[c], ""),
    }
}

/// The message for one field among a form's `(field, message)` errors, for the inline error
/// beside it (the summary at the top lists them all).
pub fn error_for<'a>(errors: &'a [(String, String)], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
}
