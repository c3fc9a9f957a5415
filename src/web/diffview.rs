//! Differences between two versions, ready for a template, and the "what changed" block parents see.

use crate::domain::diff::{self, Piece};

/// One run of a diff for a template: `kind` is `same`, `added` or `removed`.
pub struct Run {
    pub kind: &'static str,
    pub text: String,
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
