//! Roster import as schools do it: their own MIS exports, problems they can fix, the columns
//! chosen once, leavers by name, and one truth across processes.

use std::process::Command;

use crate::helpers::{TestApp, csrf_of, hidden};
use crate::office::ROSTER;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/roster/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn names(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql)
        .fetch_all(&app.state.db.read)
        .await
        .unwrap()
}

fn upload_id(page: &str) -> String {
    let marker = "action=\"/office/roster/";
    let start = page.find(marker).expect("a roster form") + marker.len();
    page[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

#[tokio::test]
async fn six_mis_shapes_import_as_they_come() {
    // (file, pupils, carers, links, a carer's full stored record to check)
    let cases: [(&str, i64, i64, i64, &str); 6] = [
        (
            "camelcase.csv",
            3,
            4,
            4,
            "Marta|Penrose|marta.penrose@example.org|07700 900101||",
        ),
        (
            "spaced.csv",
            2,
            3,
            3,
            "Bisi|Adeyemi|bisi@example.org|07700 900202|12 Quarry Lane\nLower Fold\nMarshby|MB3 1AA",
        ),
        (
            "wide.csv",
            3,
            6,
            6,
            "Piet|Ellery|piet@example.org|07700 900302||",
        ),
        (
            "fullname.csv",
            2,
            3,
            3,
            "Mei Ling|Tan|meiling@example.org|07700 900402||",
        ),
        (
            "address_lines.csv",
            2,
            1,
            2,
            "Judith|Greaves|judith.greaves@example.org|01632 960111|The Old Forge\n7 Mill Street\nNether Crossing\nAldwick\nExampleshire|EX4 7PQ",
        ),
        (
            "excel_1252.csv",
            2,
            2,
            2,
            "Renée|Ortiz|renee.ortiz@example.org|||",
        ),
    ];
    for (file, pupils, carers, links, record) in cases {
        let app = TestApp::spawn().await;
        let head = app.head().await;
        let (status, html) = app.upload_roster(&head, &fixture(file)).await;
        assert_eq!(status, 200, "{file}: {html}");
        assert!(
            html.contains("Check before importing"),
            "{file} needs no column choices"
        );
        assert!(!html.contains("Errors:"), "{file}: {html}");
        app.import_roster(&head, &fixture(file)).await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM pupils").await,
            pupils,
            "{file}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM carers").await,
            carers,
            "{file}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM carer_pupils").await,
            links,
            "{file}"
        );
        let first = record.split('|').next().unwrap();
        let stored: String = sqlx::query_scalar(
            "SELECT first_name || '|' || last_name || '|' || email || '|' || phone || '|' || address || '|' || postcode FROM carers WHERE first_name = ?",
        )
        .bind(first)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
        assert_eq!(stored, record, "{file}");
        let (_, again) = app.upload_roster(&head, &fixture(file)).await;
        assert!(
            again.contains("This file matches the roster already"),
            "{file}: reimport"
        );
    }
}

#[tokio::test]
async fn letters_print_the_whole_postal_address_with_the_title() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, &fixture("address_lines.csv"))
        .await;
    let csrf = csrf_of(&app, &head, "/office/letters").await;
    let res = head
        .post(app.url("/office/letters"))
        .form(&[("csrf", csrf.as_str()), ("scope", "all")])
        .send()
        .await
        .unwrap();
    let (_, html) = app.follow(&head, res).await;
    assert!(
        html.contains("Mrs Judith Greaves\nThe Old Forge\n7 Mill Street\nNether Crossing\nAldwick\nExampleshire\nEX4 7PQ"),
        "{html}"
    );
}

const BAD: &str = "Forename,Surname,Reg Group,Contact Forename,Contact Surname,Contact Email,Contact Mobile\r\n\
    Amy,Shaw,2C,Kim,Shaw,kim@example.org,07700 900001\r\n\
    \r\n\
    ,Lowe,2C,Pat,Lowe,,\r\n\
    Ben,Hart,,Jo,Hart,,\r\n\
    \"Cat\",Ives,2C,,,cy@example.org,\r\n\
    Dan,Ross,2C,Lee,Ross,lee-at-example,\r\n\
    Eve,Ruiz,2C,Max,Ruiz,,ring me\r\n\
    Amy,Shaw,2C,Kim,Shaw,kim@example.org,07700 900001\r\n\
    \"Fay\",\"Moss\",2C,\"=HYPERLINK(\"\"http://x\"\")\",Moss,,\r\n";

