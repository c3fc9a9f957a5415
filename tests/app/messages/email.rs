//! Email over SMTP to a real SMTP server in the test: the MIME received, the links in it, the
//! delivery log, opt-outs, carers who sign before their turn, and settings that are wrong.

use std::time::Duration;

use super::{app_sending, contact, drain, fetch_page, save_settings, send_to, smtp_settings};
use crate::fakes::smtp::SmtpSink;
use crate::helpers::{hidden, sign};

#[tokio::test]
async fn the_office_emails_one_class_and_each_link_opens_that_carers_form() {
    let sink = SmtpSink::start().await;
    let app = app_sending(Some(sink.url()), None).await;
    let head = app.head().await;
    let (status, page) = save_settings(&app, &head, &smtp_settings(&app)).await;
    assert_eq!(status, 303, "{page}");
    let amy = app
        .family(
            "Amy",
            "Greaves",
            &[("Ben", "Greaves", "3B"), ("Cara", "Greaves", "4C")],
        )
        .await;
    let dev = app.family("Dev", "Patel", &[("Isha", "Patel", "3B")]).await;
    let kim = app.family("Kim", "Lowe", &[("Tom", "Lowe", "3B")]).await;
    let other = app.family("Ola", "Nowak", &[("Zoe", "Nowak", "4C")]).await;
    contact(&app, &amy, "amy.greaves@example.org", "").await;
    contact(&app, &dev, "dev@example.org", "07700 900123").await;
    contact(&app, &other, "ola@example.org", "").await;
    // Kim has no email; texts are not set up, so Kim needs a letter.

    let preview = fetch_page(
        &app,
        &head,
        "/office/messages/new?class=3B&status=outstanding",
    )
    .await;
    assert!(preview.contains("What Amy Greaves will get"), "{preview}");
    assert!(preview.contains("Dear Amy Greaves"), "placeholders filled");
    assert!(preview.contains("covers Ben and Cara"));
    assert!(preview.contains("Send to 2 carers"));
    assert!(preview.contains("Kim Lowe") && preview.contains("no usable email address"));

    let campaign = send_to(&app, &head, "class=3B&status=outstanding", "email-first").await;
    assert_eq!(drain(&app).await, 2);
    let got = sink.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 2, "only class 3B's reachable carers");
    let mail = got
        .iter()
        .find(|m| m.rcpt_to == ["amy.greaves@example.org"])
        .expect("Amy's email");
    assert_eq!(mail.mail_from, "office@oakfield.example");
    assert_eq!(mail.content_type(), "multipart/alternative");
    let subject = mail.header("Subject").unwrap();
    assert!(subject.starts_with("Please sign: "), "{subject}");
    assert_eq!(mail.header("Reply-To").unwrap(), "head@oakfield.example");
    let unsubscribe = mail.header("List-Unsubscribe").unwrap();
    assert!(
        unsubscribe.starts_with(&format!("<{}/stop/", app.base)),
        "{unsubscribe}"
    );
    assert_eq!(
        mail.header("List-Unsubscribe-Post").unwrap(),
        "List-Unsubscribe=One-Click"
    );
    let message_id = mail.header("Message-ID").unwrap();
    let stored: String = sqlx::query_scalar("SELECT provider_ref FROM messages WHERE carer_id = ?")
        .bind(amy.carer_id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(stored, message_id, "the log keeps the Message-ID");
    let text = mail.text_part().unwrap();
    let html = mail.html_part().unwrap();
    assert!(text.contains("Dear Amy Greaves") && html.contains("Dear Amy Greaves"));
    assert!(!html.contains("<img"), "no remote images");
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with(&format!("{}/s/", app.base)))
        .expect("a signing link")
        .trim_end_matches('.')
        .to_string();
    assert!(html.contains(&format!("href=\"{link}\"")));

    // The link opens Amy's own form, and the log notes when.
    let form = app.client.get(&link).send().await.unwrap();
    assert_eq!(form.status(), 200);
    let form = form.text().await.unwrap();
    assert!(
        form.contains("Ben Greaves") && form.contains("Cara Greaves"),
        "Amy's children"
    );
    let carer_page = fetch_page(&app, &head, &format!("/office/carers/{}", amy.carer_id)).await;
    assert!(carer_page.contains("Invitation by email to "));
    assert!(carer_page.contains("amy.greaves@example.org"));
    assert!(carer_page.contains(">Sent<"), "{carer_page}");
    assert!(!carer_page.contains("Not yet"), "first opening recorded");

    let progress = head
        .get(app.url(&format!("{campaign}/progress")))
        .send()
        .await
        .unwrap();
    let p: serde_json::Value = serde_json::from_str(&progress.text().await.unwrap()).unwrap();
    assert_eq!(
        (
            p["total"].as_i64(),
            p["sent"].as_i64(),
            p["queued"].as_i64()
        ),
        (Some(2), Some(2), Some(0))
    );
    assert_eq!(p["done"], true);
    let _ = kim;
}

