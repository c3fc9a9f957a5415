//! The preview and its guards: leavers by name, exactly what was previewed, cancelling, size limits.

use super::upload_id;
use crate::helpers::{TestApp, hidden};
use crate::office::ROSTER;

#[tokio::test]
async fn leavers_are_named_and_a_wrong_file_cannot_mark_the_school_as_left() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    // Only year 3 exported by mistake: 3 of 5 pupils would be marked as left.
    let year3: String = ROSTER
        .lines()
        .filter(|l| !l.contains("5A"))
        .collect::<Vec<_>>()
        .join("\n");
    let (_, html) = app.upload_roster(&head, year3.as_bytes()).await;
    assert!(html.contains("Marked as left (3 pupils)"), "{html}");
    for name in ["Cal Dunn (5A)", "Dee Brook (5A)", "Eli Frost (5A)"] {
        assert!(html.contains(&format!("<li>{name}</li>")), "{name}");
    }
    assert!(html.contains("Sam Frost"), "carers leaving are named");
    assert!(html.contains("id=\"confirm_leavers\""));
    let res = app.press_import(&head, &html, &[]).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Tick the box to confirm"), "{page}");
    assert!(page.contains("href=\"#confirm_leavers\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE left_on IS NOT NULL")
            .await,
        0
    );
    let res = app
        .press_import(&head, &page, &[("confirm_leavers", "1")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE left_on IS NOT NULL")
            .await,
        3
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils").await,
        5,
        "leavers are kept"
    );
}

#[tokio::test]
async fn an_import_applies_exactly_what_was_previewed_or_shows_the_preview_again() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (_, first) = app.upload_roster(&head, ROSTER.as_bytes()).await;
    // Meanwhile a colleague imports a different file.
    let other = ROSTER.replace("P5,Eli,Frost", "P5,Elias,Frost");
    app.import_roster(&head, other.as_bytes()).await;
    let res = app.press_import(&head, &first, &[]).await;
    assert_eq!(res.status(), 409);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("The roster changed after this preview was made"),
        "{page}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE first_name = 'Elias'")
            .await,
        1,
        "nothing applied blind"
    );
    let res = app.press_import(&head, &page, &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE first_name = 'Eli'")
            .await,
        1
    );
    // A second press of an imported file changes nothing more.
    let res = app.press_import(&head, &page, &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'roster.imported'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_cancelled_upload_is_deleted_and_bad_files_are_refused_in_the_page() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (_, html) = app.upload_roster(&head, ROSTER.as_bytes()).await;
    let id = upload_id(&html);
    let res = head
        .post(app.url(&format!("/office/roster/{id}/cancel")))
        .form(&[("csrf", hidden(&html, "csrf"))])
        .send()
        .await
        .unwrap();
    let (_, page) = app.follow(&head, res).await;
    assert!(page.contains("Import cancelled"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM roster_uploads").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM pupils").await, 0);
    for (file, message) in [
        (&b""[..], "Choose a CSV file"),
        (&b"\r\n,,\r\n"[..], "The file is empty"),
        (&b"PK\x03\x04\0\0binary"[..], "This is not a CSV file"),
    ] {
        let (status, html) = app.upload_roster(&head, file).await;
        assert_eq!(status, 422);
        assert!(html.contains(message), "{message}: {html}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM roster_uploads").await, 0);
}

#[tokio::test]
async fn a_school_sized_file_of_3000_rows_imports() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let mut csv = String::from(
        "UPN,Legal Forename,Legal Surname,Reg Group,NC Year,Contact 1 Forename,Contact 1 Surname,Contact 1 Email,Contact 2 Forename,Contact 2 Surname,Contact 2 Mobile\r\n",
    );
    for i in 0..3000 {
        csv.push_str(&format!(
            "U{i:05},Child{i},Family{i},{}{},{},Parent{i},Family{i},p{i}@example.org,Other{i},Family{i},07700 9{:05}\r\n",
            1 + i % 6,
            ["A", "B", "C"][i % 3],
            1 + i % 6,
            i
        ));
    }
    let (status, html) = app.upload_roster(&head, csv.as_bytes()).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<th scope=\"row\">Pupils</th><td class=\"num\">3000</td>"),
        "3000 to add"
    );
    assert!(
        html.contains("and 2700 more"),
        "the new pupils' list is cut short"
    );
    let res = app.press_import(&head, &html, &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM pupils").await, 3000);
    assert_eq!(app.count("SELECT COUNT(*) FROM carers").await, 6000);
}

#[tokio::test]
async fn a_file_past_the_row_limit_is_refused_in_the_page_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let mut csv = String::from("Forename,Surname,Class,Contact Forename,Contact Surname\n");
    for i in 0..15_001 {
        csv.push_str(&format!("C{i},F{i},1A,P{i},F{i}\n"));
    }
    let (status, html) = app.upload_roster(&head, csv.as_bytes()).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("This file has 15001 rows") && html.contains("signoff import-roster"),
        "{html}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM roster_uploads").await, 0);
}
