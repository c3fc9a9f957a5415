//! Six MIS export shapes imported as they come, and letters with the whole postal address.

use super::fixture;
use crate::helpers::{TestApp, csrf_of};

#[tokio::test]
async fn six_mis_shapes_import_as_they_come() {
    // (file, pupils, carers, links, a carer's full stored record to check)
    let cases: [(&str, i64, i64, i64, &str); 6] = [
        (
            "camelcase.csv",
            3,
            4,
            4,
            "Marta|Penrose|marta.penrose@example.org|07700 900101||",
        ),
        (
            "spaced.csv",
            2,
            3,
            3,
            "Bisi|Adeyemi|bisi@example.org|07700 900202|12 Quarry Lane\nLower Fold\nMarshby|MB3 1AA",
        ),
        (
            "wide.csv",
            3,
            6,
            6,
            "Piet|Ellery|piet@example.org|07700 900302||",
        ),
        (
            "fullname.csv",
            2,
            3,
            3,
            "Mei Ling|Tan|meiling@example.org|07700 900402||",
        ),
        (
            "address_lines.csv",
            2,
            1,
            2,
            "Judith|Greaves|judith.greaves@example.org|01632 960111|The Old Forge\n7 Mill Street\nNether Crossing\nAldwick\nExampleshire|EX4 7PQ",
        ),
        (
            "excel_1252.csv",
            2,
            2,
            2,
            "Renée|Ortiz|renee.ortiz@example.org|||",
        ),
    ];
    for (file, pupils, carers, links, record) in cases {
        let app = TestApp::spawn().await;
        let head = app.head().await;
        let (status, html) = app.upload_roster(&head, &fixture(file)).await;
        assert_eq!(status, 200, "{file}: {html}");
        assert!(
            html.contains("Check before importing"),
            "{file} needs no column choices"
        );
        assert!(!html.contains("Errors:"), "{file}: {html}");
        app.import_roster(&head, &fixture(file)).await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM pupils").await,
            pupils,
            "{file}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM carers").await,
            carers,
            "{file}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM carer_pupils").await,
            links,
            "{file}"
        );
        let first = record.split('|').next().unwrap();
        let stored: String = sqlx::query_scalar(
            "SELECT first_name || '|' || last_name || '|' || email || '|' || phone || '|' || address || '|' || postcode FROM carers WHERE first_name = ?",
        )
        .bind(first)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
        assert_eq!(stored, record, "{file}");
        let (_, again) = app.upload_roster(&head, &fixture(file)).await;
        assert!(
            again.contains("This file matches the roster already"),
            "{file}: reimport"
        );
    }
}

#[tokio::test]
async fn letters_print_the_whole_postal_address_with_the_title() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, &fixture("address_lines.csv"))
        .await;
    let csrf = csrf_of(&app, &head, "/office/letters").await;
    let res = head
        .post(app.url("/office/letters"))
        .form(&[("csrf", csrf.as_str()), ("scope", "all")])
        .send()
        .await
        .unwrap();
    let (_, html) = app.follow(&head, res).await;
    assert!(
        html.contains("Mrs Judith Greaves\nThe Old Forge\n7 Mill Street\nNether Crossing\nAldwick\nExampleshire\nEX4 7PQ"),
        "{html}"
    );
}
