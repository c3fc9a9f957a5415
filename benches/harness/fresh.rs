//! The scenarios on fresh databases: signing (2), roster import (4) and the trust's office (3),
//! with the plain SQLite inserts signing is compared with.

use std::path::Path;
use std::time::Instant;

use signoff::domain::code::SigningCode;
use signoff::domain::evidence::{DeclarationRecord, Signed};
use signoff::store::Db;

use super::client::{Office, client, hidden, office_rows, row, sign_in, time_gets};
use super::process::free_port;
use super::{HEAD_EMAIL, Options, Row, Server, median, prepare};

/// Runs scenarios 2, 4 and 3 (trust) in `dir`, each on databases of its own.
pub(super) async fn scenarios(o: &Options, dir: &tempfile::TempDir) -> Vec<Row> {
    let mut rows = Vec::new();
    let say = |s: &str| eprintln!("bench: {s}");

    rows.push(signing(o, dir).await);

    // 4. Roster import.
    say("scenario 4: roster import");
    for (n, target) in [(o.import_small, 1000.0), (o.import_large, 3_000.0)] {
        let mut totals = Vec::new();
        for round in 0..(if n > 10_000 { 1 } else { o.rounds }) {
            let db = prepare(dir.path(), &format!("import-{n}-{round}.db"), 1, 0, 0.0, 0).await;
            if n > 15_000 {
                // Past the office page's 15,000-row limit: a trust imports on the server.
                let file = dir.path().join(format!("roster-{n}.csv"));
                std::fs::write(&file, roster_csv(n)).unwrap();
                let t = Instant::now();
                let out = std::process::Command::new(&o.binary)
                    .arg("--database")
                    .arg(&db.path)
                    .arg("import-roster")
                    .arg(&file)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stdout)
                );
                totals.push(t.elapsed().as_secs_f64() * 1000.0);
                continue;
            }
            let server = Server::start(&o.binary, &db.path).await;
            let head = sign_in(&server, HEAD_EMAIL).await;
            let (preview, import) = import_roster(&server, &head, roster_csv(n)).await;
            totals.push(preview + import);
        }
        rows.push(row(
            if n > 15_000 {
                format!("4. roster import, {n} rows (signoff import-roster)")
            } else {
                format!("4. roster import, {n} rows (preview + import)")
            },
            totals.clone(),
            "ms",
            format!("≤ {} s", target / 1000.0),
            Some(median(&totals) <= target),
            0,
        ));
    }

    // 3 (trust). The trust's 100,000 carers.
    say("scenario 3: office status (100,000 carers)");
    let trust = prepare(dir.path(), "trust.db", 1, o.trust_carers, 0.6, 0).await;
    let server = Server::start(&o.binary, &trust.path).await;
    let head = sign_in(&server, HEAD_EMAIL).await;
    let samples = if o.smoke { 2 } else { 7 };
    rows.extend(
        office_rows(
            &server,
            &head,
            Office {
                carers: o.trust_carers,
                samples,
                dash: ("", Some(20.0)),
                fresh: Some(20.0),
                list: Some(300.0),
                csv: Some(2000.0),
                signers: &trust.parents,
            },
        )
        .await,
    );
    drop(server);
    // The first dashboard after start-up is counted from scratch, as after an import or a
    // publish (writes that can change anything). The session survives the restarts.
    let mut cold = Vec::new();
    let mut errors = 0;
    for _ in 0..samples.min(5) {
        let server = Server::start(&o.binary, &trust.path).await;
        let (t, e) = time_gets(&head, &format!("{}/office", server.base), 1).await;
        cold.extend(t);
        errors += e;
    }
    rows.push(row(
        format!(
            "3. dashboard, {} carers, counted from scratch (as after an import)",
            o.trust_carers
        ),
        cold.clone(),
        "ms",
        "≤ 300 ms",
        Some(median(&cold) <= 300.0),
        errors,
    ));
    rows
}

/// Scenario 2: signing, all at once, against plain SQLite inserts in the same rounds.
pub(super) async fn signing(o: &Options, dir: &tempfile::TempDir) -> Row {
    let say = |s: &str| eprintln!("bench: {s}");
    say("scenario 2: signing");
    let (mut sps, mut refs, mut errors) = (Vec::new(), Vec::new(), 0);
    for round in 0..o.rounds {
        let db = prepare(
            dir.path(),
            &format!("sign-{round}.db"),
            1,
            o.signers,
            0.0,
            0,
        )
        .await;
        let server = Server::start(&o.binary, &db.path).await;
        let (rate, e) = sign_all(&server, &db.parents).await;
        drop(server);
        let check = Db::open(&db.path).await.unwrap();
        let report = signoff::app::verify::verify(&check).await.unwrap();
        check.close().await;
        errors += e + usize::from(report.problem.is_some());
        sps.push(rate);
        refs.push(reference_inserts(dir.path(), o.signers).await);
    }
    let ref_rate = median(&refs);
    let mut r = row(
        format!("2. signing, {} parents at once", o.signers),
        sps.clone(),
        "sig/s",
        "≥ 1.0× reference, 0 errors, chain intact",
        Some(median(&sps) >= ref_rate && errors == 0),
        errors,
    );
    r.reference = Some(("SQLite, one row per transaction".into(), ref_rate));
    r
}

