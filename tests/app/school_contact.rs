//! The school's contact details: set by the headteacher, shown on every parent page, receipt and
//! error page; bad details are refused beside the field with what was typed kept.

use crate::helpers::{TestApp, csrf_of, sign};

async fn save(app: &TestApp, head: &reqwest::Client, fields: &[(&str, &str)]) -> (u16, String) {
    let csrf = csrf_of(app, head, "/head/settings").await;
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("name", "Oakfield Primary School"),
        ("address", "1 School Lane\nOakfield\nOK1 1AA"),
        ("cover_rule", "one"),
        ("letter_text", "Please read and sign the code."),
    ];
    form.extend_from_slice(fields);
    let res = head
        .post(app.url("/head/settings"))
        .form(&form)
        .send()
        .await
        .unwrap();
    app.follow(head, res).await
}

#[tokio::test]
async fn parents_see_how_to_reach_the_school_on_every_page() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (status, _) = save(
        &app,
        &head,
        &[
            ("phone", "01632 960 123"),
            ("email", "office@oakfield.example"),
            ("office_hours", "Monday to Friday, 8am to 4pm"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let f = app.family("Ruth", "Ames", &[("Ava", "Ames", "2C")]).await;
    let form_html = app
        .get(&format!("/s/{}", f.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    let receipt_url = sign(&app, &f).await;
    let receipt = app.get(&receipt_url).await.text().await.unwrap();
    let not_found = app.get("/s/NOPE-NOPE").await.text().await.unwrap();
    for (page, html) in [
        ("front door", app.get("/").await.text().await.unwrap()),
        ("code entry", app.get("/sign").await.text().await.unwrap()),
        ("policy", app.get("/policy").await.text().await.unwrap()),
        ("signing", form_html),
        ("receipt", receipt.clone()),
        ("error", not_found),
    ] {
        assert!(
            html.contains("<a href=\"tel:01632960123\">01632 960 123</a>"),
            "{page}: {html}"
        );
        assert!(html.contains("office@oakfield.example"), "{page}");
        assert!(html.contains("Monday to Friday, 8am to 4pm"), "{page}");
        assert!(!html.contains("contact the school office"), "{page}");
    }
    // The receipt itself names the school and its address, so a printout says whose it is.
    let section = receipt.split("class=\"receipt\"").nth(1).unwrap();
    assert!(section.contains("<strong>Oakfield Primary School</strong>"));
    assert!(section.contains("1 School Lane"));
    // The code box says how to ask for a new code.
    let code = app.get("/sign").await.text().await.unwrap();
    assert!(code.contains("Ask the school office for a new one on <a href=\"tel:01632960123\">"));

    // Staff pages do not send staff to the office they work in.
    let dashboard = head.get(app.url("/office")).send().await.unwrap();
    assert!(!dashboard.text().await.unwrap().contains("school office"));
}

#[tokio::test]
async fn wrong_contact_details_are_explained_beside_the_field_and_kept() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (status, html) = save(
        &app,
        &head,
        &[
            ("phone", "ring the office"),
            ("email", "office at oakfield"),
            ("office_hours", "Mornings"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("<title>Error: Settings"));
    assert!(html.contains("<a href=\"#phone\">Enter the office phone number"));
    assert!(
        html.contains("id=\"phone-error\""),
        "inline, beside the field"
    );
    assert!(html.contains("aria-describedby=\"phone-hint phone-error\""));
    assert!(html.contains("id=\"email-error\""));
    assert!(
        html.contains("value=\"ring the office\""),
        "what was typed is kept"
    );
    assert!(html.contains("value=\"office at oakfield\""));
    assert!(html.contains("value=\"Mornings\""));
    let phone: String = sqlx::query_scalar("SELECT phone FROM schools")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(phone, "", "nothing half-saved");
}

#[tokio::test]
async fn browsers_find_an_icon() {
    let app = TestApp::spawn().await;
    let res = app.get("/favicon.ico").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/x-icon");
    assert!(res.bytes().await.unwrap().starts_with(&[0, 0, 1, 0]));
    let svg = app.get("/static/favicon.svg").await;
    assert_eq!(svg.status(), 200);
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("<link rel=\"icon\" href=\"/static/favicon.svg\""));
}

#[tokio::test]
async fn a_carer_without_details_reads_as_missing_not_none() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let f = app.family("Lee", "Noble", &[("Max", "Noble", "1A")]).await;
    sqlx::query("UPDATE carers SET email = '', phone = '', address = '' WHERE id = ?")
        .bind(f.carer_id)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    app.state.db.note_write();
    let html = head
        .get(app.url(&format!("/office/carers/{}", f.carer_id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("No email address on record"), "{html}");
    assert!(html.contains("No phone number on record"));
    assert!(!html.contains("<dd>None</dd>"));
}

#[tokio::test]
async fn letters_carry_the_school_s_name_address_and_how_to_reach_it() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    save(
        &app,
        &head,
        &[
            ("phone", "01632 960 123"),
            ("email", "office@oakfield.example"),
        ],
    )
    .await;
    app.family("Ruth", "Ames", &[("Ava", "Ames", "2C")]).await;
    let csrf = csrf_of(&app, &head, "/office/letters").await;
    let res = head
        .post(app.url("/office/letters"))
        .form(&[("csrf", csrf.as_str()), ("status", "outstanding")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let letter = html.split("<article class=\"letter\"").nth(1).unwrap();
    assert!(letter.contains("<strong>Oakfield Primary School</strong>\n1 School Lane"));
    assert!(letter.contains("Phone: 01632 960 123"));
    assert!(letter.contains("Email: office@oakfield.example"));
    assert!(
        html.contains("class=\"wide print-letters\""),
        "the print masthead gives way to each letter's own head"
    );
}