#[tokio::test]
async fn rows_with_errors_are_skipped_on_request_and_can_be_downloaded_to_fix() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (status, html) = app.upload_roster(&head, BAD.as_bytes()).await;
    assert_eq!(status, 200, "{html}");
    // Each problem: the Excel row, the file's own header, the pupil, the carer, the value.
    for row in [
        "<td class=\"num\">4</td><td>Forename</td><td>Lowe</td><td></td>",
        "<td class=\"num\">5</td><td>Reg Group</td><td>Ben Hart</td>",
        "<td class=\"num\">6</td><td>Contact Forename</td><td>Cat Ives</td>",
        "<td class=\"num\">7</td><td>Contact Email</td><td>Dan Ross</td><td>Lee Ross</td><td>lee-at-example</td>",
        "<td class=\"num\">8</td><td>Contact Mobile</td><td>Eve Ruiz</td><td>Max Ruiz</td><td>ring me</td>",
        "<td class=\"num\">9</td><td></td><td>Amy Shaw</td>",
        "<td class=\"num\">10</td><td>Contact Forename</td><td>Fay Moss</td>",
    ] {
        assert!(html.contains(row), "missing {row}\n{html}");
    }
    assert!(html.contains("Errors: rows that cannot be imported (2)"));
    assert!(html.contains("Import the 6 good rows and skip 2"), "{html}");
    assert!(!html.contains("Import these changes"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils").await,
        0,
        "a preview stores nothing"
    );

    // Without the skip (an old form), nothing is written.
    let res = app.press_import(&head, &html, &[]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("SELECT COUNT(*) FROM pupils").await, 0);

    let id = upload_id(&html);
    let skipped = head
        .get(app.url(&format!("/office/roster/{id}/skipped.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = skipped.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 3, "{skipped}");
    assert!(lines[0].ends_with("Contact Mobile,Row in the uploaded file,Why it was skipped"));
    assert!(
        lines[1].starts_with(",Lowe,2C,Pat,Lowe,,,4,\"The pupil has no first name"),
        "{skipped}"
    );
    assert!(
        lines[2].starts_with("Cat,Ives,2C,,,cy@example.org,,6,"),
        "{skipped}"
    );

    let res = app.press_import(&head, &html, &[("skip", "1")]).await;
    assert_eq!(res.status(), 303);
    let (_, done) = app.follow(&head, res).await;
    assert!(
        done.contains("5 pupils added") && done.contains("2 rows with errors were skipped"),
        "{done}"
    );
    assert!(
        done.contains(&format!("href=\"/office/roster/{id}/skipped.csv\"")),
        "{done}"
    );
    let kept: String = sqlx::query_scalar("SELECT content FROM roster_uploads")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert!(
        kept.contains("Why it was skipped") && !kept.contains("Amy"),
        "only the skipped rows stay: {kept}"
    );
    let again = head
        .get(app.url(&format!("/office/roster/{id}/skipped.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(again, skipped, "the same download after the import");
    let pupils = names(&app, "SELECT first_name FROM pupils ORDER BY id").await;
    assert_eq!(
        pupils,
        ["Amy", "Ben", "Dan", "Eve", "Fay"],
        "Lowe and Cat were skipped"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carers WHERE email = '' AND first_name = 'Lee'")
            .await,
        1,
        "bad email left out"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE first_name = 'Ben' AND class_name = ''")
            .await,
        1
    );
    let dashboard = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        dashboard.contains("<th scope=\"row\">No class</th>"),
        "Ben is counted: {dashboard}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carers WHERE first_name LIKE '=HYPERLINK%'")
            .await,
        1,
        "kept as text"
    );

    // The office fixes the skipped rows in the downloaded file and imports it.
    let fixed = skipped.replacen(",Lowe,2C", "Lily,Lowe,2C", 1).replacen(
        "Cat,Ives,2C,,,",
        "Cat,Ives,2C,Cy,Ives,",
        1,
    );
    let (status, html) = app.upload_roster(&head, fixed.as_bytes()).await;
    assert_eq!(status, 200, "{html}");
    assert!(!html.contains("Errors:"), "{html}");
    assert!(
        html.contains("Row in the uploaded file</td><td><span class=\"muted\">Ignored"),
        "{html}"
    );
    // A partial file: the pupils already imported are not in it, so the office confirms.
    let res = app
        .press_import(&head, &html, &[("confirm_leavers", "1")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM pupils WHERE first_name IN ('Lily', 'Cat') AND left_on IS NULL"
        )
        .await,
        2
    );
}

const UNKNOWN: &str = "Given,Family,Set,Guardian Forename,Guardian Surname,Bus route\n\
    Ada,Fenn,1F,Iris,Fenn,12\n\
    Bo,Kite,1F,Wil,Kite,\n";

#[tokio::test]
async fn unknown_columns_are_chosen_once_and_remembered() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (status, html) = app.upload_roster(&head, UNKNOWN.as_bytes()).await;
    assert_eq!(status, 200);
    assert!(html.contains("What do the columns hold?"), "{html}");
    assert!(html.contains("No column gives the pupil\u{2019}s name"));
    assert!(html.matches("Not recognised").count() == 4, "{html}");
    assert!(html.contains("<td class=\"samples\">Ada, Bo</td>"));
    let id = upload_id(&html);
    let csrf = hidden(&html, "csrf");
    let post = |keys: [&'static str; 6]| {
        let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
        form.extend(
            keys.iter()
                .enumerate()
                .map(|(i, k)| (format!("col{i}"), k.to_string())),
        );
        head.post(app.url(&format!("/office/roster/{id}/columns")))
            .form(&form)
            .send()
    };
    // Forgetting the class: told what is missing, and the choices made are kept.
    let res = post([
        "pupil.first_name",
        "pupil.last_name",
        "ignore",
        "carer1.first_name",
        "carer1.last_name",
        "ignore",
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("No column gives the pupil\u{2019}s class"),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"pupil.last_name\" selected>"),
        "{page}"
    );
    // A choice that is not on offer is refused.
    let res = post([
        "pupil.shoe_size",
        "ignore",
        "ignore",
        "ignore",
        "ignore",
        "ignore",
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(app.count("SELECT COUNT(*) FROM roster_mappings").await, 0);

    let res = post([
        "pupil.first_name",
        "pupil.last_name",
        "pupil.class",
        "carer1.first_name",
        "carer1.last_name",
        "ignore",
    ])
    .await
    .unwrap();
    let (status, preview) = app.follow(&head, res).await;
    assert_eq!(status, 200, "{preview}");
    assert!(
        preview.contains("<td>Set</td><td>Pupil: class or registration group</td>"),
        "{preview}"
    );
    assert!(preview.contains("<td>Bus route</td><td><span class=\"muted\">Ignored"));
    let res = app.press_import(&head, &preview, &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE class_name = '1F'")
            .await,
        2
    );

    // Next term's export has the same headers: read straight away, the same way.
    let next = UNKNOWN.replace("Bo,Kite,1F", "Bo,Kite,2F");
    let (status, preview) = app.upload_roster(&head, next.as_bytes()).await;
    assert_eq!(status, 200);
    assert!(preview.contains("Columns as chosen on"), "{preview}");
    assert!(preview.contains("Bo Kite: 1F to 2F"), "{preview}");
}

#[tokio::test]
async fn leavers_are_named_and_a_wrong_file_cannot_mark_the_school_as_left() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    // Only year 3 exported by mistake: 3 of 5 pupils would be marked as left.
    let year3: String = ROSTER
        .lines()
        .filter(|l| !l.contains("5A"))
        .collect::<Vec<_>>()
        .join("\n");
    let (_, html) = app.upload_roster(&head, year3.as_bytes()).await;
    assert!(html.contains("Marked as left (3 pupils)"), "{html}");
    for name in ["Cal Dunn (5A)", "Dee Brook (5A)", "Eli Frost (5A)"] {
        assert!(html.contains(&format!("<li>{name}</li>")), "{name}");
    }
    assert!(html.contains("Sam Frost"), "carers leaving are named");
    assert!(html.contains("id=\"confirm_leavers\""));
    let res = app.press_import(&head, &html, &[]).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Tick the box to confirm"), "{page}");
    assert!(page.contains("href=\"#confirm_leavers\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE left_on IS NOT NULL")
            .await,
        0
    );
    let res = app
        .press_import(&head, &page, &[("confirm_leavers", "1")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE left_on IS NOT NULL")
            .await,
        3
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils").await,
        5,
        "leavers are kept"
    );
}

#[tokio::test]
async fn an_import_applies_exactly_what_was_previewed_or_shows_the_preview_again() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (_, first) = app.upload_roster(&head, ROSTER.as_bytes()).await;
    // Meanwhile a colleague imports a different file.
    let other = ROSTER.replace("P5,Eli,Frost", "P5,Elias,Frost");
    app.import_roster(&head, other.as_bytes()).await;
    let res = app.press_import(&head, &first, &[]).await;
    assert_eq!(res.status(), 409);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("The roster changed after this preview was made"),
        "{page}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE first_name = 'Elias'")
            .await,
        1,
        "nothing applied blind"
    );
    let res = app.press_import(&head, &page, &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE first_name = 'Eli'")
            .await,
        1
    );
    // A second press of an imported file changes nothing more.
    let res = app.press_import(&head, &page, &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'roster.imported'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_cancelled_upload_is_deleted_and_bad_files_are_refused_in_the_page() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (_, html) = app.upload_roster(&head, ROSTER.as_bytes()).await;
    let id = upload_id(&html);
    let res = head
        .post(app.url(&format!("/office/roster/{id}/cancel")))
        .form(&[("csrf", hidden(&html, "csrf"))])
        .send()
        .await
        .unwrap();
    let (_, page) = app.follow(&head, res).await;
    assert!(page.contains("Import cancelled"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM roster_uploads").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM pupils").await, 0);
    for (file, message) in [
        (&b""[..], "Choose a CSV file"),
        (&b"\r\n,,\r\n"[..], "The file is empty"),
        (&b"PK\x03\x04\0\0binary"[..], "This is not a CSV file"),
    ] {
        let (status, html) = app.upload_roster(&head, file).await;
        assert_eq!(status, 422);
        assert!(html.contains(message), "{message}: {html}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM roster_uploads").await, 0);
}

#[tokio::test]
async fn a_school_sized_file_of_3000_rows_imports() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let mut csv = String::from(
        "UPN,Legal Forename,Legal Surname,Reg Group,NC Year,Contact 1 Forename,Contact 1 Surname,Contact 1 Email,Contact 2 Forename,Contact 2 Surname,Contact 2 Mobile\r\n",
    );
    for i in 0..3000 {
        csv.push_str(&format!(
            "U{i:05},Child{i},Family{i},{}{},{},Parent{i},Family{i},p{i}@example.org,Other{i},Family{i},07700 9{:05}\r\n",
            1 + i % 6,
            ["A", "B", "C"][i % 3],
            1 + i % 6,
            i
        ));
    }
    let (status, html) = app.upload_roster(&head, csv.as_bytes()).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<th scope=\"row\">Pupils</th><td class=\"num\">3000</td>"),
        "3000 to add"
    );
    assert!(
        html.contains("and 2700 more"),
        "the new pupils' list is cut short"
    );
    let res = app.press_import(&head, &html, &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM pupils").await, 3000);
    assert_eq!(app.count("SELECT COUNT(*) FROM carers").await, 6000);
}

fn run(db: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_signoff"))
        .arg("--database")
        .arg(db)
        .arg("import-roster")
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("stack backtrace"), "{text}");
    (out.status.code().unwrap_or(-1), text)
}