/// The plain program signing is compared with: rows of the same size inserted into SQLite with the
/// same settings, one transaction per row. Returns rows per second.
async fn reference_inserts(dir: &Path, rows: usize) -> f64 {
    use sqlx::ConnectOptions;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
    let path = dir.join(format!("reference-{}.db", free_port()));
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await
        .unwrap();
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT, d TEXT)")
        .execute(&mut conn)
        .await
        .unwrap();
    let record = DeclarationRecord {
        id: 1,
        school_id: 1,
        seq: 1,
        signed: Signed {
            carer_id: 1,
            document_id: 1,
            version_id: 1,
            children: "[{\"id\":1,\"name\":\"Child Family1\",\"class\":\"1A\"}]".into(),
            carer_name: "Carer1 Family1".into(),
            typed_name: "Carer1 Family1".into(),
            declaration_text: "x".repeat(300),
            text_sha256: "0".repeat(64),
            signed_at: "2026-11-21T10:00:00Z".into(),
            method: "online".into(),
            ip: "127.0.0.1".into(),
            user_agent:
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36"
                    .into(),
            recorded_by: None,
            received_on: None,
            note: String::new(),
            language: String::new(),
            shown_sha256: String::new(),
        },
        prev_hash: "0".repeat(64),
        personal_salt: "0".repeat(32),
        personal_sha256: "0".repeat(64),
    };
    let payload = serde_json::to_string(&record).unwrap();
    let t = Instant::now();
    for _ in 0..rows {
        let mut tx = sqlx::Connection::begin(&mut conn).await.unwrap();
        sqlx::query("INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?)")
            .bind(&payload)
            .bind("0".repeat(64))
            .bind("0".repeat(64))
            .bind("declaration.signed")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    rows as f64 / t.elapsed().as_secs_f64()
}

/// Signs as many parents as given, all at once; returns (signatures per second, errors).
pub(super) async fn sign_all(server: &Server, parents: &[(SigningCode, String)]) -> (f64, usize) {
    let c = client();
    let mut forms = Vec::new();
    let mut tasks = tokio::task::JoinSet::new();
    for (code, name) in parents.iter().cloned() {
        let (c, base) = (c.clone(), server.base.clone());
        tasks.spawn(async move {
            let url = format!("{base}/s/{}", code.as_str());
            let html = c.get(&url).send().await.ok()?.text().await.ok()?;
            Some((
                url,
                hidden(&html, "csrf"),
                hidden(&html, "version_id"),
                name,
            ))
        });
    }
    while let Some(Ok(f)) = tasks.join_next().await {
        forms.extend(f);
    }
    let mut errors = parents.len() - forms.len();
    let t = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (url, csrf, version, name) in forms {
        let c = c.clone();
        tasks.spawn(async move {
            let r = c
                .post(&url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("version_id", &version),
                    ("agree", "yes"),
                    ("typed_name", &name),
                ])
                .send()
                .await;
            matches!(r, Ok(r) if r.status() == 303)
        });
    }
    let mut ok = 0;
    while let Some(r) = tasks.join_next().await {
        if r.unwrap_or(false) {
            ok += 1;
        } else {
            errors += 1;
        }
    }
    (ok as f64 / t.elapsed().as_secs_f64(), errors)
}

fn roster_csv(rows: usize) -> String {
    let mut s = String::from(
        "pupil_mis_id,pupil_first_name,pupil_last_name,class,year_group,carer_mis_id,carer_first_name,carer_last_name,relationship,email,phone,address_1,town,postcode\n",
    );
    for i in 0..rows {
        let family = i / 2;
        s.push_str(&format!(
            "P{family},Child,Family{family},{}{},Year {},C{i},Carer{i},Family{family},Parent,carer{i}@example.org,07700 900{:03},{i} Long Road,Town,AB1 2CD\n",
            1 + family % 6,
            ["A", "B"][family / 6 % 2],
            1 + family % 6,
            i % 1000
        ));
    }
    s
}

/// Uploads and imports a roster; returns (preview ms, import ms).
async fn import_roster(server: &Server, c: &reqwest::Client, csv: String) -> (f64, f64) {
    let page = c
        .get(format!("{}/office/roster", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&page, "csrf");
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("roster.csv"),
        );
    let t = Instant::now();
    let res = c
        .post(format!("{}/office/roster", server.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "roster upload");
    let to = res.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    let html = c
        .get(format!("{}{to}", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let preview = t.elapsed().as_secs_f64() * 1000.0;
    let marker = "action=\"/office/roster/";
    let id: String = html
        .find(marker)
        .map(|i| {
            html[i + marker.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect()
        })
        .unwrap_or_default();
    let t = Instant::now();
    let res = c
        .post(format!("{}/office/roster/{id}/import", server.base))
        .form(&[("csrf", csrf), ("digest", hidden(&html, "digest"))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "roster import");
    (preview, t.elapsed().as_secs_f64() * 1000.0)
}
