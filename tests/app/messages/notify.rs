//! GOV.UK Notify for texts and email, against a local server that keeps Notify's documented
//! contract (it checks each JWT against the key and the shape of each request): rate limits and
//! server errors retried, refused numbers failed and shown, delivery reports applied.

use std::time::Duration;

use super::{app_sending, contact, drain, fetch_page, save_settings, send_to, smtp_settings};
use crate::fakes::notify::{NotifyFake, make_key, post_callback};
use crate::helpers::TestApp;

const EMAIL_TEMPLATE: &str = "f33517ff-2a88-4f6e-b855-c550268ce08a";
const SMS_TEMPLATE: &str = "c4b7e5a1-9d2f-4a6b-8e3c-1f0a2b3c4d5e";

async fn notify_app() -> (TestApp, NotifyFake, reqwest::Client) {
    let (key, _service, _secret) = make_key("signoff_test");
    let fake = NotifyFake::start(&key, EMAIL_TEMPLATE, SMS_TEMPLATE).await;
    let app = app_sending(None, Some(fake.base.clone())).await;
    let head = app.head().await;
    let mut f = smtp_settings(&app);
    for (k, v) in f.iter_mut() {
        match *k {
            "email_via" => *v = "notify".into(),
            "sms_via" => *v = "notify".into(),
            _ => {}
        }
    }
    f.push(("notify_key", key.clone()));
    f.push(("notify_email_template", EMAIL_TEMPLATE.into()));
    f.push(("notify_sms_template", SMS_TEMPLATE.into()));
    let (status, page) = save_settings(&app, &head, &f).await;
    assert_eq!(status, 303, "{page}");
    let page = fetch_page(&app, &head, "/head/messaging").await;
    assert!(page.contains("A key is saved and is never shown again"));
    assert!(
        !page.contains(&key[key.len() - 36..]),
        "the key's secret is never shown"
    );
    (app, fake, head)
}

fn status_of(app: &TestApp, carer: i64) -> impl std::future::Future<Output = (String, String)> {
    let db = app.state.db.read.clone();
    async move {
        sqlx::query_as(
            "SELECT status, detail FROM messages WHERE carer_id = ? ORDER BY id DESC LIMIT 1",
        )
        .bind(carer)
        .fetch_one(&db)
        .await
        .unwrap()
    }
}

