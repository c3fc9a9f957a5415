//! Instants cross the store as `OffsetDateTime` and are kept as whole-second UTC text, the one
//! format every stored row (and every declaration's hashed `signed_at`) has.

use signoff::store::staff;
use time::macros::datetime;

use crate::helpers::TestApp;

#[tokio::test]
async fn an_instant_is_stored_as_whole_second_utc_text_and_read_back() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    // Fractional seconds and a non-UTC offset: neither may reach the database.
    let at = datetime!(2026-11-21 12:48:29.123456789 +02:00);
    let id = staff::insert_user(
        &db.write,
        Some(app.scope),
        "stamp@school.example",
        "S",
        "office",
        at,
    )
    .await
    .unwrap();
    let text: String = sqlx::query_scalar("SELECT created_at FROM staff_users WHERE id = ?")
        .bind(id)
        .fetch_one(&db.read)
        .await
        .unwrap();
    assert_eq!(text, "2026-11-21T10:48:29Z");
    let user = staff::user(&db.read, Some(app.scope), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.created_at, datetime!(2026-11-21 10:48:29 UTC));
}
