//! Differences between two versions, ready for a template, and the "what changed" block parents see.

use crate::domain::diff::{self, Piece};
use crate::domain::evidence::VersionText;
use crate::store::documents::Version;

/// One run of a diff for a template: `kind` is `same`, `added` or `removed`.
pub struct Run {
    pub kind: &'static str,
    pub text: String,
}

/// A version's canonical text (what parents read and sign).
pub fn canonical(v: &Version) -> String {
    VersionText {
        title: &v.title,
        number: v.number,
        approved_by: &v.approved_by,
        approved_on: &v.approved_on,
        last_reviewed: &v.last_reviewed,
        next_review_due: &v.next_review_due,
        related_policies: &v.related_policies,
        body_md: &v.body_md,
        declaration_text: &v.declaration_text,
    }
    .canonical()
}

/// The word differences between two texts, skipping the version-number line both start with.
pub fn runs(old: &str, new: &str) -> (Vec<Run>, usize, usize) {
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("Version "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let pieces = diff::words(&strip(old), &strip(new));
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
