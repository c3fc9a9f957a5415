//! The paste cleaner's tests, on a paste in the shape Word produces.

use super::*;

/// Written for this test in the shape a Word paste arrives in.
const MESSY: &str = "Code of Conduct for Families\r\n\r\n\r\nMeadowbank Infant School\r\n\r\n\
Approved by:\tThe Trust Board\t3.9.25\r\n\
Last reviewed on:\t12.6.24\t\r\n\
Next review due by:\tAutumn 2026\t\r\n\r\n\
[bookmark: _Purpose_1][bookmark: purpose]Purpose \r\n\
Meadowbank wants families to feel part of the school online as well as in person.\u{a0}This code explains how.\r\n\r\n\r\n\r\n\
1. Laws we follow\r\n\r\n\
This code takes account of the following:\r\n\
Data Protection Act 2018 \r\n\
UK GDPR\r\n\
Equality Act 2010\r\n\
Please also read our Complaints Policy.\r\n\
[bookmark: _Chats]Group chats\r\n\
We ask families not to do any of these:\r\n\
· Share photos of other children\r\n\
•\tSpread rumours about staff\r\n\
o\tAdd staff to family chats\r\n\
- Ask before you post,\r\n  even in a closed group\r\n\
Thank you for helping. If you have a worry, please talk\r\n\
Thank you for helping. If you have a worry, please talk to the office.\r\n\
Thank you for helping. If you have a worry, please talk to the office.\r\n";

#[test]
fn a_messy_paste_becomes_clean_markdown() {
    let c = clean(MESSY);
    assert_eq!(c.title.as_deref(), Some("Code of Conduct for Families"));
    assert_eq!(c.approved_by.as_deref(), Some("The Trust Board"));
    assert_eq!(c.approved_on.as_deref(), Some("2025-09-03"));
    assert_eq!(c.last_reviewed.as_deref(), Some("2024-06-12"));
    assert_eq!(
        c.next_review_due.as_deref(),
        Some("2026-09-01"),
        "Autumn 2026: the autumn term starts in September"
    );
    let md = &c.body_md;
    assert!(!md.contains("bookmark"), "{md}");
    assert!(
        !md.contains('\t') && !md.contains('\r') && !md.contains('\u{a0}'),
        "{md}"
    );
    assert!(md.contains("## Purpose\n"), "{md}");
    assert!(md.contains("## Laws we follow\n"), "{md}");
    assert!(md.contains("## Group chats\n"), "{md}");
    assert!(
        md.contains("- Data Protection Act 2018\n- UK GDPR\n- Equality Act 2010\n"),
        "{md}"
    );
    assert!(
        md.contains("- Share photos of other children\n- Spread rumours about staff\n  - Add staff to family chats\n"),
        "Word's `o` is the second level: {md}"
    );
    assert!(
        md.contains("\n    - Ask before you post, even in a closed group\n"),
        "a dash after `o` goes a level deeper, and its wrapped line is joined: {md}"
    );
    assert!(
        !md.contains("Next review due by"),
        "a read date line leaves the text: {md}"
    );
    assert_eq!(md.matches("Thank you for helping").count(), 1, "{md}");
    assert!(md.contains("please talk to the office."));
    assert!(md.contains("Meadowbank Infant School"));
    assert!(!md.contains("\n\n\n"));
    // Every word of the real text is still there.
    for word in [
        "Meadowbank",
        "person.",
        "explains",
        "Complaints",
        "rumours",
        "worry",
    ] {
        assert!(md.contains(word), "{word} lost: {md}");
    }
}

#[test]
fn clean_markdown_passes_through() {
    let md = "## Rules\n\nBe kind.\n\n- one\n- two\n";
    assert_eq!(clean(md).body_md, md);
}

