//! Parent pages in Welsh: `?lang=cy` on any link, the switch remembered for the carer (and by a
//! cookie where there is no code), errors in Welsh, staff pages always English.

use crate::helpers::{TestApp, browser, hidden, open_form};

/// Whether a page shows these words (askama writes an apostrophe as `&#39;`).
fn shows(html: &str, words: &str) -> bool {
    html.contains(&words.replace('\'', "&#39;")) || html.contains(&words.replace('\'', "&#x27;"))
}

/// The English catalogue's sentences with no placeholders: a Welsh page shows none of them.
fn english_sentences() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en-GB/parent.ftl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| v.len() >= 12 && !v.contains('{'))
        .collect()
}

/// Fails if a Welsh page shows any English sentence from the catalogue. (The school's own words
/// are not translated: the sample code's summary of version 1 starts with "First version".)
fn assert_no_english(html: &str, page: &str) {
    let html = html.replace("First version of the code of conduct.", "");
    let english = english_sentences();
    assert!(english.len() > 50, "{}", english.len());
    for sentence in english {
        assert!(!shows(&html, &sentence), "{page} shows English: {sentence}");
    }
}

async fn text(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_carer_switches_to_welsh_signs_and_is_remembered() {
    let app = TestApp::spawn().await;
    let f = app
        .family(
            "Siân",
            "Huws",
            &[("Gwen", "Huws", "3B"), ("Iwan", "Huws", "5A")],
        )
        .await;
    let page = format!("/s/{}", f.code.as_str());

    // English to begin with, with a plain link to the same page in Welsh.
    let (_, html) = text(&browser(), &app, &page).await;
    assert!(html.contains("<html lang=\"en-GB\">"), "English by default");
    assert!(
        html.contains(&format!("href=\"{page}?lang=cy\"")),
        "switch link"
    );
    assert!(html.contains(">Cymraeg</a>"));

    // The switch: remembered for the carer, then back to the page without `lang`.
    let phone = browser();
    let res = phone
        .get(app.url(&format!("{page}?lang=cy")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], page.as_str());
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("lang=cy;"), "{cookie}");
    let stored: (String, String) =
        sqlx::query_as("SELECT language, language_source FROM carers WHERE id = ?")
            .bind(f.carer_id)
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(stored, ("cy".into(), "carer".into()));

    // Another device with no cookie: the carer's page is Welsh now (kept page and all).
    for _ in 0..2 {
        let (status, html) = text(&browser(), &app, &page).await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"cy\">"), "Welsh page");
        assert!(
            shows(&html, "Neidio i'r prif gynnwys"),
            "skip link in Welsh"
        );
        assert!(shows(&html, "Llofnodi'r datganiad"));
        assert!(
            html.contains("Ar gyfer eich plant:"),
            "two children: plural"
        );
        assert!(html.contains("(dosbarth 3B)"));
        assert!(html.contains(&format!("href=\"{page}?lang=en-GB\"")));
        assert!(!html.contains("Sign the declaration"), "no English left");
        assert_no_english(&html, "signing page");
    }

    // A mistake is explained in Welsh, and nothing is stored.
    let (csrf, version_id) = open_form(&app, &f).await;
    let res = phone
        .post(app.url(&page))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version_id", version_id.as_str()),
            ("typed_name", "Someone Else"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Ticiwch y blwch"), "agree error in Welsh");
    assert!(shows(&html, "Dydy'r enw"));
    assert!(html.contains("Gwall:"));
    assert_no_english(&html, "signing page with errors");
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 0);

    // Signing: the receipt is Welsh, with the date in Welsh.
    let res = phone
        .post(app.url(&page))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version_id", version_id.as_str()),
            ("agree", "yes"),
            ("typed_name", "Siân Huws"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let receipt = res.headers()["location"].to_str().unwrap().to_string();
    let (_, html) = text(&browser(), &app, &receipt).await;
    assert!(html.contains("<html lang=\"cy\">"));
    assert!(html.contains("Rydych chi wedi llofnodi"));
    assert!(html.contains("Eich cyfeirnod yw <strong>SO-000001</strong>"));
    assert!(html.contains("21 Tachwedd 2026 am 10:00 GMT"), "Welsh date");
    assert!(html.contains("Ar-lein"));
    assert_no_english(&html, "receipt");
    let (_, html) = text(&browser(), &app, &format!("{page}/reminders")).await;
    assert!(html.contains("<html lang=\"cy\">"));
    assert_no_english(&html, "reminders");
    let (_, html) = text(&browser(), &app, &page).await;
    assert!(
        html.contains("Rydych chi wedi llofnodi eisoes"),
        "done page"
    );
    assert_no_english(&html, "done page");

    // A material change: "what changed" is explained in Welsh, word by word.
    crate::office::publish_v2(&app).await;
    let (_, html) = text(&browser(), &app, &page).await;
    assert!(shows(
        &html,
        "Mae'r cod ymddygiad wedi newid ers i chi ei lofnodi ar 21 Tachwedd 2026"
    ));
    assert!(html.contains("Fe wnaethoch chi lofnodi fersiwn 1."));
    assert!(html.contains("Allwedd:"), "the diff's key");
    // The diff is of the version's canonical text (what is hashed), which is the school's own,
    // English labels and all; the page around it is Welsh.
    let start = html.find("<div class=\"diff\">").expect("a diff");
    let end = start + html[start..].find("</div>").expect("its end");
    assert_no_english(
        &format!("{}{}", &html[..start], &html[end..]),
        "signing again",
    );

    // And back to English from the receipt: the query is kept, and so is the choice.
    let res = phone
        .get(app.url(&format!("{receipt}?signed=1&lang=en-GB")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("{receipt}?signed=1").as_str()
    );
    let (_, html) = text(&browser(), &app, &receipt).await;
    assert!(html.contains("<html lang=\"en-GB\">"));
    assert!(html.contains("21 November 2026 at 10:00 GMT"));
}

#[tokio::test]
async fn pages_without_a_code_take_lang_and_the_cookie() {
    let app = TestApp::spawn().await;
    let phone = browser();

    let res = phone.get(app.url("/?lang=cy")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("lang=cy;")
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"cy\">"));
    assert!(html.contains("Darllenwch a llofnodwch ein cod ymddygiad"));
    assert!(html.contains("href=\"/?lang=en-GB\""));
    assert_no_english(&html, "front page");

    // The cookie remembers it on the next pages.
    for (path, words) in [
        ("/policy", "Y datganiad mae rhieni"),
        ("/sign", "Rhowch eich cod"),
    ] {
        let (status, html) = text(&phone, &app, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("<html lang=\"cy\">"), "{path}");
        assert!(html.contains(words), "{path}");
        assert_no_english(&html, path);
    }
    // The code's history and a version of it.
    let (_, policy) = text(&phone, &app, "/policy").await;
    let end = policy.find("/history\"").expect("history link");
    let start = policy[..end].rfind("href=\"").expect("href") + "href=\"".len();
    let history = format!("{}/history", &policy[start..end]);
    let (status, html) = text(&phone, &app, &history).await;
    assert_eq!(status, 200, "{history}");
    assert!(html.contains("Y fersiwn gyntaf"), "{history}");
    assert_no_english(&html, &history);
    let version = history.replace("/history", "/v/1");
    let (status, html) = text(&phone, &app, &version).await;
    assert_eq!(status, 200, "{version}");
    assert!(html.contains("Fersiwn 1, cyhoeddwyd"), "{version}");
    assert_no_english(&html, &version);
    let (_, html) = text(&phone, &app, "/sign").await;
    let csrf = hidden(&html, "csrf");
    let res = phone
        .post(app.url("/sign"))
        .form(&[("csrf", csrf.as_str()), ("code", "KDFR-7QX")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("Mae gan god 10 llythyren a rhif, ond fe wnaethoch chi deipio 7."));

    // Error pages speak it too; staff pages stay English and take no cookie.
    let (status, html) = text(&phone, &app, "/no-such-page").await;
    assert_eq!(status, 404);
    assert!(shows(&html, "Heb ddod o hyd i'r dudalen"));
    assert_no_english(&html, "page not found");
    let res = browser()
        .get(app.url("/staff/sign-in?lang=cy"))
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().contains("lang="))
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"en-GB\">"));

    // Nobody is told the key of a message: the English page has no Fluent ids in it.
    let (_, html) = text(&browser(), &app, "/").await;
    assert!(!html.contains("home-heading") && !html.contains("Unknown localization"));
}

