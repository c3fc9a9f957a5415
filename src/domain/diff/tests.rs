//! The comparison of two versions, on texts written for these tests.

use super::*;
use crate::domain::wording::Wording;

fn version(body: &str, next_review: &str, number: i64) -> String {
    Wording {
        title: "Riverside Code for Families".into(),
        body_md: body.into(),
        approved_by: "Governors".into(),
        approved_on: "2026-09-12".into(),
        last_reviewed: "2026-09-12".into(),
        next_review_due: next_review.into(),
        related_policies: String::new(),
        declaration_text: "I will follow the Riverside Code for Families.".into(),
    }
    .canonical(number)
}

const OLD: &str = "## Online\n\nPlease keep chats kind and short.\n\n- Ask before posting photos\n  - of other children\n- Use the office email\n\n## Visits\n\nThe office opens at nine and closes at five every day of the week.\n";
const NEW: &str = "## Online safety\n\nPlease keep chats kind, short and friendly.\n\n- Ask before posting photos\n  - of other children\n  - of staff\n- Use the office email\n\n## Parking\n\nDo not park on the zigzag lines outside the gates.\n";

fn find<'a>(blocks: &'a [Block], text: &str) -> &'a Block {
    blocks
        .iter()
        .find(|b| {
            b.pieces.iter().any(|p| match p {
                Piece::Same(t) | Piece::Added(t) | Piece::Removed(t) => t.contains(text),
            })
        })
        .unwrap_or_else(|| panic!("{text} not in {blocks:#?}"))
}

#[test]
fn blocks_are_aligned_and_edited_ones_compared_word_by_word() {
    let d = versions(
        &version(OLD, "2027-09-01", 1),
        &version(NEW, "2027-09-01", 2),
    );
    let heading = find(&d, "Online");
    assert_eq!(heading.kind, Kind::Heading(3));
    assert_eq!(heading.change, Change::Edited);
    assert_eq!(
        heading.pieces,
        vec![Piece::Same("Online".into()), Piece::Added(" safety".into())]
    );
    let para = find(&d, "Please keep chats");
    assert_eq!(para.change, Change::Edited);
    assert!(
        para.pieces.contains(&Piece::Removed("short.".into())),
        "{para:?}"
    );
    let staff = find(&d, "of staff");
    assert_eq!(
        (staff.kind, staff.change),
        (
            Kind::Item {
                depth: 1,
                ordered: false
            },
            Change::Added
        )
    );
    let same = find(&d, "of other children");
    assert_eq!(same.change, Change::Same);
    // A rewritten paragraph reads as removed, then added, whole.
    let gone = find(&d, "The office opens at nine");
    let came = find(&d, "zigzag");
    assert_eq!((gone.change, came.change), (Change::Removed, Change::Added));
    let at = |b: &Block| d.iter().position(|x| x == b);
    assert!(at(gone) < at(came));
    assert!(
        !d.iter().any(|b| b
            .pieces
            .iter()
            .any(|p| matches!(p, Piece::Same(t) | Piece::Added(t) | Piece::Removed(t) if t.contains("##") || t.starts_with("- ")))),
        "no Markdown left: {d:#?}"
    );
    let (added, removed) = counts(&d);
    assert!(added >= 12 && removed >= 14, "{added} {removed}");
}

#[test]
fn dates_read_as_dates_and_the_version_line_is_left_out() {
    let d = versions(
        &version("Be kind.", "2027-09-01", 1),
        &version("Be kind.", "2028-09-01", 2),
    );
    let next = find(&d, "Next review due");
    assert_eq!(next.kind, Kind::Detail);
    assert_eq!(
        next.pieces,
        vec![
            Piece::Same("Next review due: 1 September ".into()),
            Piece::Removed("2027".into()),
            Piece::Added("2028".into()),
        ]
    );
    assert!(
        find(&d, "Approved on").pieces
            == vec![Piece::Same("Approved on: 12 September 2026".into())]
    );
    assert!(!format!("{d:?}").contains("Version "), "{d:?}");
    assert_eq!(counts(&d), (1, 1));
    let same = versions(
        &version("Be kind.", "2027-09-01", 1),
        &version("Be kind.", "2027-09-01", 2),
    );
    assert_eq!(counts(&same), (0, 0));
    assert!(same.iter().all(|b| b.change == Change::Same));
    let decl = find(&same, "I will follow");
    assert_eq!(decl.kind, Kind::Paragraph);
}

#[test]
fn word_differences_inside_a_block() {
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
    assert_eq!(words("same", "same"), vec![Piece::Same("same".into())]);
}

#[test]
fn a_long_rewrite_is_compared_quickly() {
    let para = |seed: usize| {
        (0..40)
            .map(|w| format!("w{}", (seed * 7 + w * 13) % 97))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let old: String = (0..100).map(|i| format!("{}\n\n", para(i))).collect();
    // Every paragraph edited: a word in three changed.
    let new: String = (0..100)
        .map(|i| {
            let p = para(i)
                .split(' ')
                .enumerate()
                .map(|(k, w)| if k % 3 == 0 { "new" } else { w })
                .collect::<Vec<_>>()
                .join(" ");
            format!("{p}\n\n")
        })
        .collect();
    let started = std::time::Instant::now();
    let d = versions(
        &version(&old, "2027-09-01", 1),
        &version(&new, "2027-09-01", 2),
    );
    assert!(d.iter().filter(|b| b.change == Change::Edited).count() >= 100);
    eprintln!("{:?}", started.elapsed());
}
