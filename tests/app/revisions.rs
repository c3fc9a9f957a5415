//! Revisions over HTTP: drafts, preview, diff, publishing, who must sign again, reviews, documents.

use time::Duration;

use crate::helpers::{Family, HEAD_PASSWORD, TestApp, csrf_of, sign};
use crate::office::ROSTER;

pub async fn doc_id(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT id FROM documents ORDER BY id LIMIT 1")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap()
}

/// Starts (or continues) a draft of `doc`, replaces its body and summary, and publishes it.
pub async fn publish(
    app: &TestApp,
    head: &reqwest::Client,
    doc: i64,
    body: &str,
    change: &str,
    summary: &str,
) -> reqwest::Response {
    let csrf = csrf_of(app, head, &format!("/office/documents/{doc}")).await;
    head.post(app.url(&format!("/head/documents/{doc}/draft/start")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let draft = head
        .get(app.url(&format!("/head/documents/{doc}/draft")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let field = |name: &str| -> String {
        let marker = format!("name=\"{name}\" type=\"");
        if let Some(i) = draft.find(&marker) {
            let rest = &draft[i..];
            let v = rest
                .split("value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            return v.replace("&#39;", "'").replace("&amp;", "&");
        }
        let marker = format!("name=\"{name}\"");
        let i = draft.find(&marker).unwrap_or_else(|| panic!("{name}"));
        draft[i..]
            .split('>')
            .nth(1)
            .unwrap()
            .split("</textarea")
            .next()
            .unwrap()
            .replace("&#39;", "'")
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
    };
    let form = [
        ("csrf", csrf.clone()),
        ("title", field("title")),
        ("body_md", body.to_string()),
        ("approved_by", field("approved_by")),
        ("approved_on", field("approved_on")),
        ("last_reviewed", field("last_reviewed")),
        ("next_review_due", field("next_review_due")),
        ("related_policies", field("related_policies")),
        ("declaration_text", field("declaration_text")),
        ("summary", summary.to_string()),
        ("then", "preview".to_string()),
    ];
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/draft")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "draft saves");
    head.post(app.url(&format!("/head/documents/{doc}/publish")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("change", change),
            ("summary", summary),
            ("password", HEAD_PASSWORD),
        ])
        .send()
        .await
        .unwrap()
}

async fn family(app: &TestApp, first: &str, last: &str) -> Family {
    let carer_id = app.carer_id(first, last).await;
    Family {
        carer_id,
        code: app.code_for(carer_id).await,
        name: format!("{first} {last}"),
    }
}

async fn paper(app: &TestApp, head: &reqwest::Client, carer: i64, version: i64) {
    let csrf = csrf_of(app, head, &format!("/office/carers/{carer}")).await;
    let res = head
        .post(app.url(&format!("/office/carers/{carer}/paper")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version_id", &version.to_string()),
            ("received_on", "2026-11-21"),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

fn stat(html: &str, label: &str) -> String {
    let i = html
        .find(&format!("<span class=\"stat-label\">{label}"))
        .unwrap_or_else(|| panic!("{label}"));
    let before = &html[..i];
    before
        .rsplit("<span class=\"stat-number\">")
        .next()
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string()
}

const BODY_V2: &str = "## Statement of intent\n\nWe ask families to be kind online.\n\n## Group chats\n\n- Do not share photos of other children\n- Keep messages to staff within working hours\n";
const BODY_V3: &str = "## Statement of intent\n\nWe ask families to be kind and fair online.\n\n## Group chats\n\n- Do not share photos of other children\n- Keep messages to staff within school hours\n";

#[tokio::test]
async fn a_material_version_sends_earlier_signers_back_and_a_minor_one_does_not() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    let v1: i64 = sqlx::query_scalar("SELECT id FROM versions WHERE number = 1")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    for (first, last) in [("Tom", "Brook"), ("Nadia", "Brook")] {
        sign(&app, &family(&app, first, last).await).await;
    }
    paper(&app, &head, app.carer_id("Priya", "Carter").await, v1).await;
    let before = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        (
            stat(&before, "signed ("),
            stat(&before, "must re-sign"),
            stat(&before, "not signed")
        ),
        ("60%".into(), "0".into(), "2".into())
    );

    let doc = doc_id(&app).await;
    let res = publish(
        &app,
        &head,
        doc,
        BODY_V2,
        "material",
        "Group chats now have their own section.",
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/office/documents/{doc}?done=material").as_str()
    );
    let after = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        (
            stat(&after, "signed ("),
            stat(&after, "must re-sign"),
            stat(&after, "not signed")
        ),
        ("0%".into(), "3".into(), "2".into())
    );
    assert!(after.contains("<th scope=\"row\">3B</th><td class=\"num\">3</td><td class=\"num\">0</td><td class=\"num\">3</td><td class=\"num\">0</td>"));
    let csv = head
        .get(app.url("/office/export.csv?status=must-resign"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    let letters = head
        .get(app.url("/office/letters?status=must-resign"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(letters.contains("<strong>3</strong> letters"));

    let nadia = family(&app, "Nadia", "Brook").await;
    sign(&app, &nadia).await;
    let res = publish(&app, &head, doc, BODY_V3, "minor", "Wording tidied.").await;
    assert_eq!(
        res.headers()["location"],
        format!("/office/documents/{doc}?done=minor").as_str()
    );
    let later = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        (stat(&later, "signed ("), stat(&later, "must re-sign")),
        ("20%".into(), "2".into()),
        "a minor version changes nobody's status"
    );
    let again = app
        .get(&format!("/s/{}", nadia.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        again.contains("You have already signed"),
        "Nadia signed version 2; version 3 is minor"
    );

    // Every version stays viewable as published, with how many signed it.
    let page = head
        .get(app.url(&format!("/office/documents/{doc}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Minor correction") && page.contains("Everyone signs again"));
    let v1_page = head
        .get(app.url(&format!("/office/documents/{doc}/versions/1")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(v1_page.contains("Statement of intent") && v1_page.contains("3 carers"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'version.published'")
            .await,
        2
    );
    let public_v1 = app
        .get("/policy/social-media-code/v/1")
        .await
        .text()
        .await
        .unwrap();
    assert!(public_v1.contains("Version 1, published") && public_v1.contains("Legal framework"));
    let public_history = app
        .get("/policy/social-media-code/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        public_history.contains("Wording tidied.")
            && public_history.contains("Minor correction: signatures stay valid")
    );
    assert!(
        !public_history.contains("Nadia"),
        "no personal data on public pages"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0);
}

#[tokio::test]
async fn a_parent_sees_the_changes_since_their_own_version() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    let tom = family(&app, "Tom", "Brook").await;
    let v1_receipt = sign(&app, &tom).await;
    let doc = doc_id(&app).await;
    publish(
        &app,
        &head,
        doc,
        BODY_V2,
        "material",
        "Group chats now have their own section.",
    )
    .await;
    let nadia = family(&app, "Nadia", "Brook").await;
    sign(&app, &nadia).await;
    publish(
        &app,
        &head,
        doc,
        BODY_V3,
        "material",
        "Staff are contacted in school hours only.",
    )
    .await;

    let page = app
        .get(&format!("/s/{}", tom.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("The code of conduct has changed since you signed it on 21 November 2026")
    );
    assert!(page.contains("You signed version 1"));
    assert!(
        page.contains("Group chats now have their own section.")
            && page.contains("Staff are contacted in school hours only.")
    );
    assert!(
        page.contains("[removed: </span>"),
        "words of version 1 shown as removed"
    );
    assert!(
        page.contains("Social media and messaging apps"),
        "the diff starts from the version Tom signed"
    );

    let page = app
        .get(&format!("/s/{}", nadia.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("You signed version 2"));
    assert!(
        !page.contains("Group chats now have their own section."),
        "only what changed since her version"
    );
    assert!(
        page.contains("<del><span class=\"visually-hidden\">[removed: </span>working"),
        "{page}"
    );

    let v3_receipt = sign(&app, &tom).await;
    assert_ne!(v1_receipt, v3_receipt);
    let old = app.get(&v1_receipt).await.text().await.unwrap();
    assert!(
        old.contains("version 1") && old.contains("earlier version"),
        "the old receipt stays valid for its version"
    );
}

#[tokio::test]
async fn a_review_with_no_changes_moves_the_dates_on_without_a_new_version() {
    let app = TestApp::spawn().await;
    app.head().await;
    let doc = doc_id(&app).await;
    // A year on, the review is overdue (and the old session long gone: sign in again).
    app.clock.advance(Duration::days(380));
    let (head, _) = app.sign_in(crate::helpers::HEAD_EMAIL, HEAD_PASSWORD).await;
    let html = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("is 15 days overdue"), "{html}");
    let csrf = csrf_of(&app, &head, &format!("/office/documents/{doc}")).await;
    let bad = head
        .post(app.url(&format!("/head/documents/{doc}/review")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("reviewed_on", "2027-12-06"),
            ("next_review_due", "2027-01-01"),
            ("note", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("The next review must be after this one.")
    );
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/review")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("reviewed_on", "2027-12-06"),
            ("next_review_due", "2028-12-01"),
            ("note", "Governors agreed no changes."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM versions").await, 1);
    let html = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("overdue"));
    let page = head
        .get(app.url(&format!("/office/documents/{doc}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("No changes needed") && page.contains("Governors agreed no changes."));
    let history = app
        .get("/policy/social-media-code/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("Reviewed with no changes; next review due 1 December 2028"),
        "{history}"
    );
    // Thirty days before the next one, a notice.
    app.clock.advance(Duration::days(340));
    let (head, _) = app.sign_in(crate::helpers::HEAD_EMAIL, HEAD_PASSWORD).await;
    let html = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("The next review of this code is due on 1 December 2028"),
        "{html}"
    );
}

#[tokio::test]
async fn a_second_document_is_signed_in_the_same_visit() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    let csrf = csrf_of(&app, &head, "/office/documents").await;
    let res = head
        .post(app.url("/head/documents"))
        .form(&[("csrf", csrf.as_str()), ("title", "Home–School Agreement")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let second: i64 = sqlx::query_scalar("SELECT id FROM documents ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let sam = family(&app, "Sam", "Frost").await;
    let page = app
        .get(&format!("/s/{}", sam.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("Document 1 of 2"),
        "an unpublished document is not shown to parents"
    );
    let res = publish(
        &app,
        &head,
        second,
        "## Our promises\n\nWe work together for every child.\n",
        "material",
        "First version.",
    )
    .await;
    assert_eq!(res.status(), 303);

    let page = app
        .get(&format!("/s/{}", sam.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Document 1 of 2"));
    let receipt = sign(&app, &sam).await;
    let receipt = app.get(&receipt).await.text().await.unwrap();
    assert!(receipt.contains("One more to sign") && receipt.contains("Home–School Agreement"));
    let page = app
        .get(&format!("/s/{}", sam.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Our promises"));
    sign(&app, &sam).await;
    let done = app
        .get(&format!("/s/{}", sam.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(done.contains("You have already signed"));
    assert_eq!(done.matches("class=\"receipt\"").count(), 2);

    let status = head
        .get(app.url(&format!("/office?doc={second}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains("Home–School Agreement"));
    assert_eq!(stat(&status, "signed ("), "20%");
}

#[tokio::test]
async fn publishing_needs_a_headteacher_their_password_and_a_real_change() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let doc = doc_id(&app).await;
    let (office, _) = app
        .colleague(
            &head,
            "Omar Shah",
            "office@oakfield.example",
            "office",
            "blue kettle morning",
        )
        .await;
    let csrf = csrf_of(&app, &office, "/office").await;
    for path in [
        format!("/head/documents/{doc}/draft/start"),
        format!("/head/documents/{doc}/publish"),
    ] {
        let res = office
            .post(app.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("change", "material"),
                ("summary", "x"),
                ("password", "blue kettle morning"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{path}");
    }
    assert_eq!(
        office
            .get(app.url(&format!("/head/documents/{doc}/draft")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // Unchanged draft: refused.
    let csrf = csrf_of(&app, &head, &format!("/office/documents/{doc}")).await;
    head.post(app.url(&format!("/head/documents/{doc}/draft/start")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/publish")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("change", "material"),
            ("summary", "Nothing really."),
            ("password", HEAD_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("The draft is the same as the current version"),
        "{html}"
    );

    let res = publish(&app, &head, doc, BODY_V2, "material", "Changed.").await;
    assert_eq!(res.status(), 303);
    let v2_sha: String = sqlx::query_scalar("SELECT sha256 FROM versions WHERE number = 2")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    // Wrong password, and no choice of change: explained, nothing published.
    head.post(app.url(&format!("/head/documents/{doc}/draft/start")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let res = publish(&app, &head, doc, BODY_V3, "", "Changed again.").await;
    assert_eq!(res.status(), 422);
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/publish")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("change", "material"),
            ("summary", "Changed again."),
            ("password", "not my password at all"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("That is not your password"));
    assert!(html.contains("Changed again."), "summary kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM versions").await, 2);
    let still: String = sqlx::query_scalar("SELECT sha256 FROM versions WHERE number = 2")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(
        still, v2_sha,
        "editing a new draft never touches the published version"
    );
    let err = sqlx::query("UPDATE versions SET body_md = 'x' WHERE number = 2")
        .execute(&app.state.db.write)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("published versions cannot be changed")
    );
}

#[tokio::test]
async fn a_word_paste_becomes_a_clean_draft() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let doc = doc_id(&app).await;
    let csrf = csrf_of(&app, &head, &format!("/office/documents/{doc}")).await;
    head.post(app.url(&format!("/head/documents/{doc}/draft/start")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let paste = "Families Online Code\r\n\r\nApproved by:\tGoverning Board\t4.9.26\r\n\r\n[bookmark: _Aims]Aims \r\nWe want every family to feel welcome online.\r\n\r\n2. What we ask\r\n\r\nPlease do not:\r\n·\tpost photos of other children\r\n•\tshare private messages\r\n";
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/draft/paste")))
        .form(&[("csrf", csrf.as_str()), ("paste", paste)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("The pasted text has been cleaned"));
    assert!(html.contains("Approved by: Governing Board, 4 September 2026"));
    let body: String = sqlx::query_scalar("SELECT body_md FROM drafts")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert!(
        !body.contains("bookmark") && !body.contains('·') && !body.contains('\t'),
        "{body}"
    );
    assert!(
        body.contains("## Aims") && body.contains("## What we ask"),
        "{body}"
    );
    assert!(
        body.contains("- post photos of other children\n- share private messages"),
        "{body}"
    );
    let (title, approved_by, approved_on): (String, String, String) =
        sqlx::query_as("SELECT title, approved_by, approved_on FROM drafts")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(
        (title.as_str(), approved_by.as_str(), approved_on.as_str()),
        ("Families Online Code", "Governing Board", "2026-09-04")
    );
    let preview = head
        .get(app.url(&format!("/head/documents/{doc}/draft/preview")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(preview.contains("<h3>Aims</h3>") && preview.contains("words added"));
    for action in ["draft.started", "draft.pasted_from_word"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action} audited"
        );
    }
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/draft/discard")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'draft.discarded'")
            .await,
        1
    );
}
