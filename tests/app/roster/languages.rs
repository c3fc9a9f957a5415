//! The roster's home-language column sets each carer's language; a language the carer chose
//! on their own pages survives the next import; letters go out in it.

use crate::helpers::{TestApp, browser, csrf_of};

const FILE: &str = "Pupil Forename,Pupil Surname,Reg Group,Contact Forename,Contact Surname,Contact Email,Home Language\r\n\
    Gwen,Huws,3B,Siân,Huws,sian@example.org,Cymraeg\r\n\
    Ola,Nowak,3B,Marta,Nowak,marta@example.org,Polish\r\n\
    Amy,Shaw,3B,Kim,Shaw,kim@example.org,English\r\n\
    Cai,Rees,3B,Ffion,Rees,ffion@example.org,CYM\r\n\
    Dan,Ross,3B,Lee,Ross,lee@example.org,\r\n";

async fn languages(app: &TestApp) -> Vec<(String, Option<String>, Option<String>)> {
    sqlx::query_as("SELECT first_name, language, language_source FROM carers ORDER BY first_name")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_home_language_column_sets_each_carers_language() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (status, html) = app.upload_roster(&head, FILE.as_bytes()).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("home or preferred language"),
        "the column is read, not asked about"
    );
    app.import_roster(&head, FILE.as_bytes()).await;
    let roster = |s: &str| Some(s.to_string());
    assert_eq!(
        languages(&app).await,
        vec![
            ("Ffion".into(), roster("cy"), roster("roster")),
            ("Kim".into(), roster("en-GB"), roster("roster")),
            ("Lee".into(), None, None),
            ("Marta".into(), roster("pl"), roster("roster")),
            ("Siân".into(), roster("cy"), roster("roster")),
        ]
    );

    // Ffion switches to English on her own page; Siân's school later says English for her.
    let ffion = app.carer_id("Ffion", "Rees").await;
    let code = app.code_for(ffion).await;
    let res = browser()
        .get(app.url(&format!("/s/{}?lang=en-GB", code.as_str())))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let next = FILE
        .replace(
            "Cai,Rees,3B,Ffion,Rees,ffion@example.org,CYM",
            "Cai,Rees,3B,Ffion,Rees,ffion@example.org,Welsh",
        )
        .replace(
            "Siân,Huws,sian@example.org,Cymraeg",
            "Siân,Huws,sian@example.org,English",
        );
    app.import_roster(&head, next.as_bytes()).await;
    let now = languages(&app).await;
    assert_eq!(
        now[0],
        ("Ffion".into(), roster("en-GB"), roster("carer")),
        "her choice stays"
    );
    assert_eq!(
        now[4],
        ("Siân".into(), roster("en-GB"), roster("roster")),
        "the roster's may change"
    );
    // A blank cell changes nothing.
    assert_eq!(now[1], ("Kim".into(), roster("en-GB"), roster("roster")));

    // The office sees it on the carer's page.
    let marta = app.carer_id("Marta", "Nowak").await;
    let page = head
        .get(app.url(&format!("/office/carers/{marta}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<dt>Language</dt><dd>Polish (from the roster;"),
        "{page}"
    );

    // The school says Welsh for Siân again: her letter is in Welsh, the others' in English.
    app.import_roster(&head, FILE.as_bytes()).await;
    let csrf = csrf_of(&app, &head, "/office/letters").await;
    let letters = head
        .post(app.url("/office/letters"))
        .form(&[("csrf", csrf.as_str()), ("status", "outstanding")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        letters.contains("<article class=\"letter\" lang=\"cy\""),
        "a Welsh letter"
    );
    assert!(letters.contains("Annwyl "));
    assert!(letters.contains("a theipiwch eich cod personol:"));
    assert!(
        letters.contains("<article class=\"letter\" lang=\"en-GB\""),
        "English letters too"
    );
    assert!(letters.contains("Dear "));
}