#[tokio::test]
async fn texts_go_by_notify_with_retries_and_delivery_reports() {
    let (app, fake, head) = notify_app().await;
    let text_only = app.family("Tia", "Hart", &[("Ann", "Hart", "3B")]).await;
    let both = app.family("Bo", "Reid", &[("Ed", "Reid", "3B")]).await;
    let landline = app.family("Lyn", "Ford", &[("Ida", "Ford", "3B")]).await;
    let refused = app.family("Rae", "Cole", &[("Jo", "Cole", "3B")]).await;
    contact(&app, &text_only, "", "07700 900111").await;
    contact(&app, &both, "bo@example.org", "+44 7700 900222").await;
    contact(&app, &landline, "", "01632 960000").await;
    contact(&app, &refused, "", "07700 900999").await;
    fake.reject_recipient("+447700900999");

    let preview = fetch_page(
        &app,
        &head,
        "/office/messages/new?status=outstanding&reach=both",
    )
    .await;
    assert!(
        preview.contains("Lyn Ford") && preview.contains("no usable mobile number"),
        "a landline cannot take a text"
    );
    send_to(&app, &head, "status=outstanding", "both").await;

    // Notify is over its rate limit, then has an outage: nothing is lost, nothing is doubled.
    fake.answer_next(429, 1);
    drain(&app).await;
    let (s, detail) = status_of(&app, text_only.carer_id).await;
    assert!(s == "queued" || s == "sent", "{s}");
    let waiting = app
        .count("SELECT COUNT(*) FROM messages WHERE status = 'queued'")
        .await;
    assert_eq!(waiting, 1, "only the 429'd message waits");
    let retried: String = sqlx::query_scalar("SELECT detail FROM messages WHERE status = 'queued'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert!(retried.contains("rate limit"), "{retried} / {detail}");
    fake.answer_next(500, 1);
    app.clock.advance(time::Duration::seconds(61));
    drain(&app).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM messages WHERE status = 'queued'")
            .await,
        1,
        "a 500 waits too"
    );
    app.clock.advance(time::Duration::minutes(2));
    drain(&app).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM messages WHERE status = 'queued'")
            .await,
        0
    );

    let sent = fake.wait_for(3, Duration::from_secs(5)).await;
    assert_eq!(sent.len(), 3, "Tia's text, Bo's email and text: {sent:?}");
    let tia = sent
        .iter()
        .find(|s| s.to == "+447700900111")
        .expect("Tia's text");
    assert_eq!(tia.channel, "sms");
    assert_eq!(tia.template_id, SMS_TEMPLATE);
    let body = tia.personalisation["body"].as_str().unwrap();
    assert!(
        body.contains("for Ann") && body.contains(&format!("{}/s/", app.base)),
        "{body}"
    );
    assert!(
        tia.personalisation["link"]
            .as_str()
            .unwrap()
            .starts_with(&app.base)
    );
    let reference: String = sqlx::query_scalar(
        "SELECT provider_ref FROM messages WHERE carer_id = ? AND channel = 'sms'",
    )
    .bind(text_only.carer_id)
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(
        tia.reference.as_deref(),
        Some(reference.as_str()),
        "Notify's reference is our message's"
    );
    assert!(sent.iter().any(|s| s.channel == "email"
        && s.to == "bo@example.org"
        && s.template_id == EMAIL_TEMPLATE));

    let (s, detail) = status_of(&app, refused.carer_id).await;
    assert_eq!(s, "failed", "a refused number is not retried");
    assert!(detail.contains("Not a UK mobile number"), "{detail}");

    // Delivery reports, authenticated by the token the settings page shows.
    let token: String = sqlx::query_scalar("SELECT callback_token FROM messaging")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let callback = app.url("/notify/callback");
    assert_eq!(
        post_callback(&callback, "not-the-token", tia, "delivered").await,
        401
    );
    assert_eq!(status_of(&app, text_only.carer_id).await.0, "sent");
    assert_eq!(
        post_callback(&callback, &token, tia, "delivered").await,
        204
    );
    assert_eq!(status_of(&app, text_only.carer_id).await.0, "delivered");
    let bo_text = sent
        .iter()
        .find(|s| s.to == "+447700900222")
        .expect("Bo's text");
    assert_eq!(
        post_callback(&callback, &token, bo_text, "permanent-failure").await,
        204
    );
    let carer = fetch_page(&app, &head, &format!("/office/carers/{}", both.carer_id)).await;
    assert!(
        carer.contains("Bounced") && carer.contains("does not exist"),
        "{carer}"
    );
    let carer = fetch_page(
        &app,
        &head,
        &format!("/office/carers/{}", text_only.carer_id),
    )
    .await;
    assert!(carer.contains("Delivered"));
}

#[tokio::test]
async fn a_send_interrupted_by_a_crash_is_not_repeated_when_notify_already_has_it() {
    let (app, fake, head) = notify_app().await;
    let f = app.family("Tia", "Hart", &[("Ann", "Hart", "3B")]).await;
    contact(&app, &f, "", "07700 900111").await;
    send_to(&app, &head, "status=outstanding", "email-first").await;
    drain(&app).await;
    assert_eq!(fake.sent().len(), 1);
    // As if the portal stopped after Notify accepted the text but before it noted so.
    sqlx::query("UPDATE messages SET status = 'sending'")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    signoff::app::outreach::sender::recover(&app.state)
        .await
        .unwrap();
    assert_eq!(
        fake.sent().len(),
        1,
        "found by its reference, not sent again"
    );
    assert_eq!(status_of(&app, f.carer_id).await.0, "sent");
}