#[test]
fn dates_as_schools_write_them() {
    use super::super::dates::read_date;
    assert_eq!(
        read_date("17.7.24").map(|d| d.to_string()).as_deref(),
        Some("2024-07-17")
    );
    assert_eq!(
        read_date("27/04/2022").map(|d| d.to_string()).as_deref(),
        Some("2022-04-27")
    );
    assert_eq!(
        read_date("1 May 2025").map(|d| d.to_string()).as_deref(),
        Some("2025-05-01")
    );
    assert_eq!(read_date("Summer 2025"), None);
    assert_eq!(read_date("31.2.25"), None);
    for typed in [
        "12/09/2026",
        "12.09.26",
        "12 9 2026",
        "2026-09-12",
        "12 September 2026",
        "12th Sept 2026",
        "Saturday 12 September 2026",
        "12-09-2026",
    ] {
        assert_eq!(
            read_date(typed).map(|d| d.to_string()).as_deref(),
            Some("2026-09-12"),
            "{typed}"
        );
    }
    assert_eq!(
        read_date("September 2026"),
        None,
        "a form field asks for the day"
    );
    assert_eq!(
        super::super::dates::read_month("Sept 2026")
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-09-01")
    );
}

/// A paste with nested bullets in Word's characters, a numbered list with lettered and roman
/// sub-items, and a header table; written for this test.
const NESTED: &str = "Hillcrest Primary School \u{2013} Code of Conduct for Parents and Carers\r\n\r\n\
Date approved:\t12th September 2025\tNext review:\tSeptember 2026\r\n\
Reviewed: Sept 2025\r\n\r\n\
In the playground\r\n\r\n\
We ask that you:\r\n\
\u{b7}\tspeak calmly to staff\r\n\
o\tat the gate\r\n\
\u{25aa}\tin the morning\r\n\
\u{a7}\tand at home time\r\n\
o\ton the phone\r\n\
\u{b7}\tkeep dogs outside\r\n\r\n\
Online\r\n\r\n\
1.\tThink before you post\r\n\
\ta)\tabout children\r\n\
\t\ti.\tyours or others\r\n\
\tb)\tabout staff\r\n\
2.\tUse the complaints procedure\r\n";

#[test]
fn nested_lists_stay_nested() {
    let c = clean(NESTED);
    let md = &c.body_md;
    assert!(
        md.contains(
            "- speak calmly to staff\n  - at the gate\n    - in the morning\n    - and at home time\n  - on the phone\n- keep dogs outside\n"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "1. Think before you post\n   1. about children\n      1. yours or others\n   2. about staff\n2. Use the complaints procedure\n"
        ),
        "{md}"
    );
    // The renderer keeps the nesting.
    let html = crate::domain::markdown::render(md).into_string();
    assert!(
        html.contains("<li>speak calmly to staff\n<ul>\n<li>at the gate\n<ul>"),
        "{html}"
    );
    assert!(html.contains("<ol>\n<li>about children\n<ol>"), "{html}");
}

