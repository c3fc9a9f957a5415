//! Word-level differences between two texts, marked so they read without colour too.

use similar::{ChangeTag, DiffTag, TextDiff};

/// One run of the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    Added(String),
    Removed(String),
}

/// Differences from `old` to `new`: by paragraph, and word by word inside a paragraph that was
/// edited rather than rewritten (so a rewritten paragraph reads as removed, then added).
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let lines = TextDiff::from_lines(old, new);
    let (old_lines, new_lines) = (lines.old_slices(), lines.new_slices());
    let mut out: Vec<Piece> = Vec::new();
    for op in lines.ops() {
        let (tag, o, n) = op.as_tag_tuple();
        let before = old_lines[o.clone()].concat();
        let after = new_lines[n.clone()].concat();
        match tag {
            DiffTag::Equal => push(&mut out, Piece::Same(before)),
            DiffTag::Delete => push(&mut out, Piece::Removed(before)),
            DiffTag::Insert => push(&mut out, Piece::Added(after)),
            DiffTag::Replace => {
                let inner = TextDiff::from_words(before.as_str(), after.as_str());
                if inner.ratio() >= 0.5 {
                    for change in inner.iter_all_changes() {
                        let v = change.value().to_string();
                        push(
                            &mut out,
                            match change.tag() {
                                ChangeTag::Equal => Piece::Same(v),
                                ChangeTag::Insert => Piece::Added(v),
                                ChangeTag::Delete => Piece::Removed(v),
                            },
                        );
                    }
                } else {
                    push(&mut out, Piece::Removed(before));
                    push(&mut out, Piece::Added(after));
                }
            }
        }
    }
    out
}

/// Appends a piece, merging it into the last one when they are of a kind.
fn push(out: &mut Vec<Piece>, piece: Piece) {
    match (out.last_mut(), piece) {
        (Some(Piece::Same(a)), Piece::Same(b))
        | (Some(Piece::Added(a)), Piece::Added(b))
        | (Some(Piece::Removed(a)), Piece::Removed(b)) => a.push_str(&b),
        (_, p) => {
            let empty =
                matches!(&p, Piece::Same(t) | Piece::Added(t) | Piece::Removed(t) if t.is_empty());
            if !empty {
                out.push(p);
            }
        }
    }
}

/// How many words were added and removed.
pub fn counts(pieces: &[Piece]) -> (usize, usize) {
    pieces.iter().fold((0, 0), |(a, r), p| match p {
        Piece::Added(s) => (a + s.split_whitespace().count(), r),
        Piece::Removed(s) => (a, r + s.split_whitespace().count()),
        Piece::Same(_) => (a, r),
    })
}

/// The word differences between two versions' canonical texts, skipping the version-number
/// line both start with (it always differs).
pub fn versions(old: &str, new: &str) -> Vec<Piece> {
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("Version "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    words(&strip(old), &strip(new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewritten_paragraph_reads_as_removed_then_added() {
        let d = words(
            "Intro.\nThe office opens at nine and closes at five every day.\nEnd.\n",
            "Intro.\nPlease keep group chats kind.\nEnd.\n",
        );
        assert_eq!(
            d,
            vec![
                Piece::Same("Intro.\n".into()),
                Piece::Removed("The office opens at nine and closes at five every day.\n".into()),
                Piece::Added("Please keep group chats kind.\n".into()),
                Piece::Same("End.\n".into()),
            ]
        );
    }

    #[test]
    fn marks_added_and_removed_words() {
        let d = words(
            "Parents must not post photos.",
            "Parents must never post photos of children.",
        );
        assert!(d.contains(&Piece::Removed("not".into())), "{d:?}");
        assert!(
            d.iter()
                .any(|p| matches!(p, Piece::Added(s) if s.contains("never"))),
            "{d:?}"
        );
        let (added, removed) = counts(&d);
        assert!(added >= 3 && removed >= 1, "{added} {removed}");
        assert_eq!(words("same", "same"), vec![Piece::Same("same".into())]);
    }
}
