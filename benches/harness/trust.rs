//! Scenario 9: a trust of many schools in one instance. Its administrator's dashboard (GET
//! /trust) right after a change in one school and counted from scratch, and parents of many
//! schools signing at once; each against one school of the same size, measured in the same run
//! and taken in turns with it, so the machine's noise falls on both.

use std::path::{Path, PathBuf};
use std::time::Instant;

use signoff::domain::code::SigningCode;
use signoff::store::{Db, staff};

use super::client::{row, sign_in, time_after_signature, time_after_write_by, time_gets};
use super::fresh::sign_all;
use super::{HEAD_EMAIL, Options, PASSWORD, Prepared, Row, Server, median, prepare};

/// The trust administrator's email (their password is [`PASSWORD`]).
pub const TRUST_EMAIL: &str = "bench-trust@example.org";

/// Half of each school has signed, so half (1,000 of 2,000) are left to sign at once.
const SIGNED: f64 = 0.5;

/// Runs scenario 9 in `dir` and returns its rows.
pub(super) async fn scenario(o: &Options, dir: &tempfile::TempDir) -> Vec<Row> {
    let started = Instant::now();
    let (n, per) = (o.trust_schools, o.trust_school_carers);
    let say = |s: String| eprintln!("bench: {s}");
    say(format!(
        "scenario 9: a trust of {n} schools of {per} carers"
    ));
    let t = Instant::now();
    let one = prepare(dir.path(), "trust-one.db", 1, per, SIGNED, 0).await;
    let all = prepare(dir.path(), "trust-all.db", n, per, SIGNED, 0).await;
    add_trust_admin(&all.path).await;
    say(format!("  prepared in {:.1} s", t.elapsed().as_secs_f64()));

    // Signing first, on copies, while every school still has its unsigned half.
    let t = Instant::now();
    let signers = o.signers.min(one.parents.len());
    let across = round_robin(&all, signers, false);
    let (mut one_rates, mut all_rates, mut errors) = (Vec::new(), Vec::new(), 0);
    for round in 0..o.rounds {
        let (rate, e) = sign_copy(
            o,
            &one.path,
            dir,
            &format!("one-{round}"),
            &one.parents[..signers],
        )
        .await;
        one_rates.push(rate);
        let (rate, e2) = sign_copy(o, &all.path, dir, &format!("all-{round}"), &across).await;
        all_rates.push(rate);
        errors += e + e2;
    }
    say(format!("  signing in {:.1} s", t.elapsed().as_secs_f64()));

    let t = Instant::now();
    let mut rows = dashboards(o, &one, &all).await;
    say(format!(
        "  dashboards in {:.1} s",
        t.elapsed().as_secs_f64()
    ));

    let mut r = row(
        format!("9. signing across {n} schools × {per} carers, {signers} parents at once"),
        all_rates,
        "sig/s",
        "0 errors, chain intact",
        Some(errors == 0),
        errors,
    );
    r.reference = Some((
        format!("one school of {per} carers, {signers} parents"),
        median(&one_rates),
    ));
    rows.push(r);
    say(format!(
        "  scenario 9 took {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    rows
}

/// The trust's dashboard against one school's, right after a new code, right after a signature,
/// and counted from scratch (the first request after start-up).
async fn dashboards(o: &Options, one: &Prepared, all: &Prepared) -> Vec<Row> {
    let (n, per) = (o.trust_schools, o.trust_school_carers);
    let samples = if o.smoke { 2 } else { 10 };
    let mut errors = [0; 3];
    // (trust, one school) in milliseconds.
    let [mut changed, mut signed, mut cold] = <[(Vec<f64>, Vec<f64>); 3]>::default();
    let school = Server::start(&o.binary, &one.path).await;
    let trust = Server::start(&o.binary, &all.path).await;
    let head = sign_in(&school, HEAD_EMAIL).await;
    let trust_head = sign_in(&trust, HEAD_EMAIL).await;
    let admin = sign_in(&trust, TRUST_EMAIL).await;
    let urls = |school: &Server, trust: &Server| {
        (
            format!("{}/office", school.base),
            format!("{}/trust", trust.base),
        )
    };
    let (school_url, trust_url) = urls(&school, &trust);
    // Each counted once, as a dashboard in use has been; the trust's shows every school.
    errors[0] += time_gets(&head, &school_url, 1).await.1;
    let page = admin.get(&trust_url).send().await.unwrap();
    let page = page.text().await.unwrap();
    let whole = format!("{n} schools: 50% of {} carers signed", n * per);
    assert!(page.contains(&whole), "the trust's page: {whole}");
    for _ in 0..samples {
        let (t, e) = time_after_write_by(&school, &head, &head, &school_url, 1).await;
        changed.1.extend(t);
        // A new code in the trust's first school, made by its headteacher.
        let (t, e2) = time_after_write_by(&trust, &trust_head, &admin, &trust_url, 1).await;
        changed.0.extend(t);
        errors[0] += e + e2;
    }
    // One signature at a time, each in the next school.
    let late = round_robin(all, samples, true);
    let first = one.parents.len() - samples;
    for (i, s) in late.iter().enumerate() {
        let mine = &one.parents[first + i..first + i + 1];
        let (t, e) = time_after_signature(&school, &head, &school_url, mine).await;
        signed.1.extend(t);
        let theirs = std::slice::from_ref(s);
        let (t, e2) = time_after_signature(&trust, &admin, &trust_url, theirs).await;
        signed.0.extend(t);
        errors[1] += e + e2;
    }
    drop((school, trust));
    // The first dashboard after start-up counts every school from nothing; sessions survive.
    for _ in 0..samples.min(5) {
        let school = Server::start(&o.binary, &one.path).await;
        let trust = Server::start(&o.binary, &all.path).await;
        let (school_url, trust_url) = urls(&school, &trust);
        let (t, e) = time_gets(&head, &school_url, 1).await;
        cold.1.extend(t);
        let (t, e2) = time_gets(&admin, &trust_url, 1).await;
        cold.0.extend(t);
        errors[2] += e + e2;
    }
    let reference = format!("one school of {per} carers");
    let name = format!("9. trust dashboard, {n} schools × {per} carers");
    let timed = |what: &str, (trust, school): (Vec<f64>, Vec<f64>), errors: usize| {
        let mut r = row(format!("{name}, {what}"), trust, "ms", "-", None, errors);
        r.reference = Some((reference.clone(), median(&school)));
        r
    };
    vec![
        timed("right after a change (a new code)", changed, errors[0]),
        timed("right after a signature", signed, errors[1]),
        timed("counted from scratch (after start-up)", cold, errors[2]),
    ]
}

/// `count` unsigned parents taken from each school in turn: from the front of each school's
/// list, or from the back when `back`.
fn round_robin(p: &Prepared, count: usize, back: bool) -> Vec<(SigningCode, String)> {
    let schools = p.by_school.len();
    (0..count)
        .filter_map(|i| {
            let list = &p.by_school[i % schools];
            let k = i / schools;
            let at = if back {
                list.len().checked_sub(k + 1)?
            } else {
                k
            };
            list.get(at).cloned()
        })
        .collect()
}

/// Signs `parents` at once on a copy of `db`; returns (signatures per second, errors). Every
/// school's chain must then hold, with one more declaration per signature.
async fn sign_copy(
    o: &Options,
    db: &Path,
    dir: &tempfile::TempDir,
    name: &str,
    parents: &[(SigningCode, String)],
) -> (f64, usize) {
    let t = Instant::now();
    let copy = dir.path().join(format!("trust-sign-{name}.db"));
    copy_db(db, &copy);
    let before = chains(&copy).await;
    let server = Server::start(&o.binary, &copy).await;
    let started = t.elapsed().as_secs_f64();
    let (rate, e) = sign_all(&server, parents).await;
    drop(server);
    let signed = t.elapsed().as_secs_f64();
    let after = chains(&copy).await;
    eprintln!(
        "bench:   signing {name}: copied and started in {started:.1} s, pages read and signed by \
         {signed:.1} s, chains checked by {:.1} s",
        t.elapsed().as_secs_f64()
    );
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&copy, suffix));
    }
    let wrong = match (before, after) {
        (Some(b), Some(a)) => usize::from(a != b + parents.len()),
        _ => 1,
    };
    (rate, e + wrong)
}

