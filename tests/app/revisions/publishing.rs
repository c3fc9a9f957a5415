//! Who may publish and what counts as a change; a Word paste becomes a clean draft.

use super::{BODY_V2, BODY_V3, doc_id, press_publish, publish};
use crate::helpers::{TestApp, csrf_of};

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
    let res = press_publish(&app, &head, doc, &csrf, "material", "Nothing really.").await;
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
    assert!(
        html.contains("Approved by, found in the paste: Governing Board.")
            && html.contains("Approval date found in the paste: 4 September 2026."),
        "{html}"
    );
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
    assert!(preview.contains("<h2>Aims</h2>") && preview.contains("words added"));
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
