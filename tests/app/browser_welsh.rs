//! A parent signs in Welsh in headless Chromium: opens the link from a letter, switches to
//! Cymraeg, signs, and keeps a Welsh receipt; axe checks each page as it is.

use fantoccini::Locator;
use serde_json::json;

use crate::browser::wait_for;
use crate::helpers::TestApp;
use crate::pages::Audit;

async fn click(c: &fantoccini::Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn html_lang(c: &fantoccini::Client) -> serde_json::Value {
    c.execute("return document.documentElement.lang", vec![])
        .await
        .unwrap()
}

#[tokio::test]
async fn a_parent_switches_to_welsh_signs_and_keeps_a_welsh_receipt() {
    let app = TestApp::spawn().await;
    let f = app.family("Siân", "Huws", &[("Gwen", "Huws", "3B")]).await;
    let mut audit = Audit::start("welsh").await;

    // The link from the letter opens in English, with the switch in the masthead.
    audit
        .visit(
            &app.url(&format!("/s/{}", f.code.as_str())),
            "signing page, English",
        )
        .await;
    let c = audit.c.clone();
    assert_eq!(html_lang(&c).await, json!("en-GB"));
    click(&c, ".lang-switch a").await;
    wait_for(&c, "html[lang=cy] #declaration").await;
    audit.check("signing page, Welsh").await;
    let lead = c
        .find(Locator::Css(".lead"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(lead.starts_with("Helo Siân Huws."), "{lead}");

    // A mistake, explained in Welsh.
    wait_for(&c, "#typed_name")
        .await
        .send_keys("Siân Huws")
        .await
        .unwrap();
    click(&c, "#declaration button[type=submit]").await;
    let summary = wait_for(&c, ".error-summary").await;
    assert!(summary.text().await.unwrap().contains("Ticiwch y blwch"));
    audit.check("signing page, Welsh, with an error").await;

    click(&c, "label[for=agree]").await;
    click(&c, "#declaration button[type=submit]").await;
    let confirmation = wait_for(&c, ".confirmation").await;
    let words = confirmation.text().await.unwrap();
    assert!(words.contains("Rydych chi wedi llofnodi"), "{words}");
    assert!(words.contains("SO-000001"), "{words}");
    assert_eq!(html_lang(&c).await, json!("cy"));
    let receipt = c
        .find(Locator::Css(".receipt"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(receipt.contains("Llofnodwyd gan"), "{receipt}");
    assert!(receipt.contains("Gwen Huws (dosbarth 3B)"), "{receipt}");
    assert!(receipt.contains("Tachwedd 2026"), "{receipt}");
    audit.check("receipt, Welsh").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 1);
    audit.finish().await;
}
