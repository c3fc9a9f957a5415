//! The portal as a separate process: killed mid-signing, stopped politely, and signed by 1,000
//! parents at once.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use signoff::domain::code::SigningCode;
use signoff::store::{Db, carers, codes};

/// The built `signoff` binary serving a database file on a free port.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    pub async fn start(db: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_signoff"))
            .args([
                "--database",
                db.to_str().unwrap(),
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "server did not start");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A database with a school and `n` carers, each with a code: (carer id, code, name).
pub async fn prepare(dir: &Path, n: usize) -> (PathBuf, Vec<(i64, SigningCode, String)>) {
    let path = dir.join("signoff.db");
    let db = Db::open(&path).await.unwrap();
    let school = signoff::app::seed::first_start(&db, &signoff::SystemClock)
        .await
        .unwrap()
        .unwrap()
        .scope;
    let mut out = Vec::with_capacity(n);
    let mut tx = db.begin().await.unwrap();
    for i in 0..n {
        let (first, last) = (format!("Parent{i}"), "Load".to_string());
        let carer = carers::insert_carer(
            &mut *tx,
            carers::NewCarer {
                scope: school,
                mis_id: None,
                first_name: &first,
                last_name: &last,
                email: "",
                phone: "",
                address: "",
                postcode: "",
            },
            time::macros::datetime!(2026-11-01 09:00:00 UTC),
        )
        .await
        .unwrap();
        let pupil = carers::insert_pupil(
            &mut *tx,
            carers::NewPupil {
                scope: school,
                mis_id: None,
                first_name: "Kid",
                last_name: &format!("{i}"),
                class_name: "1A",
                year_group: "Year 1",
            },
            time::macros::datetime!(2026-11-01 09:00:00 UTC),
        )
        .await
        .unwrap();
        carers::link(&mut *tx, school, carer, pupil, "Parent")
            .await
            .unwrap();
        let code = SigningCode::generate();
        codes::replace(
            &mut tx,
            school,
            carer,
            &code.hash(),
            time::macros::datetime!(2026-11-01 09:00:00 UTC),
            None,
        )
        .await
        .unwrap();
        out.push((carer, code, format!("{first} {last}")));
    }
    tx.commit().await.unwrap();
    db.close().await;
    (path, out)
}

fn client() -> reqwest::Client {
    // Before any portal starts in this process, so the crypto provider is this test's to install
    // (see `fakes::http_client`); alone, or first in a run, the build would panic without it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// Opens the form and signs; returns the receipt address, or None if the server went away.
async fn sign(
    c: &reqwest::Client,
    base: &str,
    code: &SigningCode,
    name: &str,
) -> Result<Option<String>, String> {
    let url = format!("{base}/s/{}", code.as_str());
    let Ok(page) = c.get(&url).send().await else {
        return Ok(None);
    };
    if page.status() != 200 {
        return Err(format!("form: {}", page.status()));
    }
    let Ok(html) = page.text().await else {
        return Ok(None);
    };
    if html.contains("You have already signed") {
        return Ok(Some("already".into()));
    }
    let csrf = crate::helpers::hidden(&html, "csrf");
    let version = crate::helpers::hidden(&html, "version_id");
    let Ok(res) = c
        .post(&url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("version_id", &version),
            ("agree", "yes"),
            ("typed_name", name),
        ])
        .send()
        .await
    else {
        return Ok(None);
    };
    match res.status().as_u16() {
        303 => Ok(res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(String::from)),
        s => Err(format!(
            "sign: {s} {}",
            res.text().await.unwrap_or_default()
        )),
    }
}

async fn check_database(path: &Path, receipts: &[(i64, String)]) {
    let db = Db::open(path).await.unwrap();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db.read)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    for (carer, receipt) in receipts {
        let id: i64 = receipt
            .rsplit('/')
            .next()
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM declarations WHERE id = ? AND carer_id = ?")
                .bind(id)
                .bind(carer)
                .fetch_one(&db.read)
                .await
                .unwrap();
        assert_eq!(
            n, 1,
            "the declaration behind receipt {receipt} is there exactly once"
        );
    }
    let orphans: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM declarations d WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.subject = 'declaration:' || d.id)",
    )
    .fetch_one(&db.read)
    .await
    .unwrap();
    assert_eq!(orphans, 0, "no declaration without its audit event");
    let report = signoff::app::verify::verify(&db).await.unwrap();
    assert!(report.problem.is_none(), "{}", report.summary());
    db.close().await;
}