#[test]
fn the_title_line_and_the_dates_are_found_where_the_school_put_them() {
    let c = clean(NESTED);
    assert_eq!(
        c.title.as_deref(),
        Some("Hillcrest Primary School \u{2013} Code of Conduct for Parents and Carers")
    );
    assert_eq!(c.approved_on.as_deref(), Some("2025-09-12"));
    assert_eq!(c.next_review_due.as_deref(), Some("2026-09-01"));
    assert!(c.month_only.next_review_due && !c.month_only.approved_on);
    assert_eq!(c.last_reviewed.as_deref(), Some("2025-09-01"));
    assert!(!c.body_md.contains("approved") && !c.body_md.contains("Reviewed"));
    assert!(
        c.body_md.starts_with("## In the playground\n"),
        "{}",
        c.body_md
    );

    for (paste, title) in [
        (
            "Elm Park School: Code of Conduct for Parents\n\nBe kind.\n",
            "Elm Park School: Code of Conduct for Parents",
        ),
        (
            "Elm Park School \u{2014} Home-School Agreement\n\nBe kind.\n",
            "Elm Park School \u{2014} Home-School Agreement",
        ),
        (
            "Elm Park School - Parents' Code\n\nBe kind.\n",
            "Elm Park School - Parents' Code",
        ),
        (
            "Elm Park School\n\nParents' Social Media Code of Conduct\n\nBe kind.\n",
            "Parents' Social Media Code of Conduct",
        ),
        (
            "PARENTS' SOCIAL MEDIA CODE OF CONDUCT\n\nBe kind.\n",
            "Parents' Social Media Code of Conduct",
        ),
    ] {
        assert_eq!(clean(paste).title.as_deref(), Some(title), "{paste}");
    }
    assert!(
        clean("Elm Park School\n\nParents' Social Media Code of Conduct\n\nBe kind.\n")
            .body_md
            .contains("Elm Park School")
    );

    // A table of labels over a table of values, and dates in other spellings.
    let c = clean(
        "Code of Conduct\n\nApproved by\tDate approved\tNext review date\nGovernors\t12.09.25\t12/09/2026\n\nBe kind.\n",
    );
    assert_eq!(c.approved_by.as_deref(), Some("Governors"));
    assert_eq!(c.approved_on.as_deref(), Some("2025-09-12"));
    assert_eq!(c.next_review_due.as_deref(), Some("2026-09-12"));
    assert_eq!(c.body_md, "Be kind.\n");
    let c = clean(
        "Policy for parents\n\nApproved by the Governing Body on 12 Sept 2025.\n\nBe kind.\n",
    );
    assert_eq!(c.approved_by.as_deref(), Some("the Governing Body"));
    assert_eq!(c.approved_on.as_deref(), Some("2025-09-12"));
    // A sentence that gives the next review: the date is taken, the sentence stays.
    let c = clean(
        "Code of Conduct\n\nBe kind.\n\nThe next scheduled review date for this code is May 2027.\n",
    );
    assert_eq!(c.next_review_due.as_deref(), Some("2027-05-01"));
    assert!(c.month_only.next_review_due);
    assert!(c.body_md.contains("is May 2027."));
    // A sentence that starts like a label stays in the text.
    let c = clean("Reviewed regularly by the governors, this code changes.\n");
    assert_eq!(c.last_reviewed, None);
    assert!(c.body_md.contains("Reviewed regularly"));
}

#[test]
fn applying_a_paste_says_what_it_found_and_what_it_kept() {
    use crate::domain::wording::Wording;
    let before = Wording {
        title: "Social Media Code".into(),
        approved_by: "Governors".into(),
        approved_on: "2026-11-01".into(),
        last_reviewed: "2026-11-01".into(),
        next_review_due: "2027-09-01".into(),
        declaration_text: "I have read the Social Media Code and agree.".into(),
        ..Wording::default()
    };
    let mut w = before.clone();
    let notes = apply(
        clean(
            "Elm Park School \u{2013} Code of Conduct for Parents\n\nDate approved: 12/09/2025\n\nBe kind.\n",
        ),
        &mut w,
        Some(&before),
    );
    let all = notes.join("\n");
    assert!(all.contains("Title found in the paste: \u{201c}Elm Park School \u{2013} Code of Conduct for Parents\u{201d}."), "{all}");
    assert!(
        all.contains("Approval date found in the paste: 12 September 2025."),
        "{all}"
    );
    assert!(
        all.contains("No next-review date found in the paste; kept 1 September 2027 from the previous version \u{2014} change it below."),
        "{all}"
    );
    assert_eq!(w.next_review_due, "2027-09-01");
    assert_eq!(
        w.declaration_text,
        "I have read the Elm Park School \u{2013} Code of Conduct for Parents and agree."
    );
    assert_eq!(w.body_md, "Be kind.");
}

