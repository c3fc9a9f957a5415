//! Evidence a school can rely on: tamper checks, the evidence pack, backups.

use sha2::{Digest, Sha256};

use crate::helpers::{Family, TestApp, sign};

async fn signed_app(n: usize) -> (TestApp, Vec<Family>) {
    let app = TestApp::spawn().await;
    let mut families = Vec::new();
    for i in 0..n {
        let f = app
            .family(&format!("Carer{i}"), "Test", &[("Kid", "Test", "1A")])
            .await;
        sign(&app, &f).await;
        families.push(f);
    }
    (app, families)
}

pub(crate) fn verify_cli(app: &TestApp) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signoff"))
        .args([
            "--database",
            app.state.config.database.to_str().unwrap(),
            "verify",
        ])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

/// Edits the file behind the portal's back, as someone with the file could.
pub(crate) async fn tamper(app: &TestApp, sql: &[&str]) {
    let url = format!("sqlite://{}", app.state.config.database.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    for s in [
        "DROP TRIGGER IF EXISTS declarations_are_immutable",
        "DROP TRIGGER IF EXISTS declarations_are_kept",
        "DROP TRIGGER IF EXISTS versions_are_immutable",
        "DROP TRIGGER IF EXISTS erasures_are_immutable",
        "DROP TRIGGER IF EXISTS erasures_are_kept",
    ] {
        sqlx::query(s).execute(&pool).await.unwrap();
    }
    for s in sql {
        sqlx::query(s).execute(&pool).await.unwrap();
    }
    pool.close().await;
}

async fn id_at(app: &TestApp, seq: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM declarations WHERE seq = ?")
        .bind(seq)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap()
}

#[tokio::test]
async fn verify_says_intact_and_names_the_first_altered_inserted_or_removed_record() {
    let (app, _) = signed_app(4).await;
    let (ok, out) = verify_cli(&app);
    assert!(ok, "{out}");
    assert!(out.contains("4 declarations, 1 versions: intact"), "{out}");
    assert!(out.contains("4 entries in the chain; head "), "{out}");

    // Altered: a typed name changed.
    let id = id_at(&app, 2).await;
    tamper(
        &app,
        &["UPDATE declarations SET typed_name = 'Someone Else' WHERE seq = 2"],
    )
    .await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok);
    assert!(
        out.contains(&format!(
            "declaration {id} (no. 2 in its school's chain) was altered"
        )),
        "{out}"
    );

    // Removed: a declaration deleted.
    let (app, _) = signed_app(4).await;
    let third = id_at(&app, 3).await;
    tamper(&app, &["DELETE FROM declarations WHERE seq = 2"]).await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok);
    assert!(
        out.contains(&format!(
            "no. 2 to 2 are missing before declaration {third} (no. 3)"
        )),
        "{out}"
    );

    // Removed from the end, where no later row's link would notice: the newest, then all of them.
    let (app, _) = signed_app(4).await;
    let newest = id_at(&app, 4).await;
    tamper(&app, &["DELETE FROM declarations WHERE seq = 4"]).await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok);
    assert!(
        out.contains(&format!(
            "declaration:{newest}, recorded in the audit log at"
        )) && out.contains("is missing: it was deleted"),
        "{out}"
    );
    tamper(&app, &["DELETE FROM declarations"]).await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok, "{out}");

    // Inserted: a forged row with a correct hash of its own, linked to no. 2.
    let (app, families) = signed_app(4).await;
    let forged = forge(&app, families[0].carer_id, 2).await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok);
    assert!(
        out.contains(&format!("declaration {forged} was inserted")),
        "{out}"
    );

    // Appended after the newest with a correct link and hash: the chain holds, but no audit
    // event says the portal wrote it.
    let (app, families) = signed_app(4).await;
    let forged = forge(&app, families[0].carer_id, 4).await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "declaration {forged} has no audit event: it was written outside the portal"
        )),
        "{out}"
    );

    // A published version's text changed.
    let (app, _) = signed_app(1).await;
    tamper(
        &app,
        &["UPDATE versions SET body_md = body_md || ' (edited)'"],
    )
    .await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok);
    assert!(
        out.contains("version 1 (document 1, version 1) was altered"),
        "{out}"
    );
}