/// Checks every school's chain of declarations; returns how many there are, or `None` if a
/// chain is broken.
async fn chains(path: &Path) -> Option<usize> {
    use signoff::domain::chain::check_chain;
    use signoff::domain::erasure::links;
    use signoff::store::{declarations, erasure, schools};
    let db = Db::open(path).await.unwrap();
    let mut total = Some(0);
    for (id, _) in schools::names(&db.read).await.unwrap() {
        let rows = declarations::chain(&db.read, id).await.unwrap();
        let erased = erasure::chain(&db.read, id).await.unwrap();
        let rows = links(&rows, &erased);
        total = total.zip(check_chain(&rows).ok()).map(|(a, b)| a + b);
    }
    db.close().await;
    total
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Copies a closed database (and its write-ahead log, if one was left).
fn copy_db(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    if with_suffix(from, "-wal").exists() {
        std::fs::copy(with_suffix(from, "-wal"), with_suffix(to, "-wal")).unwrap();
    }
}

/// A trust administrator (role `trust`, no school) with the bench password.
async fn add_trust_admin(path: &Path) {
    let db = Db::open(path).await.unwrap();
    let now = time::macros::datetime!(2026-11-01 09:00:00 UTC);
    let hash = signoff::domain::password::hash(PASSWORD).unwrap();
    let mut tx = db.begin().await.unwrap();
    let id = staff::insert_user(&mut *tx, None, TRUST_EMAIL, "Bench Trust", "trust", now)
        .await
        .unwrap();
    staff::set_password(&mut *tx, None, id, &hash)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close().await;
}
