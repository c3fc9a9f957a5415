//! Messages: the list and reminder plan (with errors), a preview before sending, and a campaign
//! while queued and once sent.

use super::office::browser_sign_in;
use super::{Audit, submit};
use crate::fakes::smtp::SmtpSink;
use crate::helpers::TestApp;
use crate::messages::{contact, drain, save_settings, smtp_settings};

#[tokio::test]
async fn message_pages_pass_axe_and_fit_narrow_screens() {
    let sink = SmtpSink::start().await;
    let smtp_url = sink.url();
    let app = TestApp::spawn_with(move |c| {
        c.sending.run_sender = false;
        c.sending.allow_local_links = true;
        c.sending.smtp_url = Some(smtp_url);
        c.sending.emails_per_minute = 600_000;
    })
    .await;
    let head = app.head().await;
    let mut a = Audit::start("messages").await;
    browser_sign_in(&a, &app).await;
    a.visit(&app.url("/office/messages"), "messages, sending not set up")
        .await;
    a.visit(
        &app.url("/office/messages/new?class=3B&status=outstanding"),
        "new message, sending not set up",
    )
    .await;

    let (status, page) = save_settings(&app, &head, &smtp_settings(&app)).await;
    assert_eq!(status, 303, "{page}");
    for (first, last, email, phone) in [
        ("Amy", "Greaves", "amy@example.org", ""),
        ("Dev", "Patel", "dev@example.org", "07700 900123"),
        ("Kim", "Lowe", "", ""),
    ] {
        let f = app.family(first, last, &[("Ben", last, "3B")]).await;
        contact(&app, &f, email, phone).await;
    }
    a.visit(&app.url("/office/messages"), "messages, none sent")
        .await;
    submit(
        &a.c,
        "main form[action='/office/messages/reminders']",
        &[("days", "0"), ("deadline", "not a date")],
    )
    .await;
    a.check("messages, reminder plan with errors").await;
    a.visit(
        &app.url("/office/messages/new?status=outstanding&q=Nobody"),
        "new message, nobody to reach",
    )
    .await;
    a.visit(
        &app.url("/office/messages/new?class=3B&status=outstanding"),
        "new message, preview",
    )
    .await;
    submit(&a.c, "main form[action='/office/messages/new']", &[]).await;
    a.check("campaign, queued").await;
    let campaign = a.c.current_url().await.unwrap().to_string();
    drain(&app).await;
    a.visit(&campaign, "campaign, sent").await;
    a.visit(&app.url("/office/messages"), "messages, one campaign")
        .await;
    a.finish().await;
}
