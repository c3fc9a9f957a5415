//! Documents and their versions: the list, a document, a version, a draft (with errors, a paste
//! from Word and a preview), publishing (with errors), a second version with its changes, and a
//! translation of it (with errors, a right-to-left preview, published).

use super::office::browser_sign_in;
use super::{Audit, submit};
use crate::helpers::{HEAD_PASSWORD, TestApp};
use crate::revisions::doc_id;

#[tokio::test]
async fn document_pages_pass_axe_and_fit_narrow_screens() {
    let app = TestApp::spawn().await;
    app.head().await;
    let doc = doc_id(&app).await;
    let mut a = Audit::start("documents").await;
    browser_sign_in(&a, &app).await;

    a.visit(&app.url("/office/documents"), "documents").await;
    submit(
        &a.c,
        "main form[action='/head/documents']",
        &[("title", "")],
    )
    .await;
    a.check("documents, new document without a title").await;
    submit(
        &a.c,
        "main form[action='/head/documents']",
        &[("title", "Online safety agreement")],
    )
    .await;
    a.check("a new document, nothing published yet").await;
    let new_doc = a.c.current_url().await.unwrap().to_string();
    if !new_doc.contains("/draft") {
        a.visit(&new_doc, "a new document").await;
    }
    let page = app.url(&format!("/office/documents/{doc}"));
    a.visit(&page, "document, one version").await;
    a.visit(
        &app.url(&format!("/office/documents/{doc}/versions/1")),
        "version 1",
    )
    .await;
    a.visit(&page, "document").await;
    submit(
        &a.c,
        "main form[action$='/review']",
        &[("reviewed_on", "not a date"), ("next_review_due", "")],
    )
    .await;
    a.check("document, review with errors").await;

    // A draft: started, saved with errors, pasted into, previewed.
    a.visit(&page, "document").await;
    submit(&a.c, "main form[action$='/draft/start']", &[]).await;
    a.check("draft, started").await;
    let draft = app.url(&format!("/head/documents/{doc}/draft"));
    submit(
        &a.c,
        "main form[action$='/draft']",
        &[
            ("title", ""),
            ("body_md", ""),
            ("next_review_due", "2020-01-01"),
            ("approved_on", "2099-12-31"),
        ],
    )
    .await;
    a.check("draft, saved with errors").await;
    a.visit(&draft, "draft").await;
    submit(&a.c, "main form[action$='/draft/paste']", &[("paste", "")]).await;
    a.check("draft, empty paste").await;
    a.visit(&draft, "draft").await;
    submit(
        &a.c,
        "main form[action$='/draft/paste']",
        &[(
            "paste",
            "Social Media Code of Conduct\nApproved by governors: 1 September 2026\n\
             Next review: September 2027\n\nStatement of intent\nWe ask families to be kind.\n\
             \u{2022} Do not share photos of other children\n\
             \u{2022} Keep messages to staff within working hours\n",
        )],
    )
    .await;
    a.check("draft, after a paste from Word").await;
    a.visit(&draft, "draft").await;
    submit(
        &a.c,
        "main form[action$='/draft']",
        &[
            (
                "body_md",
                "## Statement of intent\n\nWe ask families to be kind online.\n\n## Group chats\n\n\
                 - Do not share photos of other children\n- Keep messages to staff within working hours\n",
            ),
            ("summary", "Group chats now have their own section."),
        ],
    )
    .await;
    a.check("draft, preview with changes").await;
    a.visit(
        &app.url(&format!("/head/documents/{doc}/draft/preview")),
        "draft preview",
    )
    .await;

    // Publishing: the page, with errors, then published.
    let publish = app.url(&format!("/head/documents/{doc}/publish"));
    a.visit(&publish, "publish").await;
    submit(
        &a.c,
        "main form[action$='/publish']",
        &[("password", ""), ("summary", "")],
    )
    .await;
    a.check("publish, with errors").await;
    a.visit(&publish, "publish").await;
    submit(
        &a.c,
        "main form[action$='/publish']",
        &[
            ("change", "material"),
            ("summary", "Group chats now have their own section."),
            ("password", HEAD_PASSWORD),
        ],
    )
    .await;
    a.check("document, just published").await;
    a.visit(&page, "document, two versions").await;
    a.visit(
        &app.url(&format!("/office/documents/{doc}/versions/2")),
        "version 2 with its changes",
    )
    .await;

    // A translation: the form, with errors, a right-to-left preview, then published.
    let translate = app.url(&format!("/head/documents/{doc}/versions/2/translate"));
    a.visit(&translate, "translate").await;
    submit(&a.c, "main form", &[("language", ""), ("title", "")]).await;
    a.check("translate, with errors").await;
    a.visit(&translate, "translate").await;
    let arabic = [
        ("language", "ar"),
        ("title", "قواعد السلوك للآباء"),
        (
            "body",
            "## بيان النية\n\nنتحدث مع المدرسة باحترام.\n\n- لا نشارك صور الأطفال",
        ),
        (
            "declaration_text",
            "لقد قرأت قواعد السلوك وأوافق على اتباعها.",
        ),
    ];
    submit(&a.c, "main form", &arabic).await;
    a.check("translate, Arabic preview").await;
    let mut publish = arabic.to_vec();
    publish.push(("action", "publish"));
    submit(&a.c, "main form", &publish).await;
    a.check("translation, Arabic, published").await;
    assert!(
        a.c.current_url()
            .await
            .unwrap()
            .as_str()
            .ends_with("/versions/2/in/ar"),
        "published"
    );
    a.finish().await;
}
