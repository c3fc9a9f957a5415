//! Unknown columns: chosen once, remembered for the next file.

use super::upload_id;
use crate::helpers::{TestApp, hidden};

const UNKNOWN: &str = "Given,Family,Set,Guardian Forename,Guardian Surname,Bus route\n\
    Ada,Fenn,1F,Iris,Fenn,12\n\
    Bo,Kite,1F,Wil,Kite,\n";

#[tokio::test]
async fn unknown_columns_are_chosen_once_and_remembered() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (status, html) = app.upload_roster(&head, UNKNOWN.as_bytes()).await;
    assert_eq!(status, 200);
    assert!(html.contains("What do the columns hold?"), "{html}");
    assert!(html.contains("No column gives the pupil\u{2019}s name"));
    assert!(html.matches("Not recognised").count() == 4, "{html}");
    assert!(html.contains("<td class=\"samples\">Ada, Bo</td>"));
    let id = upload_id(&html);
    let csrf = hidden(&html, "csrf");
    let post = |keys: [&'static str; 6]| {
        let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
        form.extend(
            keys.iter()
                .enumerate()
                .map(|(i, k)| (format!("col{i}"), k.to_string())),
        );
        head.post(app.url(&format!("/office/roster/{id}/columns")))
            .form(&form)
            .send()
    };
    // Forgetting the class: told what is missing, and the choices made are kept.
    let res = post([
        "pupil.first_name",
        "pupil.last_name",
        "ignore",
        "carer1.first_name",
        "carer1.last_name",
        "ignore",
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("No column gives the pupil\u{2019}s class"),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"pupil.last_name\" selected>"),
        "{page}"
    );
    // A choice that is not on offer is refused.
    let res = post([
        "pupil.shoe_size",
        "ignore",
        "ignore",
        "ignore",
        "ignore",
        "ignore",
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(app.count("SELECT COUNT(*) FROM roster_mappings").await, 0);

    let res = post([
        "pupil.first_name",
        "pupil.last_name",
        "pupil.class",
        "carer1.first_name",
        "carer1.last_name",
        "ignore",
    ])
    .await
    .unwrap();
    let (status, preview) = app.follow(&head, res).await;
    assert_eq!(status, 200, "{preview}");
    assert!(
        preview.contains("<td>Set</td><td>Pupil: class or registration group</td>"),
        "{preview}"
    );
    assert!(preview.contains("<td>Bus route</td><td><span class=\"muted\">Ignored"));
    let res = app.press_import(&head, &preview, &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE class_name = '1F'")
            .await,
        2
    );

    // Next term's export has the same headers: read straight away, the same way.
    let next = UNKNOWN.replace("Bo,Kite,1F", "Bo,Kite,2F");
    let (status, preview) = app.upload_roster(&head, next.as_bytes()).await;
    assert_eq!(status, 200);
    assert!(preview.contains("Columns as chosen on"), "{preview}");
    assert!(preview.contains("Bo Kite: 1F to 2F"), "{preview}");
}
