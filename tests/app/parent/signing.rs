//! Signing over HTTP: the receipt, coming back, mistakes, names, double submits, the hash chain.

use crate::helpers::{TestApp, open_form, sign};

#[tokio::test]
async fn a_parent_signs_and_gets_a_receipt_bound_to_the_text() {
    let app = TestApp::spawn().await;
    let f = app
        .family(
            "Zoë",
            "O'Brien",
            &[("Finn", "O'Brien", "3B"), ("Ava", "O'Brien", "5A")],
        )
        .await;

    let page = app
        .get(&format!("/s/{}", f.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Social Media Code of Conduct"));
    assert!(page.contains("Statement of intent"));
    assert!(
        page.contains("Finn O&#39;Brien") || page.contains("Finn O&#x27;Brien"),
        "children listed"
    );
    assert!(page.contains("class 3B") && page.contains("class 5A"));
    assert!(page.contains("I have read and agree to follow this code of conduct"));

    let receipt_url = sign(&app, &f).await;
    assert!(receipt_url.starts_with(&format!("/s/{}/receipt/", f.code.as_str())));
    let receipt = app.get(&receipt_url).await;
    assert_eq!(receipt.status(), 200);
    let receipt = receipt.text().await.unwrap();
    let sha: String = sqlx::query_scalar("SELECT sha256 FROM versions WHERE number = 1")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert!(receipt.contains("You have signed"));
    assert!(receipt.contains("SO-000001"));
    assert!(
        receipt.contains(&sha),
        "receipt shows the fingerprint of the text signed"
    );
    assert!(
        receipt.contains("21 November 2026 at 10:00 GMT"),
        "time shown in Europe/London"
    );
    assert!(receipt.contains("Ava O"));

    let row: (String, String, String, String, String, String, String) = sqlx::query_as(
        "SELECT typed_name, method, ip, user_agent, text_sha256, signed_at, children FROM declarations",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(row.0, "Zoë O'Brien");
    assert_eq!(row.1, "online");
    assert_eq!(row.2, "127.0.0.1");
    assert_eq!(row.3, "signoff-tests/1.0");
    assert_eq!(row.4, sha);
    assert_eq!(row.5, "2026-11-21T10:00:00Z");
    assert!(row.6.contains("Finn O'Brien") && row.6.contains("Ava O'Brien"));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'declaration.signed' AND subject = 'declaration:1'").await, 1);
}

#[tokio::test]
async fn coming_back_shows_the_receipt_not_a_second_form() {
    let app = TestApp::spawn().await;
    let f = app
        .family("Amara", "Okafor", &[("Tobi", "Okafor", "3B")])
        .await;
    sign(&app, &f).await;
    let again = app
        .get(&format!("/s/{}", f.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(again.contains("You have already signed"));
    assert!(again.contains("You signed version 1 of the Social Media Code of Conduct"));
    assert!(again.contains("SO-000001"));
    assert!(!again.contains("name=\"typed_name\""), "no second form");
}

#[tokio::test]
async fn each_mistake_is_reported_kept_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let f = app
        .family("Daniel", "Hughes", &[("Isla", "Hughes", "3B")])
        .await;
    let (csrf, version_id) = open_form(&app, &f).await;
    let path = format!("/s/{}", f.code.as_str());

    // No tick, right name: the tick is asked for and the name is kept.
    let res = app
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("version_id", &version_id),
                ("typed_name", "Daniel Hughes"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("There is a problem"));
    assert!(
        html.contains("href=\"#agree\""),
        "error summary links to the field"
    );
    assert!(html.contains("Tick the box to confirm"));
    assert!(html.contains("value=\"Daniel Hughes\""), "typed name kept");

    // Ticked, empty name.
    let res = app
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("version_id", &version_id),
                ("agree", "yes"),
                ("typed_name", "   "),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Type your full name."));
    assert!(html.contains("href=\"#typed_name\""));
    assert!(html.contains(" checked"), "tick kept");

    // Ticked, someone else's name.
    let res = app
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("version_id", &version_id),
                ("agree", "yes"),
                ("typed_name", "Somebody Else"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("does not match the name the school has for you"));
    assert!(html.contains("value=\"Somebody Else\""));

    // Missing fields altogether.
    let res = app
        .post(&path, &[("csrf", &csrf), ("version_id", &version_id)])
        .await;
    assert_eq!(res.status(), 422);

    // A version id that is not a number, or no form token.
    let res = app
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("version_id", "x"),
                ("agree", "yes"),
                ("typed_name", "Daniel Hughes"),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    let res = app
        .post(
            &path,
            &[
                ("version_id", &version_id),
                ("agree", "yes"),
                ("typed_name", "Daniel Hughes"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("This form has expired"));

    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'declaration.%'")
            .await,
        0
    );
}

#[tokio::test]
async fn names_are_matched_forgivingly_and_stored_exactly() {
    let app = TestApp::spawn().await;
    for (first, last, typed) in [
        ("Zoë", "O'Brien", "zoe obrien"),
        ("秀英", "王", "秀英 王"),
        ("Siân", "Evans-Jones", "SIÂN EVANS JONES"),
    ] {
        let f = app.family(first, last, &[("Kid", last, "1A")]).await;
        let (csrf, version_id) = open_form(&app, &f).await;
        let res = app
            .post(
                &format!("/s/{}", f.code.as_str()),
                &[
                    ("csrf", &csrf),
                    ("version_id", &version_id),
                    ("agree", "yes"),
                    ("typed_name", typed),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "{typed} signs for {first} {last}");
        let stored: String =
            sqlx::query_scalar("SELECT typed_name FROM declarations WHERE carer_id = ?")
                .bind(f.carer_id)
                .fetch_one(&app.state.db.read)
                .await
                .unwrap();
        assert_eq!(stored, typed);
    }
}

#[tokio::test]
async fn a_double_submit_records_one_declaration() {
    let app = TestApp::spawn().await;
    let f = app
        .family("Grace", "Taylor", &[("Ella", "Taylor", "5A")])
        .await;
    let (csrf, version_id) = open_form(&app, &f).await;
    let path = format!("/s/{}", f.code.as_str());
    let form = [
        ("csrf", csrf.as_str()),
        ("version_id", version_id.as_str()),
        ("agree", "yes"),
        ("typed_name", "Grace Taylor"),
    ];
    // Two at once (a double click), then one more later (back and resubmit).
    let (a, b) = tokio::join!(app.post(&path, &form), app.post(&path, &form));
    let c = app.post(&path, &form).await;
    let locations: Vec<String> = [a, b, c]
        .iter()
        .map(|r| {
            assert_eq!(r.status(), 303);
            r.headers()["location"].to_str().unwrap().to_string()
        })
        .collect();
    assert!(
        locations.iter().all(|l| l == &locations[0]),
        "all point at the same receipt"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'declaration.signed'")
            .await,
        1
    );
}

#[tokio::test]
async fn declarations_form_a_hash_chain() {
    let app = TestApp::spawn().await;
    let a = app
        .family("Tomasz", "Nowak", &[("Oliwia", "Nowak", "5A")])
        .await;
    let b = app
        .family("Sian", "Evans", &[("Rhys", "Evans", "5A")])
        .await;
    sign(&app, &a).await;
    sign(&app, &b).await;
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT prev_hash, row_hash FROM declarations ORDER BY id")
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(rows[0].0, signoff::domain::evidence::GENESIS);
    assert_eq!(
        rows[1].0, rows[0].1,
        "each row carries the hash of the one before"
    );
    assert_ne!(rows[0].1, rows[1].1);
}
