//! The office imports an export Signoff cannot read by itself, in Chromium: the class column
//! chosen by hand, errors and warnings read by row and header, the skipped rows downloaded, the
//! good rows imported, and the choice remembered for the next file with the same headers.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::browser::{Driver, staff_sign_in, wait_for};
use crate::helpers::TestApp;

/// "Tutor Set" is the class under a name Signoff does not know; "Bus Route" is not for Signoff.
/// Row 3's email is not an address (a warning); row 4's contact has an email but no name, and
/// row 5's pupil has no first name (errors: those rows are skipped).
const EXPORT: &str = "Forename,Surname,Tutor Set,Contact Forename,Contact Surname,Contact Email,Bus Route\r\n\
    Ada,Fenn,7F,Iris,Fenn,iris.fenn@example.org,Route 12\r\n\
    Bo,Kite,7F,Wil,Kite,not-an-email,Route 3\r\n\
    Cy,Marsh,7M,,,cy.marsh@example.org,Walks\r\n\
    ,Lowe,7M,Dot,Lowe,dot.lowe@example.org,Route 12\r\n";

/// The next export: the same headers, Cy's contact named, and a new pupil.
const NEXT_EXPORT: &str = "Forename,Surname,Tutor Set,Contact Forename,Contact Surname,Contact Email,Bus Route\r\n\
    Ada,Fenn,7F,Iris,Fenn,iris.fenn@example.org,Route 12\r\n\
    Bo,Kite,7F,Wil,Kite,not-an-email,Route 3\r\n\
    Cy,Marsh,7M,Tess,Marsh,cy.marsh@example.org,Walks\r\n\
    Eve,Pike,7M,Jon,Pike,jon.pike@example.org,Route 3\r\n";

