//! What the office sees: status counts against a hand-computed fixture, and the CSV export.

use super::fixture;
use crate::helpers::{TestApp, csrf_of};

#[tokio::test]
async fn status_counts_match_a_hand_computed_fixture() {
    let app = TestApp::spawn().await;
    let head = fixture(&app).await;
    let html = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("40%</span><span class=\"stat-label\">signed (2 of 5 carers)"),
        "{html}"
    );
    assert!(
        html.contains(
            "<span class=\"stat-number\">1</span><span class=\"stat-label\">must re-sign"
        )
    );
    assert!(
        html.contains("<span class=\"stat-number\">2</span><span class=\"stat-label\">not signed")
    );
    assert!(html.contains(
        "<span class=\"stat-number\">1</span><span class=\"stat-label\">signed on paper"
    ));
    assert!(html.contains("3 of 5 pupils are covered"));
    // Class, carers, signed, must re-sign, not signed, paper.
    assert!(html.contains("<th scope=\"row\">3B</th><td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td>"));
    assert!(html.contains("<th scope=\"row\">5A</th><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">2</td><td class=\"num\">0</td>"));
    assert!(html.contains("<th scope=\"row\">Year 5</th>"));

    let list = head
        .get(app.url("/office/carers?class=3B&status=outstanding"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("<strong>1</strong> carer."),
        "only Tom is outstanding in 3B"
    );
    assert!(list.contains("Tom Brook") && list.contains("Must re-sign"));
    let list = head
        .get(app.url("/office/carers?status=not-signed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("<strong>2</strong> carers."));
    let found = head
        .get(app.url("/office/carers?q=dee"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        found.contains("Nadia Brook") && found.contains("<strong>1</strong> carer."),
        "search finds a carer by a child's name"
    );

    let pupils = head
        .get(app.url("/office/pupils?class=3B"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(pupils.matches("tag-signed\">Covered").count(), 2);

    // With "every carer must sign", Alfie (Tom has not re-signed) is no longer covered.
    let csrf = csrf_of(&app, &head, "/head/settings").await;
    let settings = head
        .get(app.url("/head/settings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let letter = settings
        .split("name=\"letter_text\"")
        .nth(1)
        .and_then(|t| t.split_once('>'))
        .unwrap()
        .1
        .split("</textarea>")
        .next()
        .unwrap()
        .to_string();
    let res = head
        .post(app.url("/head/settings"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Oakfield Primary School"),
            ("address", "Meadow Lane"),
            ("cover_rule", "all"),
            ("letter_text", &letter.replace("&#39;", "'")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("2 of 5 pupils are covered (every carer has signed)"));
}

#[tokio::test]
async fn the_csv_export_is_safe_to_open_in_excel() {
    let app = TestApp::spawn().await;
    let head = fixture(&app).await;
    let res = head
        .get(app.url("/office/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let bytes = res.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a UTF-8 byte order mark, so Excel reads accents"
    );
    let body = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(body.starts_with(
        "Signoff ID,Carer forename,Carer surname,Email,Phone,Pupil forename,Pupil surname,Class,Year group,Status,Version signed,Signed (UK time),\"Signed (UTC, ISO 8601)\",Method"
    ));
    assert!(
        body.contains("\"'=HYPERLINK(\"\"http://x\"\")\",Dunn,"),
        "{body}"
    );
    assert!(!body.contains(",=HYPERLINK"));
    assert!(body.contains(",Priya,Carter,priya@example.org,,Bea,Carter,3B,Year 3,Signed,2,"));
    assert!(body.contains(",paper"));
    // Nadia signed at 10:00 UTC on 21 November: GMT, so the same wall-clock time.
    assert!(
        body.contains(",Nadia,Brook,nadia@example.org,07700 900001,Dee,Brook,5A,Year 5,Signed,2,2026-11-21 10:00 +00:00,2026-11-21T10:00:00Z,online"),
        "{body}"
    );
    assert_eq!(
        body.lines().count(),
        7,
        "header, and a row per carer and child: Nadia has two children"
    );

    // The roster import reads the file back without asking what any column holds.
    let (status, preview) = app.upload_roster(&head, body.as_bytes()).await;
    assert_eq!(status, 200);
    assert!(!preview.contains("What do the columns hold?"), "{preview}");
    assert!(preview.contains("Unchanged"), "{preview}");
    let outstanding = head
        .get(app.url("/office/export.csv?class=5A&status=outstanding"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(outstanding.lines().count(), 3, "Cal's guardian and Sam");
}
