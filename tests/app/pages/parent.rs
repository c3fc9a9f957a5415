//! What parents and carers see: the front door, the code, the signing page and its errors,
//! signing again after a change, the receipt, the public policy, reminders and stopping messages.

use std::time::Duration;

use super::{Audit, submit};
use crate::fakes::smtp::SmtpSink;
use crate::helpers::{TestApp, browser, csrf_of, sign};
use crate::messages::{contact, drain, save_settings, send_to, smtp_settings};
use crate::revisions::{doc_id, publish};

const SIGN_FORM: &str = "#declaration";
/// Well formed, but nobody's code.
const WRONG: &str = "K7P3M-9Q2XR";

const BODY_V2: &str = "## Statement of intent\n\nWe ask families to be kind online.\n\n## Group chats\n\n- Do not share photos of other children\n- Keep messages to staff within working hours\n";

#[tokio::test]
async fn parent_pages_pass_axe_and_fit_narrow_screens() {
    let sink = SmtpSink::start().await;
    let smtp_url = sink.url();
    let app = TestApp::spawn_with(move |c| {
        c.sending.run_sender = false;
        c.sending.allow_local_links = true;
        c.sending.smtp_url = Some(smtp_url);
        c.sending.emails_per_minute = 600_000;
        // Past the free guesses each code waits 1.5 s holding the network's only turn, so a
        // second code meanwhile is turned away: the page parents see when codes are being tried.
        c.guessing.at_once = 1;
        c.guessing.step = Duration::from_millis(1500);
        c.guessing.max_delay = Duration::from_millis(1500);
        c.guessing.queue_wait = Duration::from_millis(50);
    })
    .await;
    let head = app.head().await;
    let amy = app
        .family(
            "Amy",
            "Greaves",
            &[("Ben", "Greaves", "3B"), ("Cara", "Greaves", "4C")],
        )
        .await;
    let dev = app.family("Dev", "Patel", &[("Isha", "Patel", "3B")]).await;
    let kim = app.family("Kim", "Lowe", &[("Tom", "Lowe", "3B")]).await;
    let ola = app.family("Ola", "Nowak", &[("Zoe", "Nowak", "3B")]).await;
    contact(&app, &amy, "amy@example.org", "07700 900123").await;
    contact(&app, &ola, "ola@example.org", "").await;
    let mut a = Audit::start("parent").await;

    // The front door and the code form, empty and with a wrong code.
    a.visit(&app.url("/"), "front door").await;
    a.visit(&app.url("/sign"), "code entry, empty").await;
    submit(&a.c, "main form[action='/sign']", &[("code", "")]).await;
    a.check("code entry, nothing typed").await;
    submit(&a.c, "main form[action='/sign']", &[("code", "ABCD-EFGH")]).await;
    a.check("code entry, too short").await;
    submit(&a.c, "main form[action='/sign']", &[("code", WRONG)]).await;
    a.check("code entry, wrong code").await;

    a.visit(&app.url("/nope"), "not found").await;
    a.visit(
        &app.url(&format!("/s/{}", WRONG.replace('-', ""))),
        "unknown code in a link",
    )
    .await;

    // The signing page, fresh, and each way the declaration can be wrong.
    let form = format!("/s/{}", dev.code.as_str());
    a.visit(&app.url(&form), "signing page, fresh").await;
    submit(
        &a.c,
        SIGN_FORM,
        &[("agree", ""), ("typed_name", "Dev Patel")],
    )
    .await;
    a.check("signing page, box not ticked").await;
    a.visit(&app.url(&form), "signing page, fresh").await;
    submit(&a.c, SIGN_FORM, &[("agree", "yes"), ("typed_name", "")]).await;
    a.check("signing page, no name").await;
    a.visit(&app.url(&form), "signing page, fresh").await;
    submit(&a.c, SIGN_FORM, &[("agree", ""), ("typed_name", "")]).await;
    a.check("signing page, no tick and no name").await;
    submit(
        &a.c,
        SIGN_FORM,
        &[("agree", "yes"), ("typed_name", "Dev Patel")],
    )
    .await;
    a.check("receipt after signing").await;
    let receipt = a.c.current_url().await.unwrap().to_string();
    a.visit(&receipt, "receipt, opened again").await;
    a.visit(&app.url(&form), "signing page once signed (done)")
        .await;

    // Reminders: a carer with neither an email nor a phone, and one with both.
    a.visit(
        &app.url(&format!("/s/{}/reminders", kim.code.as_str())),
        "reminders, no contact details",
    )
    .await;
    a.visit(
        &app.url(&format!("/s/{}/reminders", amy.code.as_str())),
        "reminders, email and phone",
    )
    .await;
    submit(&a.c, "main form[action$='/reminders']", &[]).await;
    a.check("reminders, after stopping one channel").await;

    // The stop link from an email, before and after stopping.
    let (status, page) = save_settings(&app, &head, &smtp_settings(&app)).await;
    assert_eq!(status, 303, "{page}");
    send_to(&app, &head, "class=3B&status=outstanding", "email-first").await;
    drain(&app).await;
    let mail = sink.wait_for(1, Duration::from_secs(10)).await;
    let stop = mail
        .iter()
        .filter_map(|m| m.header("List-Unsubscribe"))
        .next()
        .expect("an unsubscribe link");
    let stop = stop.trim_start_matches('<').trim_end_matches('>');
    a.visit(stop, "stop page").await;
    submit(&a.c, "main form", &[]).await;
    a.check("stop page, after stopping").await;

    // The public policy, its history and a version.
    let slug: String = sqlx::query_scalar("SELECT slug FROM documents ORDER BY id LIMIT 1")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    a.visit(&app.url("/policy"), "policy").await;
    a.visit(
        &app.url(&format!("/policy/{slug}/history")),
        "policy history, one version",
    )
    .await;
    a.visit(&app.url(&format!("/policy/{slug}/v/1")), "policy version 1")
        .await;

    // A revised version: the signed carer must sign again and sees what changed.
    sign(&app, &amy).await;
    let doc = doc_id(&app).await;
    let res = publish(
        &app,
        &head,
        doc,
        BODY_V2,
        "material",
        "Group chats: no photos of other children.",
    )
    .await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    a.visit(
        &app.url(&format!("/s/{}", amy.code.as_str())),
        "must sign again, with changes",
    )
    .await;
    let page = a.c.source().await.unwrap();
    assert!(page.contains("has changed since you signed"), "{page}");
    a.visit(
        &app.url(&format!("/policy/{slug}/history")),
        "policy history, two versions",
    )
    .await;
    a.visit(&app.url(&format!("/policy/{slug}/v/2")), "policy version 2")
        .await;

    // Too many wrong codes: slowed, then turned away while another code has the turn.
    a.visit(&app.url("/sign"), "code entry, empty").await;
    for _ in 0..6 {
        submit(&a.c, "main form[action='/sign']", &[("code", WRONG)]).await;
    }
    a.check("code entry, wrong again after the free guesses")
        .await;
    let other = browser();
    let csrf = csrf_of(&app, &other, "/sign").await;
    let url = app.url("/sign");
    let holder = tokio::spawn(async move {
        other
            .post(url)
            .form(&[("csrf", csrf.as_str()), ("code", "WXYZW-XYZWX")])
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    submit(&a.c, "main form[action='/sign']", &[("code", WRONG)]).await;
    let page = a.c.source().await.unwrap();
    assert!(page.contains("wait its turn"), "turned away: {page}");
    a.check("code entry, turned away (too many codes tried)")
        .await;
    holder.await.unwrap().unwrap();

    // A second school: `/` asks which, and each school's front door is at its own address.
    signoff::app::seed::add_school(
        &app.state.db,
        app.clock.as_ref(),
        "Elmwood Academy",
        "elmwood",
        "",
        None,
    )
    .await
    .unwrap();
    a.visit(&app.url("/"), "choose your school").await;
    a.visit(&app.url("/elmwood/"), "a second school's front door")
        .await;
    a.finish().await;
}
