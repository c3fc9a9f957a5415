//! Retention and erasure (issue 18): the rule erases families some time after their last child
//! left, a carer's request needs a headteacher, and the chain still verifies without their names,
//! which are gone from the file.

use crate::helpers::{Family, HEAD_EMAIL, HEAD_PASSWORD, TestApp, csrf_of, sign};
use crate::trust::{tamper, verify_cli};

const FIRST: &str = "pupil_mis_id,pupil_first_name,pupil_last_name,class,year_group,carer_mis_id,carer_first_name,carer_last_name,relationship,email,phone,address_1,town,postcode\n\
P1,Wrenna,Hollisbury,6A,Year 6,C1,Marguerite,Hollisbury,Mother,marguerite.h@example.org,07700 900111,9 Quarry Row,Oakfield,OK1 9ZZ\n\
P2,Ada,Quillon,6A,Year 6,C2,Bartholomew,Quillon,Father,,07700 900222,,,\n\
P3,Noor,Stone,2B,Year 2,C3,Ines,Stone,Mother,ines@example.org,,,,\n\
P4,Olly,Stone,4C,Year 4,C3,Ines,Stone,Mother,ines@example.org,,,,\n";

/// The roster without the lines of `gone` (pupil ids).
fn without(gone: &[&str]) -> String {
    FIRST
        .lines()
        .filter(|l| !gone.iter().any(|g| l.starts_with(&format!("{g},"))))
        .map(|l| format!("{l}\n"))
        .collect()
}

async fn import_leavers(app: &TestApp, head: &reqwest::Client, csv: &str) {
    let (status, html) = app.upload_roster(head, csv.as_bytes()).await;
    assert_eq!(status, 200, "{html}");
    let res = app
        .press_import(head, &html, &[("confirm_leavers", "1")])
        .await;
    assert_eq!(res.status(), 303);
}

/// The headteacher signed in again (a session does not last the months the clock moves on).
async fn head_again(app: &TestApp) -> reqwest::Client {
    app.sign_in(HEAD_EMAIL, HEAD_PASSWORD).await.0
}

async fn family(app: &TestApp, first: &str, last: &str) -> Family {
    let carer_id = app.carer_id(first, last).await;
    Family {
        carer_id,
        code: app.code_for(carer_id).await,
        name: format!("{first} {last}"),
    }
}

pub(crate) async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    c.get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Posts a staff form with the session's token.
pub(crate) async fn post(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_of(app, c, "/office").await;
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(form);
    c.post(app.url(path)).form(&fields).send().await.unwrap()
}

/// The database file and its write-ahead log, as bytes. Read by another process: closing a file
/// descriptor of the database in this one would drop SQLite's POSIX locks on it.
fn file_bytes(app: &TestApp) -> Vec<u8> {
    let db = app.state.config.database.to_str().unwrap().to_string();
    let out = std::process::Command::new("sh")
        .args(["-c", "cat \"$0\"; cat \"$0-wal\" 2>/dev/null; true", &db])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.len() > 4096, "the file was read");
    out.stdout
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