#[test]
fn a_sentence_that_starts_like_a_label_stays_in_the_text() {
    let sentence =
        "Approved by the Governing Body in September 2025, this code applies to all parents.";
    let c = clean(&format!("Code of Conduct\n\n{sentence}\n\nBe kind.\n"));
    assert!(c.body_md.contains(sentence), "{}", c.body_md);
    assert_eq!(
        c.approved_on.as_deref(),
        Some("2025-09-01"),
        "its date is read"
    );
    assert_eq!(c.approved_by, None, "a name is not cut out of a sentence");
    let c = clean("Code of Conduct\n\nApproved by governors in May 2025, for all.\n");
    assert!(c.body_md.contains("for all."), "{}", c.body_md);

    let c = clean(
        "Code of Conduct\n\nReviewed every year by staff and governors on 1 September 2025 with parents' views.\n\nBe kind.\n",
    );
    assert!(c.body_md.contains("with parents' views."), "{}", c.body_md);
    assert_eq!(c.last_reviewed.as_deref(), Some("2025-09-01"));

    // Lines that are only a label and its value leave the body.
    let c = clean(
        "Code of Conduct\n\nApproved by: Governing Body\nDate approved: 12/09/2025\nLast reviewed by the Governors on 1 September 2025.\n\nBe kind.\n",
    );
    assert_eq!(c.approved_by.as_deref(), Some("Governing Body"));
    assert_eq!(c.approved_on.as_deref(), Some("2025-09-12"));
    assert_eq!(c.last_reviewed.as_deref(), Some("2025-09-01"));
    assert_eq!(c.body_md.trim(), "Be kind.");
    // A date found in a sentence never overrides a label's.
    let c = clean(
        "Code of Conduct\n\nApproved in March 2025 after talking to parents, this code is ours.\n\nDate approved: 12/09/2025\n",
    );
    assert_eq!(c.approved_on.as_deref(), Some("2025-09-12"));
    assert!(c.body_md.contains("this code is ours."));
}

#[test]
fn a_next_review_date_is_only_taken_from_wording_that_gives_one() {
    let line = "Parents may come to the next review meeting on 3 March 2026.";
    let c = clean(&format!("Code of Conduct\n\n{line}\n"));
    assert_eq!(c.next_review_due, None);
    assert!(c.body_md.contains(line));
    for line in [
        "This code will next be reviewed in September 2027.",
        "The next review is due on 1 September 2027.",
        "Its next review will be on 1 September 2027.",
    ] {
        let c = clean(&format!("Code of Conduct\n\n{line}\n"));
        assert_eq!(c.next_review_due.as_deref(), Some("2027-09-01"), "{line}");
        assert!(
            c.body_md.contains(line),
            "the sentence stays: {}",
            c.body_md
        );
    }
}

#[test]
fn a_paste_without_a_title_line_keeps_the_drafts_title() {
    let paste = "Introduction\n\nWe ask parents to be kind online.\n";
    let c = clean_for(paste, "Parents' Code of Conduct");
    assert_eq!(c.title, None);
    assert!(c.body_md.contains("Introduction"), "{}", c.body_md);
    let mut w = crate::domain::wording::Wording {
        title: "Parents' Code of Conduct".into(),
        declaration_text: "I have read the Parents' Code of Conduct.".into(),
        ..Default::default()
    };
    let notes = apply(c, &mut w, None);
    assert_eq!(w.title, "Parents' Code of Conduct");
    assert_eq!(
        w.declaration_text,
        "I have read the Parents' Code of Conduct."
    );
    assert!(
        notes.contains(&"No title line found in the paste; kept \u{201c}Parents' Code of Conduct\u{201d} from the draft \u{2014} change it below.".to_string()),
        "{notes:?}"
    );
    // A draft with no title yet takes the short first line.
    assert_eq!(clean(paste).title.as_deref(), Some("Introduction"));
}

#[test]
fn a_name_before_a_colon_and_a_date_loses_the_colon_and_an_unread_date_stays() {
    let c = clean(
        "Approved by governors: 1 September 2026\n\nNext review due by: when the governors meet\n\nWe ask families to be kind.\n",
    );
    assert_eq!(c.approved_by.as_deref(), Some("governors"));
    assert_eq!(c.approved_on.as_deref(), Some("2026-09-01"));
    assert_eq!(c.next_review_due, None);
    assert!(
        c.body_md
            .contains("Next review due by: when the governors meet"),
        "a date that cannot be read stays in the text: {}",
        c.body_md
    );
    assert!(
        c.notes.iter().any(|n| n.contains("Could not read a date")),
        "{:?}",
        c.notes
    );
}