#[tokio::test]
async fn a_carer_stops_text_reminders_from_their_own_signing_page() {
    let (app, _fake, head) = notify_app().await;
    let f = app.family("Tia", "Hart", &[("Ann", "Hart", "3B")]).await;
    contact(&app, &f, "tia@example.org", "07700 900111").await;
    let sign_page = app
        .get(&format!("/s/{}", f.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    let link = format!("/s/{}/reminders", f.code.as_str());
    assert!(
        sign_page.contains(&format!("href=\"{link}\"")),
        "linked from the signing page"
    );
    let page = app.get(&link).await.text().await.unwrap();
    assert!(
        page.contains("Text messages to number ending 111"),
        "{page}"
    );
    assert!(page.contains("Emails to t•••@example.org"));
    assert!(
        !page.contains("07700 900111"),
        "the number is not shown whole"
    );
    let csrf = crate::helpers::hidden(&page, "csrf");

    let forged = app
        .post(&link, &[("csrf", "0000"), ("channel", "sms")])
        .await;
    assert_eq!(forged.status(), 403);
    let res = app
        .post(&link, &[("csrf", &csrf), ("channel", "sms")])
        .await;
    assert_eq!(res.status(), 303);
    let page = app
        .get(&format!("{link}?done=1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Text messages to number ending 111: stopped."));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM opt_outs WHERE channel = 'sms'")
            .await,
        1
    );
    let audit = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'messages.opted_out'")
        .await;
    assert_eq!(audit, 1);

    let preview = fetch_page(
        &app,
        &head,
        "/office/messages/new?status=outstanding&reach=sms",
    )
    .await;
    assert!(preview.contains("opted out of text messages"), "{preview}");
}

#[tokio::test]
async fn an_outage_holds_messages_however_long_it_lasts_and_a_report_is_never_overwritten() {
    let (app, fake, head) = notify_app().await;
    let f = app.family("Tia", "Hart", &[("Ann", "Hart", "3B")]).await;
    contact(&app, &f, "", "07700 900111").await;
    send_to(&app, &head, "status=outstanding", "email-first").await;
    // Notify is down for twelve tries: more than a per-message retry limit allows.
    fake.answer_next(500, 12);
    for _ in 0..12 {
        drain(&app).await;
        app.clock.advance(time::Duration::hours(1));
    }
    let (s, detail) = status_of(&app, f.carer_id).await;
    assert_eq!(
        s, "queued",
        "an outage never fails a carer's message: {detail}"
    );
    assert!(
        detail.starts_with("Waiting: Notify had a problem"),
        "{detail}"
    );
    drain(&app).await;
    assert_eq!(status_of(&app, f.carer_id).await.0, "sent");
    assert_eq!(fake.sent().len(), 1, "sent once when Notify came back");
    let live = app
        .count(&format!(
            "SELECT COUNT(*) FROM signing_codes WHERE carer_id = {} AND revoked_at IS NULL",
            f.carer_id
        ))
        .await;
    assert_eq!(
        live, 2,
        "the letter's code and the one text that went; failed attempts' codes revoked"
    );

    // A delivery report that lands while the batch is still out is kept.
    let sent = fake.sent()[0].clone();
    let id: i64 = sqlx::query_scalar("SELECT id FROM messages")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    sqlx::query("UPDATE messages SET status = 'sending'")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let token: String = sqlx::query_scalar("SELECT callback_token FROM messaging")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(
        post_callback(&app.url("/notify/callback"), &token, &sent, "delivered").await,
        204
    );
    signoff::store::outbox::mark_sent(
        &app.state.db.write,
        app.scope,
        id,
        Some(&sent.id),
        time::OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    assert_eq!(status_of(&app, f.carer_id).await.0, "delivered");
}

#[tokio::test]
async fn a_welsh_carer_gets_a_welsh_text_with_no_isolation_marks() {
    let (app, fake, head) = notify_app().await;
    let sian = app.family("Siân", "Huws", &[("Gwen", "Huws", "3B")]).await;
    let tia = app.family("Tia", "Hart", &[("Ann", "Hart", "3B")]).await;
    contact(&app, &sian, "", "07700 900333").await;
    contact(&app, &tia, "", "07700 900111").await;
    sqlx::query("UPDATE carers SET language = 'cy', language_source = 'roster' WHERE id = ?")
        .bind(sian.carer_id)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    send_to(&app, &head, "status=outstanding", "both").await;
    drain(&app).await;
    let sent = fake.wait_for(2, Duration::from_secs(5)).await;
    let text = |to: &str| {
        sent.iter()
            .find(|s| s.to == to)
            .map(|s| s.personalisation["body"].as_str().unwrap().to_string())
            .unwrap()
    };
    let welsh = text("+447700900333");
    assert!(
        welsh.contains("llofnodwch god ymddygiad y rhieni ar gyfer Gwen"),
        "{welsh}"
    );
    assert!(!welsh.contains(['\u{2068}', '\u{2069}']), "{welsh:?}");
    let english = text("+447700900111");
    assert!(english.contains("for Ann"), "{english}");
}
