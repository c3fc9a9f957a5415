//! Importing the roster: twice changes nothing, a new term marks leavers, Excel's encoding is read.

use super::{ROSTER, family};
use crate::helpers::{TestApp, sign};

#[tokio::test]
async fn importing_twice_changes_nothing_and_a_new_term_marks_leavers() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (status, html) = app.upload_roster(&head, ROSTER.as_bytes()).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("<th scope=\"row\">Pupils</th><td class=\"num\">5</td>"),
        "5 pupils to add"
    );
    assert!(
        html.contains("<th scope=\"row\">Carers</th><td class=\"num\">5</td>"),
        "5 carers to add"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils").await,
        0,
        "a preview stores nothing"
    );
    app.import_roster(&head, ROSTER.as_bytes()).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM pupils").await, 5);
    assert_eq!(app.count("SELECT COUNT(*) FROM carers").await, 5);
    assert_eq!(app.count("SELECT COUNT(*) FROM carer_pupils").await, 6);

    let (status, html) = app.upload_roster(&head, ROSTER.as_bytes()).await;
    assert_eq!(status, 200);
    assert!(html.contains("This file matches the roster already"));
    assert!(!html.contains("Import these changes"));

    // Nadia signs; next term Eli and Sam have left and Alfie moved to 4B.
    let nadia = family(&app, "Nadia", "Brook").await;
    sign(&app, &nadia).await;
    let next_term = ROSTER
        .replace("P1,Alfie,Brook,3B,Year 3", "P1,Alfie,Brook,4B,Year 4")
        .replace("P5,Eli,Frost,5A,Year 5,C5,Sam,Frost,Carer,,,,,\n", "");
    app.import_roster(&head, next_term.as_bytes()).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE left_on IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carers WHERE left_on IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE class_name = '4B'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils").await,
        5,
        "leavers are kept"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM declarations").await,
        1,
        "signatures are kept"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'roster.imported'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_windows_1252_export_from_excel_is_read() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let bytes: &[u8] = b"pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\r\nZo\xeb,Okoro,1A,Ren\xe9e,Okoro\r\n\r\n";
    app.import_roster(&head, bytes).await;
    let names: (String, String) =
        sqlx::query_as("SELECT p.first_name, c.first_name FROM pupils p, carers c")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(names, ("Zoë".to_string(), "Renée".to_string()));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice("pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\nZoë,Okoro,1A,Renée,Okoro\n".as_bytes());
    let (_, html) = app.upload_roster(&head, &bom).await;
    assert!(
        html.contains("This file matches the roster already"),
        "UTF-8 with BOM reads the same: {html}"
    );
}
