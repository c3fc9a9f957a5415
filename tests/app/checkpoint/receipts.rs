//! Checking a parent's receipt, beside the signed checkpoint: a rewritten chain is caught by both,
//! bad input is explained and kept, and an erasure heads the chain like any entry.

use super::{check_receipt, download, receipt_anchor, scalar, signed_app, verify_against};
use crate::helpers::{HEAD_EMAIL, HEAD_PASSWORD, TestApp, csrf_of, sign};
use crate::trust::{tamper, verify_cli};

#[tokio::test]
async fn a_rewritten_chain_is_caught_by_the_signed_checkpoint_and_by_a_parents_receipt() {
    let app = TestApp::spawn().await;
    let mut families = Vec::new();
    let mut receipts = Vec::new();
    for i in 0..3 {
        let f = app
            .family(&format!("Carer{i}"), "Test", &[("Kid", "Test", "1A")])
            .await;
        receipts.push(sign(&app, &f).await);
        families.push(f);
    }
    let head = app.head().await;
    let (_, _, text) = download(&app, &head).await;
    let (number, hash) = receipt_anchor(&app, &receipts[2]).await;
    assert_eq!(number, "3");
    let (status, html) = check_receipt(&app, &head, &number, &hash).await;
    assert_eq!(status, 200);
    assert!(html.contains("The receipt matches"), "{html}");
    // As pasted from a printed receipt: capitals, spaces and a line break.
    let printed = format!("{} \n {}", &hash[..32].to_uppercase(), &hash[32..]);
    let (_, html) = check_receipt(&app, &head, &format!("no. {number}"), &printed).await;
    assert!(html.contains("The receipt matches"), "{html}");
    let (_, html) = check_receipt(&app, &head, "99", &hash).await;
    assert!(
        html.contains("has no no. 99") && html.contains("newest is no. 3"),
        "{html}"
    );

    // Rewritten from no. 2 on, consistently (links, hashes and audit events all redone), as in
    // `trust::an_old_checkpoint_catches_a_chain_rewritten_before_it`.
    tamper(
        &app,
        &[
            "DELETE FROM declarations WHERE seq >= 2",
            "DROP TRIGGER audit_events_are_kept",
            "DELETE FROM audit_events WHERE action = 'declaration.signed' AND subject NOT IN \
             (SELECT 'declaration:' || id FROM declarations)",
        ],
    )
    .await;
    app.clock.advance(time::Duration::days(1));
    sign(&app, &families[1]).await;
    sign(&app, &families[2]).await;
    let (ok, out) = verify_cli(&app);
    assert!(ok, "the rewritten chain is consistent in itself: {out}");

    let (ok, out) = verify_against(&app, &text);
    assert!(!ok, "{out}");
    assert!(
        out.contains("entry no. 3 has the hash") && out.contains("the chain was rewritten"),
        "{out}"
    );
    // A day on, the head's session has ended: they sign in again.
    let (head, _) = app.sign_in(HEAD_EMAIL, HEAD_PASSWORD).await;
    let (status, html) = check_receipt(&app, &head, &number, &hash).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("The receipt does not match")
            && html.contains("record no. 3 has a different hash")
            && html.contains("rewritten at or before no. 3"),
        "{html}"
    );
}

#[tokio::test]
async fn bad_receipt_input_is_explained_beside_the_field_and_kept() {
    let (app, _) = signed_app(1).await;
    let head = app.head().await;
    let (status, html) = check_receipt(&app, &head, "twelve", "not a hash").await;
    assert_eq!(status, 200);
    assert!(html.contains("There is a problem"), "{html}");
    assert!(
        html.contains("id=\"number-error\"") && html.contains("id=\"hash-error\""),
        "{html}"
    );
    assert!(html.contains("value=\"twelve\""), "{html}");
    assert!(html.contains(">not a hash</textarea>"), "{html}");
    assert!(!html.contains("The receipt matches") && !html.contains("does not match"));

    // A hash one character short, with a good number: only the hash is wrong.
    let newest = scalar(
        &app,
        "SELECT row_hash FROM declarations WHERE school_id = ? AND seq = 1",
    )
    .await;
    let (status, html) = check_receipt(&app, &head, "1", &newest[..63]).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("id=\"number-error\"") && html.contains("id=\"hash-error\""),
        "{html}"
    );
    assert!(
        html.contains(&format!(">{}</textarea>", &newest[..63])),
        "{html}"
    );

    // Without the form's token: refused, not checked.
    let res = head
        .post(app.url("/head/checkpoint/receipt"))
        .form(&[
            ("csrf", "stale"),
            ("number", "1"),
            ("hash", newest.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), 200);
}

#[tokio::test]
async fn an_erasure_at_the_head_of_the_chain_is_what_the_checkpoint_anchors() {
    let app = TestApp::spawn().await;
    let mut receipts = Vec::new();
    let mut families = Vec::new();
    for i in 0..2 {
        let f = app
            .family(&format!("Carer{i}"), "Test", &[("Kid", "Test", "1A")])
            .await;
        receipts.push(sign(&app, &f).await);
        families.push(f);
    }
    let (number, hash) = receipt_anchor(&app, &receipts[1]).await;
    let head = app.head().await;
    let path = format!("/office/carers/{}", families[0].carer_id);
    let csrf = csrf_of(&app, &head, &path).await;
    let res = head
        .post(app.url(&format!("{path}/erase")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("reason", "The carer asked to be removed"),
            ("override", "The family asked in writing"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    // The erasure takes no. 3 of the chain: the page, the checkpoint and verify all see it.
    let erasure = scalar(
        &app,
        "SELECT row_hash FROM erasures WHERE school_id = ? AND seq = 3",
    )
    .await;
    let html = head.get(app.url("/head/checkpoint")).send().await.unwrap();
    assert!(html.text().await.unwrap().contains(&erasure));
    let (_, _, text) = download(&app, &head).await;
    assert!(
        text.contains(&format!(" 3 entries in the chain; head {erasure}\n")),
        "{text}"
    );
    let (ok, out) = verify_against(&app, &text);
    assert!(ok, "{out}");
    // A receipt from before the erasure still matches.
    let (_, html) = check_receipt(&app, &head, &number, &hash).await;
    assert!(html.contains("The receipt matches"), "{html}");
}
