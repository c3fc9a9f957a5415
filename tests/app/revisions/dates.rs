//! The publish and review forms refuse dates that cannot be right, beside the field, and keep
//! what was typed.

use super::doc_id;
use super::pasting::start_with_paste;
use crate::helpers::{HEAD_PASSWORD, TestApp, csrf_of};

#[tokio::test]
async fn publishing_refuses_impossible_dates_beside_the_field_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let doc = doc_id(&app).await;
    let (csrf, _) = start_with_paste(&app, &head, doc).await;
    let form = |approved: &'static str, next: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("change", "material".to_string()),
            (
                "summary",
                "Our new code, approved in September.".to_string(),
            ),
            ("password", HEAD_PASSWORD.to_string()),
            ("approved_on", approved.to_string()),
            ("last_reviewed", "21/11/2026".to_string()),
            ("next_review_due", next.to_string()),
        ]
    };
    let publish = |f: Vec<(&'static str, String)>| {
        head.post(app.url(&format!("/head/documents/{doc}/publish")))
            .form(&f)
            .send()
    };

    let res = publish(form("12 9 2026", "1/9/2026")).await.unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("There is a problem"), "{html}");
    assert!(
        html.contains("<a href=\"#next_review_due\">The next review must be after today: 1 September 2026 has already passed or is today.</a>"),
        "in the error summary, linked to the field: {html}"
    );
    assert!(
        html.contains("id=\"next_review_due-error\""),
        "beside the field: {html}"
    );
    assert!(
        html.contains("value=\"1/9/2026\"") && html.contains("value=\"12 9 2026\""),
        "what was typed is kept: {html}"
    );
    assert!(html.contains("Our new code, approved in September."));

    let res = publish(form("1 December 2026", "1 September 2027"))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("The approval date cannot be in the future"),
        "{html}"
    );
    let res = publish(form("12 9 2026", "1 9 2026")).await.unwrap();
    assert_eq!(res.status(), 422);
    let res = publish(form("next Tuesday", "1 9 2027")).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Enter the date it was approved, for example 12 9 2026.")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM versions").await, 1);

    let res = publish(form("12 September 2026", "2027-09-01"))
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (approved, next): (String, String) =
        sqlx::query_as("SELECT approved_on, next_review_due FROM versions WHERE number = 2")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(
        (approved.as_str(), next.as_str()),
        ("2026-09-12", "2027-09-01")
    );
}

#[tokio::test]
async fn a_review_cannot_set_a_next_review_that_has_passed_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let doc = doc_id(&app).await;
    let csrf = csrf_of(&app, &head, &format!("/office/documents/{doc}")).await;
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/review")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("reviewed_on", "1 March 2026"),
            ("next_review_due", "1/9/2026"),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("The next review must be after today.")
            && html.contains("id=\"next_review_due-error\""),
        "{html}"
    );
    assert!(
        html.contains("value=\"1 March 2026\"") && html.contains("value=\"1/9/2026\""),
        "{html}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reviews").await,
        0,
        "nothing stored"
    );
}
