//! A trust above its schools: trust administrators, adding a school from the browser, the trust
//! dashboard and its CSV against hand-counted figures, and looking at a school read-only.

use crate::helpers::{TestApp, browser, csrf_of, hidden, paper, sign};
use crate::revisions::doc_id;
use crate::schools::signoff;

/// The token of the first `/setup/…` link in `text`.
pub(crate) fn setup_token(text: &str) -> String {
    let start = text.find("/setup/").expect("a setup link") + 7;
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

/// Finishes a setup link in a fresh browser; returns it, signed in.
pub(crate) async fn set_up(app: &TestApp, token: &str, name: &str, email: &str) -> reqwest::Client {
    let c = browser();
    let path = format!("/setup/{token}");
    let csrf = csrf_of(app, &c, &path).await;
    let res = c
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", name),
            ("email", email),
            ("password", "quiet harbour lights"),
            ("confirm", "quiet harbour lights"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "setup completes for {email}");
    c
}

/// The first trust administrator, appointed from the shell; their signed-in browser.
pub(crate) async fn trust_admin(app: &TestApp) -> reqwest::Client {
    let (ok, out) = signoff(
        app,
        &[
            "trust",
            "add-admin",
            "--name",
            "Tara Quinn",
            "--email",
            "tara@trust.example",
        ],
    );
    assert!(ok, "{out}");
    let token = setup_token(&out);
    // Their account was made by name and email: this is its first password, not a new one.
    let (_, page) = get(&browser(), app, &format!("/setup/{token}")).await;
    assert!(page.contains("Set up your account"), "{page}");
    assert!(!page.contains("Choose a new password"), "{page}");
    set_up(app, &token, "", "").await
}

pub(crate) async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

pub(crate) async fn post(
    c: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let res = c.post(app.url(path)).form(form).send().await.unwrap();
    let to = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), to, res.text().await.unwrap())
}

/// Adds a school from the trust's page; returns its first headteacher's setup token.
pub(crate) async fn add_school(
    app: &TestApp,
    tara: &reqwest::Client,
    name: &str,
    slug: &str,
) -> String {
    let csrf = csrf_of(app, tara, "/trust/schools/new").await;
    let (status, _, html) = post(
        tara,
        app,
        "/trust/schools/new",
        &[
            ("csrf", &csrf),
            ("name", name),
            ("slug", slug),
            ("address", ""),
        ],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(&format!("{name} is added")), "{html}");
    setup_token(&html)
}

