//! Revisions over HTTP: drafts, preview, diff, publishing, who must sign again, reviews, documents.

mod changes;
mod dates;
mod pasting;
mod publishing;
mod reviews;
mod sign_again;

use crate::helpers::{Family, HEAD_PASSWORD, TestApp, csrf_of};

pub async fn doc_id(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT id FROM documents ORDER BY id LIMIT 1")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap()
}

/// Starts (or continues) a draft of `doc`, replaces its body and summary, and publishes it.
pub async fn publish(
    app: &TestApp,
    head: &reqwest::Client,
    doc: i64,
    body: &str,
    change: &str,
    summary: &str,
) -> reqwest::Response {
    let csrf = csrf_of(app, head, &format!("/office/documents/{doc}")).await;
    head.post(app.url(&format!("/head/documents/{doc}/draft/start")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let draft = head
        .get(app.url(&format!("/head/documents/{doc}/draft")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let field = |name: &str| -> String {
        let marker = format!("name=\"{name}\" type=\"");
        if let Some(i) = draft.find(&marker) {
            let rest = &draft[i..];
            let v = rest
                .split("value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            return v.replace("&#39;", "'").replace("&amp;", "&");
        }
        let marker = format!("name=\"{name}\"");
        let i = draft.find(&marker).unwrap_or_else(|| panic!("{name}"));
        draft[i..]
            .split('>')
            .nth(1)
            .unwrap()
            .split("</textarea")
            .next()
            .unwrap()
            .replace("&#39;", "'")
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
    };
    let form = [
        ("csrf", csrf.clone()),
        ("title", field("title")),
        ("body_md", body.to_string()),
        ("approved_by", field("approved_by")),
        ("approved_on", field("approved_on")),
        ("last_reviewed", field("last_reviewed")),
        ("next_review_due", field("next_review_due")),
        ("related_policies", field("related_policies")),
        ("declaration_text", field("declaration_text")),
        ("summary", summary.to_string()),
        ("then", "preview".to_string()),
    ];
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/draft")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "draft saves");
    press_publish(app, head, doc, &csrf, change, summary).await
}

/// Presses Publish on the draft of `doc` with the headteacher's password.
pub(super) async fn press_publish(
    app: &TestApp,
    head: &reqwest::Client,
    doc: i64,
    csrf: &str,
    change: &str,
    summary: &str,
) -> reqwest::Response {
    head.post(app.url(&format!("/head/documents/{doc}/publish")))
        .form(&[
            ("csrf", csrf),
            ("change", change),
            ("summary", summary),
            ("password", HEAD_PASSWORD),
        ])
        .send()
        .await
        .unwrap()
}

pub(super) async fn family(app: &TestApp, first: &str, last: &str) -> Family {
    let carer_id = app.carer_id(first, last).await;
    Family {
        carer_id,
        code: app.code_for(carer_id).await,
        name: format!("{first} {last}"),
    }
}

pub(super) use crate::helpers::paper;

pub(super) fn stat(html: &str, label: &str) -> String {
    let i = html
        .find(&format!("<span class=\"stat-label\">{label}"))
        .unwrap_or_else(|| panic!("{label}"));
    let before = &html[..i];
    before
        .rsplit("<span class=\"stat-number\">")
        .next()
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string()
}

pub(super) const BODY_V2: &str = "## Statement of intent\n\nWe ask families to be kind online.\n\n## Group chats\n\n- Do not share photos of other children\n- Keep messages to staff within working hours\n";

pub(super) const BODY_V3: &str = "## Statement of intent\n\nWe ask families to be kind and fair online.\n\n## Group chats\n\n- Do not share photos of other children\n- Keep messages to staff within school hours\n";