#[tokio::test]
async fn a_carer_who_signs_before_their_turn_gets_nothing() {
    let sink = SmtpSink::start().await;
    let app = app_sending(Some(sink.url()), None).await;
    let head = app.head().await;
    save_settings(&app, &head, &smtp_settings(&app)).await;
    let a = app
        .family("Amy", "Greaves", &[("Ben", "Greaves", "3B")])
        .await;
    let b = app.family("Dev", "Patel", &[("Isha", "Patel", "3B")]).await;
    contact(&app, &a, "amy@example.org", "").await;
    contact(&app, &b, "dev@example.org", "").await;
    send_to(&app, &head, "status=outstanding", "email-first").await;
    sign(&app, &a).await;
    drain(&app).await;
    let got = sink.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sink.received().len(), 1);
    assert_eq!(got[0].rcpt_to, ["dev@example.org"]);
    let status: String = sqlx::query_scalar("SELECT status FROM messages WHERE carer_id = ?")
        .bind(a.carer_id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
    // A new campaign to "everyone" leaves out those who have signed.
    let preview = fetch_page(&app, &head, "/office/messages/new?status=all").await;
    assert!(
        preview.contains("already signed and is left out"),
        "{preview}"
    );
}

#[tokio::test]
async fn a_stop_link_stops_that_channel_in_one_click_and_never_on_a_plain_visit() {
    let sink = SmtpSink::start().await;
    let app = app_sending(Some(sink.url()), None).await;
    let head = app.head().await;
    save_settings(&app, &head, &smtp_settings(&app)).await;
    let a = app
        .family("Amy", "Greaves", &[("Ben", "Greaves", "3B")])
        .await;
    contact(&app, &a, "amy@example.org", "").await;
    send_to(&app, &head, "status=outstanding", "email-first").await;
    drain(&app).await;
    let mail = &sink.wait_for(1, Duration::from_secs(10)).await[0];
    let stop = mail.header("List-Unsubscribe").unwrap();
    let stop = stop
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();

    let page = app.client.get(&stop).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Stop reminders by email?")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM opt_outs").await,
        0,
        "a visit changes nothing"
    );
    let forged = app.client.post(format!("{stop}0")).send().await.unwrap();
    assert_eq!(forged.status(), 404);

    // A mail client's one-click unsubscribe (RFC 8058).
    let res = app
        .client
        .post(&stop)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("no more emails"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM opt_outs WHERE channel = 'email'")
            .await,
        1
    );

    let preview = fetch_page(&app, &head, "/office/messages/new?status=outstanding").await;
    assert!(preview.contains("opted out of emails"), "{preview}");
    let carer = fetch_page(&app, &head, &format!("/office/carers/{}", a.carer_id)).await;
    assert!(carer.contains("No emails (asked"), "the office sees it");
}

