//! The office emails the outstanding carers of one class in Chromium, watches the campaign's
//! figures update themselves, and reads a carer's delivery log.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::browser::{Driver, staff_sign_in, wait_for};
use crate::fakes::smtp::SmtpSink;
use crate::helpers::{HEAD_EMAIL, HEAD_PASSWORD, TestApp, sign};
use crate::messages::contact;

async fn click(c: &Client, locator: Locator<'_>) {
    c.find(locator).await.unwrap().click().await.unwrap();
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Waits until the address bar contains `needle`, so later look-ups see the new page.
async fn wait_for_url(c: &Client, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !c.current_url().await.unwrap().as_str().contains(needle) {
        assert!(
            Instant::now() < deadline,
            "never reached a page with {needle}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The figure beside a term in the preview's summary list.
async fn figure(c: &Client, term: &str) -> String {
    let xpath = format!("//dl[@class='summary-list']//dt[.='{term}']/following-sibling::dd");
    c.find(Locator::XPath(&xpath))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// At phone width, saves a screenshot and reports whether the page scrolls sideways.
async fn phone_shot(c: &Client, name: &str) -> bool {
    c.set_window_size(360, 2400).await.unwrap();
    std::fs::create_dir_all("/tmp/shots").unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(format!("/tmp/shots/{name}.png"), png).unwrap();
    let fits = c
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    c.set_window_size(1280, 900).await.unwrap();
    fits == json!(true)
}

#[tokio::test]
async fn the_office_emails_a_class_watches_progress_and_reads_a_delivery_log() {
    let sink = SmtpSink::start().await;
    // Each message waits before the server's final reply, so the progress page opens mid-send.
    sink.set_delay(Duration::from_millis(800));
    let smtp_url = sink.url();
    let app = TestApp::spawn_with(move |c| {
        c.sending.allow_local_links = true;
        c.sending.smtp_url = Some(smtp_url);
        c.sending.emails_per_minute = 600_000;
    })
    .await;
    app.head().await;
    let mut to_3b = Vec::new();
    for (first, last, child) in [("Amy", "Greaves", "Ben"), ("Dev", "Patel", "Isha")] {
        let f = app.family(first, last, &[(child, last, "3B")]).await;
        let email = format!("{}@example.org", first.to_lowercase());
        contact(&app, &f, &email, "").await;
        to_3b.push(email);
    }
    let kim = app.family("Kim", "Lowe", &[("Tom", "Lowe", "3B")]).await;
    contact(&app, &kim, "kim@example.org", "07700 900123").await;
    to_3b.push("kim@example.org".into());
    // No email and no phone: a letter instead.
    app.family("Sam", "Reid", &[("Ava", "Reid", "3B")]).await;
    // Another class, and a 3B carer who has already signed: neither is emailed.
    let ola = app.family("Ola", "Nowak", &[("Zoe", "Nowak", "4C")]).await;
    contact(&app, &ola, "ola@example.org", "").await;
    let una = app.family("Una", "Hart", &[("Rex", "Hart", "3B")]).await;
    contact(&app, &una, "una@example.org", "").await;
    sign(&app, &una).await;

    let driver = Driver::start().await;
    let c = driver.phone().await;
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&app.url("/staff/sign-in")).await.unwrap();
    staff_sign_in(&c, HEAD_EMAIL, HEAD_PASSWORD).await;

    // 1. The headteacher sets up sending by SMTP, links pointing at this app.
    c.goto(&app.url("/head/messaging")).await.unwrap();
    let public_url = wait_for(&c, "#public_url").await;
    public_url.clear().await.unwrap();
    public_url.send_keys(&app.base).await.unwrap();
    click(&c, Locator::Css("label[for=email_via-smtp]")).await;
    let from = c.find(Locator::Css("#from_address")).await.unwrap();
    from.clear().await.unwrap();
    from.send_keys("office@oakfield.example").await.unwrap();
    click(
        &c,
        Locator::XPath("//button[contains(., 'Save sending settings')]"),
    )
    .await;
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//div[@class='notice'][contains(., 'Sending settings saved')]",
        ))
        .await
        .expect("the settings are saved");
    let url = c.current_url().await.unwrap();
    assert_eq!(
        (url.path(), url.query()),
        ("/head/messaging", Some("saved=1"))
    );

    // 2. The office filters the carers list to 3B's outstanding carers.
    c.goto(&app.url("/office/carers")).await.unwrap();
    wait_for(&c, "#class")
        .await
        .select_by_label("3B")
        .await
        .unwrap();
    c.find(Locator::Css("#status"))
        .await
        .unwrap()
        .select_by_value("outstanding")
        .await
        .unwrap();
    click(&c, Locator::XPath("//button[.='Filter']")).await;
    wait_for_url(&c, "status=outstanding").await;
    wait_for(&c, "main table").await;
    let list = text_of(&c, "main table").await;
    assert!(
        !list.contains("Ola Nowak") && !list.contains("Una Hart"),
        "{list}"
    );
    click(&c, Locator::LinkText("Email or text these 4 carers")).await;

    // 3. The preview: a filled-in sample, the counts, and who needs a letter.
    let sample = wait_for(&c, ".message-sample").await.text().await.unwrap();
    assert!(sample.contains("Dear "), "{sample}");
    let main = text_of(&c, "main").await;
    assert!(
        main.contains("What ") && main.contains(" will get"),
        "{main}"
    );
    assert_eq!(figure(&c, "Carers reached").await, "3");
    assert_eq!(figure(&c, "Emails").await, "3");
    assert!(figure(&c, "Cannot be reached").await.starts_with('1'));
    let unreachable = text_of(&c, "[aria-label='Carers who cannot be reached']").await;
    assert!(
        unreachable.contains("Sam Reid") && unreachable.contains("no usable email address"),
        "{unreachable}"
    );
    let preview_fits = phone_shot(&c, "preview-360").await;
    click(
        &c,
        Locator::XPath("//button[contains(., 'Send to 3 carers')]"),
    )
    .await;

    // 4. The campaign page: figures change without a reload until it says Finished.
    let state = wait_for(&c, "#progress [data-done]").await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/office/messages/")
    );
    assert_eq!(
        state.attr("data-done").await.unwrap().as_deref(),
        Some("no")
    );
    c.execute("window.notReloaded = true", vec![])
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let done = text_of(&c, "[data-done]").await;
        let sent = text_of(&c, "[data-count=sent]").await;
        if done == "Finished." && sent == "3" {
            break;
        }
        let on_server = sink.received().len();
        assert!(
            Instant::now() < deadline,
            "the page still says {done:?} with {sent} sent; the mail server has {on_server}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let same_page = c
        .execute("return window.notReloaded === true", vec![])
        .await
        .unwrap();
    assert_eq!(
        same_page,
        json!(true),
        "progress.js updated the page in place"
    );
    assert_eq!(text_of(&c, "[data-count=queued]").await, "0");
    let mut got: Vec<String> = sink
        .received()
        .into_iter()
        .flat_map(|m| m.rcpt_to)
        .collect();
    got.sort();
    to_3b.sort();
    assert_eq!(
        got, to_3b,
        "one email to each reachable outstanding 3B carer"
    );
    let progress_fits = phone_shot(&c, "progress-360").await;

    // 5. A carer's page, reached from the list, logs the invitation.
    click(&c, Locator::LinkText("See who is still outstanding")).await;
    wait_for(&c, "main table").await;
    click(&c, Locator::LinkText("Amy Greaves")).await;
    let log = wait_for(&c, "[aria-label='Delivery log']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        log.contains("Invitation by email to ")
            && log.contains("amy@example.org")
            && log.contains("Sent"),
        "{log}"
    );
    c.close().await.unwrap();
    assert!(preview_fits, "the preview scrolls sideways at 360px");
    assert!(progress_fits, "the progress page scrolls sideways at 360px");
}
