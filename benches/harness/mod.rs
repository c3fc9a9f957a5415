//! The benchmark harness: synthetic schools, the real binary as a child process, a load generator,
//! and one table of medians, spreads, references and ratios. Shared by `cargo bench --bench portal`
//! (through `scripts/bench`) and a smoke test in the suite, so it cannot rot.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use signoff::domain::code::SigningCode;
use signoff::domain::evidence::DeclarationRecord;
use signoff::domain::evidence::Signed;
use signoff::store::declarations::{self, NewDeclaration};
use signoff::store::{Db, carers, codes, staff};

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub binary: PathBuf,
    pub smoke: bool,
    pub rounds: usize,
    pub seconds: u64,
    pub school_carers: usize,
    pub trust_carers: usize,
    pub signers: usize,
    pub import_small: usize,
    pub import_large: usize,
    pub storm: usize,
}

impl Options {
    /// The full run: a 3,000-carer school, the trust's 100,000 carers, 1,000 signers.
    pub fn full(binary: PathBuf) -> Options {
        Options {
            binary,
            smoke: false,
            rounds: 3,
            seconds: 8,
            school_carers: 3_000,
            trust_carers: 100_000,
            signers: 1_000,
            import_small: 3_000,
            import_large: 100_000,
            storm: 50,
        }
    }

    /// Seconds, tiny data: proves every scenario still runs.
    pub fn smoke(binary: PathBuf) -> Options {
        Options {
            binary,
            smoke: true,
            rounds: 1,
            seconds: 1,
            school_carers: 60,
            trust_carers: 200,
            signers: 20,
            import_small: 30,
            import_large: 100,
            storm: 3,
        }
    }

    /// `--binary PATH` (default `target/release/signoff`) and `--smoke`.
    pub fn from_args(args: Vec<String>) -> Options {
        let mut binary = PathBuf::from("target/release/signoff");
        let mut smoke = false;
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--binary" => binary = it.next().map(PathBuf::from).unwrap_or(binary),
                "--smoke" => smoke = true,
                _ => {}
            }
        }
        if smoke {
            Options::smoke(binary)
        } else {
            Options::full(binary)
        }
    }
}

/// One line of the results table.
#[derive(Debug, Clone)]
pub struct Row {
    pub scenario: String,
    pub samples: Vec<f64>,
    pub unit: &'static str,
    pub reference: Option<(String, f64)>,
    /// Whether the target was met, and the target in words.
    pub target: String,
    pub met: Option<bool>,
    pub errors: usize,
}

impl Row {
    pub fn median(&self) -> f64 {
        median(&self.samples)
    }
}

