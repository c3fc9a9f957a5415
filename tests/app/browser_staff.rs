//! Staff in headless Chromium: the office imports a roster and prints letters, the headteacher
//! publishes a revision that a parent then signs on a phone.

use fantoccini::Locator;

use crate::browser::{Driver, staff_sign_in, wait_for};
use crate::helpers::TestApp;

#[tokio::test]
async fn the_office_imports_a_roster_and_prints_letters_for_a_class() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.colleague(
        &head,
        "Omar Shah",
        "office@oakfield.example",
        "office",
        "blue kettle morning",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    std::fs::write(&file, crate::office::ROSTER).unwrap();

    let driver = Driver::start().await;
    let c = driver.phone().await;
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&app.url("/office")).await.unwrap();
    // Not signed in: sent to sign in, then back.
    staff_sign_in(&c, "office@oakfield.example", "blue kettle morning").await;

    c.find(Locator::LinkText("Roster"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, "#file")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    c.find(Locator::Css("main form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let preview = wait_for(&c, "main table").await.text().await.unwrap();
    assert!(preview.contains("Pupils 5"), "{preview}");
    c.find(Locator::XPath(
        "//button[contains(., 'Import these changes')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let done = wait_for(&c, ".notice").await.text().await.unwrap();
    assert!(done.contains("5 pupils added"), "{done}");

    c.find(Locator::LinkText("Dashboard"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, ".stats").await;
    c.find(Locator::XPath(
        "//a[contains(., 'Outstanding') and contains(., '3B')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let list = wait_for(&c, "main table").await.text().await.unwrap();
    assert!(
        list.contains("Nadia Brook") && list.contains("Tom Brook") && list.contains("Priya Carter"),
        "{list}"
    );
    c.find(Locator::LinkText("Print letters for these carers"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::XPath("//button[contains(., 'Create 3 letters')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, "article.letter").await;
    let letters = c.find_all(Locator::Css("article.letter")).await.unwrap();
    assert_eq!(letters.len(), 3);
    assert!(letters[0].text().await.unwrap().contains("Dear "));
    c.close().await.unwrap();
}

#[tokio::test]
async fn the_headteacher_publishes_a_revision_and_a_parent_signs_it_again() {
    let app = TestApp::spawn().await;
    app.head().await;
    let parent = app
        .family("Amara", "Okafor", &[("Tobi", "Okafor", "3B")])
        .await;
    crate::helpers::sign(&app, &parent).await;

    let driver = Driver::start().await;
    let c = driver.phone().await;
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&app.url("/staff/sign-in")).await.unwrap();
    staff_sign_in(
        &c,
        crate::helpers::HEAD_EMAIL,
        crate::helpers::HEAD_PASSWORD,
    )
    .await;
    c.find(Locator::LinkText("Documents"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, "main table a").await.click().await.unwrap();
    c.find(Locator::XPath("//button[contains(., 'Start a revision')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let body = wait_for(&c, "#body_md").await;
    body.clear().await.unwrap();
    body.send_keys("## Statement of intent\n\nWe ask every family to keep group chats kind.\n")
        .await
        .unwrap();
    c.find(Locator::Css("#summary"))
        .await
        .unwrap()
        .send_keys("Group chats must stay kind.")
        .await
        .unwrap();
    c.find(Locator::XPath("//button[contains(., 'Save and preview')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let diff = wait_for(&c, ".diff").await.text().await.unwrap();
    assert!(
        diff.contains("We ask every family to keep group chats kind."),
        "{diff}"
    );
    c.find(Locator::XPath("//a[contains(., 'Publish version 2')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, "label[for=change-material]")
        .await
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(crate::helpers::HEAD_PASSWORD)
        .await
        .unwrap();
    c.find(Locator::XPath("//button[contains(., 'Publish version 2')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let flash = wait_for(&c, ".notice").await.text().await.unwrap();
    assert!(flash.contains("must now sign again"), "{flash}");

    // The parent, on a phone, sees what changed since version 1 and signs version 2.
    c.set_window_size(360, 800).await.unwrap();
    c.goto(&app.url(&format!("/s/{}", parent.code.as_str())))
        .await
        .unwrap();
    let notice = wait_for(&c, ".notice-changed").await.text().await.unwrap();
    assert!(
        notice.contains("has changed since you signed it")
            && notice.contains("Group chats must stay kind."),
        "{notice}"
    );
    c.find(Locator::Css(".notice-changed summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let removed = c.find(Locator::Css(".notice-changed del")).await.unwrap();
    assert!(
        removed.is_displayed().await.unwrap(),
        "the word changes open without colour or script"
    );
    c.find(Locator::Css("label[for=agree]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("#typed_name"))
        .await
        .unwrap()
        .send_keys("Amara Okafor")
        .await
        .unwrap();
    c.find(Locator::Css("#declaration button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let receipt = wait_for(&c, ".receipt").await.text().await.unwrap();
    assert!(receipt.contains("version 2"), "{receipt}");
    c.close().await.unwrap();
}
