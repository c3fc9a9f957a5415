//! Reviews that change nothing but the dates, and a second document signed in the same visit.

use time::Duration;

use super::{doc_id, family, publish, stat};
use crate::helpers::{HEAD_PASSWORD, TestApp, csrf_of, sign};
use crate::office::ROSTER;

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
