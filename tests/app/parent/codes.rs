//! Codes over HTTP: typed forgivingly, replaced, guessed at; and the policy page that needs none.

use crate::helpers::{TestApp, hidden};

#[tokio::test]
async fn codes_are_typed_forgivingly_and_unknown_ones_get_a_clear_message() {
    let app = TestApp::spawn().await;
    let f = app
        .family("Fatima", "Begum", &[("Yusuf", "Uddin", "5A")])
        .await;
    let home = app.get("/").await.text().await.unwrap();
    let csrf = hidden(&home, "csrf");
    assert!(
        home.contains("action=\"/sign\"")
            && home.contains("href=\"/policy\"")
            && home.contains("href=\"/staff/sign-in\""),
        "the front door"
    );

    let messy = f.code.display().to_lowercase().replace('-', " - ");
    let res = app
        .post("/sign", &[("csrf", &csrf), ("code", &messy)])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/s/{}", f.code.as_str()).as_str()
    );

    let res = app
        .post("/sign", &[("csrf", &csrf), ("code", "ABCD-EFGH-JK")])
        .await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("We could not find that code"));
    assert!(
        html.contains("value=\"ABCD-EFGH-JK\""),
        "what was typed is kept"
    );

    let res = app
        .post("/sign", &[("csrf", &csrf), ("code", "KDFR-7QXP-M0")])
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Codes never contain"));

    let res = app
        .post("/sign", &[("csrf", &csrf), ("code", "KDFR")])
        .await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("A code has 10 letters and numbers")
    );

    let res = app.get("/s/ABCDEFGHJK").await;
    assert_eq!(res.status(), 404);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("We could not find that code")
    );
}

#[tokio::test]
async fn a_replaced_code_no_longer_opens_the_page() {
    let app = TestApp::spawn().await;
    let old = app
        .family("Rahim", "Uddin", &[("Yusuf", "Uddin", "5A")])
        .await;
    let new = signoff::domain::code::SigningCode::generate();
    let mut conn = app.state.db.write.acquire().await.unwrap();
    signoff::store::codes::replace(
        &mut conn,
        app.scope,
        old.carer_id,
        &new.hash(),
        time::macros::datetime!(2026-11-21 10:00:00 UTC),
        None,
    )
    .await
    .unwrap();
    drop(conn);
    app.state.db.note_write();
    assert_eq!(
        app.get(&format!("/s/{}", old.code.as_str())).await.status(),
        404
    );
    assert_eq!(app.get(&format!("/s/{}", new.as_str())).await.status(), 200);
}

#[tokio::test]
async fn guessing_is_slowed_but_a_right_code_from_the_same_network_gets_through() {
    let app = TestApp::spawn().await;
    let home = app.get("/").await.text().await.unwrap();
    let csrf = hidden(&home, "csrf");
    // Wrong codes sent all at once: past the free ones they pass two at a time, slowed.
    let started = std::time::Instant::now();
    let tries: Vec<_> = (0..40)
        .map(|_| {
            let (client, url, csrf) = (app.client.clone(), app.url("/sign"), csrf.clone());
            tokio::spawn(async move {
                client
                    .post(url)
                    .form(&[("csrf", csrf.as_str()), ("code", "ABCD-EFGH-JK")])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    for t in tries {
        assert_eq!(t.await.unwrap(), 404);
    }
    // 35 slowed attempts, 2 at a time, 1 ms more each up to 5 ms: at least 17 waits of 5 ms.
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(60),
        "{:?}",
        started.elapsed()
    );
    // A parent on the same school wifi with the right code is neither refused nor counted.
    let f = app.family("Li", "Wei", &[("Mei", "Li", "3B")]).await;
    assert_eq!(
        app.get(&format!("/s/{}", f.code.as_str())).await.status(),
        200
    );
    let res = app
        .post("/sign", &[("csrf", &csrf), ("code", f.code.as_str())])
        .await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn the_public_policy_page_needs_no_code() {
    let app = TestApp::spawn().await;
    let res = app.get("/policy").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Monitoring and review"));
    assert!(html.contains("Next review due"));
    assert!(html.contains("21 November 2027"));
}
