//! Invitations and reminders by email and text: settings, campaigns, the outbox, delivery
//! reports, opt-outs and the reminder schedule. Most tests drive the sender by hand
//! (`send_due`), so each step is deterministic; one kills the real binary mid-campaign.

mod crash;
mod email;
mod notify;
mod reminders;

use signoff::app::outreach::sender;

use crate::helpers::{Family, TestApp, hidden};

/// An app whose sender runs only when a test calls [`drain`], with links to this machine allowed.
pub async fn app_sending(smtp_url: Option<String>, notify_url: Option<String>) -> TestApp {
    TestApp::spawn_with(move |c| {
        c.sending.run_sender = false;
        c.sending.allow_local_links = true;
        c.sending.smtp_url = smtp_url;
        c.sending.emails_per_minute = 600_000;
        c.sending.texts_per_minute = 600_000;
        if let Some(u) = notify_url {
            c.sending.notify_url = u;
        }
    })
    .await
}

/// Sends everything due now.
pub async fn drain(app: &TestApp) -> usize {
    let mut total = 0;
    loop {
        let n = sender::send_due(&app.state).await.expect("send");
        if n == 0 {
            return total;
        }
        total += n;
    }
}

/// A page's HTML, fetched with a staff member's (or anyone's) browser.
pub async fn fetch_page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Gives a carer contact details.
pub async fn contact(app: &TestApp, f: &Family, email: &str, phone: &str) {
    sqlx::query("UPDATE carers SET email = ?, phone = ? WHERE id = ?")
        .bind(email)
        .bind(phone)
        .bind(f.carer_id)
        .execute(&app.state.db.write)
        .await
        .expect("contact");
    app.state.db.note_write();
}

/// The sending settings form with SMTP chosen and links to the app itself.
pub fn smtp_settings(app: &TestApp) -> Vec<(&'static str, String)> {
    vec![
        ("public_url", app.base.clone()),
        ("email_via", "smtp".into()),
        ("sms_via", "none".into()),
        ("smtp_host", "".into()),
        ("smtp_port", "587".into()),
        ("smtp_security", "starttls".into()),
        ("from_name", "Oakfield Office".into()),
        ("from_address", "office@oakfield.example".into()),
        ("reply_to", "head@oakfield.example".into()),
        (
            "email_subject",
            signoff::domain::outreach::wording::DEFAULT_SUBJECT.into(),
        ),
        (
            "email_body",
            signoff::domain::outreach::wording::DEFAULT_EMAIL.into(),
        ),
        (
            "sms_body",
            signoff::domain::outreach::wording::DEFAULT_SMS.into(),
        ),
    ]
}

/// Posts the sending settings as the headteacher; returns (status, page).
pub async fn save_settings(
    app: &TestApp,
    head: &reqwest::Client,
    fields: &[(&'static str, String)],
) -> (u16, String) {
    let page = fetch_page(app, head, "/head/messaging").await;
    let csrf = hidden(&page, "csrf");
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
    let res = head
        .post(app.url("/head/messaging"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// Confirms "Email or text these carers" for a filter; returns the campaign's page address.
pub async fn send_to(app: &TestApp, staff: &reqwest::Client, query: &str, reach: &str) -> String {
    let page = fetch_page(app, staff, &format!("/office/messages/new?{query}")).await;
    let csrf = hidden(&page, "csrf");
    let mut form: Vec<(String, String)> =
        vec![("csrf".into(), csrf), ("reach".into(), reach.into())];
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        form.push((k.into(), v.replace("%20", " ")));
    }
    let res = staff
        .post(app.url("/office/messages/new"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "campaign queued");
    res.headers()["location"].to_str().unwrap().to_string()
}
