//! Who must sign again: material and minor versions, and a parent shown the changes since theirs.

use super::{BODY_V2, BODY_V3, doc_id, family, paper, publish, stat};
use crate::helpers::{TestApp, sign};
use crate::office::ROSTER;

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
    // The header, then a row per carer and child: Nadia's two children, Tom's and Priya's.
    assert_eq!(csv.lines().count(), 5, "{csv}");
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
