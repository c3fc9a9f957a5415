//! The office imports its own export in Chromium: an unknown column chosen by hand, errors and
//! warnings read, the good rows imported, the skipped rows downloaded, the choice remembered.

use fantoccini::Locator;

use crate::browser::{Driver, wait_for};
use crate::helpers::TestApp;

const EXPORT: &str = "Forename,Surname,Tutor Set,Contact Forename,Contact Surname,Contact Email,Bus Route\r\n\
    Ada,Fenn,1F,Iris,Fenn,iris@example.org,12\r\n\
    Bo,Kite,1F,Wil,Kite,not-an-email,\r\n\
    Cy,Marsh,1F,,,cy@example.org,7\r\n";

async fn click(c: &fantoccini::Client, xpath: &str) {
    c.find(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Waits until the page showing has this main heading (the click before may still be loading).
async fn wait_heading(c: &fantoccini::Client, expected: &str) {
    for _ in 0..100 {
        if let Ok(h) = c.find(Locator::Css("h1")).await
            && h.text().await.is_ok_and(|t| t == expected)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "no page headed {expected:?}: {}",
        c.source().await.unwrap_or_default()
    );
}

/// The notice on the roster page after an import (waiting for that page, not the one before).
async fn import_notice(c: &fantoccini::Client) -> String {
    for _ in 0..100 {
        if c.current_url().await.unwrap().as_str().contains("done=") {
            return wait_for(c, ".notice").await.text().await.unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no import notice: {}", c.source().await.unwrap_or_default());
}

async fn upload(c: &fantoccini::Client, app: &TestApp, path: &std::path::Path) {
    c.goto(&app.url("/office/roster")).await.unwrap();
    wait_for(c, "#file")
        .await
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    click(c, "//button[contains(., 'Upload and preview')]").await;
}

#[tokio::test]
async fn the_office_maps_an_unknown_column_and_imports_the_good_rows() {
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
    let file = dir.path().join("export.csv");
    std::fs::write(&file, EXPORT).unwrap();

    let driver = Driver::start().await;
    let c = driver.phone().await;
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&app.url("/staff/sign-in")).await.unwrap();
    crate::browser::staff_sign_in(&c, "office@oakfield.example", "blue kettle morning").await;

    upload(&c, &app, &file).await;
    wait_heading(&c, "What do the columns hold?").await;
    let page = c.source().await.unwrap();
    assert!(
        page.contains("No column gives the pupil\u{2019}s class"),
        "{page}"
    );
    // "Tutor Set" is the class; "Bus Route" stays ignored.
    c.find(Locator::Css("#col2 option[value='pupil.class']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(&c, "//button[contains(., 'Save and preview')]").await;

    wait_heading(&c, "Check before importing").await;
    let page = c.source().await.unwrap();
    assert!(
        page.contains("<td class=\"num\">4</td><td>Contact Forename</td><td>Cy Marsh</td>"),
        "{page}"
    );
    assert!(page.contains("<td class=\"num\">3</td><td>Contact Email</td><td>Bo Kite</td><td>Wil Kite</td><td>not-an-email</td>"));
    assert!(page.contains("<td>Tutor Set</td><td>Pupil: class or registration group</td>"));
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(std::env::temp_dir().join("signoff-roster-preview.png"), png);
    }

    // The skipped rows download with the browser's own session.
    let href = c
        .find(Locator::LinkText("download the skipped rows"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let cookie = c
        .get_all_cookies()
        .await
        .unwrap()
        .iter()
        .map(|k| format!("{}={}", k.name(), k.value()))
        .collect::<Vec<_>>()
        .join("; ");
    let csv = reqwest::Client::new()
        .get(app.url(&href))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("Why it was skipped") && csv.contains("Cy,Marsh,1F,,,cy@example.org,7,4,"),
        "{csv}"
    );

    click(
        &c,
        "//button[contains(., 'Import the 2 good rows and skip 1')]",
    )
    .await;
    let done = import_notice(&c).await;
    assert!(
        done.contains("2 pupils added") && done.contains("1 row with errors was skipped"),
        "{done}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE class_name = '1F'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE first_name = 'Cy'")
            .await,
        0
    );

    // Next time, a file with the same headers goes straight to its preview.
    let fixed = dir.path().join("fixed.csv");
    std::fs::write(
        &fixed,
        EXPORT.replace("Cy,Marsh,1F,,,", "Cy,Marsh,1F,Tess,Marsh,"),
    )
    .unwrap();
    upload(&c, &app, &fixed).await;
    wait_heading(&c, "Check before importing").await;
    assert!(c.source().await.unwrap().contains("Columns as chosen on"));
    click(&c, "//button[contains(., 'Import these changes')]").await;
    let done = import_notice(&c).await;
    assert!(done.contains("1 pupils added"), "{done}");
    c.close().await.unwrap();
}
