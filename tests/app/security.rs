//! Defences: cross-site writes, headers, inert policy markup, the database refusing edits.

use signoff::domain::secret::sha256_hex;
use signoff::domain::wording::Wording;
use signoff::store::documents;

use crate::helpers::{TestApp, open_form, sign};

#[tokio::test]
async fn a_cross_site_post_is_refused_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let f = app.family("Wang", "Xiuying", &[("Mei", "Li", "3B")]).await;
    let (csrf, version_id) = open_form(&app, &f).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("version_id", version_id.as_str()),
        ("agree", "yes"),
        ("typed_name", "Wang Xiuying"),
    ];
    let url = app.url(&format!("/s/{}", f.code.as_str()));

    let res = app
        .client
        .post(&url)
        .header("Origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("sent from another website")
    );
    let res = app
        .client
        .post(&url)
        .header("Sec-Fetch-Site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .client
        .post(&url)
        .header("Origin", "null")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        403,
        "an opaque origin (a sandboxed frame) is refused"
    );
    let res = app
        .client
        .post(&url)
        .header("Origin", "null")
        .header("Sec-Fetch-Site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 0);

    // The same request from the portal's own page goes through; with no-referrer, browsers say
    // `Origin: null` and `Sec-Fetch-Site: same-origin`.
    let res = app
        .client
        .post(&url)
        .header("Origin", "null")
        .header("Sec-Fetch-Site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let res = app
        .client
        .post(&url)
        .header("Origin", app.base.as_str())
        .header("Sec-Fetch-Site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let f = app
        .family("Sian", "Evans", &[("Rhys", "Evans", "5A")])
        .await;
    for path in [
        "/",
        "/sign",
        "/policy",
        &format!("/s/{}", f.code.as_str()),
        "/static/site.css",
        "/no-such-page",
    ] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
    let personal = app.get(&format!("/s/{}", f.code.as_str())).await;
    assert_eq!(personal.headers()["cache-control"], "no-store");
    let unknown = app.get("/no-such-page").await;
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn script_in_a_policy_never_reaches_the_page() {
    let app = TestApp::spawn().await;
    let f = app
        .family("Daniel", "Hughes", &[("Isla", "Hughes", "3B")])
        .await;
    let body = "## Rules\n\n<script>alert('x')</script>\n\n[click](javascript:alert(1))\n\n<img src=x onerror=alert(2)>";
    let text = Wording {
        title: "Hostile".into(),
        approved_by: "Governors".into(),
        approved_on: "2026-11-21".into(),
        last_reviewed: "2026-11-21".into(),
        next_review_due: "2027-11-21".into(),
        related_policies: "".into(),
        body_md: body.into(),
        declaration_text: "I agree <b>bold</b>".into(),
    };
    let canonical = text.canonical(2);
    let doc_id: i64 = sqlx::query_scalar("SELECT id FROM documents")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    documents::insert_version(
        &app.state.db.write,
        documents::NewVersion {
            scope: app.scope,
            document_id: doc_id,
            number: 2,
            wording: &text,
            summary: "<script>s()</script>",
            material: true,
            canonical_text: &canonical,
            sha256: &sha256_hex(&canonical),
            published_at: time::macros::datetime!(2026-11-21 10:00:00 UTC),
            published_by: None,
        },
    )
    .await
    .unwrap();
    app.state.db.note_write();
    for path in [format!("/s/{}", f.code.as_str()), "/policy".to_string()] {
        let html = app.get(&path).await.text().await.unwrap();
        assert!(
            html.contains("<h2>Rules</h2>"),
            "{path}: markdown still rendered"
        );
        assert!(!html.contains("<script>"), "{path}");
        assert!(!html.contains("<img"), "{path}");
        assert!(!html.contains("<b>bold"), "{path}");
        assert!(!html.contains("href=\"javascript"), "{path}");
    }
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_evidence() {
    let app = TestApp::spawn().await;
    let f = app
        .family("Grace", "Taylor", &[("Jack", "Taylor", "3B")])
        .await;
    sign(&app, &f).await;
    let db = &app.state.db.write;
    for sql in [
        "UPDATE declarations SET typed_name = 'Someone Else'",
        "DELETE FROM declarations",
        "UPDATE versions SET body_md = 'changed'",
        "DELETE FROM versions",
        "UPDATE audit_events SET actor = 'nobody'",
        "DELETE FROM audit_events",
    ] {
        let err = sqlx::query(sql).execute(db).await.expect_err(sql);
        assert!(err.to_string().contains("cannot be"), "{sql}: {err}");
    }
    let name: String = sqlx::query_scalar("SELECT typed_name FROM declarations")
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(name, "Grace Taylor");
}

#[tokio::test]
async fn an_oversized_form_gets_a_clear_message_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let f = app
        .family("Amara", "Okafor", &[("Tobi", "Okafor", "3B")])
        .await;
    let (csrf, version_id) = open_form(&app, &f).await;
    let huge = "x".repeat(100 * 1024);
    let res = app
        .post(
            &format!("/s/{}", f.code.as_str()),
            &[
                ("csrf", &csrf),
                ("version_id", &version_id),
                ("agree", "yes"),
                ("typed_name", &huge),
            ],
        )
        .await;
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("more than the 64 KB"));
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 0);
}