#[tokio::test]
async fn permanent_refusals_are_shown_and_temporary_ones_retried() {
    let sink = SmtpSink::start().await;
    sink.reject_permanently("nobody@");
    sink.fail_temporarily("busy@", 1);
    let app = app_sending(Some(sink.url()), None).await;
    let head = app.head().await;
    save_settings(&app, &head, &smtp_settings(&app)).await;
    let gone = app.family("Gus", "Gone", &[("A", "Gone", "3B")]).await;
    let busy = app.family("Bea", "Busy", &[("B", "Busy", "3B")]).await;
    contact(&app, &gone, "nobody@example.org", "").await;
    contact(&app, &busy, "busy@example.org", "").await;
    send_to(&app, &head, "status=outstanding", "email-first").await;
    drain(&app).await;
    let status = |id: i64| {
        let db = app.state.db.read.clone();
        async move {
            sqlx::query_as::<_, (String, String)>(
                "SELECT status, detail FROM messages WHERE carer_id = ?",
            )
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    let (s, detail) = status(gone.carer_id).await;
    assert_eq!(s, "failed");
    assert!(detail.contains("refused this address"), "{detail}");
    let (s, detail) = status(busy.carer_id).await;
    assert_eq!(s, "queued", "a 451 is tried again");
    assert!(detail.starts_with("Will try again"), "{detail}");
    app.clock.advance(time::Duration::minutes(1));
    drain(&app).await;
    assert_eq!(status(busy.carer_id).await.0, "sent");
    // The dashboard counts the carer no message can reach.
    let dash = fetch_page(&app, &head, "/office").await;
    assert!(
        dash.contains("1 outstanding carer has no working contact"),
        "{dash}"
    );
}

#[tokio::test]
async fn settings_say_what_is_wrong_keep_what_was_typed_and_never_show_secrets() {
    let app = app_sending(None, None).await;
    let head = app.head().await;
    let mut f = smtp_settings(&app);
    for (k, v) in f.iter_mut() {
        match *k {
            "smtp_host" => *v = "".into(),
            "from_address" => *v = "office-at-school".into(),
            "email_body" => *v = "Dear {nmae}, please sign.".into(),
            "public_url" => *v = "sign.oakfield".into(),
            _ => {}
        }
    }
    f.push(("smtp_password", "hunter2-secret".into()));
    let (status, page) = save_settings(&app, &head, &f).await;
    assert_eq!(status, 422);
    assert!(page.contains("Enter the mail server"));
    assert!(page.contains("Enter the address emails come from"));
    assert!(page.contains("{nmae} is not a placeholder"));
    assert!(page.contains("Include {link}"));
    assert!(page.contains("starting https://"));
    assert!(page.contains("Dear {nmae}, please sign."), "kept as typed");
    assert!(
        !page.contains("hunter2-secret"),
        "a password is never sent back"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM messaging").await,
        0,
        "nothing saved"
    );

    // Saved with a password: the page says one is saved but never shows it.
    let mut ok = smtp_settings(&app);
    for (k, v) in ok.iter_mut() {
        if *k == "smtp_host" {
            *v = "127.0.0.1".into();
        }
    }
    ok.push(("smtp_password", "hunter2-secret".into()));
    assert_eq!(save_settings(&app, &head, &ok).await.0, 303);
    let page = fetch_page(&app, &head, "/head/messaging").await;
    assert!(page.contains("A password is saved"));
    assert!(!page.contains("hunter2-secret"));
    // The text-message hint counts the Welsh wording too.
    let welsh = &page[page
        .find("get the portal's Welsh wording instead")
        .expect("a Welsh sample")..];
    assert!(welsh.contains("erbyn 12 Rhagfyr 2026"), "{welsh}");
    assert!(welsh.contains("1 part: "), "{welsh}");

    // Office staff cannot change them.
    let (office, _) = app
        .colleague(
            &head,
            "Olu Office",
            "office@oakfield.example",
            "office",
            "a-long-office-password-1",
        )
        .await;
    let res = office.get(app.url("/head/messaging")).send().await.unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn the_test_message_reports_the_servers_answer_in_plain_words() {
    let sink = SmtpSink::start().await;
    let app = app_sending(None, None).await;
    let head = app.head().await;
    let port = sink.url().rsplit(':').next().unwrap().to_string();
    let mut f = smtp_settings(&app);
    for (k, v) in f.iter_mut() {
        match *k {
            "smtp_host" => *v = "127.0.0.1".into(),
            "smtp_port" => *v = port.clone(),
            "smtp_security" => *v = "none".into(),
            _ => {}
        }
    }
    assert_eq!(save_settings(&app, &head, &f).await.0, 303);
    let page = fetch_page(&app, &head, "/head/messaging").await;
    let csrf = hidden(&page, "csrf");
    let res = head
        .post(app.url("/head/messaging/test"))
        .form(&[("csrf", csrf.as_str()), ("to", "head@oakfield.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Sent a test email to head@oakfield.example. The server answered: 250"),
        "{page}"
    );
    let got = sink.wait_for(1, Duration::from_secs(5)).await;
    assert!(got[0].header("Subject").unwrap().starts_with("Test: "));

    // A server that is not there: said plainly, with what to check.
    let mut f2 = f.clone();
    for (k, v) in f2.iter_mut() {
        if *k == "smtp_port" {
            *v = "1".into();
        }
    }
    assert_eq!(save_settings(&app, &head, &f2).await.0, 303);
    let res = head
        .post(app.url("/head/messaging/test"))
        .form(&[("csrf", csrf.as_str()), ("to", "head@oakfield.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Could not reach the mail server 127.0.0.1:1"),
        "{page}"
    );
    assert!(page.contains("check the host and port"));
}

#[tokio::test]
async fn the_sender_uses_settings_changed_between_campaigns() {
    let sink = SmtpSink::start().await;
    let app = app_sending(Some(sink.url()), None).await;
    let head = app.head().await;
    save_settings(&app, &head, &smtp_settings(&app)).await;
    let a = app
        .family("Amy", "Greaves", &[("Ben", "Greaves", "3B")])
        .await;
    contact(&app, &a, "amy@example.org", "").await;
    send_to(&app, &head, "status=outstanding", "email-first").await;
    drain(&app).await;
    let mut changed = smtp_settings(&app);
    for (k, v) in changed.iter_mut() {
        if *k == "from_address" {
            *v = "reminders@oakfield.example".into();
        }
        if *k == "email_subject" {
            *v = "Reminder: {document}".into();
        }
    }
    assert_eq!(save_settings(&app, &head, &changed).await.0, 303);
    app.clock.advance(time::Duration::minutes(11));
    send_to(&app, &head, "status=outstanding", "email-first").await;
    drain(&app).await;
    let got = sink.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(got[0].mail_from, "office@oakfield.example");
    assert_eq!(got[1].mail_from, "reminders@oakfield.example");
    assert!(got[1].header("Subject").unwrap().starts_with("Reminder: "));
}

#[tokio::test]
async fn a_send_left_unfinished_is_picked_up_after_ten_minutes_under_the_same_message_id() {
    let sink = SmtpSink::start().await;
    let app = app_sending(Some(sink.url()), None).await;
    let head = app.head().await;
    save_settings(&app, &head, &smtp_settings(&app)).await;
    let a = app
        .family("Amy", "Greaves", &[("Ben", "Greaves", "3B")])
        .await;
    contact(&app, &a, "amy@example.org", "").await;
    send_to(&app, &head, "status=outstanding", "email-first").await;
    drain(&app).await;
    let first = sink.wait_for(1, Duration::from_secs(5)).await[0].header("Message-ID");
    // As if the batch's last write had failed after the send.
    let now = signoff::clock::stamp(signoff::Clock::now(app.clock.as_ref()));
    sqlx::query("UPDATE messages SET status = 'sending', updated_at = ?")
        .bind(&now)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    resume(&app).await;
    assert_eq!(sink.received().len(), 1, "a send in progress is left alone");
    app.clock.advance(time::Duration::minutes(11));
    resume(&app).await;
    let got = sink.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(got[1].header("Message-ID"), first, "the same Message-ID");
    let status: String = sqlx::query_scalar("SELECT status FROM messages")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(status, "sent");
}

async fn resume(app: &crate::helpers::TestApp) {
    let cutoff = signoff::Clock::now(app.clock.as_ref()) - time::Duration::minutes(10);
    signoff::app::outreach::sender::resume(&app.state, cutoff)
        .await
        .unwrap();
}

#[tokio::test]
async fn pressing_send_twice_messages_nobody_twice() {
    let sink = SmtpSink::start().await;
    let app = app_sending(Some(sink.url()), None).await;
    let head = app.head().await;
    save_settings(&app, &head, &smtp_settings(&app)).await;
    let a = app
        .family("Amy", "Greaves", &[("Ben", "Greaves", "3B")])
        .await;
    contact(&app, &a, "amy@example.org", "").await;
    let page = fetch_page(&app, &head, "/office/messages/new?status=outstanding").await;
    let csrf = hidden(&page, "csrf");
    let form = [
        ("csrf", csrf.as_str()),
        ("status", "outstanding"),
        ("reach", "email-first"),
    ];
    let first = head
        .post(app.url("/office/messages/new"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 303);
    let second = head
        .post(app.url("/office/messages/new"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 422);
    assert!(
        second
            .text()
            .await
            .unwrap()
            .contains("in the last 10 minutes, so nothing more was sent")
    );
    drain(&app).await;
    sink.wait_for(1, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sink.received().len(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM messages").await, 1);
}

#[tokio::test]
async fn printing_letters_after_a_campaign_keeps_the_emailed_link_working() {
    let sink = SmtpSink::start().await;
    let app = app_sending(Some(sink.url()), None).await;
    let head = app.head().await;
    save_settings(&app, &head, &smtp_settings(&app)).await;
    let a = app
        .family("Amy", "Greaves", &[("Ben", "Greaves", "3B")])
        .await;
    contact(&app, &a, "amy@example.org", "").await;
    send_to(&app, &head, "status=outstanding", "email-first").await;
    drain(&app).await;
    let mail = &sink.wait_for(1, Duration::from_secs(5)).await[0];
    let text = mail.text_part().unwrap();
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with(&format!("{}/s/", app.base)))
        .unwrap()
        .trim_end_matches('.')
        .to_string();
    let page = fetch_page(&app, &head, "/office/letters").await;
    let csrf = hidden(&page, "csrf");
    let res = head
        .post(app.url("/office/letters"))
        .form(&[("csrf", csrf.as_str()), ("status", "outstanding")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "letters printed");
    assert_eq!(
        app.client.get(&link).send().await.unwrap().status(),
        200,
        "the emailed link still opens the form"
    );
    let old_letter = app.get(&format!("/s/{}", a.code.as_str())).await;
    assert_eq!(
        old_letter.status(),
        404,
        "the previous letter's code is replaced"
    );
}

#[tokio::test]
async fn a_welsh_carer_gets_a_welsh_email_and_a_welsh_stop_page() {
    let sink = SmtpSink::start().await;
    let app = app_sending(Some(sink.url()), None).await;
    let head = app.head().await;
    save_settings(&app, &head, &smtp_settings(&app)).await;
    let s = app.family("Siân", "Huws", &[("Gwen", "Huws", "3B")]).await;
    contact(&app, &s, "sian@example.org", "").await;
    sqlx::query("UPDATE carers SET language = 'cy', language_source = 'carer' WHERE id = ?")
        .bind(s.carer_id)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let preview = fetch_page(&app, &head, "/office/messages/new?status=outstanding").await;
    assert!(
        preview.contains("Annwyl Siân Huws"),
        "the preview is hers: {preview}"
    );
    send_to(&app, &head, "status=outstanding", "email-first").await;
    drain(&app).await;
    let mail = &sink.wait_for(1, Duration::from_secs(10)).await[0];
    let subject = mail.header("Subject").unwrap();
    assert!(
        subject.starts_with("Llofnodwch os gwelwch yn dda: "),
        "{subject}"
    );
    let text = mail.text_part().unwrap();
    assert!(text.starts_with("Annwyl Siân Huws,"), "{text}");
    assert!(text.contains("Mae eich llofnod yn cwmpasu Gwen."), "{text}");
    assert!(text.contains("I atal yr e-byst hyn: "), "{text}");
    assert!(!text.contains(['\u{2068}', '\u{2069}']), "{text:?}");
    assert!(mail.html_part().unwrap().contains("I atal yr e-byst hyn:"));

    let stop = mail.header("List-Unsubscribe").unwrap();
    let stop = stop.trim_start_matches('<').trim_end_matches('>');
    let page = app.client.get(stop).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("<html lang=\"cy\">"));
    assert!(
        page.contains("Atal nodiadau atgoffa drwy e-bost?"),
        "{page}"
    );
}
