//! Hostile and broken input against every form and upload: a clear 4xx, or accepted and stored
//! exactly; never a 5xx, a panic or a partial write.

use crate::helpers::{HEAD_PASSWORD, TestApp, csrf_of, hidden};
use crate::office::ROSTER;

fn corpus() -> Vec<String> {
    vec![
        String::new(),
        "x".repeat(100 * 1024),
        "a\0b".into(),
        "\u{1}\u{7}\u{1b}[31m".into(),
        "\u{202e}evil\u{202c}".into(),
        "Zo\u{0308}e".into(),
        "👪🏽 family".into(),
        "O'Brien".into(),
        "Zoë".into(),
        "王秀英".into(),
        "<script>alert(1)</script>".into(),
        "\"><img src=x onerror=alert(1)>".into(),
        "javascript:alert(1)".into(),
        "=HYPERLINK(\"http://x\")".into(),
        "31/02/2026".into(),
        "2026-13-45".into(),
        "-1".into(),
        "99999999999999999999999".into(),
        "../../etc/passwd".into(),
        "' OR 1=1 --".into(),
        "%00%ff".into(),
    ]
}

const TABLES: &[&str] = &[
    "schools",
    "staff_users",
    "staff_invites",
    "documents",
    "versions",
    "pupils",
    "carers",
    "carer_pupils",
    "signing_codes",
    "declarations",
    "audit_events",
    "drafts",
    "reviews",
    "roster_uploads",
];

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(app.count(&format!("SELECT COUNT(*) FROM {t}")).await);
    }
    out
}

/// Checks one response: no 5xx; a refusal is a page of ours that wrote nothing.
async fn check(app: &TestApp, what: &str, before: Vec<i64>, res: reqwest::Response) {
    let status = res.status().as_u16();
    assert!(status < 500, "{what}: {status}");
    if (300..400).contains(&status) {
        let to = res.headers()["location"].to_str().unwrap();
        assert!(
            to.starts_with('/') && !to.starts_with("//"),
            "{what}: redirect to {to}"
        );
        return;
    }
    let body = res.text().await.unwrap();
    assert!(
        !body.contains("<script>alert(1)") && !body.contains("<img src=x"),
        "{what}: markup echoed unescaped"
    );
    if status >= 400 {
        assert!(
            body.contains("<!doctype html>"),
            "{what}: {status} without a page: {body}"
        );
        assert_eq!(
            counts(app).await,
            before,
            "{what}: a refused request wrote something"
        );
    }
}

