//! A Word paste says what it found and what it kept, and the declaration follows the title.

use super::doc_id;
use crate::helpers::{TestApp, csrf_of};

/// Written for this test: an en-dash title line, an approval date in words, no review dates,
/// and nested bullets as Word pastes them.
const PASTE: &str = "Oakfield Primary School \u{2013} Code of Conduct for Parents and Carers\r\n\r\n\
Date approved: 12th September 2026\r\n\r\n\
Being kind online\r\n\r\n\
We ask that you:\r\n\
\u{b7}\tthink before posting\r\n\
o\tabout other children\r\n\
o\tabout staff\r\n\
\u{b7}\tkeep group chats friendly\r\n";

const TITLE: &str = "Oakfield Primary School \u{2013} Code of Conduct for Parents and Carers";

/// Starts a draft of `doc` and pastes [`PASTE`] into it: the form token and the page.
pub(super) async fn start_with_paste(
    app: &TestApp,
    head: &reqwest::Client,
    doc: i64,
) -> (String, reqwest::Response) {
    let csrf = start(app, head, doc).await;
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/draft/paste")))
        .form(&[("csrf", csrf.as_str()), ("paste", PASTE)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    (csrf, res)
}

async fn start(app: &TestApp, head: &reqwest::Client, doc: i64) -> String {
    let csrf = csrf_of(app, head, &format!("/office/documents/{doc}")).await;
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/draft/start")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    csrf
}

async fn page(head: &reqwest::Client, app: &TestApp, path: &str) -> String {
    head.get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_paste_says_what_it_found_and_what_it_kept_and_the_declaration_follows_the_title() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let doc = doc_id(&app).await;
    let (csrf, res) = start_with_paste(&app, &head, doc).await;
    let html = res.text().await.unwrap();
    for note in [
        format!("Title found in the paste: \u{201c}{TITLE}\u{201d}."),
        "Approval date found in the paste: 12 September 2026.".to_string(),
        "No last-reviewed date found in the paste; kept 21 November 2026 from the previous version \u{2014} change it below.".to_string(),
        "No next-review date found in the paste; kept 21 November 2027 from the previous version \u{2014} change it below.".to_string(),
        "No \u{201c}approved by\u{201d} found in the paste; kept The Governing Body from the previous version".to_string(),
    ] {
        assert!(html.contains(&note), "{note} missing from {html}");
    }
    assert!(
        html.contains("The declaration now names"),
        "the page says the declaration changed"
    );
    let (body, declaration): (String, String) =
        sqlx::query_as("SELECT body_md, declaration_text FROM drafts")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert!(
        body.contains("- think before posting\n  - about other children\n  - about staff\n- keep group chats friendly"),
        "sub-bullets stay nested: {body}"
    );
    assert!(
        declaration.contains(TITLE) && !declaration.contains("Social Media Code of Conduct"),
        "{declaration}"
    );
    let preview = page(&head, &app, &format!("/head/documents/{doc}/draft/preview")).await;
    assert!(
        preview.contains(&format!("I have read the school&#39;s {TITLE}.")),
        "the preview's declaration names the new title: {preview}"
    );
    assert!(
        preview.contains("<li>think before posting\n<ul>"),
        "nested list in the preview: {preview}"
    );
    assert!(
        preview.contains("<dt>Next review due</dt><dd>21 November 2027<br><span class=\"hint\">Kept from version 1."),
        "the preview says plainly which dates were kept: {preview}"
    );
    assert!(
        preview.contains("<dt>Approved on</dt><dd>12 September 2026<br><span class=\"hint\">Changed: version 1 had 21 November 2026."),
        "and which the paste changed: {preview}"
    );

    // Typing a new title in the editor carries the declaration along too.
    let form = [
        ("csrf", csrf.as_str()),
        ("title", "Oakfield Families Online Agreement"),
        ("body_md", body.as_str()),
        ("approved_by", "The Governing Body"),
        ("approved_on", "12 9 2026"),
        ("last_reviewed", "12/09/2026"),
        ("next_review_due", "1 September 2027"),
        ("related_policies", ""),
        ("declaration_text", declaration.as_str()),
        ("summary", "New title."),
        ("then", "edit"),
    ];
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/draft")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (declaration, approved_on, next): (String, String, String) =
        sqlx::query_as("SELECT declaration_text, approved_on, next_review_due FROM drafts")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(
        declaration,
        "I have read the school's Oakfield Families Online Agreement. I understand what it asks of me and I agree to follow it whenever I use social media or messaging apps in a way that concerns the school, its pupils, their families or its staff."
    );
    assert_eq!(
        (approved_on.as_str(), next.as_str()),
        ("2026-09-12", "2027-09-01")
    );
    let draft = page(&head, &app, &format!("/head/documents/{doc}/draft")).await;
    assert!(
        draft.contains("value=\"12 September 2026\"") && draft.contains("For example, 12 9 2026"),
        "dates shown as the hint says they can be typed"
    );
}

/// A headteacher with a draft open, for the tests below.
struct Drafting {
    app: TestApp,
    head: reqwest::Client,
    doc: i64,
    csrf: String,
}

impl Drafting {
    async fn open() -> Self {
        let app = TestApp::spawn().await;
        let head = app.head().await;
        let doc = doc_id(&app).await;
        let csrf = start(&app, &head, doc).await;
        Drafting {
            app,
            head,
            doc,
            csrf,
        }
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let url = self
            .app
            .url(&format!("/head/documents/{}/{path}", self.doc));
        let mut form = form.to_vec();
        form.push(("csrf", &self.csrf));
        self.head.post(url).form(&form).send().await.unwrap()
    }

    async fn paste(&self, text: &str) -> reqwest::Response {
        self.post("draft/paste", &[("paste", text)]).await
    }

    /// Saves the editor's form with this title and declaration (the other fields plain).
    async fn save(&self, title: &str, declaration: &str, then: &str) -> reqwest::Response {
        let form = [
            ("title", title),
            ("body_md", "## Being kind online\n\nThink before posting."),
            ("approved_by", "The Governing Body"),
            ("approved_on", "12 9 2026"),
            ("last_reviewed", "12/09/2026"),
            ("next_review_due", "1 September 2027"),
            ("declaration_text", declaration),
            ("summary", "New title."),
            ("then", then),
        ];
        self.post("draft", &form).await
    }

    /// The draft's title, declaration and text.
    async fn row(&self) -> (String, String, String) {
        sqlx::query_as("SELECT title, declaration_text, body_md FROM drafts")
            .fetch_one(&self.app.state.db.read)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_new_title_containing_the_old_one_is_named_once_and_the_page_says_so() {
    let t = Drafting::open().await;
    let declaration =
        "I have read the Code of Conduct for Parents and Carers and the Behaviour Code.";
    assert_eq!(
        t.save("Code of Conduct", declaration, "edit")
            .await
            .status(),
        303
    );
    assert_eq!(t.row().await.1, declaration, "nothing to follow yet");

    let res = t.save(TITLE, declaration, "preview").await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let now = t.row().await.1;
    assert_eq!(
        now,
        format!("I have read the {TITLE} and the Behaviour Code.")
    );
    assert!(
        to.contains("/draft?") && !to.contains("preview"),
        "a changed declaration is shown on the editor first: {to}"
    );
    let html = page(&t.head, &t.app, &to).await;
    assert!(
        html.contains("The declaration now names the new title: \u{201c}Oakfield Primary School"),
        "the page says the declaration changed: {html}"
    );
    // Saved again as it now reads, it stays, and the preview follows as usual.
    let res = t.save(TITLE, &now, "preview").await;
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("/draft/preview")
    );
    assert_eq!(t.row().await.1, now);
}

#[tokio::test]
async fn a_paste_without_a_title_line_keeps_the_title_and_the_declaration() {
    let t = Drafting::open().await;
    let (title, declaration, _) = t.row().await;
    let res = t
        .paste("Introduction\r\n\r\nWe ask parents to be kind online.\r\n")
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let note = format!("No title line found in the paste; kept \u{201c}{title}\u{201d}")
        .replace('\'', "&#39;");
    assert!(html.contains(&note), "{note} missing from {html}");
    let after = t.row().await;
    assert_eq!((&after.0, &after.1), (&title, &declaration));
    assert!(after.2.contains("Introduction"), "{}", after.2);
}

#[tokio::test]
async fn a_paste_that_cannot_be_used_is_shown_back_beside_the_error() {
    let t = Drafting::open().await;
    let before = t.row().await;
    // Too long to use, and far past other forms' limit as sent: shown back whole.
    let long = format!(
        "{}The last line \u{2013} kept.",
        "We ask parents to be kind online \u{2013} always.\n".repeat(2_800)
    );
    for (text, message, shown) in [
        (
            long.as_str(),
            "paste up to 120,000 at a time",
            long.as_str(),
        ),
        (
            "Be kind\0 online.",
            "shown below as \u{fffd}",
            "Be kind\u{fffd} online.",
        ),
        ("  \r\n ", "Paste the text of the Word document", ""),
    ] {
        let res = t.paste(text).await;
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{message} missing");
        assert!(html.contains("id=\"paste-error\""), "beside the box");
        let boxed = html
            .split("name=\"paste\"")
            .nth(1)
            .and_then(|rest| rest.split_once('>'))
            .map(|(_, rest)| rest.split("</textarea").next().unwrap_or_default())
            .unwrap_or_default()
            .replace("&#10;", "\n");
        assert!(boxed.contains(shown), "the paste is back in its box");
    }
    assert_eq!(t.row().await, before, "the draft is unchanged");

    // Longer than other forms may be as sent, but within the paste's limit: it is used.
    let within: String = long.chars().take(100_000).collect();
    assert_eq!(t.paste(&within).await.status(), 200);
}
