//! Every form, query and malformed body fed the hostile corpus.

use super::{check, corpus, counts};
use crate::helpers::{HEAD_PASSWORD, TestApp, csrf_of, hidden};
use crate::office::ROSTER;

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