async fn click_xpath(c: &Client, xpath: &str) {
    c.find(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Waits for the page headed `heading` (the page before a click may still be showing).
async fn wait_heading(c: &Client, heading: &str) {
    for _ in 0..100 {
        if let Ok(h) = c.find(Locator::Css("main h1")).await
            && h.text().await.is_ok_and(|t| t == heading)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = c
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    let source = c.source().await.unwrap_or_default();
    panic!("no page headed {heading:?} at {url}\n{source}");
}

/// The text of each cell of each row the XPath finds.
async fn rows(c: &Client, row_xpath: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for tr in c.find_all(Locator::XPath(row_xpath)).await.unwrap() {
        let mut cells = Vec::new();
        for td in tr.find_all(Locator::Css("th, td")).await.unwrap() {
            cells.push(td.text().await.unwrap().trim().to_string());
        }
        out.push(cells);
    }
    out
}

/// The value chosen in the columns page's select for column `i`.
async fn selected(c: &Client, i: usize) -> String {
    c.find(Locator::Css(&format!("select#col{i}")))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Chooses a roster file on the Roster page and presses the upload button.
async fn upload(c: &Client, path: &std::path::Path) {
    c.find(Locator::LinkText("Roster"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_heading(c, "Import the roster").await;
    wait_for(c, "#file")
        .await
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    c.find(Locator::Css("main form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Waits for the Roster page an import leads to, and returns its notice.
async fn import_notice(c: &Client) -> String {
    for _ in 0..100 {
        if c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("imported=")
        {
            return wait_for(c, "main .notice").await.text().await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no import notice: {}", c.source().await.unwrap_or_default());
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
    let export = dir.path().join("Year 7 export.csv");
    std::fs::write(&export, EXPORT).unwrap();

    let driver = Driver::start().await;
    let c = driver.phone().await;
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&app.url("/office")).await.unwrap();
    staff_sign_in(&c, "office@oakfield.example", "blue kettle morning").await;

    // 1. The upload goes to the columns page: Signoff needs the class.
    upload(&c, &export).await;
    wait_heading(&c, "What do the columns hold?").await;
    assert!(
        c.current_url().await.unwrap().path().ends_with("/columns"),
        "the upload asks about its columns first"
    );
    let help = wait_for(&c, "main .notice").await.text().await.unwrap();
    assert!(
        help.contains("No column gives the pupil\u{2019}s class or registration group"),
        "{help}"
    );
    let choices = rows(&c, "//table[contains(@class, 'column-choice')]/tbody/tr").await;
    assert_eq!(choices.len(), 7, "{choices:?}");
    assert!(
        choices[2][0].contains("Tutor Set") && choices[2][0].contains("Not recognised"),
        "{choices:?}"
    );
    assert!(choices[2][1].contains("7F"), "{choices:?}");
    assert!(
        choices[6][0].contains("Bus Route") && choices[6][0].contains("Not recognised"),
        "{choices:?}"
    );
    assert_eq!(selected(&c, 0).await, "pupil.first_name");
    assert_eq!(selected(&c, 5).await, "carer1.email");
    assert_eq!(selected(&c, 2).await, "ignore");
    assert_eq!(selected(&c, 6).await, "ignore");

    // "Tutor Set" holds the class; "Bus Route" stays ignored.
    c.find(Locator::Css("select#col2"))
        .await
        .unwrap()
        .find(Locator::Css("option[value='pupil.class']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(selected(&c, 2).await, "pupil.class");
    click_xpath(&c, "//button[contains(., 'Save and preview')]").await;

    // 2. The preview: errors by Excel row and the file's own header, then warnings.
    wait_heading(&c, "Check before importing").await;
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write("/tmp/roster_preview.png", png);
    }
    let caption = wait_for(&c, "main .caption").await.text().await.unwrap();
    assert!(caption.contains("Year 7 export.csv: 4 rows"), "{caption}");
    let counts = rows(&c, "//table[contains(@class, 'narrow-table')]/tbody/tr").await;
    assert_eq!(counts[0], ["Pupils", "2", "0", "0", "0"], "{counts:?}");
    assert_eq!(counts[1], ["Carers", "2", "0", "0", "0"], "{counts:?}");
    let summary = c
        .find(Locator::XPath("//main/p[contains(., 'links between')]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        summary.contains("2 rows have errors and will be skipped")
            && summary.contains("1 warning: those rows are imported"),
        "{summary}"
    );

    let errors = rows(
        &c,
        "//h2[@id='errors']/following::table[contains(@class, 'problems')][1]/tbody/tr",
    )
    .await;
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0][..3], ["4", "Contact Forename", "Cy Marsh"]);
    assert!(
        errors[0][5].contains("The carer has details but no full name"),
        "{errors:?}"
    );
    assert_eq!(errors[1][..3], ["5", "Forename", "Lowe"]);
    assert!(
        errors[1][5].contains("The pupil has no first name"),
        "{errors:?}"
    );

    // The warnings and the columns are folded away; the page source has them either way.
    let source = c.source().await.unwrap();
    assert!(
        source.contains(
            "<td class=\"num\">3</td><td>Contact Email</td><td>Bo Kite</td><td>Wil Kite</td><td>not-an-email</td><td>This cannot be an email address"
        ),
        "{source}"
    );
    assert!(
        source.contains("<td>Tutor Set</td><td>Pupil: class or registration group</td>"),
        "{source}"
    );
    assert!(
        source.contains("Columns as you chose them for this file"),
        "{source}"
    );
    // Opened, they read the same.
    click_xpath(&c, "//summary[contains(., 'Warnings')]").await;
    let warnings = rows(
        &c,
        "//details//table[contains(@class, 'problems')]/tbody/tr",
    )
    .await;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0][..5],
        ["3", "Contact Email", "Bo Kite", "Wil Kite", "not-an-email"]
    );
    click_xpath(&c, "//summary[contains(., 'Columns in the file')]").await;
    let columns = rows(
        &c,
        "//details[summary[contains(., 'Columns in the file')]]//tbody/tr",
    )
    .await;
    assert_eq!(
        columns[2],
        ["Tutor Set", "Pupil: class or registration group"],
        "{columns:?}"
    );
    assert_eq!(columns[6][0], "Bus Route", "{columns:?}");
    assert!(columns[6][1].starts_with("Ignored"), "{columns:?}");

    // 3. The skipped rows download in the browser's own session.
    let href = c
        .find(Locator::LinkText("download the skipped rows"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let preview_path = c.current_url().await.unwrap().path().to_string();
    assert_eq!(href, format!("{preview_path}/skipped.csv"));
    let cookie = c
        .get_all_cookies()
        .await
        .unwrap()
        .iter()
        .map(|k| format!("{}={}", k.name(), k.value()))
        .collect::<Vec<_>>()
        .join("; ");
    let download = reqwest::Client::new()
        .get(app.url(&href))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    let disposition = download.headers()[reqwest::header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains("Year 7 export - skipped rows.csv"),
        "{disposition}"
    );
    let csv = download.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert_eq!(
        lines[0],
        "Forename,Surname,Tutor Set,Contact Forename,Contact Surname,Contact Email,Bus Route,Row in the uploaded file,Why it was skipped",
        "{csv}"
    );
    assert!(
        lines[1].starts_with("Cy,Marsh,7M,,,cy.marsh@example.org,Walks,4,")
            && lines[1].contains("no full name"),
        "{csv}"
    );
    assert!(
        lines[2].starts_with(",Lowe,7M,Dot,Lowe,dot.lowe@example.org,Route 12,5,")
            && lines[2].contains("no first name"),
        "{csv}"
    );

    // 4. The good rows are imported; the others are skipped and can be downloaded again.
    click_xpath(&c, "//button[contains(., 'Import the')]").await;
    let done = import_notice(&c).await;
    assert!(
        done.contains("2 pupils added") && done.contains("2 rows with errors were skipped"),
        "{done}"
    );
    let again = c
        .find(Locator::LinkText("Download the skipped rows"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap();
    assert_eq!(again.as_deref(), Some(href.as_str()));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM pupils WHERE class_name = '7F' AND first_name IN ('Ada', 'Bo')"
        )
        .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE last_name IN ('Marsh', 'Lowe')")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carers WHERE first_name = 'Wil' AND email = ''")
            .await,
        1,
        "the doubtful email is left out"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carers WHERE last_name = 'Lowe'")
            .await,
        0
    );

    // 5. The next file with the same headers goes straight to its preview.
    let next = dir.path().join("next.csv");
    std::fs::write(&next, NEXT_EXPORT).unwrap();
    upload(&c, &next).await;
    wait_heading(&c, "Check before importing").await;
    let url = c.current_url().await.unwrap();
    assert!(!url.path().ends_with("/columns"), "{url}");
    let source = c.source().await.unwrap();
    assert!(source.contains("Columns as chosen on"), "{source}");
    assert!(
        source.contains("<td>Tutor Set</td><td>Pupil: class or registration group</td>"),
        "{source}"
    );
    click_xpath(&c, "//button[contains(., 'Import these changes')]").await;
    let done = import_notice(&c).await;
    assert!(done.contains("2 pupils added"), "{done}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE class_name = '7M'")
            .await,
        2
    );
    c.close().await.unwrap();
}