pub fn median(v: &[f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn spread(v: &[f64]) -> String {
    let min = v.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if v.len() < 2 {
        "-".into()
    } else {
        format!("{}–{}", fmt(min), fmt(max))
    }
}

fn fmt(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// The results as a Markdown table.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| scenario | median | spread | reference | ratio | target | met |\n|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let (reference, ratio) = match &r.reference {
            Some((name, value)) if *value > 0.0 => (
                format!("{name}: {} {}", fmt(*value), r.unit),
                format!("{:.2}×", r.median() / value),
            ),
            Some((name, _)) => (name.clone(), "-".into()),
            None => ("-".into(), "-".into()),
        };
        out.push_str(&format!(
            "| {} | {} {} | {} | {} | {} | {}{} | {} |\n",
            r.scenario,
            fmt(r.median()),
            r.unit,
            spread(&r.samples),
            reference,
            ratio,
            r.target,
            if r.errors > 0 {
                format!(" ({} errors)", r.errors)
            } else {
                String::new()
            },
            match r.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "-",
            }
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Synthetic data

pub const HEAD_EMAIL: &str = "bench-head@example.org";
pub const PASSWORD: &str = "benchmark pass phrase";

/// A prepared database: the first school's parents and their codes.
pub struct Prepared {
    pub path: PathBuf,
    pub parents: Vec<(SigningCode, String)>,
}

/// Builds a database with `schools` schools of `per_school` carers each (one or two children in
/// 12 classes), 60% of them signed, a headteacher with a known password, and `extra_staff` office
/// accounts (for the sign-in storm).
pub async fn prepare(
    dir: &Path,
    name: &str,
    schools: usize,
    per_school: usize,
    signed: f64,
    extra_staff: usize,
) -> Prepared {
    let path = dir.join(name);
    let db = Db::open(&path).await.unwrap();
    let clock = signoff::SystemClock;
    let first = signoff::app::seed::first_start(&db, &clock)
        .await
        .unwrap()
        .unwrap();
    let hash = signoff::domain::password::hash(PASSWORD).unwrap();
    let now = "2026-11-01T09:00:00Z";
    let mut parents = Vec::new();
    for s in 0..schools {
        let mut tx = db.begin().await.unwrap();
        let school_id = if s == 0 {
            first.school_id
        } else {
            let id = signoff::store::schools::insert(
                &mut *tx,
                &format!("school-{s}"),
                &format!("School {s}"),
                "",
                "",
                now,
            )
            .await
            .unwrap();
            let doc =
                signoff::store::documents::insert_document(&mut *tx, id, "code", "Code", 0, now)
                    .await
                    .unwrap();
            let v = signoff::store::documents::version(&mut *tx, 1)
                .await
                .unwrap()
                .unwrap();
            signoff::store::documents::insert_version(
                &mut *tx,
                signoff::store::documents::NewVersion {
                    school_id: id,
                    document_id: doc,
                    number: 1,
                    wording: &v.wording,
                    summary: &v.summary,
                    material: true,
                    canonical_text: &v.canonical_text,
                    sha256: &v.sha256,
                    published_at: now,
                    published_by: None,
                },
            )
            .await
            .unwrap();
            id
        };
        if s == 0 {
            let head = staff::insert_user(
                &mut *tx,
                school_id,
                HEAD_EMAIL,
                "Bench Head",
                "headteacher",
                now,
            )
            .await
            .unwrap();
            staff::set_password(&mut *tx, head, &hash).await.unwrap();
            for i in 0..extra_staff {
                let id = staff::insert_user(
                    &mut *tx,
                    school_id,
                    &format!("office{i}@example.org"),
                    "Office",
                    "office",
                    now,
                )
                .await
                .unwrap();
                staff::set_password(&mut *tx, id, &hash).await.unwrap();
            }
        }
        let (doc_id, version_id, sha, wording): (i64, i64, String, String) = sqlx::query_as(
            "SELECT document_id, id, sha256, declaration_text FROM versions WHERE school_id = ?",
        )
        .bind(school_id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let mut pupil = 0;
        for i in 0..per_school {
            let first_name = format!("Carer{i}");
            let last_name = format!("Family{}", i / 2);
            let carer = carers::insert_carer(
                &mut *tx,
                carers::NewCarer {
                    school_id,
                    mis_id: None,
                    first_name: &first_name,
                    last_name: &last_name,
                    email: "",
                    phone: "",
                    address: "1 Bench Road\nTown",
                    postcode: "AB1 2CD",
                },
                now,
            )
            .await
            .unwrap();
            // Pairs of carers share children; every fourth family has two.
            if i % 2 == 0 {
                for _ in 0..(1 + usize::from(i % 8 == 0)) {
                    pupil = carers::insert_pupil(
                        &mut *tx,
                        carers::NewPupil {
                            school_id,
                            mis_id: None,
                            first_name: "Child",
                            last_name: &last_name,
                            class_name: &format!("{}{}", 1 + (i / 2) % 6, ["A", "B"][(i / 12) % 2]),
                            year_group: &format!("Year {}", 1 + (i / 2) % 6),
                        },
                        now,
                    )
                    .await
                    .unwrap();
                    carers::link(&mut *tx, carer, pupil, "Parent")
                        .await
                        .unwrap();
                }
            } else {
                carers::link(&mut *tx, carer, pupil, "Parent")
                    .await
                    .unwrap();
            }
            let code = SigningCode::generate();
            codes::replace(&mut tx, school_id, carer, &code.hash(), now, None)
                .await
                .unwrap();
            if (i as f64) < signed * per_school as f64 {
                declarations::append(
                    &mut tx,
                    NewDeclaration {
                        school_id,
                        signed: Signed {
                            carer_id: carer,
                            document_id: doc_id,
                            version_id,
                            children: "[]".into(),
                            carer_name: format!("{first_name} {last_name}"),
                            typed_name: format!("{first_name} {last_name}"),
                            declaration_text: wording.clone(),
                            text_sha256: sha.clone(),
                            signed_at: now.into(),
                            method: "online".into(),
                            ip: "127.0.0.1".into(),
                            user_agent: "bench".into(),
                            recorded_by: None,
                            received_on: None,
                            note: String::new(),
                        },
                    },
                    "system",
                )
                .await
                .unwrap();
            } else if s == 0 {
                parents.push((code, format!("{first_name} {last_name}")));
            }
        }
        tx.commit().await.unwrap();
    }
    db.close().await;
    Prepared { path, parents }
}

// ---------------------------------------------------------------------------------------------
// Processes

/// The portal binary serving a database.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub port: u16,
    pub started_in: Duration,
}

impl Server {
    pub async fn start(binary: &Path, db: &Path) -> Server {
        let port = free_port();
        let t = Instant::now();
        let child = Command::new(binary)
            .args([
                "--database",
                db.to_str().unwrap(),
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "starting {}: {e} (run `cargo build --release` first)",
                    binary.display()
                )
            });
        let c = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        loop {
            if let Ok(r) = c.get(format!("{base}/")).send().await
                && r.status() == 200
            {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "server did not start"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Server {
            child,
            base,
            port,
            started_in: t.elapsed(),
        }
    }

    /// Resident memory in MB, from /proc.
    pub fn rss_mb(&self) -> f64 {
        rss_mb(self.child.id())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

pub fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<f64>()
                    .unwrap_or(0.0)
            })
        })
        .unwrap_or(0.0)
        / 1024.0
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// nginx serving one file at one path, as the reference for the signing page.
pub struct Nginx {
    child: Child,
    pub url: String,
}

impl Nginx {
    pub async fn start(dir: &Path, path: &str, body: &[u8]) -> Option<Nginx> {
        let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .find(|p| Path::new(p).exists())?;
        let root = dir.join("nginx");
        std::fs::create_dir_all(root.join("logs")).unwrap();
        std::fs::write(root.join("page.html"), body).unwrap();
        let port = free_port();
        let conf = format!(
            "worker_processes auto; daemon off; pid {root}/nginx.pid; error_log {root}/logs/error.log;\n\
             events {{ worker_connections 1024; }}\n\
             http {{ access_log off; client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;\n\
               uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;\n\
               server {{ listen 127.0.0.1:{port}; location = {path} {{ default_type text/html; alias {root}/page.html; }} }} }}\n",
            root = root.display()
        );
        std::fs::write(root.join("nginx.conf"), conf).unwrap();
        let child = Command::new(nginx)
            .args([
                "-c",
                root.join("nginx.conf").to_str().unwrap(),
                "-p",
                root.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let url = format!("http://127.0.0.1:{port}{path}");
        for _ in 0..500 {
            if reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) {
                return Some(Nginx { child, url });
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        None
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-QUIT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// Requests per second and p99 latency (ms) of GETs to `url` from 64 connections.
pub async fn load(url: &str, seconds: u64, connections: usize, smoke: bool) -> (f64, f64, usize) {
    let wrk = Path::new("/usr/bin/wrk");
    if !smoke && wrk.exists() {
        let out = Command::new(wrk)
            .args([
                "-t2",
                &format!("-c{connections}"),
                &format!("-d{seconds}s"),
                "--latency",
                url,
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let rps = text
            .lines()
            .find(|l| l.starts_with("Requests/sec:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0.0);
        let p99 = text
            .lines()
            .find(|l| l.trim_start().starts_with("99%"))
            .and_then(|l| parse_wrk_time(l.split_whitespace().nth(1)?))
            .unwrap_or(0.0);
        let errors = text
            .lines()
            .filter(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
            .map(|l| {
                l.split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<usize>().ok())
                    .sum::<usize>()
            })
            .sum();
        return (rps, p99, errors);
    }
    builtin_load(url, seconds, connections.min(16)).await
}

fn parse_wrk_time(s: &str) -> Option<f64> {
    if let Some(v) = s.strip_suffix("us") {
        v.parse::<f64>().ok().map(|v| v / 1000.0)
    } else if let Some(v) = s.strip_suffix("ms") {
        v.parse().ok()
    } else {
        s.strip_suffix('s')
            .and_then(|v| v.parse::<f64>().ok())
            .map(|v| v * 1000.0)
    }
}

/// A small closed-loop load generator, for when wrk is not installed (the smoke run).
async fn builtin_load(url: &str, seconds: u64, connections: usize) -> (f64, f64, usize) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let url = url.to_string();
        tasks.spawn(async move {
            let c = reqwest::Client::new();
            let (mut lat, mut errors) = (Vec::new(), 0);
            while Instant::now() < deadline {
                let t = Instant::now();
                match c.get(&url).send().await {
                    Ok(r) if r.status() == 200 => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        });
    }
    let (mut all, mut errors) = (Vec::new(), 0);
    while let Some(Ok((lat, e))) = tasks.join_next().await {
        all.extend(lat);
        errors += e;
    }
    all.sort_by(|a, b| a.total_cmp(b));
    let p99 = all
        .get(all.len().saturating_sub(1) * 99 / 100)
        .copied()
        .unwrap_or(0.0);
    (all.len() as f64 / seconds as f64, p99, errors)
}

// ---------------------------------------------------------------------------------------------
// Scenarios

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap()
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.find(&marker)
        .map(|i| {
            html[i + marker.len()..]
                .split('"')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default()
}

async fn sign_in(server: &Server, email: &str) -> reqwest::Client {
    let c = client();
    let page = c
        .get(format!("{}/staff/sign-in", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(format!("{}/staff/sign-in", server.base))
        .form(&[
            ("csrf", hidden(&page, "csrf").as_str()),
            ("email", email),
            ("password", PASSWORD),
            ("next", "/office"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "bench sign-in");
    c
}

/// Times `n` sequential GETs, in milliseconds.
async fn time_gets(c: &reqwest::Client, url: &str, n: usize) -> (Vec<f64>, usize) {
    let mut out = Vec::new();
    let mut errors = 0;
    for _ in 0..n {
        let t = Instant::now();
        match c.get(url).send().await {
            Ok(r) if r.status() == 200 => {
                let _ = r.bytes().await;
                out.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            _ => errors += 1,
        }
    }
    (out, errors)
}

/// The office scenario for one school: the dashboard (kept, then right after a change), one
/// class's outstanding list and the CSV export, against targets in milliseconds where given.
async fn office_rows(
    server: &Server,
    head: &reqwest::Client,
    carers: usize,
    samples: usize,
    (dash_suffix, dash_target): (&str, Option<f64>),
    list_target: Option<f64>,
    csv_target: Option<f64>,
) -> Vec<Row> {
    let timed = |name: String, v: Vec<f64>, target: Option<f64>, errors: usize| {
        let met = target.map(|t| median(&v) < t);
        row(
            name,
            v,
            "ms",
            target.map_or("-".into(), |t| format!("< {t} ms")),
            met,
            errors,
        )
    };
    let (dash, e1) = time_gets(head, &format!("{}/office", server.base), samples).await;
    let (cold, e2) = time_after_write(
        server,
        head,
        &format!("{}/office", server.base),
        samples.min(10),
    )
    .await;
    let (list, e3) = time_gets(
        head,
        &format!("{}/office/carers?class=3A&status=outstanding", server.base),
        samples,
    )
    .await;
    let (csv, e4) = time_gets(
        head,
        &format!("{}/office/export.csv", server.base),
        samples.min(10),
    )
    .await;
    vec![
        timed(
            format!("3. dashboard, {carers} carers{dash_suffix}"),
            dash,
            dash_target,
            e1,
        ),
        timed(
            format!("3. dashboard, {carers} carers, right after a change"),
            cold,
            None,
            e2,
        ),
        timed(
            format!("3. outstanding in one class, {carers} carers"),
            list,
            list_target,
            e3,
        ),
        timed(
            format!("3. CSV export, {carers} carers"),
            csv,
            csv_target,
            e4,
        ),
    ]
}

/// Times GET `url` right after a write (a new code for carer 1), so nothing kept can be reused.
async fn time_after_write(
    server: &Server,
    c: &reqwest::Client,
    url: &str,
    n: usize,
) -> (Vec<f64>, usize) {
    let (mut out, mut errors) = (Vec::new(), 0);
    for _ in 0..n {
        let page = c
            .get(format!("{}/office/carers/1", server.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let r = c
            .post(format!("{}/office/carers/1/code", server.base))
            .form(&[("csrf", hidden(&page, "csrf"))])
            .send()
            .await
            .unwrap();
        errors += usize::from(r.status() != 200);
        let (t, e) = time_gets(c, url, 1).await;
        out.extend(t);
        errors += e;
    }
    (out, errors)
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
        },
        prev_hash: "0".repeat(64),
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
async fn sign_all(server: &Server, parents: &[(SigningCode, String)]) -> (f64, usize) {
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

fn row(
    scenario: impl Into<String>,
    samples: Vec<f64>,
    unit: &'static str,
    target: impl Into<String>,
    met: Option<bool>,
    errors: usize,
) -> Row {
    Row {
        scenario: scenario.into(),
        samples,
        unit,
        reference: None,
        target: target.into(),
        met,
        errors,
    }
}

/// Runs every scenario and returns the table's rows.
pub async fn run(o: &Options) -> Vec<Row> {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    let say = |s: &str| eprintln!("bench: {s}");

    say("preparing a school");
    let school = prepare(dir.path(), "school.db", 1, o.school_carers, 0.6, o.storm).await;
    let server = Server::start(&o.binary, &school.path).await;
    let idle = server.rss_mb();
    let (code, _) = &school.parents[0];
    let page_url = format!("{}/s/{}", server.base, code.as_str());
    let page = reqwest::get(&page_url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();

    // 1. Reading the code of conduct.
    say("scenario 1: reading");
    let nginx = Nginx::start(dir.path(), &format!("/s/{}", code.as_str()), &page).await;
    let (mut ours, mut reference, mut p99s, mut errors, mut peak) =
        (Vec::new(), Vec::new(), Vec::new(), 0, idle);
    for _ in 0..o.rounds {
        if let Some(n) = &nginx {
            reference.push(load(&n.url, o.seconds, 64, o.smoke).await.0);
        }
        let sampler = {
            let pid = server.child.id();
            tokio::spawn(async move {
                let mut max: f64 = 0.0;
                for _ in 0..200 {
                    max = max.max(rss_mb(pid));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                max
            })
        };
        let (rps, p99, e) = load(&page_url, o.seconds, 64, o.smoke).await;
        sampler.abort();
        peak = peak.max(server.rss_mb());
        ours.push(rps);
        p99s.push(p99);
        errors += e;
    }
    drop(nginx);
    let nginx_rps = median(&reference);
    let ratio = if nginx_rps > 0.0 {
        Some(median(&ours) / nginx_rps)
    } else {
        None
    };
    let mut r = row(
        "1. signing page, 64 connections",
        ours.clone(),
        "req/s",
        "≥ 0.5× nginx",
        ratio.map(|x| x >= 0.5),
        errors,
    );
    r.reference = Some((
        if nginx_rps > 0.0 {
            "nginx, same bytes".into()
        } else {
            "nginx not installed".into()
        },
        nginx_rps,
    ));
    rows.push(r);
    rows.push(row(
        "1. signing page p99",
        p99s.clone(),
        "ms",
        "< 10 ms",
        Some(median(&p99s) < 10.0),
        0,
    ));

    // 7. Sign-in storm while parents read.
    say("scenario 7: sign-in storm");
    let (mut storm_p99, mut storm_errors) = (Vec::new(), 0);
    for _ in 0..o.rounds {
        let base = server.base.clone();
        let storm = tokio::spawn({
            let n = o.storm;
            async move {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let mut t = tokio::task::JoinSet::new();
                for i in 0..n {
                    let base = base.clone();
                    t.spawn(async move {
                        let c = client();
                        let page = c
                            .get(format!("{base}/staff/sign-in"))
                            .send()
                            .await
                            .ok()?
                            .text()
                            .await
                            .ok()?;
                        let r = c
                            .post(format!("{base}/staff/sign-in"))
                            .form(&[
                                ("csrf", hidden(&page, "csrf").as_str()),
                                ("email", &format!("office{i}@example.org")),
                                ("password", PASSWORD),
                                ("next", "/office"),
                            ])
                            .send()
                            .await
                            .ok()?;
                        Some(r.status() == 303)
                    });
                }
                let mut ok = 0;
                while let Some(Ok(r)) = t.join_next().await {
                    ok += usize::from(r == Some(true));
                }
                ok
            }
        });
        let (_, p99, _) = load(&page_url, o.seconds, 64, o.smoke).await;
        let signed_in = storm.await.unwrap_or(0);
        storm_p99.push(p99);
        storm_errors += o.storm - signed_in.min(o.storm);
    }
    rows.push(row(
        format!("7. signing page p99 during {} staff sign-ins", o.storm),
        storm_p99.clone(),
        "ms",
        "< 20 ms",
        Some(median(&storm_p99) < 20.0),
        storm_errors,
    ));

    // 3 (school). Office status.
    say("scenario 3: office status (school)");
    let head = sign_in(&server, HEAD_EMAIL).await;
    let samples = if o.smoke { 3 } else { 25 };
    rows.extend(
        office_rows(
            &server,
            &head,
            o.school_carers,
            samples,
            (" (p50)", Some(20.0)),
            None,
            None,
        )
        .await,
    );

    // 5. Letters for the whole school.
    say("scenario 5: letters");
    let mut letters = Vec::new();
    for _ in 0..o.rounds {
        let page = head
            .get(format!("{}/office/letters?status=all", server.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let t = Instant::now();
        let r = head
            .post(format!("{}/office/letters", server.base))
            .form(&[
                ("csrf", hidden(&page, "csrf").as_str()),
                ("doc", "1"),
                ("class", ""),
                ("status", "all"),
                ("q", ""),
            ])
            .send()
            .await
            .unwrap();
        let body = r.text().await.unwrap();
        letters.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(
            body.matches("<article class=\"letter\"").count(),
            o.school_carers,
            "one letter per carer"
        );
    }
    rows.push(row(
        format!("5. letters for {} carers", o.school_carers),
        letters.clone(),
        "ms",
        "< 3000 ms",
        Some(median(&letters) < 3000.0),
        0,
    ));

    // 6. Footprint.
    say("scenario 6: footprint");
    rows.push(row(
        "6. memory idle",
        vec![idle],
        "MB",
        "< 20 MB",
        Some(idle < 20.0),
        0,
    ));
    rows.push(row(
        "6. memory under scenario 1",
        vec![peak],
        "MB",
        "< 50 MB",
        Some(peak < 50.0),
        0,
    ));
    let gz = reqwest::Client::builder().build().unwrap();
    let mut bytes = 0usize;
    let mut external = false;
    for url in [
        page_url.clone(),
        format!("{}/static/site.css", server.base),
        format!("{}/static/print.js", server.base),
    ] {
        let r = gz
            .get(&url)
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        let body = r.bytes().await.unwrap();
        if url == page_url {
            let text = String::from_utf8_lossy(&page);
            external = text.contains("src=\"http")
                || text.contains("href=\"http")
                || text.contains("url(http");
        }
        bytes += body.len();
    }
    let kb = bytes as f64 / 1024.0;
    rows.push(row(
        "6. signing page, all it loads, compressed",
        vec![kb],
        "KB",
        "< 40 KB, no other host",
        Some(kb < 40.0 && !external),
        usize::from(external),
    ));
    drop(head);
    drop(server);
    let mut starts = Vec::new();
    for _ in 0..o.rounds.max(3) {
        let s = Server::start(&o.binary, &school.path).await;
        starts.push(s.started_in.as_secs_f64() * 1000.0);
    }
    rows.push(row(
        "6. start-up to first answer",
        starts.clone(),
        "ms",
        "< 200 ms",
        Some(median(&starts) < 200.0),
        0,
    ));

    // 2. Signing.
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
        "≥ 0.5× reference, 0 errors, chain intact",
        Some(median(&sps) >= 0.5 * ref_rate && errors == 0),
        errors,
    );
    r.reference = Some(("SQLite, one row per transaction".into(), ref_rate));
    rows.push(r);

    // 4. Roster import.
    say("scenario 4: roster import");
    for (n, target) in [(o.import_small, 1000.0), (o.import_large, 20_000.0)] {
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
            format!("< {} s", target / 1000.0),
            Some(median(&totals) < target),
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
            o.trust_carers,
            samples,
            ("", Some(300.0)),
            Some(300.0),
            Some(2000.0),
        )
        .await,
    );
    rows
}
