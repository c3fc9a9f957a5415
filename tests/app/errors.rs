//! How the one error type answers: a clash with what is saved is a 409 page that says what to do.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use signoff::app::AppError;
use signoff::store::staff;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_unique_clash_is_a_conflict_page_not_a_crash() {
    let app = TestApp::spawn().await;
    let db = &app.state.db.write;
    let now = time::macros::datetime!(2026-11-21 10:00:00 UTC);
    staff::insert_user(
        db,
        Some(app.scope),
        "office@school.example",
        "A",
        "office",
        now,
    )
    .await
    .unwrap();
    let clash = staff::insert_user(
        db,
        Some(app.scope),
        "OFFICE@school.example",
        "B",
        "office",
        now,
    )
    .await
    .unwrap_err();
    let error = AppError::from(clash);
    assert!(matches!(error, AppError::Conflict(_)), "{error:?}");
    let response = error.into_response();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("Reload the page"), "{page}");
}