#[tokio::test]
async fn a_trust_administrator_adds_schools_sees_every_figure_and_changes_no_school() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let tara = trust_admin(&app).await;
    // Signing in lands on the trust's page, not a school's.
    let (status, to, _) = post(&tara, &app, "/trust/leave", &[]).await;
    assert_eq!((status, to.as_str()), (403, ""), "a form needs its token");
    let (status, _) = get(&tara, &app, "/office").await;
    assert_eq!(status, 303);
    let (status, page) = get(&tara, &app, "/trust").await;
    assert_eq!(status, 200);
    assert!(page.contains("Oakfield Primary School"));

    // A mistake is explained beside the field, with what was typed kept; nothing is added.
    let csrf = csrf_of(&app, &tara, "/trust/schools/new").await;
    let (status, _, html) = post(
        &tara,
        &app,
        "/trust/schools/new",
        &[
            ("csrf", &csrf),
            ("name", "Elmwood Academy"),
            ("slug", "oakfield"),
            ("address", "1 Elm Road"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("is already Oakfield Primary School"),
        "{html}"
    );
    assert!(html.contains("value=\"Elmwood Academy\"") && html.contains("1 Elm Road"));
    assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 1);
    let elm_token = add_school(&app, &tara, "Elmwood Academy", "elmwood").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 2);
    let elm_head = set_up(&app, &elm_token, "Erin Ash", "erin@elmwood.example").await;
    let (_, elm_office) = get(&elm_head, &app, "/office").await;
    assert!(elm_office.contains("Elmwood Academy"));

    // Oakfield, counted by hand: four carers; one signed online, one on paper, two outstanding.
    let olive = app.family("Olive", "Oak", &[("Rowan", "Oak", "2B")]).await;
    let peter = app.family("Peter", "Pine", &[("Sky", "Pine", "2B")]).await;
    app.family("Quinn", "Reed", &[("Tam", "Reed", "3C")]).await;
    app.family("Ruth", "Sage", &[("Uma", "Sage", "3C")]).await;
    sign(&app, &olive).await;
    let version: i64 = app
        .count("SELECT id FROM versions WHERE school_id = 1 ORDER BY number DESC LIMIT 1")
        .await;
    paper(&app, &head, peter.carer_id, version).await;

    let (_, page) = get(&tara, &app, "/trust").await;
    assert!(page.contains("Elmwood Academy") && page.contains("Oakfield Primary School"));
    assert!(page.contains("of 4 carers signed"), "{page}");
    let (status, csv) = get(&tara, &app, "/trust/export.csv").await;
    assert_eq!(status, 200);
    let rows: Vec<Vec<String>> = csv
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows[0][0], "School");
    assert_eq!(rows.len(), 3, "{csv}");
    let oak = rows.iter().find(|r| r[1] == "oakfield").unwrap();
    // Carers, signed, signed %, outstanding, must re-sign, not signed, paper.
    assert_eq!(oak[4..11], ["4", "2", "50", "2", "0", "2", "1"], "{csv}");
    let elm = rows.iter().find(|r| r[1] == "elmwood").unwrap();
    assert_eq!(elm[4..11], ["0", "0", "0", "0", "0", "0", "0"], "{csv}");
    assert_eq!(oak[13], "No trust code yet");

    // Opening a school's office view: its figures and lists, read-only.
    let csrf = csrf_of(&app, &tara, "/trust").await;
    let (status, to, _) = post(
        &tara,
        &app,
        "/trust/look",
        &[("csrf", &csrf), ("school", "oakfield")],
    )
    .await;
    assert_eq!((status, to.as_str()), (303, "/office"));
    let (status, office) = get(&tara, &app, "/office").await;
    assert_eq!(status, 200);
    assert!(office.contains("Read-only") && office.contains("Oakfield Primary School"));
    let (status, carer) = get(&tara, &app, &format!("/office/carers/{}", olive.carer_id)).await;
    assert_eq!(status, 200);
    assert!(carer.contains("Olive Oak"));
    // The pages offer nothing they would refuse: no form, and no heading or link left behind.
    let main = &carer[carer.find("<main").expect("a main")..];
    assert!(!main.contains("method=\"post\""), "{main}");
    assert!(!carer.contains("Record a paper form"), "{carer}");
    assert!(!office.contains("Email or text these"), "{office}");
    let (_, roster) = get(&tara, &app, "/office/roster").await;
    assert!(!roster.contains("Upload") && roster.contains("imports its roster"));
    let (_, carers) = get(&tara, &app, "/office/carers").await;
    assert!(carers.contains("Olive Oak") && !carers.contains("Print letters for these"));
    // Every change is refused, whatever the form: a new code, a paper form, a roster, a letter.
    let csrf = hidden(&office, "csrf");
    let codes = "SELECT COUNT(*) FROM signing_codes";
    let before = app.count(codes).await;
    for path in [
        format!("/office/carers/{}/code", olive.carer_id),
        format!("/office/carers/{}/paper", olive.carer_id),
        "/office/letters".to_string(),
        "/office/messages/new".to_string(),
        "/office/messages/reminders".to_string(),
        "/office/roster".to_string(),
        format!("/head/documents/{}/draft/start", doc_id(&app).await),
    ] {
        let (status, _, html) = post(&tara, &app, &path, &[("csrf", &csrf)]).await;
        assert_eq!(status, 403, "{path}");
        assert!(
            html.contains("read its records but not change them"),
            "{path}"
        );
    }
    assert_eq!(app.count(codes).await, before);
    assert_eq!(get(&tara, &app, "/head/staff").await.0, 403);
    assert_eq!(get(&tara, &app, "/head/settings").await.0, 403);
    // The school's audit log notes the look.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'trust.looked_at_school' AND school_id = 1")
            .await,
        1
    );
    let (status, to, _) = post(&tara, &app, "/trust/leave", &[("csrf", &csrf)]).await;
    assert_eq!((status, to.as_str()), (303, "/trust"));
    assert_eq!(get(&tara, &app, "/office").await.0, 303);

    // A school's staff never reach the trust's pages.
    for c in [&head, &elm_head] {
        assert_eq!(get(c, &app, "/trust").await.0, 403);
        assert_eq!(get(c, &app, "/trust/export.csv").await.0, 403);
        let csrf = csrf_of(&app, c, "/office").await;
        let (status, _, _) = post(
            c,
            &app,
            "/trust/look",
            &[("csrf", &csrf), ("school", "elmwood")],
        )
        .await;
        assert_eq!(status, 403);
    }

    // Appointing a second trust administrator; nobody switches themselves off, and the trust
    // keeps one who can sign in.
    let csrf = csrf_of(&app, &tara, "/trust/admins").await;
    let (status, _, html) = post(
        &tara,
        &app,
        "/trust/admins",
        &[
            ("csrf", &csrf),
            ("name", "Sam Lee"),
            ("email", "erin@elmwood.example"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("already has an account"));
    let (status, _, html) = post(
        &tara,
        &app,
        "/trust/admins",
        &[
            ("csrf", &csrf),
            ("name", "Sam Lee"),
            ("email", "sam@trust.example"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let sam = set_up(&app, &setup_token(&html), "", "").await;
    assert_eq!(get(&sam, &app, "/trust").await.0, 200);
    let id = |email: &str| format!("SELECT id FROM staff_users WHERE email = '{email}'");
    let tara_id = app.count(&id("tara@trust.example")).await;
    let sam_id = app.count(&id("sam@trust.example")).await;
    let (status, _, html) = post(
        &tara,
        &app,
        &format!("/trust/admins/{tara_id}/active"),
        &[("csrf", &csrf), ("active", "no")],
    )
    .await;
    assert_eq!(status, 409);
    assert!(html.contains("cannot switch off your own account"));
    let (status, to, _) = post(
        &tara,
        &app,
        &format!("/trust/admins/{sam_id}/active"),
        &[("csrf", &csrf), ("active", "no")],
    )
    .await;
    assert_eq!((status, to.as_str()), (303, "/trust/admins?done=off"));
    assert_ne!(get(&sam, &app, "/trust").await.0, 200, "signed out");
    // A headteacher cannot make anyone a trust administrator.
    let csrf = csrf_of(&app, &head, "/head/staff").await;
    let (status, _, _) = post(
        &head,
        &app,
        "/head/staff",
        &[
            ("csrf", &csrf),
            ("name", "Vic Moss"),
            ("email", "vic@oakfield.example"),
            ("role", "trust"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_users WHERE role = 'trust'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM trust_events WHERE action = 'school.added'")
            .await,
        1
    );
}
