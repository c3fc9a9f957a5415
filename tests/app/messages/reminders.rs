//! The reminder schedule with a moved clock: the cadence after each invitation, never outside
//! 08:00–20:00 UK time, and nothing more for a carer once they sign.

use std::time::Duration;

use signoff::app::outreach::reminders::queue_due;

use super::{app_sending, contact, drain, fetch_page, save_settings, send_to, smtp_settings};
use crate::fakes::smtp::SmtpSink;
use crate::helpers::{TestApp, hidden, sign};

async fn set_cadence(
    app: &TestApp,
    head: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let page = fetch_page(app, head, "/office/messages").await;
    let csrf = hidden(&page, "csrf");
    let doc = hidden(&page, "doc");
    let mut form = vec![("csrf", csrf.as_str()), ("doc", doc.as_str())];
    form.extend_from_slice(fields);
    let res = head
        .post(app.url("/office/messages/reminders"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

#[tokio::test]
async fn reminders_follow_the_cadence_in_sending_hours_and_stop_when_a_carer_signs() {
    let sink = SmtpSink::start().await;
    let app = app_sending(Some(sink.url()), None).await;
    let head = app.head().await;
    save_settings(&app, &head, &smtp_settings(&app)).await;

    let (status, page) = set_cadence(
        &app,
        &head,
        &[
            ("active", "yes"),
            ("days", "7, 14"),
            ("weekly", "yes"),
            ("deadline", "1/11/2026"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("The deadline has passed"));
    assert!(page.contains("value=\"7, 14\""), "kept as typed");
    let (status, page) = set_cadence(
        &app,
        &head,
        &[
            ("active", "yes"),
            ("days", "14, 7"),
            ("weekly", "yes"),
            ("deadline", ""),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("Put the days in order"));
    let (status, _) = set_cadence(
        &app,
        &head,
        &[
            ("active", "yes"),
            ("days", "7, 14"),
            ("weekly", "yes"),
            ("deadline", "20/12/2026"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let page = fetch_page(&app, &head, "/office/messages").await;
    assert!(
        page.contains("value=\"20/12/2026\""),
        "shown as it is typed"
    );

    let a = app
        .family("Amy", "Greaves", &[("Ben", "Greaves", "3B")])
        .await;
    let b = app.family("Dev", "Patel", &[("Isha", "Patel", "3B")]).await;
    contact(&app, &a, "amy@example.org", "").await;
    contact(&app, &b, "dev@example.org", "").await;
    // Saturday 21 November, 10:00 GMT.
    send_to(&app, &head, "status=outstanding", "email-first").await;
    drain(&app).await;
    sink.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(queue_due(&app.state).await.unwrap(), 0, "nothing due yet");

    // Seven days later at 21:00: due, but outside sending hours.
    app.clock
        .advance(time::Duration::days(7) + time::Duration::hours(11));
    assert_eq!(queue_due(&app.state).await.unwrap(), 0, "not after 20:00");
    // 07:30 the next morning: still not.
    app.clock
        .advance(time::Duration::hours(10) + time::Duration::minutes(30));
    assert_eq!(queue_due(&app.state).await.unwrap(), 0, "not before 08:00");
    // 08:30: both get their first reminder, once.
    app.clock.advance(time::Duration::hours(1));
    assert_eq!(queue_due(&app.state).await.unwrap(), 2);
    assert_eq!(queue_due(&app.state).await.unwrap(), 0, "queued once");
    drain(&app).await;
    let got = sink.wait_for(4, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 4);
    // (The head's session has long expired by now: the schedule needs nobody signed in.)
    let reminders = app
        .count("SELECT COUNT(*) FROM campaigns WHERE kind = 'reminder' AND filter = '1st after the invitation' AND created_by IS NULL")
        .await;
    assert_eq!(reminders, 1);

    // Amy signs; a week later only Dev is reminded.
    sign(&app, &a).await;
    app.clock.advance(time::Duration::days(7));
    assert_eq!(queue_due(&app.state).await.unwrap(), 1);
    // Queued at 08:30 but the sender only gets to it after 20:00: held until 08:00.
    app.clock.advance(time::Duration::hours(12));
    drain(&app).await;
    let (status, detail): (String, String) =
        sqlx::query_as("SELECT status, detail FROM messages ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(status, "queued");
    assert!(detail.contains("Held until 08:00"), "{detail}");
    assert_eq!(sink.received().len(), 4);
    app.clock.advance(time::Duration::hours(12));
    drain(&app).await;
    let got = sink.wait_for(5, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 5);
    assert_eq!(got[4].rcpt_to, ["dev@example.org"]);
    let amy_messages = app
        .count(&format!(
            "SELECT COUNT(*) FROM messages WHERE carer_id = {}",
            a.carer_id
        ))
        .await;
    assert_eq!(
        amy_messages, 2,
        "Amy: the invitation and one reminder, nothing after she signed"
    );

    // After the deadline, nothing more.
    app.clock.advance(time::Duration::days(30));
    assert_eq!(queue_due(&app.state).await.unwrap(), 0);
}