#[tokio::test]
async fn the_command_previews_skips_guards_and_shows_on_the_running_portal() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let db = app.state.config.database.clone();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    // The office looks at the pupils (and the portal keeps that report) before the command runs.
    let before = head
        .get(app.url("/office/pupils"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!before.contains("Amy"));

    let bad = write("bad.csv", BAD);
    let (code, text) = run(&db, &[&bad]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("row      4  Forename"), "{text}");
    assert!(text.contains("Lee Ross"), "{text}");
    assert!(text.contains("--skip-invalid"), "{text}");
    assert_eq!(app.count("SELECT COUNT(*) FROM pupils").await, 0);
    let (code, text) = run(&db, &[&bad, "--dry-run"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Dry run: nothing was imported."));
    assert_eq!(app.count("SELECT COUNT(*) FROM pupils").await, 0);
    let (code, text) = run(&db, &[&bad, "--skip-invalid"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("Imported; 2 rows with errors were skipped."),
        "{text}"
    );

    // The running portal shows what the other process committed, on the next page.
    let after = head
        .get(app.url("/office/pupils"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(after.contains("Amy") && after.contains("Shaw"), "{after}");

    let (code, text) = run(
        &db,
        &[&write(
            "one.csv",
            "Forename,Surname,Class,Contact Forename,Contact Surname\nAmy,Shaw,2C,Kim,Shaw\n",
        )],
    );
    assert_eq!(code, 3, "{text}");
    assert!(
        text.contains("--confirm-leavers") && text.contains("Eve Ruiz (2C)"),
        "{text}"
    );
    let (code, _) = run(
        &db,
        &[
            &write(
                "one.csv",
                "Forename,Surname,Class,Contact Forename,Contact Surname\nAmy,Shaw,2C,Kim,Shaw\n",
            ),
            "--confirm-leavers",
        ],
    );
    assert_eq!(code, 0);

    let (code, text) = run(&db, &[&write("odd.csv", "Colour,Shape\nred,round\n")]);
    assert_eq!(code, 1);
    assert!(
        text.contains("No column gives the pupil\u{2019}s name")
            && text.contains("not recognised: \u{201c}Colour\u{201d}"),
        "{text}"
    );
    let (code, text) = run(&db, &["/no/such/file.csv"]);
    assert_eq!(code, 1);
    assert!(text.contains("reading /no/such/file.csv"), "{text}");
}

#[tokio::test]
async fn a_file_past_the_row_limit_is_refused_in_the_page_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let mut csv = String::from("Forename,Surname,Class,Contact Forename,Contact Surname\n");
    for i in 0..15_001 {
        csv.push_str(&format!("C{i},F{i},1A,P{i},F{i}\n"));
    }
    let (status, html) = app.upload_roster(&head, csv.as_bytes()).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("This file has 15001 rows") && html.contains("signoff import-roster"),
        "{html}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM roster_uploads").await, 0);
}
