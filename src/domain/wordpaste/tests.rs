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
    assert_eq!(c.next_review_due, None, "Autumn 2026 is not a date");
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
    assert!(md.contains("- Share photos of other children\n- Spread rumours about staff\n- Add staff to family chats\n"), "{md}");
    assert!(
        md.contains("- Ask before you post, even in a closed group\n"),
        "a wrapped line is joined: {md}"
    );
    assert!(
        md.contains("Next review due by: Autumn 2026"),
        "unread dates stay in the text: {md}"
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
}
