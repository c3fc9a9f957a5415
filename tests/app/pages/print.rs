//! Printing to PDF in Chromium (WebDriver's Print Page): a receipt, a batch of letters and an
//! evidence pack each come out as a PDF whose text names the school and the reference. The pages
//! themselves also get the axe and width checks. Text comes out through poppler's `pdftotext`.

use std::process::Command;

use fantoccini::wd::PrintConfiguration;
use serde_json::Value;

use super::office::browser_sign_in;
use super::{Audit, submit};
use crate::helpers::{TestApp, sign};

const SCHOOL: &str = "Oakfield Primary School";
/// The first line of the school's address (`app::seed`), printed under its name.
const ADDRESS: &str = "Meadow Lane";

#[tokio::test]
async fn receipts_letters_and_evidence_print_with_the_school_and_reference() {
    let app = TestApp::spawn().await;
    app.head().await;
    let amy = app
        .family(
            "Amy",
            "Greaves",
            &[("Ben", "Greaves", "3B"), ("Cara", "Greaves", "4C")],
        )
        .await;
    app.family("Dev", "Patel", &[("Isha", "Patel", "3B")]).await;
    app.family("Kim", "Lowe", &[("Tom", "Lowe", "3B")]).await;
    let receipt = sign(&app, &amy).await;
    let mut a = Audit::start("print").await;

    // The receipt a parent prints.
    a.visit(&app.url(&receipt), "receipt").await;
    let reference = js(
        &a,
        "const r = document.querySelector('.receipt'); \
         return r ? r.getAttribute('aria-label').replace(/^Receipt /, '') : null;",
    )
    .await;
    let text = printed(&mut a, "receipt", &[SCHOOL, ADDRESS, &reference]).await;
    if text.contains("Page 1 of") {
        a.fail("### printed receipt\n- a one-page receipt needs no page number\n".into());
    }

    // Letters for the carers who have not signed: every code is in the PDF.
    browser_sign_in(&a, &app).await;
    a.visit(
        &app.url("/office/letters?status=outstanding"),
        "letters, choose",
    )
    .await;
    submit(&a.c, "main form[action='/office/letters']", &[]).await;
    a.check("letters").await;
    let codes = js(
        &a,
        "return [...document.querySelectorAll('.code-display')].map(e => e.textContent.trim()).join('\\n');",
    )
    .await;
    let mut expect = vec![SCHOOL, ADDRESS];
    expect.extend(codes.lines());
    assert_eq!(expect.len(), 4, "two letters: {codes}");
    let text = printed(&mut a, "letters", &expect).await;
    if text.contains("Page ") {
        a.fail("### printed letters\n- a letter is one page: no page numbers\n".into());
    }

    // The evidence pack of the carer who signed.
    a.visit(
        &app.url(&format!("/office/carers/{}/evidence", amy.carer_id)),
        "evidence pack",
    )
    .await;
    printed(&mut a, "evidence pack", &[SCHOOL, ADDRESS, &reference]).await;

    // The code itself runs to several pages: they are numbered from the second.
    a.visit(&app.url("/policy"), "policy").await;
    printed(&mut a, "policy", &[SCHOOL, "Page 2 of"]).await;
    a.finish().await;
}

/// The result of a script that returns a string ("" for anything else).
async fn js(a: &Audit, script: &str) -> String {
    match a.c.execute(script, vec![]).await.unwrap() {
        Value::String(s) => s,
        _ => String::new(),
    }
}

/// Prints the page to PDF and records a failure for each expected text the PDF lacks; returns
/// the PDF's text, whitespace collapsed.
async fn printed(a: &mut Audit, what: &str, expect: &[&str]) -> String {
    let url = a.c.current_url().await.unwrap();
    let pdf = a.c.print(PrintConfiguration::default()).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"), "{what}: not a PDF");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.pdf");
    std::fs::write(&file, &pdf).unwrap();
    std::fs::write(format!("/tmp/print-{}.pdf", what.replace(' ', "-")), &pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (poppler-utils; scripts/test installs it)");
    assert!(out.status.success(), "pdftotext failed on the {what}");
    // Lines may break anywhere on paper: compare with whitespace collapsed.
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for want in expect {
        let want = want.split_whitespace().collect::<Vec<_>>().join(" ");
        if want.is_empty() || !text.contains(&want) {
            a.fail(format!(
                "### printed {what} — `{}`\n- PDF text lacks {want:?} (it starts: {:?})\n",
                url.path(),
                text.chars().take(300).collect::<String>()
            ));
        }
    }
    text
}