fn retention_cli(app: &TestApp) -> String {
    let db = app.state.config.database.to_str().unwrap().to_string();
    let args = vec!["--database", db.as_str(), "retention"];
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signoff"))
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[tokio::test]
async fn the_rule_erases_a_family_a_year_after_their_last_child_left_and_the_chain_still_verifies()
{
    let app = TestApp::spawn().await;
    let mut head = app.head().await;
    app.import_roster(&head, FIRST.as_bytes()).await;
    let marguerite = family(&app, "Marguerite", "Hollisbury").await;
    let bart = family(&app, "Bartholomew", "Quillon").await;
    let ines = family(&app, "Ines", "Stone").await;
    for f in [&marguerite, &bart, &ines] {
        sign(&app, f).await;
    }
    // Wrenna leaves today; Ada 200 days later.
    import_leavers(&app, &head, &without(&["P1"])).await;
    app.clock.advance(time::Duration::days(200));
    head = head_again(&app).await;
    import_leavers(&app, &head, &without(&["P1", "P2"])).await;
    app.clock.advance(time::Duration::days(170));
    head = head_again(&app).await;

    // A year and five days after Wrenna left: the preview names her family, but until a
    // headteacher confirms the rule nothing is erased.
    let html = page(&app, &head, "/head/retention").await;
    assert!(html.contains("Not yet in force"), "{html}");
    let due = &html[html.find("id=\"due\"").unwrap()..html.find("id=\"coming\"").unwrap()];
    assert!(
        due.contains("Marguerite Hollisbury") && due.contains("Wrenna Hollisbury"),
        "{due}"
    );
    assert!(!due.contains("Quillon") && !due.contains("Stone"), "{due}");
    let out = retention_cli(&app);
    assert!(out.contains("no retention rule confirmed yet"), "{out}");
    assert_eq!(app.count("SELECT COUNT(*) FROM erasures").await, 0);

    // Mistakes come back beside the field, with what was typed.
    let res = post(
        &app,
        &head,
        "/head/retention",
        &[("years", "two"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Enter a whole number of years") && html.contains("value=\"two\""),
        "{html}"
    );
    let res = post(&app, &head, "/head/retention", &[("years", "1")]).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Tick the box to confirm")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM schools WHERE retention_confirmed_at IS NOT NULL")
            .await,
        0
    );
    // Office staff cannot set it.
    let (office, _) = app
        .colleague(
            &head,
            "Olu Desk",
            "olu@school.example",
            "office",
            "a long office password",
        )
        .await;
    let res = post(
        &app,
        &office,
        "/head/retention",
        &[("years", "1"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(res.status(), 403);

    let res = post(
        &app,
        &head,
        "/head/retention",
        &[("years", "1"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(res.status(), 303);
    // A dry run, as `signoff retention --dry-run` prints it (the command reads the real clock).
    let runs = signoff::app::retention::run_all(&app.state, true)
        .await
        .unwrap();
    let out = signoff::app::retention::report(&runs, true);
    assert!(
        out.contains("1 carer(s) would be erased") && out.contains("Marguerite Hollisbury"),
        "{out}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM erasures").await,
        0,
        "a dry run changes nothing"
    );

    // The governors' checkpoint from before the run.
    let (ok, before) = verify_cli(&app);
    assert!(ok, "{before}");
    let dir = tempfile::tempdir().unwrap();
    let checkpoint = dir.path().join("checkpoint.txt");
    std::fs::write(&checkpoint, &before).unwrap();

    // The daily run.
    let runs = signoff::app::retention::run_all(&app.state, false)
        .await
        .unwrap();
    assert!(matches!(&runs[0].1, signoff::app::retention::Run::Erased(e) if e.len() == 1));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM erasures WHERE basis = 'rule'")
            .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM declarations WHERE carer_id = {} AND carer_name = '' AND erasure_id IS NOT NULL",
            marguerite.carer_id
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE first_name = 'Wrenna'")
            .await,
        0
    );
    // Nobody else was touched.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM declarations WHERE carer_name <> ''")
            .await,
        2
    );

    // Gone from the file and its log, not only from the pages.
    let bytes = file_bytes(&app);
    for gone in [
        "Marguerite",
        "Hollisbury",
        "Wrenna",
        "marguerite.h@example.org",
        "07700 900111",
        "Quarry Row",
    ] {
        assert!(!holds(&bytes, gone), "{gone} is still in the database file");
    }
    assert!(
        holds(&bytes, "Bartholomew"),
        "the check can find a name that is kept"
    );
    // A backup made now holds none of it either.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("after-erasure.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signoff"))
        .args([
            "--database",
            app.state.config.database.to_str().unwrap(),
            "backup",
        ])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let backup = std::fs::read(&copy).unwrap();
    assert!(!holds(&backup, "Marguerite") && holds(&backup, "Bartholomew"));

    // The office sees what happened, without the name.
    let html = page(
        &app,
        &head,
        &format!("/office/carers/{}", marguerite.carer_id),
    )
    .await;
    assert!(
        html.contains("Erased carer") && html.contains("Retention rule: kept 1 years"),
        "{html}"
    );
    assert!(!html.contains("Marguerite"), "{html}");

    // verify checks every link, and says what was redacted.
    let (ok, out) = verify_cli(&app);
    assert!(ok, "{out}");
    assert!(
        out.contains("3 declarations") && out.contains("1 entries redacted by 1 erasure"),
        "{out}"
    );
    assert!(out.contains("4 entries in the chain"), "{out}");
    // The old checkpoint still holds, and names the erasure of an entry from before it.
    let (ok, out) = crate::trust::verify_against(&app, &checkpoint);
    assert!(ok, "{out}");
    assert!(
        out.contains("Since the checkpoint: Oakfield Primary School's erasure at no. 4")
            && out.contains("emptied 1 declaration(s) from before it"),
        "{out}"
    );

    // Ada's family comes up within 90 days, then is erased at its date.
    app.clock.advance(time::Duration::days(120));
    head = head_again(&app).await;
    let html = page(&app, &head, "/head/retention").await;
    let coming = &html[html.find("id=\"coming\"").unwrap()..html.find("id=\"requests\"").unwrap()];
    assert!(coming.contains("Bartholomew Quillon"), "{coming}");
    app.clock.advance(time::Duration::days(90));
    signoff::app::retention::run_all(&app.state, false)
        .await
        .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM erasures").await, 2);
    let (ok, out) = verify_cli(&app);
    assert!(
        ok && out.contains("2 entries redacted by 2 erasures"),
        "{out}"
    );
    assert!(!holds(&file_bytes(&app), "Bartholomew"));
    assert!(holds(&file_bytes(&app), "Ines"));

    // Tampering after erasure is still caught: a kept field of an erased declaration...
    let d: i64 = app
        .count(&format!(
            "SELECT id FROM declarations WHERE carer_id = {}",
            marguerite.carer_id
        ))
        .await;
    let at = app
        .text(&format!(
            "SELECT signed_at FROM declarations WHERE id = {d}"
        ))
        .await;
    caught(
        &app,
        &format!("UPDATE declarations SET signed_at = '2020-01-01T00:00:00Z' WHERE id = {d}"),
        &format!("declaration {d} (no. 1 in its school's chain) was altered"),
        &format!("UPDATE declarations SET signed_at = '{at}' WHERE id = {d}"),
    )
    .await;
    // ...the tombstone itself...
    let reason = app.text("SELECT reason FROM erasures WHERE id = 1").await;
    caught(
        &app,
        "UPDATE erasures SET reason = 'At the carer''s request' WHERE id = 1",
        "erasure 1 (no. 4 in its school's chain) was altered",
        &format!("UPDATE erasures SET reason = '{reason}' WHERE id = 1"),
    )
    .await;
    // ...an erased declaration passed off as one from before commitments, so only its links
    // would be checked...
    let commitment = app
        .text(&format!(
            "SELECT personal_sha256 FROM declarations WHERE id = {d}"
        ))
        .await;
    caught(
        &app,
        &format!(
            "UPDATE declarations SET personal_sha256 = '', signed_at = '2020-01-01T00:00:00Z' WHERE id = {d}"
        ),
        &format!("declaration {d} (no. 1) has no commitment to its personal fields"),
        &format!(
            "UPDATE declarations SET personal_sha256 = '{commitment}', signed_at = '{at}' WHERE id = {d}"
        ),
    )
    .await;
    // ...the record of where commitments begin moved past them, to pass them off as older...
    caught(
        &app,
        "DROP TRIGGER chain_formats_only_at_migration; \
         INSERT INTO chain_formats (school_id, v3_from) VALUES (1, 100000)",
        "that record was moved",
        "DROP TRIGGER chain_formats_are_kept; DELETE FROM chain_formats",
    )
    .await;
    // ...a name written back into an erased declaration...
    caught(
        &app,
        &format!("UPDATE declarations SET typed_name = 'Marguerite Hollisbury' WHERE id = {d}"),
        &format!("declaration {d} is marked as erased but holds personal details"),
        &format!("UPDATE declarations SET typed_name = '' WHERE id = {d}"),
    )
    .await;
    // ...and an erasure removed from the chain.
    tamper(
        &app,
        &["PRAGMA foreign_keys = OFF; DELETE FROM erasures WHERE id = 2"],
    )
    .await;
    let (ok, out) = verify_cli(&app);
    assert!(
        !ok && out.contains("no erasure in its school's chain records it"),
        "{out}"
    );
}

/// `edit` behind the portal's back makes `verify` fail saying `expect`; `undo` puts it right,
/// and `verify` passes again.
async fn caught(app: &TestApp, edit: &str, expect: &str, undo: &str) {
    tamper(app, &[edit]).await;
    let (ok, out) = verify_cli(app);
    assert!(!ok && out.contains(expect), "{out}");
    tamper(app, &[undo]).await;
    let (ok, out) = verify_cli(app);
    assert!(ok, "{out}");
}
