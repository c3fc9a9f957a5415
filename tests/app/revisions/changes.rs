//! "What changed" reads as formatted text: headings, paragraphs and list items with the words
//! added and removed marked inside them, dates written out, no Markdown, no inner scroll box.

use super::{doc_id, family, press_publish};
use crate::helpers::{TestApp, csrf_of, sign};
use crate::office::ROSTER;

const V2: &str = "## Being kind online\n\nWe ask families to keep every chat friendly.\n\n## Group chats\n\n- Do not share photos of other children\n  - even in a closed group\n- Keep messages to staff within working hours\n";
const V3: &str = "## Being kind online\n\nWe ask families to keep every chat friendly and fair.\n\n## Group chats and messages\n\n- Do not share photos of other children\n  - even in a closed group\n  - or in a story\n- Keep messages to staff within school hours\n\n## Parking\n\nPlease use the car park on Mill Lane, never the zigzags.\n";

/// Saves a draft with this body, with the next review due on `next_review` (as typed); returns
/// the form token.
async fn save_draft(
    app: &TestApp,
    head: &reqwest::Client,
    body: &str,
    next_review: &str,
) -> String {
    let doc = doc_id(app).await;
    let csrf = csrf_of(app, head, &format!("/office/documents/{doc}")).await;
    head.post(app.url(&format!("/head/documents/{doc}/draft/start")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/draft")))
        .form(&[
            ("csrf", csrf.as_str()),
            (
                "title",
                "Social Media Code of Conduct for Parents and Carers",
            ),
            ("body_md", body),
            ("approved_by", "The Governing Body"),
            ("approved_on", "20 November 2026"),
            ("last_reviewed", "20/11/2026"),
            ("next_review_due", next_review),
            ("related_policies", "Complaints Procedure"),
            (
                "declaration_text",
                "I have read the code and I agree to follow it.",
            ),
            ("summary", "Changes to group chats."),
            ("then", "preview"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    csrf
}

/// Saves a draft with this body and publishes it as a material change, with the next review
/// due on `next_review` (as typed).
async fn publish(app: &TestApp, head: &reqwest::Client, body: &str, next_review: &str) {
    let csrf = save_draft(app, head, body, next_review).await;
    let doc = doc_id(app).await;
    let res = press_publish(app, head, doc, &csrf, "material", "Changes to group chats.").await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
}

/// The diff's markup on a page.
fn diff_of(page: &str) -> &str {
    let start = page
        .find("<div class=\"diff\">")
        .expect("a diff on the page");
    let rest = &page[start..];
    &rest[..rest.find("</div>").expect("the diff ends")]
}

#[tokio::test]
async fn what_changed_reads_as_formatted_text_with_the_changes_marked_inside_it() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    publish(&app, &head, V2, "1 September 2027").await;
    let nadia = family(&app, "Nadia", "Brook").await;
    sign(&app, &nadia).await;
    publish(&app, &head, V3, "1/9/2028").await;

    let page = app
        .get(&format!("/s/{}", nadia.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    let diff = diff_of(&page);
    assert!(!diff.contains("##"), "no Markdown headings: {diff}");
    assert!(!diff.contains("- Do not"), "no Markdown bullets: {diff}");
    assert!(
        diff.contains("<h3>Group chats<ins><span class=\"visually-hidden\">[added: </span> and messages<span class=\"visually-hidden\">]</span></ins></h3>"),
        "an edited heading is a heading with the words added inside it: {diff}"
    );
    assert!(
        diff.contains("<li>Keep messages to staff within <del><span class=\"visually-hidden\">[removed: </span>working<span class=\"visually-hidden\">]</span></del><ins><span class=\"visually-hidden\">[added: </span>school<span class=\"visually-hidden\">]</span></ins> hours"),
        "an edited item is an item with the change inside it: {diff}"
    );
    assert!(
        diff.contains("<li>Do not share photos of other children<ul><li>even in a closed group</li><li class=\"diff-added\"><ins><span class=\"visually-hidden\">[added: </span>or in a story"),
        "a nested item added whole, inside its list: {diff}"
    );
    assert!(
        diff.contains(
            "<h3 class=\"diff-added\"><ins><span class=\"visually-hidden\">[added: </span>Parking"
        ),
        "a section added whole: {diff}"
    );
    assert!(
        diff.contains("Next review due: 1 September <del><span class=\"visually-hidden\">[removed: </span>2027"),
        "dates written out: {diff}"
    );
    assert!(
        !diff.contains("2027-09-01") && !diff.contains("2028-09-01") && !diff.contains("Version "),
        "no ISO dates or version line: {diff}"
    );

    let doc = doc_id(&app).await;
    let csrf = csrf_of(&app, &head, &format!("/office/documents/{doc}")).await;
    head.post(app.url(&format!("/head/documents/{doc}/draft/start")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let preview = head
        .get(app.url(&format!("/head/documents/{doc}/draft/preview")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let diff = diff_of(&preview);
    assert!(
        diff.contains("Last reviewed: <del><span class=\"visually-hidden\">[removed: </span>20<"),
        "the staff preview writes dates out too: {diff}"
    );
    assert!(!diff.contains("##") && !diff.contains("2026-11-"), "{diff}");

    let version = head
        .get(app.url(&format!("/office/documents/{doc}/versions/3")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        diff_of(&version).contains("<h3 class=\"diff-added\">"),
        "the office's version page shows what changed since the version before"
    );
    let slug: String = sqlx::query_scalar("SELECT slug FROM documents")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let public = app
        .get(&format!("/policy/{slug}/v/3"))
        .await
        .text()
        .await
        .unwrap();
    assert!(public.contains("See every word that changed since version 2"));
    assert!(
        diff_of(&public).contains("<h3 class=\"diff-added\">"),
        "the public copy of a version shows the same, for the school website"
    );
    let first = app
        .get(&format!("/policy/{slug}/v/1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!first.contains("See every word that changed"));

    let css = app.get("/static/site.css").await.text().await.unwrap();
    let rule = css
        .lines()
        .find(|l| l.starts_with(".diff {"))
        .expect("a .diff rule");
    assert!(
        !rule.contains("max-height") && !rule.contains("overflow-y") && !rule.contains("pre"),
        "no scroll box inside the page: {rule}"
    );
}

#[tokio::test]
async fn a_change_no_word_shows_still_publishes_and_an_identical_draft_does_not() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let with_link =
        "## Complaints\n\nUse the [complaints procedure](https://oakfield.example/complaints).\n";
    publish(&app, &head, with_link, "1 September 2027").await;
    // Only the link's address is corrected: no word changes, but it is a new text to sign.
    let fixed = "## Complaints\n\nUse the [complaints procedure](https://oakfield.example/policies/complaints).\n";
    publish(&app, &head, fixed, "1 September 2027").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM versions").await,
        3,
        "the sample version 1, then two"
    );

    // The same text again is refused, with the way to record a review instead.
    let csrf = save_draft(&app, &head, fixed, "1 September 2027").await;
    let doc = doc_id(&app).await;
    let res = press_publish(&app, &head, doc, &csrf, "minor", "Nothing.").await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("The draft is the same as the current version")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM versions").await, 3);
}
