//! Hostile and broken input against every form and upload: a clear 4xx, or accepted and stored
//! exactly; never a 5xx, a panic or a partial write.

mod forms;
mod names;
mod uploads;

use crate::helpers::TestApp;

pub(super) fn corpus() -> Vec<String> {
    vec![
        String::new(),
        "x".repeat(100 * 1024),
        "a\0b".into(),
        "\u{1}\u{7}\u{1b}[31m".into(),
        "\u{202e}evil\u{202c}".into(),
        "Zo\u{0308}e".into(),
        "👪🏽 family".into(),
        "O'Brien".into(),
        "Zoë".into(),
        "王秀英".into(),
        "<script>alert(1)</script>".into(),
        "\"><img src=x onerror=alert(1)>".into(),
        "javascript:alert(1)".into(),
        "=HYPERLINK(\"http://x\")".into(),
        "31/02/2026".into(),
        "2026-13-45".into(),
        "-1".into(),
        "99999999999999999999999".into(),
        "../../etc/passwd".into(),
        "' OR 1=1 --".into(),
        "%00%ff".into(),
    ]
}

pub(super) const TABLES: &[&str] = &[
    "schools",
    "staff_users",
    "staff_invites",
    "documents",
    "versions",
    "pupils",
    "carers",
    "carer_pupils",
    "signing_codes",
    "declarations",
    "audit_events",
    "drafts",
    "reviews",
    "roster_uploads",
];

pub(super) async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(app.count(&format!("SELECT COUNT(*) FROM {t}")).await);
    }
    out
}

/// Checks one response: no 5xx; a refusal is a page of ours that wrote nothing.
pub(super) async fn check(app: &TestApp, what: &str, before: Vec<i64>, res: reqwest::Response) {
    let status = res.status().as_u16();
    assert!(status < 500, "{what}: {status}");
    if (300..400).contains(&status) {
        let to = res.headers()["location"].to_str().unwrap();
        assert!(
            to.starts_with('/') && !to.starts_with("//"),
            "{what}: redirect to {to}"
        );
        return;
    }
    let body = res.text().await.unwrap();
    assert!(
        !body.contains("<script>alert(1)") && !body.contains("<img src=x"),
        "{what}: markup echoed unescaped"
    );
    if status >= 400 {
        assert!(
            body.contains("<!doctype html>"),
            "{what}: {status} without a page: {body}"
        );
        assert_eq!(
            counts(app).await,
            before,
            "{what}: a refused request wrote something"
        );
    }
}
