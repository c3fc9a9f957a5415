//! `signoff import-roster` on the server: preview, skips, guards, and the running portal sees it.

use std::process::Command;

use super::BAD;
use crate::helpers::TestApp;

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