#[tokio::test]
async fn a_code_typed_after_switching_makes_welsh_the_carers_language() {
    let app = TestApp::spawn().await;
    let f = app.family("Dewi", "Prys", &[("Nia", "Prys", "2C")]).await;
    let phone = browser();
    let (_, html) = text(&phone, &app, "/sign?lang=cy").await;
    let csrf = hidden(&html, "csrf");
    let res = phone
        .post(app.url("/sign"))
        .form(&[("csrf", csrf.as_str()), ("code", f.code.display().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let lang: Option<String> = sqlx::query_scalar("SELECT language FROM carers WHERE id = ?")
        .bind(f.carer_id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("cy"));
    let (_, html) = text(&browser(), &app, &format!("/s/{}", f.code.as_str())).await;
    assert!(
        html.contains("Ar gyfer eich plentyn:"),
        "one child: singular"
    );
}

#[tokio::test]
async fn forms_that_cannot_be_taken_are_explained_in_welsh() {
    let app = TestApp::spawn().await;
    let f = app.family("Siân", "Huws", &[("Gwen", "Huws", "3B")]).await;
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let path = format!("/s/{}", f.code.as_str());
    let post = |body: String, origin: Option<&'static str>| {
        let mut req = c
            .post(app.url(&path))
            .header("cookie", "lang=cy")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        req.send()
    };
    let big = format!("typed_name={}", "a".repeat(2_000_000));
    let html = post(big, None).await.unwrap().text().await.unwrap();
    assert!(html.contains("Anfonwyd gormod"), "{html}");
    let html = post("a=1".into(), Some("https://elsewhere.example"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Anfonwyd y ffurflen hon o wefan arall"),
        "{html}"
    );
    // Not a form at all: sent as plain text.
    let html = c
        .post(app.url(&path))
        .header("cookie", "lang=cy")
        .header("content-type", "text/plain")
        .body("typed_name=x")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Nid oedd modd darllen y ffurflen"), "{html}");
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 0);
}
