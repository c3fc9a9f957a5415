//! The black-box probe's findings, each kept fixed: redirects after sign-in, sessions after a new
//! password, links after deactivation, invisible characters, and Markdown links.

use crate::helpers::{HEAD_EMAIL, TestApp, browser, csrf_of, hidden};

async fn sign_in_with_next(app: &TestApp, next: &str) -> reqwest::Response {
    let c = browser();
    let csrf = csrf_of(app, &c, "/staff/sign-in").await;
    c.post(app.url("/staff/sign-in"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", HEAD_EMAIL),
            ("password", crate::helpers::HEAD_PASSWORD),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_returns_only_to_staff_pages_and_never_fails_on_the_address() {
    let app = TestApp::spawn().await;
    app.head().await;
    // A tab or line break in `next` reaches the handler decoded, as the probe sent it.
    for next in [
        "/\t/evil.example/phish",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/office\r\nSet-Cookie: stolen=1",
        "/office\n",
    ] {
        let res = sign_in_with_next(&app, next).await;
        assert_eq!(res.status(), 303, "{next:?}");
        assert_eq!(res.headers()["location"], "/office", "{next:?}");
    }
    let res = sign_in_with_next(&app, "/office/carers?class=3B").await;
    assert_eq!(res.headers()["location"], "/office/carers?class=3B");
    let page = browser()
        .get(app.url("/staff/sign-in?next=/%09/evil.example/phish"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(hidden(&page, "next"), "/office");
}

/// A headteacher makes a new sign-in link for colleague `id`; its token.
async fn new_sign_in_link(app: &TestApp, head: &reqwest::Client, csrf: &str, id: i64) -> String {
    let page = head
        .post(app.url(&format!("/head/staff/{id}/invite")))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page.find("/setup/").expect("link shown") + "/setup/".len();
    page[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

#[tokio::test]
async fn a_new_password_ends_other_sessions_and_deactivation_cancels_links() {
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
    let (laptop, _) = app
        .sign_in("office@oakfield.example", "blue kettle morning")
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

    // The headteacher makes a new sign-in link; Omar sets a new password with it.
    let csrf = csrf_of(&app, &head, "/head/staff").await;
    let token = new_sign_in_link(&app, &head, &csrf, id).await;
    let phone = browser();
    let path = format!("/setup/{token}");
    let form_csrf = csrf_of(&app, &phone, &path).await;
    let res = phone
        .post(app.url(&path))
        .form(&[
            ("csrf", form_csrf.as_str()),
            ("password", "green teapot evening"),
            ("confirm", "green teapot evening"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        phone.get(app.url("/office")).send().await.unwrap().status(),
        200,
        "the new session works"
    );
    for old in [&office, &laptop] {
        assert_eq!(
            old.get(app.url("/office")).send().await.unwrap().status(),
            303,
            "older sessions end"
        );
    }

    // A link issued, then the account deactivated: the link no longer works.
    let token = new_sign_in_link(&app, &head, &csrf, id).await;
    let res = head
        .post(app.url(&format!("/head/staff/{id}/active")))
        .form(&[("csrf", csrf.as_str()), ("active", "no")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let res = browser()
        .get(app.url(&format!("/setup/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404, "a deactivated account's link is dead");
}

#[tokio::test]
async fn invisible_characters_never_reach_a_signature_or_an_export() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(
        &head,
        "Forename,Surname,Class,Contact Forename,Contact Surname\nAnn\u{200B}a,Lee,1A,Jo\u{202E}e,Lee\n".as_bytes(),
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carers WHERE first_name = 'Joe'")
            .await,
        1
    );
    let family = crate::helpers::Family {
        carer_id: app.carer_id("Joe", "Lee").await,
        code: app.code_for(app.carer_id("Joe", "Lee").await).await,
        name: "Joe Lee".into(),
    };
    let (csrf, version_id) = crate::helpers::open_form(&app, &family).await;
    let res = app
        .post(
            &format!("/s/{}", family.code.as_str()),
            &[
                ("csrf", &csrf),
                ("version_id", &version_id),
                ("agree", "yes"),
                ("typed_name", "Joe\u{202E}eoJ Lee"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("invisible or direction-changing character"),
        "{html}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 0);
    let csv = head
        .get(app.url("/office/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("Excel's byte order mark, and only there");
    assert!(!csv.chars().any(signoff::domain::text::is_format), "{csv}");
}

#[tokio::test]
async fn wrong_passwords_sent_all_at_once_cannot_race_past_the_lock() {
    let app = TestApp::spawn().await;
    app.head().await;
    let c = browser();
    let csrf = csrf_of(&app, &c, "/staff/sign-in").await;
    let tries: Vec<_> = (0..59)
        .map(|i| {
            let (c, url, csrf) = (c.clone(), app.url("/staff/sign-in"), csrf.clone());
            tokio::spawn(async move {
                c.post(url)
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("email", HEAD_EMAIL),
                        ("password", &format!("wrong guess {i}")),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut refused = 0;
    for t in tries {
        let status = t.await.unwrap();
        assert!(matches!(status, 401 | 429), "{status}");
        refused += usize::from(status == 429);
    }
    assert_eq!(
        refused,
        59 - 10,
        "only the account's 10 attempts were checked"
    );
    let res = sign_in_with_next(&app, "/office").await;
    assert_eq!(
        res.status(),
        429,
        "the right password waits out the lock too"
    );
}

#[tokio::test]
async fn an_imported_roster_file_is_emptied_and_notices_come_from_the_portal_not_the_address() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, crate::office::ROSTER.as_bytes())
        .await;
    let kept: Vec<String> = sqlx::query_scalar("SELECT content FROM roster_uploads")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(kept, [""], "no pupil or carer data stays in the upload");
    let id: i64 = sqlx::query_scalar("SELECT id FROM roster_uploads")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let page = head
        .get(app.url(&format!("/office/roster?imported={id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Roster imported: 5 pupils added"), "{page}");
    for crafted in [
        "/office/roster?done=Call%20the%20office%20on%2001632%20960000",
        "/office/roster?imported=Call%20us",
        "/office/roster?imported=999",
    ] {
        let page = head
            .get(app.url(crafted))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !page.contains("Call") && !page.contains("Roster imported"),
            "{crafted}"
        );
    }
}

#[tokio::test]
async fn a_second_roster_file_waits_while_one_is_being_read_or_imported() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let running = app.state.db.start_job("roster", app.scope).expect("free");
    let (status, html) = app
        .upload_roster(&head, crate::office::ROSTER.as_bytes())
        .await;
    assert_eq!(status, 409);
    assert!(
        html.contains("Another roster file for this school is being read or imported"),
        "{html}"
    );
    drop(running);
    let (status, _) = app
        .upload_roster(&head, crate::office::ROSTER.as_bytes())
        .await;
    assert_eq!(status, 200, "its turn comes once the first is done");
}
