//! A parent reads and signs an Arabic translation in headless Chromium: the text runs right to
//! left inside an English page, axe finds nothing on it, and the receipt names the language; then
//! a bilingual school's page with Welsh beside English.

use fantoccini::Locator;

use crate::browser::wait_for;
use crate::helpers::TestApp;
use crate::pages::Audit;
use crate::translations::{arabic, speaks, translate};

#[tokio::test]
async fn a_parent_signs_the_arabic_translation_right_to_left() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    assert_eq!(translate(&app, &head, &arabic("publish")).await.0, 303);
    let f = app
        .family("Samira", "Haddad", &[("Yusuf", "Haddad", "2A")])
        .await;
    speaks(&app, f.carer_id, "ar").await;
    let mut audit = Audit::start("arabic").await;
    audit
        .visit(
            &app.url(&format!("/s/{}", f.code.as_str())),
            "signing page, Arabic text",
        )
        .await;
    let c = audit.c.clone();
    let dir = c
        .execute(
            "return getComputedStyle(document.querySelector('.policy-body')).direction",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(dir, serde_json::json!("rtl"));
    let body = wait_for(&c, ".policy-body").await.text().await.unwrap();
    assert!(body.contains("نتحدث مع المدرسة باحترام."), "{body}");

    wait_for(&c, "#typed_name")
        .await
        .send_keys("Samira Haddad")
        .await
        .unwrap();
    c.find(Locator::Css("label[for=agree]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("#declaration button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let receipt = wait_for(&c, ".receipt").await.text().await.unwrap();
    assert!(receipt.contains("العربية"), "{receipt}");
    audit.check("receipt, Arabic text read").await;
    let language: String = sqlx::query_scalar("SELECT language FROM declarations")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(language, "ar");

    // A bilingual school: Welsh beside English, each text marked with its language.
    let welsh = [
        ("language", "cy"),
        ("title", "Cod Ymddygiad i Rieni"),
        (
            "body",
            "## Ein cod\n\nRydym yn siarad yn barchus.\n\n- Dim lluniau o blant eraill",
        ),
        (
            "declaration_text",
            "Rwyf wedi darllen y cod ac rwy'n cytuno i'w ddilyn.",
        ),
        ("action", "publish"),
    ];
    assert_eq!(translate(&app, &head, &welsh).await.0, 303);
    sqlx::query("UPDATE schools SET side_by_side = 'cy'")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let tom = app.family("Tom", "Jones", &[("Ela", "Jones", "1A")]).await;
    audit
        .visit(
            &app.url(&format!("/s/{}", tom.code.as_str())),
            "signing page, English and Welsh side by side",
        )
        .await;
    let langs = c
        .execute(
            "return [...document.querySelectorAll('.texts article')].map(a => a.lang)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(langs, serde_json::json!(["en", "cy"]));
    audit.finish().await;
}
