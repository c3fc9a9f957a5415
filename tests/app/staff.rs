//! Staff accounts over HTTP: setup, sign-in, lockout, sessions, roles, deactivation.

use time::Duration;

use crate::helpers::{HEAD_EMAIL, HEAD_PASSWORD, TestApp, csrf_of};

#[tokio::test]
async fn the_setup_link_makes_the_headteacher_once() {
    let app = TestApp::spawn().await;
    let c = crate::helpers::browser();
    let path = format!("/setup/{}", app.setup_token);
    let page = c.get(app.url(&path)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csrf = crate::helpers::hidden(&page.text().await.unwrap(), "csrf");

    // A short password and a bad email are both explained; what was typed is kept.
    let res = c
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Helen Ward"),
            ("email", "not-an-email"),
            ("password", "short"),
            ("confirm", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Use at least 12 characters"));
    assert!(html.contains("like name@school.sch.uk"));
    assert!(html.contains("value=\"Helen Ward\""));
    let res = c
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Helen Ward"),
            ("email", HEAD_EMAIL),
            ("password", "password1234"),
            ("confirm", "password1234"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("most commonly used"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_users").await,
        0,
        "nothing stored"
    );

    let res = c
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Helen Ward"),
            ("email", HEAD_EMAIL),
            ("password", HEAD_PASSWORD),
            ("confirm", HEAD_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/office");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(
        c.get(app.url("/office")).send().await.unwrap().status(),
        200
    );
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM staff_users")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"));

    // The link works once.
    assert_eq!(
        crate::helpers::browser()
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn wrong_passwords_get_one_message_and_then_a_lock() {
    let app = TestApp::spawn().await;
    app.head().await;
    let (_, res) = app.sign_in(HEAD_EMAIL, "wrong password here").await;
    assert_eq!(res.status(), 401);
    let wrong = res.text().await.unwrap();
    assert!(wrong.contains("The email address or password is not right"));
    assert!(
        wrong.contains(&format!("value=\"{HEAD_EMAIL}\"")),
        "email kept"
    );
    let (_, res) = app
        .sign_in("nobody@oakfield.example", "wrong password here")
        .await;
    assert_eq!(res.status(), 401);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("The email address or password is not right"),
        "same message for an unknown email"
    );

    let (_, ok) = app.sign_in(HEAD_EMAIL, HEAD_PASSWORD).await;
    assert_eq!(ok.status(), 303, "a correct password works before the lock");
    for _ in 0..10 {
        app.sign_in(HEAD_EMAIL, "wrong password here").await;
    }
    let (_, res) = app.sign_in(HEAD_EMAIL, HEAD_PASSWORD).await;
    assert_eq!(
        res.status(),
        429,
        "locked for a while, even with the right password"
    );
    assert!(res.text().await.unwrap().contains("paused for 15 minutes"));
}

#[tokio::test]
async fn sessions_end_after_idling_after_eight_hours_and_at_sign_out() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    assert_eq!(
        head.get(app.url("/office")).send().await.unwrap().status(),
        200
    );
    app.clock.advance(Duration::minutes(31));
    let res = head.get(app.url("/office/carers")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/staff/sign-in?expired=1&next=/office/carers"
    );

    let (c, res) = app.sign_in(HEAD_EMAIL, HEAD_PASSWORD).await;
    assert_eq!(res.status(), 303, "{:?}", res.headers());
    assert_eq!(res.headers()["location"], "/office");
    for i in 0..16 {
        app.clock.advance(Duration::minutes(29));
        let res = c.get(app.url("/office")).send().await.unwrap();
        assert_eq!(
            res.status(),
            200,
            "after {} minutes: {:?}",
            (i + 1) * 29,
            res.headers().get("location")
        );
    }
    app.clock.advance(Duration::minutes(29));
    assert_eq!(
        c.get(app.url("/office")).send().await.unwrap().status(),
        303,
        "8 hours is the limit"
    );

    let (c, _) = app.sign_in(HEAD_EMAIL, HEAD_PASSWORD).await;
    let csrf = csrf_of(&app, &c, "/office").await;
    let res = c
        .post(app.url("/staff/sign-out"))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        c.get(app.url("/office")).send().await.unwrap().status(),
        303
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_sessions").await, 0);
}

#[tokio::test]
async fn office_staff_are_refused_headteacher_pages() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (office, _) = app
        .colleague(
            &head,
            "Omar Shah",
            "office@oakfield.example",
            "office",
            "blue kettle morning",
        )
        .await;
    assert_eq!(
        office
            .get(app.url("/office"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for path in ["/head/staff", "/head/settings"] {
        let res = office.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 403, "{path}");
        assert!(res.text().await.unwrap().contains("Only a headteacher"));
    }
    let csrf = csrf_of(&app, &office, "/office").await;
    let res = office
        .post(app.url("/head/staff"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Eve"),
            ("email", "eve@oakfield.example"),
            ("role", "headteacher"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_users WHERE email = 'eve@oakfield.example'")
            .await,
        0
    );
    // Anonymous visitors are sent to sign in.
    let res = crate::helpers::browser()
        .get(app.url("/office"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn deactivating_an_account_ends_its_session_at_once() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (office, id) = app
        .colleague(
            &head,
            "Omar Shah",
            "office@oakfield.example",
            "office",
            "blue kettle morning",
        )
        .await;
    assert_eq!(
        office
            .get(app.url("/office"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let csrf = csrf_of(&app, &head, "/head/staff").await;
    let res = head
        .post(app.url(&format!("/head/staff/{id}/active")))
        .form(&[("csrf", csrf.as_str()), ("active", "no")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        office
            .get(app.url("/office"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    let (_, res) = app
        .sign_in("office@oakfield.example", "blue kettle morning")
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'staff.deactivated' AND subject = 'staff:{id}'")).await, 1);

    // The last headteacher cannot be demoted or deactivated.
    let head_id: i64 = sqlx::query_scalar("SELECT id FROM staff_users WHERE email = ?")
        .bind(HEAD_EMAIL)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let res = head
        .post(app.url(&format!("/head/staff/{head_id}/active")))
        .form(&[("csrf", csrf.as_str()), ("active", "no")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn the_setup_link_command_lets_a_locked_out_school_back_in() {
    let app = TestApp::spawn().await;
    app.head().await;
    let school = signoff::app::school::for_command(&app.state.db, None)
        .await
        .unwrap();
    let token = signoff::app::seed::headteacher_link(
        &app.state.db,
        app.clock.as_ref(),
        &school,
        Some(HEAD_EMAIL),
    )
    .await
    .unwrap();
    let c = crate::helpers::browser();
    let path = format!("/setup/{token}");
    let page = c
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Choose a new password"));
    let csrf = crate::helpers::hidden(&page, "csrf");
    let res = c
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", "new harbour compass"),
            ("confirm", "new harbour compass"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, res) = app.sign_in(HEAD_EMAIL, "new harbour compass").await;
    assert_eq!(res.status(), 303);
}
