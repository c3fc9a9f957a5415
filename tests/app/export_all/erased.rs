//! A carer whose details were erased: the export shows the erasure, its audit entry and no
//! trace of what was erased.

use super::setup::{exported, scene};
use crate::helpers::csrf_of;

#[tokio::test]
async fn an_erased_carers_export_shows_the_erasure_and_its_audit_entry() {
    let s = scene().await;
    let carer = format!("/office/carers/{}", s.amy.carer_id);
    let id = s.app.count("SELECT id FROM erasure_requests").await;
    let csrf = csrf_of(&s.app, &s.head, &carer).await;
    let res = s
        .head
        .post(s.app.url(&format!("{carer}/erase/{id}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("decision", "approve"),
            ("override", "Family moved abroad"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "erased");
    let (body, json) = exported(&s, &s.head, s.amy.carer_id).await;
    assert!(json["contact"]["erased_at_utc"].is_string());
    assert_eq!(json["contact"]["email"], "");
    assert!(
        !body.contains("amy.greaves@example.org"),
        "the address is gone"
    );
    let erasure = &json["erasures"][0];
    assert_eq!(erasure["basis"], "request");
    assert_eq!(erasure["override_reason"], "Family moved abroad");
    assert_eq!(json["erasure_requests"][0]["outcome"], "erased");
    let m = &json["messages"][0];
    assert_eq!(
        (&m["body"], &m["address"]),
        (&serde_json::json!(""), &serde_json::json!(""))
    );
    assert!(
        json["audit_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "carer.erased"
                && a["subject"].as_str().unwrap().starts_with("erasure:")),
        "the erasure's own entry"
    );
}
