//! Names from every script, and markup in settings, stored exactly and shown as text.

use crate::helpers::{TestApp, csrf_of};

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
