//! Scenario 8: a campaign of emails to a local SMTP server. `signoff invite` queues one invitation
//! per outstanding carer and the running portal's sender works through the outbox; measured are
//! the time from queueing until every message is sent, the server's peak memory meanwhile, and
//! the signing page's latency under load while they go out against the same without a campaign.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};
use tokio::time::Instant;

use super::client::row;
use super::process::{Load, free_port, load_latency, peak_rss_mb};
use super::smtp::Sink;
use super::{Options, Prepared, Row, Server, median, prepare};

/// What one campaign alone measured.
struct Sent {
    /// Seconds from `signoff invite` returning until the sink had every message and the outbox
    /// had none queued or sending.
    secs: f64,
    /// Seconds from `signoff invite` returning until the sink accepted the first message.
    first_secs: f64,
    /// Messages that did not end as sent, and messages the sink did not get.
    errors: usize,
    connections: usize,
}

/// Runs scenario 8 in `dir` and returns its rows.
pub(super) async fn scenario(o: &Options, dir: &tempfile::TempDir) -> Vec<Row> {
    let n = o.emails;
    eprintln!("bench: scenario 8: {n} emails to a local SMTP server");
    let (mut times, mut peaks, mut idles, mut alone, mut loaded) =
        (vec![], vec![], vec![], vec![], vec![]);
    let (mut p50s, mut p99s, mut base50, mut base99) = (vec![], vec![], vec![], vec![]);
    let (mut send_errors, mut load_errors) = (0, 0);
    for round in 0..o.rounds {
        // Alone: how long the whole campaign takes, and the memory it needs.
        let db = school(dir.path(), &format!("emails-alone-{round}.db"), n).await;
        let (sink, server) = start(o, &db.path).await;
        let idle = server.rss_mb();
        let queueing = invite(o, &db.path, &sink).await;
        let sent = until_sent(&db.path, &sink, n).await;
        let peak = peak_rss_mb(server.child.id());
        drop(server);
        let sending = sent.secs - sent.first_secs;
        eprintln!(
            "bench:   alone: queued in {queueing:.0} ms; first email after {:.2} s; all {n} in {:.2} s \
             ({:.0}/s once started, over {} SMTP connections); peak {peak:.1} MB (idle {idle:.1} MB)",
            sent.first_secs,
            sent.secs,
            n as f64 / sending,
            sent.connections,
        );
        send_errors += sent.errors;
        times.push(sent.secs);
        alone.push(n as f64 / sending);
        peaks.push(peak);
        idles.push(idle);

        // Under load: the signing page without a campaign, then from the first email for as long
        // as sending took alone (the campaign is slower under load, so it is still going).
        let db = school(dir.path(), &format!("emails-load-{round}.db"), n).await;
        let (sink, server) = start(o, &db.path).await;
        let page = format!("{}/s/{}", server.base, db.parents[0].0.as_str());
        let before = load_off_thread(&page, o.seconds, o.smoke).await;
        invite(o, &db.path, &sink).await;
        let queued = Instant::now();
        while sink.messages() == 0 {
            assert!(queued.elapsed() < Duration::from_secs(60), "no email went");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let window = (sending as u64).clamp(1, o.seconds);
        let (m0, t) = (sink.messages(), Instant::now());
        let during = load_off_thread(&page, window, o.smoke).await;
        let (m1, took) = (sink.messages(), t.elapsed().as_secs_f64());
        drop(server);
        eprintln!(
            "bench:   under load: signing page p50 {:.2} → {:.2} ms, p99 {:.2} → {:.2} ms, \
             {:.0} → {:.0} req/s; {} emails in the {window} s of load, {m1} of {n} by its end",
            before.p50,
            during.p50,
            before.p99,
            during.p99,
            before.rps,
            during.rps,
            m1 - m0,
        );
        if m1 >= n && !o.smoke {
            eprintln!("bench:   (the campaign ended before the load did: p99 is partly idle)");
        }
        load_errors += before.errors + during.errors;
        loaded.push((m1 - m0) as f64 / took);
        base50.push(before.p50);
        base99.push(before.p99);
        p50s.push(during.p50);
        p99s.push(during.p99);
    }
    let versus = |mut r: Row, name: &str, v: &[f64]| {
        r.reference = Some((name.into(), median(v)));
        r
    };
    vec![
        row(
            format!("8. {n} emails to a local SMTP server, queued → all sent"),
            times,
            "s",
            "-",
            None,
            send_errors,
        ),
        versus(
            row(
                format!("8. peak memory while {n} emails go out"),
                peaks,
                "MB",
                "-",
                None,
                0,
            ),
            "idle, same server",
            &idles,
        ),
        versus(
            row(
                format!("8. signing page p50 while {n} emails go out"),
                p50s,
                "ms",
                "-",
                None,
                load_errors,
            ),
            "no campaign",
            &base50,
        ),
        versus(
            row(
                format!("8. signing page p99 while {n} emails go out"),
                p99s,
                "ms",
                "-",
                None,
                load_errors,
            ),
            "no campaign",
            &base99,
        ),
        versus(
            row(
                "8. emails sent while the signing page is under load",
                loaded,
                "emails/s",
                "-",
                None,
                0,
            ),
            "alone",
            &alone,
        ),
    ]
}

/// A school of `n` outstanding carers, each with an email address `c{id}@example.org`. The other
/// scenarios' carers have none; this one's database is its own.
async fn school(dir: &Path, name: &str, n: usize) -> Prepared {
    let db = prepare(dir, name, 1, n, 0.0, 0).await;
    let store = signoff::store::Db::open(&db.path).await.unwrap();
    sqlx::query("UPDATE carers SET email = 'c' || id || '@example.org'")
        .execute(&store.write)
        .await
        .unwrap();
    store.close().await;
    db
}

/// The sink, and the portal sending to it as fast as the sink takes them.
async fn start(o: &Options, db: &Path) -> (Sink, Server) {
    let sink = Sink::start().await;
    let port = free_port();
    let server = Server::start_with(&o.binary, db, port, &sending(&sink, port)).await;
    (sink, server)
}

/// The sending flags both the server and `signoff invite` take.
fn sending(sink: &Sink, port: u16) -> Vec<String> {
    [
        "--smtp-url",
        &sink.url(),
        "--public-url",
        &format!("http://127.0.0.1:{port}"),
        "--allow-local-links",
        "--emails-per-minute",
        "10000000",
    ]
    .map(String::from)
    .to_vec()
}

/// Runs `signoff invite` for every outstanding carer; returns how long queueing took, in ms.
async fn invite(o: &Options, db: &Path, sink: &Sink) -> f64 {
    let t = Instant::now();
    let out = Command::new(&o.binary)
        .arg("--database")
        .arg(db)
        .args(["invite", "--status", "outstanding"])
        .args(sending(sink, free_port()))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("Queued campaign"),
        "signoff invite: {said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.elapsed().as_secs_f64() * 1000.0
}

/// Waits until the sink has `n` messages and the outbox has none queued or sending (or nothing is
/// left to send, or ten minutes have passed).
async fn until_sent(db: &Path, sink: &Sink, n: usize) -> Sent {
    let t = Instant::now();
    let mut outbox = SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .unwrap();
    let mut first = None;
    for tick in 0u64.. {
        if first.is_none() {
            first = sink.first();
        }
        let all_in = sink.messages() >= n;
        if (all_in || tick % 25 == 0) && pending(&mut outbox).await == 0 {
            break;
        }
        if t.elapsed() > Duration::from_secs(600) {
            eprintln!("bench:   gave up waiting: {} of {n} sent", sink.messages());
            break;
        }
        tokio::time::sleep(Duration::from_millis(if all_in { 2 } else { 10 })).await;
    }
    let secs = t.elapsed().as_secs_f64();
    let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE status = 'sent'")
        .fetch_one(&mut outbox)
        .await
        .unwrap();
    let _ = outbox.close().await;
    let sent = usize::try_from(sent).unwrap_or(0);
    Sent {
        secs,
        first_secs: first.map_or(secs, |f| (f - t).as_secs_f64()),
        errors: n.saturating_sub(sent) + n.saturating_sub(sink.messages()),
        connections: sink.connections(),
    }
}

async fn pending(outbox: &mut SqliteConnection) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE status IN ('queued', 'sending')")
        .fetch_one(outbox)
        .await
        .unwrap()
}

/// The load generator on a thread of its own, so wrk's wait does not hold one of the runtime's
/// two threads while the sink and the watcher need them.
async fn load_off_thread(url: &str, seconds: u64, smoke: bool) -> Load {
    let (url, rt) = (url.to_string(), tokio::runtime::Handle::current());
    tokio::task::spawn_blocking(move || rt.block_on(load_latency(&url, seconds, 64, smoke)))
        .await
        .unwrap()
}
