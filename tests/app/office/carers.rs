//! One carer at a time: paper forms, reissued codes, and letters that carry fresh codes.

use super::{ROSTER, family, fixture};
use crate::helpers::{TestApp, csrf_of, hidden};

#[tokio::test]
async fn a_paper_form_is_evidence_and_a_bad_one_is_explained() {
    let app = TestApp::spawn().await;
    let head = fixture(&app).await;
    let priya = app.carer_id("Priya", "Carter").await;
    let page = head
        .get(app.url(&format!("/office/carers/{priya}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Signed on paper"));
    assert!(page.contains("Paper, received 21 November 2026"));
    assert!(page.contains("Helen Ward"), "recorded by whom");
    let row: (String, Option<i64>, String, String) = sqlx::query_as(
        "SELECT method, recorded_by, received_on, note FROM declarations WHERE carer_id = ?",
    )
    .bind(priya)
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(
        (row.0.as_str(), row.2.as_str(), row.3.as_str()),
        ("paper", "2026-11-21", "Handed in at reception")
    );
    assert!(row.1.is_some());
    let chain: Vec<(String, String)> =
        sqlx::query_as("SELECT prev_hash, row_hash FROM declarations ORDER BY id")
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    assert!(
        chain.windows(2).all(|w| w[1].0 == w[0].1),
        "paper forms join the same chain"
    );

    let sam = app.carer_id("Sam", "Frost").await;
    let v2: i64 = sqlx::query_scalar("SELECT id FROM versions WHERE number = 2")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let csrf = csrf_of(&app, &head, &format!("/office/carers/{sam}")).await;
    let before = app.count("SELECT COUNT(*) FROM declarations").await;
    for (date, message) in [
        ("31/02/2026", "Enter the date the form came back"),
        ("22/11/2026", "cannot be in the future"),
        ("01/09/2026", "cannot have come back before then"),
        ("", "Enter the date the form came back"),
    ] {
        let res = head
            .post(app.url(&format!("/office/carers/{sam}/paper")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("version_id", &v2.to_string()),
                ("received_on", date),
                ("note", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{date}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{date}: {message}");
        assert!(
            html.contains(&format!("value=\"{date}\"")),
            "typed date kept"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, before);
}

#[tokio::test]
async fn reissuing_a_code_shows_it_once_and_stops_the_old_one() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    let sam = family(&app, "Sam", "Frost").await;
    assert_eq!(
        app.get(&format!("/s/{}", sam.code.as_str())).await.status(),
        200
    );
    let csrf = csrf_of(&app, &head, &format!("/office/carers/{}", sam.carer_id)).await;
    let res = head
        .post(app.url(&format!("/office/carers/{}/code", sam.carer_id)))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let code = html
        .split("class=\"code-display\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 12);
    assert_eq!(
        app.get(&format!("/s/{}", sam.code.as_str())).await.status(),
        404,
        "old code revoked"
    );
    assert_eq!(
        app.get(&format!("/s/{}", code.replace('-', "")))
            .await
            .status(),
        200,
        "new code works"
    );
    let page = head
        .get(app.url(&format!("/office/carers/{}", sam.carer_id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Replaced") && page.contains("In use"));
    assert!(!page.contains(&code), "the code is never shown again");
}

#[tokio::test]
async fn letters_for_a_class_carry_fresh_codes() {
    let app = TestApp::spawn().await;
    let head = fixture(&app).await;
    let tom = family(&app, "Tom", "Brook").await;
    let choose = head
        .get(app.url("/office/letters?class=3B"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        choose.contains("<strong>1</strong> letter"),
        "only Tom is outstanding in 3B"
    );
    let csrf = hidden(&choose, "csrf");
    let doc: i64 = sqlx::query_scalar("SELECT id FROM documents")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let res = head
        .post(app.url("/office/letters"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("doc", &doc.to_string()),
            ("class", "3B"),
            ("status", "outstanding"),
            ("q", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_eq!(html.matches("<article class=\"letter\"").count(), 1);
    assert!(html.contains("Dear Tom Brook"));
    assert!(html.contains("2 Elm Street"));
    assert!(html.contains("Meadow Lane"), "the school's address block");
    assert!(html.contains("21 November 2026"));
    assert!(html.contains("<svg aria-hidden"), "a QR code");
    assert!(html.contains("/sign</strong>"));
    let code = html
        .split("class=\"code-display\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .replace('-', "");
    assert_eq!(
        app.get(&format!("/s/{}", tom.code.as_str())).await.status(),
        404,
        "old code replaced"
    );
    assert_eq!(app.get(&format!("/s/{code}")).await.status(), 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'letters.printed'")
            .await,
        1
    );

    let everyone_5a = head
        .get(app.url("/office/letters?class=5A&status=all"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(everyone_5a.contains("<strong>3</strong> letters"));
}
