//! Several schools in one portal: adding one from the server's shell, each school's public pages
//! at its own address, `/` asking which school, and the new school's headteacher seeing only it.

use crate::helpers::{TestApp, browser, hidden};

/// Runs `signoff school add` against the app's database: (success, what it printed).
fn add_school(app: &TestApp, args: &[&str]) -> (bool, String) {
    let mut all = vec!["school", "add"];
    all.extend_from_slice(args);
    signoff(app, &all)
}

/// Runs `signoff ARGS` against the app's database: (success, what it printed).
pub(crate) fn signoff(app: &TestApp, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signoff"))
        .arg("--database")
        .arg(&app.state.config.database)
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let mut text = String::from_utf8_lossy(&out.stdout).to_string();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// A roster file for Elmwood: one pupil, Hazel Birch, and her carer Ivy (ivy@example.org).
fn elmwood_roster(app: &TestApp) -> std::path::PathBuf {
    let file = app.state.config.database.with_extension("elmwood.csv");
    std::fs::write(
        &file,
        "pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name,email\n\
         Hazel,Birch,1E,Ivy,Birch,ivy@example.org\n",
    )
    .unwrap();
    file
}

/// A page as a signed-in browser sees it.
async fn signed_in_page(c: &reqwest::Client, app: &TestApp, path: &str) -> String {
    c.get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_school_added_from_the_shell_has_its_own_pages_and_headteacher() {
    let app = TestApp::spawn().await;
    let schools = || app.count("SELECT COUNT(*) FROM schools");
    assert_eq!(schools().await, 1);
    // One school: `/` is its front door, as before.
    let (status, home) = page(&app, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains("Read and sign our code of conduct"));

    // Mistakes are explained, and nothing is added.
    for (args, says) in [
        (
            vec!["Elmwood Academy", "--slug", "office"],
            "the portal uses for its own pages",
        ),
        (
            vec!["Elmwood Academy", "--slug", "elm wood"],
            "only letters a to z",
        ),
        (vec!["  ", "--slug", "elmwood"], "Give the school's name"),
        (
            vec!["Elmwood Academy", "--slug", "oakfield"],
            "is already Oakfield Primary School's",
        ),
    ] {
        let (ok, out) = add_school(&app, &args);
        assert!(!ok, "{args:?} was refused");
        assert!(out.contains(says), "{args:?}: {out}");
    }
    assert_eq!(schools().await, 1);

    let (ok, out) = add_school(
        &app,
        &[
            "Elmwood Academy",
            "--slug",
            "Elmwood",
            "--address",
            "1 Elm Road, Elmwood",
        ],
    );
    assert!(ok, "{out}");
    assert!(out.contains("/elmwood/"), "{out}");
    let token = out
        .split("/setup/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the setup link is printed")
        .to_string();
    assert_eq!(schools().await, 2);

    // `/` and the addresses without a school now ask which, and lead on to the same page there.
    let (status, choose) = page(&app, "/").await;
    assert_eq!(status, 200);
    assert!(choose.contains("Choose your school"));
    assert!(choose.contains("href=\"/elmwood/\"") && choose.contains("href=\"/oakfield/\""));
    let (_, choose) = page(&app, "/policy/social-media-code/history").await;
    assert!(choose.contains("href=\"/elmwood/policy/social-media-code/history\""));

    // Each school's pages are its own, with links that stay within it.
    let (status, home) = page(&app, "/elmwood/").await;
    assert_eq!(status, 200);
    assert!(home.contains("Elmwood Academy") && !home.contains("Oakfield"));
    assert!(home.contains("href=\"/elmwood/policy\""));
    assert_eq!(page(&app, "/elmwood").await.0, 200);
    let (status, policy) = page(&app, "/oakfield/policy").await;
    assert_eq!(status, 200);
    assert!(policy.contains("Oakfield Primary School"));
    assert!(policy.contains("href=\"/oakfield/policy/social-media-code/history\""));
    let (status, text) = page(&app, "/elmwood/policy/social-media-code/v/1/text").await;
    assert_eq!(status, 200);
    assert!(text.contains("Social Media Code of Conduct"));
    assert_eq!(page(&app, "/no-such-school/").await.0, 404);
    assert_eq!(page(&app, "/no-such-school/policy").await.0, 404);
    // The code box belongs to no school in particular now: it names none.
    let (_, code_box) = page(&app, "/sign").await;
    assert!(!code_box.contains("Oakfield") && !code_box.contains("Elmwood"));

    // Commands from the shell ask which school, and act on that one alone.
    let file = elmwood_roster(&app);
    let file = file.to_str().unwrap();
    let (ok, out) = signoff(&app, &["import-roster", file]);
    assert!(!ok);
    assert!(
        out.contains("several schools: say which with --school"),
        "{out}"
    );
    assert!(out.contains("elmwood (Elmwood Academy)"), "{out}");
    let (ok, out) = signoff(&app, &["--school", "nowhere", "import-roster", file]);
    assert!(
        !ok && out.contains("No school has the address \"nowhere\""),
        "{out}"
    );
    let (ok, out) = signoff(&app, &["--school", "elmwood", "import-roster", file]);
    assert!(ok, "{out}");
    let elmwood: i64 = app
        .count("SELECT id FROM schools WHERE slug = 'elmwood'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM carers WHERE school_id = {elmwood}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carers WHERE last_name = 'Birch' AND school_id = 1")
            .await,
        0
    );

    // The new school's first headteacher sets up their account and sees their school alone.
    let c = browser();
    let path = format!("/setup/{token}");
    let form = c
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(app.url(&path))
        .form(&[
            ("csrf", hidden(&form, "csrf").as_str()),
            ("name", "Erin Ash"),
            ("email", "head@elmwood.example"),
            ("password", "elm branches in spring"),
            ("confirm", "elm branches in spring"),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status().is_redirection());
    let olive = app.family("Olive", "Oak", &[("Rowan", "Oak", "2B")]).await;
    // Olive's page names no other school; with the email Elmwood has for its carer Ivy, it says
    // she is at Elmwood too (a shared family address), and shows nothing else of Elmwood's.
    let olive_page = format!("/s/{}", olive.code.as_str());
    let (_, before) = page(&app, &olive_page).await;
    assert!(!before.contains("also a parent or carer at"));
    sqlx::query("UPDATE carers SET email = 'IVY@example.org' WHERE id = ?")
        .bind(olive.carer_id)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    app.state.db.note_write();
    let (_, after) = page(&app, &olive_page).await;
    assert!(
        after.contains("You are also a parent or carer at Elmwood Academy."),
        "{after}"
    );
    assert!(!after.contains("Ivy") && !after.contains("Hazel"));
    // The receipt says so too, just after signing, when it matters most.
    let receipt = crate::helpers::sign(&app, &olive).await;
    let (_, receipt) = page(&app, &receipt).await;
    assert!(receipt.contains("You are also a parent or carer at Elmwood Academy."));
    let office = signed_in_page(&c, &app, "/office").await;
    assert!(office.contains("Elmwood Academy"), "{office}");
    assert!(
        office.contains("0 of 1 carers"),
        "Oakfield's carer is not counted"
    );
    let carers = signed_in_page(&c, &app, "/office/carers").await;
    assert!(!carers.contains("Olive"), "Oakfield's carer is not listed");
    assert!(carers.contains("Ivy"), "Elmwood's own carer is");
}

#[tokio::test]
async fn a_backup_of_one_school_holds_that_school_alone_and_verifies() {
    let app = TestApp::spawn().await;
    let _head = app.head().await;
    let oak = app
        .family("Orla", "Quince", &[("Pip", "Quince", "3C")])
        .await;
    crate::helpers::sign(&app, &oak).await;
    // Oakfield follows the trust's code, and a trust administrator is looking at Oakfield.
    for sql in [
        "INSERT INTO staff_users (school_id, email, name, password_hash, role, created_at) \
         VALUES (NULL, 'tara@trust.example', 'Tara Quinn', 'argon2-hash', 'trust', '2026-01-01T00:00:00Z')",
        "INSERT INTO staff_sessions (token_hash, staff_user_id, created_at, last_seen_at, viewing_school_id) \
         SELECT 'x', id, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1 FROM staff_users WHERE role = 'trust'",
        "INSERT INTO trust_versions (number, title, body_md, summary, sha256, published_at) \
         VALUES (1, 'Trust code', 'Be kind.', 'First', 'ab', '2026-01-01T00:00:00Z')",
        "INSERT INTO trust_adoptions (school_id, document_id, local_md, adopted_at) \
         SELECT 1, id, 'Oakfield local', '2026-01-01T00:00:00Z' FROM documents WHERE school_id = 1",
        "INSERT INTO trust_events (at, actor, action, subject) VALUES ('2026-01-01T00:00:00Z', 'staff:9', 'school.added', 'school:1')",
    ] {
        sqlx::query(sql).execute(&app.state.db.write).await.unwrap();
    }
    // And Oakfield's version has a Welsh translation.
    let version = signoff::store::documents::version(&app.state.db.read, app.scope, 1)
        .await
        .unwrap()
        .unwrap();
    let wording = signoff::domain::wording::Wording {
        title: "Cod Ymddygiad".into(),
        body_md: "Byddwch yn garedig.".into(),
        declaration_text: "Rwy'n cytuno.".into(),
        ..version.wording.clone()
    };
    let text = signoff::domain::translation::canonical(&wording, 1, "cy", false);
    signoff::store::documents::insert_translation(
        &app.state.db.write,
        signoff::store::documents::NewTranslation {
            scope: app.scope,
            version_id: version.id,
            language: "cy",
            wording: &wording,
            authoritative: false,
            summary: "",
            canonical_text: &text,
            sha256: &signoff::domain::secret::sha256_hex(text.as_bytes()),
            published_at: time::macros::datetime!(2026-11-01 09:00 UTC),
            published_by: sqlx::query_scalar("SELECT id FROM staff_users WHERE school_id = 1")
                .fetch_one(&app.state.db.read)
                .await
                .unwrap(),
        },
    )
    .await
    .unwrap();
    // As the portal records it: the audit event with the translation's fingerprint.
    sqlx::query(
        "INSERT INTO audit_events (school_id, at, actor, action, subject, detail) \
         SELECT 1, '2026-11-01T09:00:00Z', 'staff:1', 'translation.published', \
         'version:' || version_id, 'translation ' || id || ': Welsh of version 1; sha256 ' || sha256 \
         FROM version_translations",
    )
    .execute(&app.state.db.write)
    .await
    .unwrap();
    // And Oakfield erased a carer at their request, with another request waiting.
    let gone = app.family("Ezra", "Gone", &[("Ivy", "Gone", "3C")]).await;
    crate::helpers::sign(&app, &gone).await;
    let mut tx = app.state.db.begin().await.unwrap();
    signoff::store::erasure::erase(
        &mut tx,
        app.scope,
        signoff::store::erasure::NewErasure {
            carer_id: gone.carer_id,
            erased_at: "2026-11-21T11:00:00Z".into(),
            basis: "request",
            reason: "Asked in writing".into(),
            override_reason: "Moved away".into(),
            requested_by: String::new(),
            approved_by: "Helen Ward (headteacher, staff 1)".into(),
            approver: Some(1),
            actor: "staff:1".into(),
        },
    )
    .await
    .unwrap();
    signoff::store::retention::request(
        &mut *tx,
        app.scope,
        oak.carer_id,
        "Asked by phone",
        1,
        time::macros::datetime!(2026-11-21 11:00 UTC),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // As in a database upgraded through migration 0018: Oakfield's chain records where its
    // declarations began to commit to their personal fields.
    sqlx::query(
        "DROP TRIGGER chain_formats_only_at_migration; \
         INSERT INTO chain_formats (school_id, v3_from) VALUES (1, 1); \
         CREATE TRIGGER chain_formats_only_at_migration BEFORE INSERT ON chain_formats \
         BEGIN SELECT RAISE(ABORT, 'a chain''s formats are set by the migration alone'); END;",
    )
    .execute(&app.state.db.write)
    .await
    .unwrap();
    let (ok, out) = add_school(&app, &["Elmwood Academy", "--slug", "elmwood"]);
    assert!(ok, "{out}");
    let file = elmwood_roster(&app);
    let (ok, out) = signoff(
        &app,
        &[
            "--school",
            "elmwood",
            "import-roster",
            file.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}");

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("elmwood.db");
    let target_s = target.to_str().unwrap();
    let (ok, out) = signoff(&app, &["--school", "elmwood", "backup", target_s]);
    assert!(ok, "{out}");
    assert!(out.contains("integrity ok"), "{out}");

    let copy = signoff::store::Db::open(&target).await.unwrap();
    let count = |sql: &'static str| {
        let copy = &copy;
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&copy.read)
                .await
                .unwrap()
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM schools").await, 1);
    assert_eq!(
        count("SELECT COUNT(*) FROM schools WHERE slug = 'elmwood'").await,
        1
    );
    assert_eq!(count("SELECT COUNT(*) FROM carers").await, 1);
    assert_eq!(count("SELECT COUNT(*) FROM declarations").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM settings").await, 0);
    // The trust's log goes; its administrators stay (its code names them), without passwords or
    // sessions.
    assert_eq!(count("SELECT COUNT(*) FROM trust_events").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM staff_sessions").await, 0);
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM staff_users WHERE password_hash IS NOT NULL AND school_id IS NULL"
        )
        .await,
        0
    );
    // Every table with a school column, including any added after this test was written.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' \
         AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'school_id')",
    )
    .fetch_all(&copy.read)
    .await
    .unwrap();
    assert!(tables.len() > 15, "{tables:?}");
    for table in tables {
        let others: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE school_id <> \
             (SELECT id FROM schools WHERE slug = 'elmwood')"
        ))
        .fetch_one(&copy.read)
        .await
        .unwrap();
        assert_eq!(others, 0, "{table} keeps another school's rows");
    }
    // The evidence tables still refuse changes in the copy.
    assert_eq!(
        count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'").await,
        app.count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'")
            .await
    );
    let report = signoff::app::verify::verify(&copy).await.unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);
    copy.close().await;
    // Nothing of Oakfield's is left in the file's bytes.
    let bytes = std::fs::read(&target).unwrap();
    for name in ["Quince", "Orla", "Oakfield", "argon2-hash"] {
        assert!(
            !bytes.windows(name.len()).any(|w| w == name.as_bytes()),
            "{name} is in the copy"
        );
    }
    // The live database keeps everything.
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 2);

    // A whole-portal backup (no --school) keeps both schools.
    let all = dir.path().join("all.db");
    let (ok, out) = signoff(&app, &["backup", all.to_str().unwrap()]);
    assert!(ok, "{out}");
}
