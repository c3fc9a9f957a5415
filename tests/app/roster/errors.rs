//! Rows with errors: skipped on request, and downloadable to fix.

use super::{BAD, names, upload_id};
use crate::helpers::TestApp;

#[tokio::test]
async fn rows_with_errors_are_skipped_on_request_and_can_be_downloaded_to_fix() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (status, html) = app.upload_roster(&head, BAD.as_bytes()).await;
    assert_eq!(status, 200, "{html}");
    // Each problem: the Excel row, the file's own header, the pupil, the carer, the value.
    for row in [
        "<td class=\"num\">4</td><td>Forename</td><td>Lowe</td><td></td>",
        "<td class=\"num\">5</td><td>Reg Group</td><td>Ben Hart</td>",
        "<td class=\"num\">6</td><td>Contact Forename</td><td>Cat Ives</td>",
        "<td class=\"num\">7</td><td>Contact Email</td><td>Dan Ross</td><td>Lee Ross</td><td>lee-at-example</td>",
        "<td class=\"num\">8</td><td>Contact Mobile</td><td>Eve Ruiz</td><td>Max Ruiz</td><td>ring me</td>",
        "<td class=\"num\">9</td><td></td><td>Amy Shaw</td>",
        "<td class=\"num\">10</td><td>Contact Forename</td><td>Fay Moss</td>",
    ] {
        assert!(html.contains(row), "missing {row}\n{html}");
    }
    assert!(html.contains("Errors: rows that cannot be imported (2)"));
    assert!(html.contains("Import the 6 good rows and skip 2"), "{html}");
    assert!(!html.contains("Import these changes"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils").await,
        0,
        "a preview stores nothing"
    );

    // Without the skip (an old form), nothing is written.
    let res = app.press_import(&head, &html, &[]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("SELECT COUNT(*) FROM pupils").await, 0);

    let id = upload_id(&html);
    let skipped = head
        .get(app.url(&format!("/office/roster/{id}/skipped.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = skipped.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 3, "{skipped}");
    assert!(lines[0].ends_with("Contact Mobile,Row in the uploaded file,Why it was skipped"));
    assert!(
        lines[1].starts_with(",Lowe,2C,Pat,Lowe,,,4,\"The pupil has no first name"),
        "{skipped}"
    );
    assert!(
        lines[2].starts_with("Cat,Ives,2C,,,cy@example.org,,6,"),
        "{skipped}"
    );

    let res = app.press_import(&head, &html, &[("skip", "1")]).await;
    assert_eq!(res.status(), 303);
    let (_, done) = app.follow(&head, res).await;
    assert!(
        done.contains("5 pupils added") && done.contains("2 rows with errors were skipped"),
        "{done}"
    );
    assert!(
        done.contains(&format!("href=\"/office/roster/{id}/skipped.csv\"")),
        "{done}"
    );
    let kept: String = sqlx::query_scalar("SELECT content FROM roster_uploads")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert!(
        kept.contains("Why it was skipped") && !kept.contains("Amy"),
        "only the skipped rows stay: {kept}"
    );
    let again = head
        .get(app.url(&format!("/office/roster/{id}/skipped.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(again, skipped, "the same download after the import");
    let pupils = names(&app, "SELECT first_name FROM pupils ORDER BY id").await;
    assert_eq!(
        pupils,
        ["Amy", "Ben", "Dan", "Eve", "Fay"],
        "Lowe and Cat were skipped"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carers WHERE email = '' AND first_name = 'Lee'")
            .await,
        1,
        "bad email left out"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE first_name = 'Ben' AND class_name = ''")
            .await,
        1
    );
    let dashboard = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        dashboard.contains("<th scope=\"row\">No class</th>"),
        "Ben is counted: {dashboard}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carers WHERE first_name LIKE '=HYPERLINK%'")
            .await,
        1,
        "kept as text"
    );

    // The office fixes the skipped rows in the downloaded file and imports it.
    let fixed = skipped.replacen(",Lowe,2C", "Lily,Lowe,2C", 1).replacen(
        "Cat,Ives,2C,,,",
        "Cat,Ives,2C,Cy,Ives,",
        1,
    );
    let (status, html) = app.upload_roster(&head, fixed.as_bytes()).await;
    assert_eq!(status, 200, "{html}");
    assert!(!html.contains("Errors:"), "{html}");
    assert!(
        html.contains("Row in the uploaded file</td><td><span class=\"muted\">Ignored"),
        "{html}"
    );
    // A partial file: the pupils already imported are not in it, so the office confirms.
    let res = app
        .press_import(&head, &html, &[("confirm_leavers", "1")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM pupils WHERE first_name IN ('Lily', 'Cat') AND left_on IS NULL"
        )
        .await,
        2
    );
}