#[tokio::test]
async fn every_form_survives_the_hostile_corpus() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    let carer = app.carer_id("Sam", "Frost").await;
    let code = app.code_for(carer).await;
    let doc: i64 = sqlx::query_scalar("SELECT id FROM documents")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let version: i64 = sqlx::query_scalar("SELECT id FROM versions")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let csrf = csrf_of(&app, &head, "/office").await;
    head.post(app.url(&format!("/head/documents/{doc}/draft/start")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let anon = crate::helpers::browser();
    let parent_csrf = hidden(
        &anon
            .get(app.url(&format!("/s/{}", code.as_str())))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "csrf",
    );
    let code_csrf = hidden(
        &anon
            .get(app.url("/sign"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "csrf",
    );
    let sign_in_csrf = hidden(
        &anon
            .get(app.url("/staff/sign-in"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "csrf",
    );

    type Fields = Vec<(&'static str, String)>;
    let s = |v: &str| v.to_string();
    let forms: Vec<(bool, String, Fields)> = vec![
        (
            false,
            "/sign".into(),
            vec![("csrf", code_csrf.clone()), ("code", s("KDFR-7QXP-M3"))],
        ),
        (
            false,
            format!("/s/{}", code.as_str()),
            vec![
                ("csrf", parent_csrf.clone()),
                ("version_id", version.to_string()),
                ("agree", s("yes")),
                ("typed_name", s("Someone Else")),
            ],
        ),
        (
            false,
            "/staff/sign-in".into(),
            vec![
                ("csrf", sign_in_csrf.clone()),
                ("email", s("nobody@example.org")),
                ("password", s("wrong password here")),
                ("next", s("/office")),
            ],
        ),
        (
            true,
            format!("/office/carers/{carer}/paper"),
            vec![
                ("csrf", csrf.clone()),
                ("version_id", version.to_string()),
                ("received_on", s("32/13/2026")),
                ("note", s("n")),
            ],
        ),
        (
            true,
            "/office/letters".into(),
            vec![
                ("csrf", csrf.clone()),
                ("doc", doc.to_string()),
                ("class", s("No such class")),
                ("status", s("outstanding")),
                ("q", s("")),
            ],
        ),
        (
            true,
            "/head/staff".into(),
            vec![
                ("csrf", csrf.clone()),
                ("name", s("")),
                ("email", s("not-an-email")),
                ("role", s("office")),
            ],
        ),
        (
            true,
            "/head/settings".into(),
            vec![
                ("csrf", csrf.clone()),
                ("name", s("")),
                ("address", s("Meadow Lane")),
                ("cover_rule", s("one")),
                ("letter_text", s("Please sign.")),
            ],
        ),
        (
            true,
            "/head/documents".into(),
            vec![("csrf", csrf.clone()), ("title", s(""))],
        ),
        (
            true,
            format!("/head/documents/{doc}/draft"),
            vec![
                ("csrf", csrf.clone()),
                ("title", s("T")),
                ("body_md", s("Body")),
                ("approved_by", s("Governors")),
                ("approved_on", s("not a date")),
                ("last_reviewed", s("")),
                ("next_review_due", s("")),
                ("related_policies", s("")),
                ("declaration_text", s("I agree")),
                ("summary", s("")),
                ("then", s("edit")),
            ],
        ),
        (
            true,
            format!("/head/documents/{doc}/draft/paste"),
            vec![("csrf", csrf.clone()), ("paste", s(""))],
        ),
        (
            true,
            format!("/head/documents/{doc}/publish"),
            vec![
                ("csrf", csrf.clone()),
                ("change", s("material")),
                ("summary", s("Changed")),
                ("password", s("not the password")),
            ],
        ),
        (
            true,
            format!("/head/documents/{doc}/review"),
            vec![
                ("csrf", csrf.clone()),
                ("reviewed_on", s("2099-01-01")),
                ("next_review_due", s("2100-01-01")),
                ("note", s("")),
            ],
        ),
    ];
    let mut sent = 0;
    for (staff, path, fields) in &forms {
        let client = if *staff { &head } else { &anon };
        for i in 0..fields.len() {
            for value in corpus() {
                let mut f = fields.clone();
                f[i].1 = value.clone();
                let before = counts(&app).await;
                let res = client.post(app.url(path)).form(&f).send().await.unwrap();
                let what = format!(
                    "POST {path} {}={:?}",
                    f[i].0,
                    value.chars().take(30).collect::<String>()
                );
                check(&app, &what, before, res).await;
                sent += 1;
            }
        }
        // Duplicated fields, missing fields, bytes that are not UTF-8, and the wrong method.
        let mut dup = fields.clone();
        dup.push(fields[fields.len() - 1].clone());
        for body in [
            serde_urlencoded::to_string(&dup).unwrap().into_bytes(),
            b"csrf=".to_vec(),
            [
                b"csrf=".as_slice(),
                fields[0].1.as_bytes(),
                b"&name=%FF%FE&typed_name=\xff\xfe",
            ]
            .concat(),
        ] {
            let before = counts(&app).await;
            let res = client
                .post(app.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            check(&app, &format!("POST {path} (malformed body)"), before, res).await;
        }
        for method in [
            reqwest::Method::PUT,
            reqwest::Method::DELETE,
            reqwest::Method::PATCH,
        ] {
            let before = counts(&app).await;
            let res = client
                .request(method.clone(), app.url(path))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 405, "{method} {path}");
            check(&app, &format!("{method} {path}"), before, res).await;
        }
    }
    assert!(sent > 500, "{sent} requests");
    // Searches and filters in query strings.
    for value in corpus().into_iter().filter(|v| v.len() < 1000) {
        for path in [
            "/office/carers",
            "/office/pupils",
            "/office/export.csv",
            "/office/letters",
            "/office",
        ] {
            let res = head
                .get(app.url(path))
                .query(&[
                    ("q", value.as_str()),
                    ("class", value.as_str()),
                    ("status", value.as_str()),
                ])
                .send()
                .await
                .unwrap();
            assert!(res.status().as_u16() < 500, "{path}?q={value:?}");
        }
        let res = app.get(&format!("/s/{}", urlencode(&value))).await;
        assert!(res.status().is_client_error(), "code {value:?}");
    }
    // The password was never the problem: the real headteacher can still publish.
    let _ = HEAD_PASSWORD;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn names_from_every_script_are_stored_exactly() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let roster = "pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\n\
                  Aoife,O'Brien,1A,Zoë,O'Brien\n\
                  Mei,Wang,1A,秀英,王\n\
                  Omar,\u{202e}Haddad,1A,Layla,حداد\n\
                  Ana,Nuñez,1A,Noa 👪🏽,Nuñez\n";
    app.import_roster(&head, roster.as_bytes()).await;
    for (first, last) in [
        ("Zoë", "O'Brien"),
        ("秀英", "王"),
        ("Layla", "حداد"),
        ("Noa 👪🏽", "Nuñez"),
    ] {
        let id = app.carer_id(first, last).await;
        let page = head
            .get(app.url(&format!("/office/carers/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(&first.replace('\'', "&#39;")) || page.contains(first),
            "{first} shown"
        );
    }
    // Markup in a setting is stored exactly and shown as text.
    let csrf = csrf_of(&app, &head, "/head/settings").await;
    let letter = "Please sign <script>alert(1)</script> 👪🏽 \u{202e}today";
    let res = head
        .post(app.url("/head/settings"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Oakfield Primary School"),
            ("address", "Meadow Lane"),
            ("cover_rule", "one"),
            ("letter_text", letter),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let stored: String = sqlx::query_scalar("SELECT letter_text FROM schools")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(stored, letter);
    let page = head
        .get(app.url("/head/settings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let shown = page
        .split("name=\"letter_text\"")
        .nth(1)
        .unwrap()
        .split("</textarea>")
        .next()
        .unwrap();
    assert!(
        shown.contains("&#60;script&#62;alert(1)") && !shown.contains("<script"),
        "{shown}"
    );
}

#[tokio::test]
async fn hostile_roster_uploads_are_refused_or_read_without_harm() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let files: Vec<Vec<u8>> = vec![
        vec![],
        vec![0xff, 0xfe, 0x00, 0x01, 0x80, 0x81],
        b"\0\0\0".to_vec(),
        "pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\n\"unterminated,quote\n".into(),
        "pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\nA,B,1A,=cmd|' /C calc'!A0,X\n".into(),
        format!("pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\n{}\n", "a,".repeat(50_000)).into(),
        "pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\nA\0,B,1A,C,D\n".into(),
        vec![b'x'; 33 * 1024 * 1024],
    ];
    for (i, f) in files.iter().enumerate() {
        let before = counts(&app).await;
        let (status, html) = app.upload_roster(&head, f).await;
        assert!(status < 500, "file {i}: {status}");
        assert!(html.contains("<!doctype html>"), "file {i}");
        let mut after = counts(&app).await;
        // A preview keeps the upload for "Import"; nothing else may change.
        let uploads = TABLES.iter().position(|t| *t == "roster_uploads").unwrap();
        after[uploads] = before[uploads];
        assert_eq!(after, before, "file {i} wrote roster rows");
    }
}