/// Inserts a declaration that takes no. 3 and links to no. 2, hashed as the portal would hash it.
/// The forger first rebuilds the table without its constraints and triggers.
/// A declaration written straight into the file, linked to no. `after` of the chain.
async fn forge(app: &TestApp, carer_id: i64, after: i64) -> i64 {
    let url = format!("sqlite://{}", app.state.config.database.display());
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    let prev: String = sqlx::query_scalar("SELECT row_hash FROM declarations WHERE seq = ?")
        .bind(after)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (version_id, sha): (i64, String) = sqlx::query_as("SELECT id, sha256 FROM versions")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut record = signoff::domain::evidence::DeclarationRecord {
        id: 1000,
        school_id: app.school_id,
        seq: after + 1,
        signed: signoff::domain::evidence::Signed {
            carer_id,
            document_id: 1,
            version_id,
            children: "[]".into(),
            carer_name: "Forged Name".into(),
            typed_name: "Forged Name".into(),
            declaration_text: "I agree.".into(),
            text_sha256: sha,
            signed_at: "2026-11-21T10:00:00Z".into(),
            method: "online".into(),
            ip: String::new(),
            user_agent: String::new(),
            recorded_by: None,
            received_on: None,
            note: String::new(),
            language: String::new(),
            shown_sha256: String::new(),
        },
        prev_hash: prev,
        personal_salt: String::new(),
        personal_sha256: String::new(),
    };
    // As the portal writes them now: committed to its personal fields (v3).
    record.commit_personal();
    for s in [
        "DROP TRIGGER IF EXISTS erasures_take_a_free_place",
        "CREATE TABLE d2 AS SELECT * FROM declarations",
        "DROP TABLE declarations",
        "ALTER TABLE d2 RENAME TO declarations",
    ] {
        sqlx::query(s).execute(&pool).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO declarations (id, school_id, seq, carer_id, document_id, version_id, children, carer_name, typed_name,
         declaration_text, text_sha256, signed_at, method, ip, user_agent, recorded_by, received_on, note, prev_hash, row_hash,
         personal_salt, personal_sha256, language, shown_sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')",
    )
    .bind(record.id)
    .bind(record.school_id)
    .bind(record.seq)
    .bind(record.carer_id)
    .bind(record.document_id)
    .bind(record.version_id)
    .bind(&record.children)
    .bind(&record.carer_name)
    .bind(&record.typed_name)
    .bind(&record.declaration_text)
    .bind(&record.text_sha256)
    .bind(&record.signed_at)
    .bind(&record.method)
    .bind(&record.ip)
    .bind(&record.user_agent)
    .bind(record.recorded_by)
    .bind(&record.received_on)
    .bind(&record.note)
    .bind(&record.prev_hash)
    .bind(record.row_hash())
    .bind(&record.personal_salt)
    .bind(&record.personal_sha256)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    record.id
}

#[tokio::test]
async fn the_evidence_pack_holds_every_declaration_and_the_exact_text() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let f = app
        .family("Zoë", "O'Brien", &[("Finn", "O'Brien", "3B")])
        .await;
    sign(&app, &f).await;
    let page = head
        .get(app.url(&format!("/office/carers/{}/evidence", f.carer_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("SO-000001")
            && html.contains("sha256sum")
            && html.contains("Statement of intent")
    );
    assert!(
        html.contains("<dd>Finn O&#39;Brien (class 3B)</dd>"),
        "children read as names, not JSON: {html}"
    );
    assert!(!html.contains("&quot;class&quot;"));
    let body = head
        .get(app.url(&format!("/office/carers/{}/evidence.json", f.carer_id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let d = &json["declarations"][0];
    let text = d["version_text"].as_str().unwrap();
    let fingerprint = d["version_text_sha256"].as_str().unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(text.as_bytes())),
        fingerprint,
        "the text hashes to the fingerprint"
    );
    assert_eq!(d["typed_name"], "Zoë O'Brien");
    assert_eq!(d["method"], "online");
    // The public copy of the text is byte for byte the same.
    let url = d["version_text_url"].as_str().unwrap();
    let path = &url[url.find("/policy").unwrap()..];
    let bytes = app.get(path).await.bytes().await.unwrap();
    assert_eq!(hex::encode(Sha256::digest(&bytes)), fingerprint);
    // The receipt shows the same fingerprint.
    let receipt = app
        .get(&format!("/s/{}/receipt/1", f.code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(receipt.contains(fingerprint));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'carer.exported'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_backup_made_while_serving_is_checked_and_restorable() {
    let (app, _) = signed_app(3).await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("backup.db");
    let bin = env!("CARGO_BIN_EXE_signoff");
    let db = app.state.config.database.to_str().unwrap().to_string();
    // Keep signing while the backup runs.
    let more = app
        .family("During", "Backup", &[("Kid", "Backup", "1A")])
        .await;
    let (out, _) = tokio::join!(
        tokio::task::spawn_blocking({
            let target = target.clone();
            let db = db.clone();
            move || {
                std::process::Command::new(bin)
                    .args(["--database", &db, "backup", target.to_str().unwrap()])
                    .output()
                    .unwrap()
            }
        }),
        sign(&app, &more)
    );
    let out = out.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("integrity ok") && text.contains(": intact"),
        "{text}"
    );
    // Never overwrites.
    let again = std::process::Command::new(bin)
        .args(["--database", &db, "backup", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    // Restoring is copying the file back: it verifies.
    let restored = dir.path().join("restored.db");
    std::fs::copy(&target, &restored).unwrap();
    let out = std::process::Command::new(bin)
        .args(["--database", restored.to_str().unwrap(), "verify"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

pub(crate) fn verify_against(app: &TestApp, checkpoint: &std::path::Path) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signoff"))
        .args([
            "--database",
            app.state.config.database.to_str().unwrap(),
            "verify",
            "--against",
            checkpoint.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

#[tokio::test]
async fn an_old_checkpoint_catches_a_chain_rewritten_before_it() {
    let (app, families) = signed_app(3).await;
    let (ok, checkpoint) = verify_cli(&app);
    assert!(ok, "{checkpoint}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("checkpoint.txt");
    std::fs::write(&file, &checkpoint).unwrap();
    let (ok, out) = verify_against(&app, &file);
    assert!(ok, "{out}");
    assert!(
        out.contains("all 1 chain heads it names are still in place"),
        "{out}"
    );

    // The chain grows: the checkpoint still holds.
    let more = app.family("Dan", "Vale", &[("Eve", "Vale", "4C")]).await;
    crate::helpers::sign(&app, &more).await;
    assert!(verify_against(&app, &file).0);

    // Rewritten from no. 2 on, consistently (links, hashes and audit events all redone, so
    // verify alone finds nothing): the checkpoint's head is no longer there.
    tamper(
        &app,
        &[
            "DELETE FROM declarations WHERE seq >= 2",
            "DROP TRIGGER audit_events_are_kept",
            "DELETE FROM audit_events WHERE action = 'declaration.signed' AND subject NOT IN \
             (SELECT 'declaration:' || id FROM declarations)",
        ],
    )
    .await;
    // Signed again a day later, as a forger redoing the records would.
    app.clock.advance(time::Duration::days(1));
    crate::helpers::sign(&app, &families[1]).await;
    crate::helpers::sign(&app, &families[2]).await;
    let (ok, out) = verify_cli(&app);
    assert!(ok, "the rewritten chain is consistent in itself: {out}");
    let (ok, out) = verify_against(&app, &file);
    assert!(!ok);
    assert!(
        out.contains("entry no. 3 has the hash") && out.contains("the chain was rewritten"),
        "{out}"
    );
    // A checkpoint that names no head is refused, not passed.
    std::fs::write(&file, "nothing here").unwrap();
    let (ok, out) = verify_against(&app, &file);
    assert!(!ok && out.contains("names no chain head"), "{out}");
}