/// A small generator, so the test needs no extra crate: xorshift seeded from the clock.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[tokio::test]
async fn killing_the_portal_mid_signing_loses_nothing_and_leaves_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let (path, parents) = prepare(dir.path(), 120).await;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let mut receipts: Vec<(i64, String)> = Vec::new();
    let mut kills = 0;
    for round in 0..30 {
        let server = Server::start(&path).await;
        let c = client();
        let mut tasks = tokio::task::JoinSet::new();
        // Twelve parents at a time, chosen at random; some will already have signed.
        for _ in 0..12 {
            let (carer, code, name) = parents[rng.below(parents.len() as u64) as usize].clone();
            let (c, base) = (c.clone(), server.base.clone());
            tasks.spawn(async move { (carer, sign(&c, &base, &code, &name).await) });
        }
        // Most rounds kill within a signature's time; the last few wait longer, so that on a
        // loaded machine (a CI build beside it) some signatures still complete between kills.
        let wait = if round < 25 {
            5 + rng.below(120)
        } else {
            300 + rng.below(1200)
        };
        tokio::time::sleep(Duration::from_millis(wait)).await;
        drop(server); // SIGKILL, then reap.
        kills += 1;
        while let Some(joined) = tasks.join_next().await {
            let (carer, outcome) = joined.unwrap();
            match outcome {
                Ok(Some(r)) if r != "already" => receipts.push((carer, r)),
                Ok(_) => {}
                Err(e) => panic!(
                    "a parent got an error instead of a receipt or a dropped connection: {e}"
                ),
            }
        }
    }
    assert_eq!(kills, 30);
    assert!(
        !receipts.is_empty(),
        "some signatures completed between kills (seed {seed})"
    );
    check_database(&path, &receipts).await;
}

#[tokio::test]
async fn sigterm_lets_requests_finish_and_closes_the_database_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (path, parents) = prepare(dir.path(), 40).await;
    let server = Server::start(&path).await;
    let c = client();
    let mut tasks = tokio::task::JoinSet::new();
    for (carer, code, name) in parents.clone() {
        let (c, base) = (c.clone(), server.base.clone());
        tasks.spawn(async move { (carer, sign(&c, &base, &code, &name).await) });
    }
    tokio::time::sleep(Duration::from_millis(30)).await;
    let mut server = server;
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = server.child.wait().unwrap();
    assert!(status.success(), "exits cleanly on SIGTERM: {status:?}");
    let mut receipts = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (carer, outcome) = joined.unwrap();
        if let Ok(Some(r)) = outcome {
            receipts.push((carer, r));
        }
    }
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "the write-ahead log was checkpointed on close"
    );
    check_database(&path, &receipts).await;
}

#[tokio::test]
async fn a_thousand_parents_sign_at_once_without_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (path, parents) = prepare(dir.path(), 1000).await;
    let server = Server::start(&path).await;
    let c = client();
    let mut tasks = tokio::task::JoinSet::new();
    for (carer, code, name) in parents {
        let (c, base) = (c.clone(), server.base.clone());
        tasks.spawn(async move { (carer, sign(&c, &base, &code, &name).await) });
    }
    let mut receipts = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (carer, outcome) = joined.unwrap();
        match outcome {
            Ok(Some(r)) => receipts.push((carer, r)),
            other => panic!("parent {carer}: {other:?}"),
        }
    }
    assert_eq!(receipts.len(), 1000);
    drop(server);
    check_database(&path, &receipts).await;
}
