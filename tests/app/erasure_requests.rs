//! A carer's request to be erased: the office asks with a reason, a headteacher decides, and a
//! carer whose child is still at the school is erased only with the headteacher's reason.

use crate::erasure::{page, post};
use crate::helpers::{TestApp, sign};
use crate::trust::verify_cli;

/// The id of the request waiting on a carer's page (from its form's address).
fn request_id(html: &str, carer: i64) -> String {
    let marker = format!("/office/carers/{carer}/erase/");
    let start = html.find(&marker).expect("a request to decide") + marker.len();
    html[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

#[tokio::test]
async fn a_request_needs_a_reason_and_a_headteacher_and_an_override_while_a_child_is_at_school() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (office, _) = app
        .colleague(
            &head,
            "Olu Desk",
            "olu@school.example",
            "office",
            "a long office password",
        )
        .await;
    let rosalind = app
        .family(
            "Rosalind",
            "Featherstonehaugh",
            &[("Kit", "Featherstonehaugh", "1A")],
        )
        .await;
    let other = app
        .family("Tomasz", "Wr\u{f3}bel", &[("Ola", "Wr\u{f3}bel", "1A")])
        .await;
    sign(&app, &rosalind).await;
    sign(&app, &other).await;
    let carer = format!("/office/carers/{}", rosalind.carer_id);

    // The office asks; a reason is required, and what was typed is kept.
    let html = page(&app, &office, &carer).await;
    assert!(html.contains("Ask the headteacher to erase"), "{html}");
    let res = post(
        &app,
        &office,
        &format!("{carer}/erase"),
        &[("reason", "ok")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Say why, in a few words") && html.contains(">ok</textarea>"),
        "{html}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM erasure_requests").await, 0);
    // A reason that names the family would stay in the school's record for good.
    let res = post(
        &app,
        &office,
        &format!("{carer}/erase"),
        &[("reason", "Mrs featherstonehaugh asked about Kit")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Featherstonehaugh\u{201d} is the carer")
            && html.contains("This reason is kept in the school")
            && html.contains("Mrs featherstonehaugh asked about Kit"),
        "{html}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM erasure_requests").await, 0);
    let res = post(
        &app,
        &office,
        &format!("{carer}/erase"),
        &[("reason", "Asked in writing on 2 December")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let html = page(&app, &office, &carer).await;
    assert!(
        html.contains("Erasure requested") && html.contains("Asked in writing on 2 December"),
        "{html}"
    );
    assert!(
        html.contains("A headteacher will approve or decline it"),
        "{html}"
    );
    // A second request for the same carer is refused plainly.
    let res = post(
        &app,
        &office,
        &format!("{carer}/erase"),
        &[("reason", "Asked again by phone")],
    )
    .await;
    assert_eq!(res.status(), 409);
    // The office cannot approve its own request.
    let id = request_id(&page(&app, &head, &carer).await, rosalind.carer_id);
    let decide = format!("{carer}/erase/{id}");
    let res = post(&app, &office, &decide, &[("decision", "approve")]).await;
    assert_eq!(res.status(), 403);

    // The headteacher sees it waiting, on the page and under Keeping records.
    assert!(
        page(&app, &head, "/head/retention")
            .await
            .contains("Rosalind Featherstonehaugh")
    );
    // Kit is still at the school: approving needs the headteacher's reason.
    let res = post(
        &app,
        &head,
        &decide,
        &[("decision", "approve"), ("override", "")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("has a child still at the school"), "{html}");
    assert_eq!(app.count("SELECT COUNT(*) FROM erasures").await, 0);
    // The override is kept for good too: no names in it either.
    let res = post(
        &app,
        &head,
        &decide,
        &[
            ("decision", "approve"),
            ("override", "Kit has moved abroad"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("is the carer&#x27;s or a child&#x27;s name")
            || html.contains("is the carer&#39;s or a child&#39;s name"),
        "{html}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM erasures").await, 0);
    let res = post(
        &app,
        &head,
        &decide,
        &[
            ("decision", "approve"),
            ("override", "Family moved abroad; MIS record closed"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM erasures WHERE basis = 'request'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM erasure_requests WHERE outcome = 'erased'")
            .await,
        1
    );
    let html = page(&app, &office, &carer).await;
    assert!(
        html.contains("request: Asked in writing on 2 December")
            || html.contains("At the carer's request: Asked in writing on 2 December"),
        "{html}"
    );
    assert!(
        html.contains("Family moved abroad") && html.contains("Helen Ward (headteacher"),
        "{html}"
    );
    assert!(!html.contains("Featherstonehaugh"), "{html}");
    // Nothing new can be recorded for them.
    let res = post(&app, &office, &format!("{carer}/code"), &[]).await;
    assert_eq!(res.status(), 404);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("nothing more can be recorded for them")
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM signing_codes WHERE carer_id = {} AND revoked_at IS NULL",
            rosalind.carer_id
        ))
        .await,
        0
    );
    // Nor, if a form raced the erasure, can one slip in behind the portal's check.
    let mut tx = app.state.db.begin().await.unwrap();
    let refused = signoff::store::codes::replace(
        &mut tx,
        app.scope,
        rosalind.carer_id,
        "0".repeat(64).as_str(),
        time::macros::datetime!(2026-11-21 12:00 UTC),
        None,
    )
    .await;
    assert!(refused.is_err(), "{refused:?}");
    drop(tx);
    // Their personal link stops working; Kit stays on the school's roll.
    let res = app.get(&format!("/s/{}", rosalind.code.as_str())).await;
    assert_ne!(res.status(), 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE first_name = 'Kit'")
            .await,
        1
    );
    let (ok, out) = verify_cli(&app);
    assert!(
        ok && out.contains("1 entries redacted by 1 erasure"),
        "{out}"
    );

    // A declined request erases nothing.
    let tomasz = format!("/office/carers/{}", other.carer_id);
    let res = post(
        &app,
        &office,
        &format!("{tomasz}/erase"),
        &[("reason", "Asked at the school gate")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let id = request_id(&page(&app, &head, &tomasz).await, other.carer_id);
    let res = post(
        &app,
        &head,
        &format!("{tomasz}/erase/{id}"),
        &[("decision", "decline")],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM erasures").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM erasure_requests WHERE outcome = 'declined'")
            .await,
        1
    );
    assert!(page(&app, &head, &tomasz).await.contains("Tomasz"));
}
