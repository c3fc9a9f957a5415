//! The real binary SIGKILLed in the middle of a 1,000-carer campaign and started again: every
//! carer receives their message, and exactly one message (by Message-ID) each.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use signoff::store::{Db, carers};

use crate::fakes::smtp::SmtpSink;

fn args(db: &Path, port: u16, smtp: &str) -> Vec<String> {
    let base = format!("http://127.0.0.1:{port}");
    [
        "--database",
        db.to_str().unwrap(),
        "--public-url",
        &base,
        "--allow-local-links",
        "--smtp-url",
        smtp,
        "--emails-per-minute",
        "100000000",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

async fn start(db: &Path, port: u16, smtp: &str) -> Child {
    let mut a = args(db, port, smtp);
    a.extend(["--bind".to_string(), format!("127.0.0.1:{port}")]);
    let child = Command::new(env!("CARGO_BIN_EXE_signoff"))
        .args(&a)
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
    child
}

#[tokio::test]
async fn a_campaign_killed_mid_send_reaches_every_carer_exactly_once() {
    const N: usize = 1000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signoff.db");
    {
        let db = Db::open(&path).await.unwrap();
        let school = signoff::app::seed::first_start(&db, &signoff::SystemClock)
            .await
            .unwrap()
            .unwrap()
            .scope;
        let now = time::OffsetDateTime::now_utc();
        let mut tx = db.begin().await.unwrap();
        for i in 0..N {
            let email = format!("carer{i}@example.org");
            let first = format!("Parent{i}");
            let c = carers::insert_carer(
                &mut *tx,
                carers::NewCarer {
                    scope: school,
                    mis_id: None,
                    first_name: &first,
                    last_name: "Load",
                    email: &email,
                    phone: "",
                    address: "",
                    postcode: "",
                },
                now,
            )
            .await
            .unwrap();
            let p = carers::insert_pupil(
                &mut *tx,
                carers::NewPupil {
                    scope: school,
                    mis_id: None,
                    first_name: "Child",
                    last_name: &format!("Load{i}"),
                    class_name: if i % 2 == 0 { "3B" } else { "4C" },
                    year_group: "",
                },
                now,
            )
            .await
            .unwrap();
            carers::link(&mut *tx, school, c, p, "Parent")
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        db.close().await;
    }
    let sink = SmtpSink::start().await;
    // Slow enough that the kill lands mid-campaign.
    sink.set_delay(Duration::from_millis(2));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = start(&path, port, &sink.url()).await;

    // `signoff invite` queues the campaign from the shell; the running portal sends it.
    let mut invite = vec!["invite".to_string()];
    invite.extend(args(&path, port, &sink.url()));
    let out = Command::new(env!("CARGO_BIN_EXE_signoff"))
        .args(&invite)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains(&format!("Queued campaign 1: {N} emails")),
        "{said}"
    );

    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.received().len() < N / 3 {
        assert!(Instant::now() < deadline, "the campaign did not start");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let at_kill = sink.received().len();
    assert!(at_kill < N, "killed mid-campaign ({at_kill} received)");

    let mut server = start(&path, port, &sink.url()).await;
    let got = sink.wait_for(N, Duration::from_secs(120)).await;
    // Let anything in flight land, then check the outbox is empty.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got = if sink.received().len() > got.len() {
        sink.received()
    } else {
        got
    };
    let _ = server.kill();
    let _ = server.wait();

    let mut ids_by_carer: HashMap<String, HashSet<String>> = HashMap::new();
    for m in &got {
        let id = m.header("Message-ID").expect("a Message-ID");
        ids_by_carer
            .entry(m.rcpt_to.join(","))
            .or_default()
            .insert(id);
    }
    assert_eq!(ids_by_carer.len(), N, "every carer received their message");
    assert!(
        ids_by_carer.values().all(|ids| ids.len() == 1),
        "each carer got exactly one message (by Message-ID)"
    );
    // A message whose send was cut off is sent again under the same Message-ID (mail systems show
    // it once); at most the one batch in flight at the kill can be repeated.
    let repeats = got.len() - N;
    let batch = usize::try_from(signoff::app::outreach::sender::BATCH).unwrap();
    assert!(repeats <= batch, "{repeats} repeats");

    let db = Db::open(&path).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE status <> 'sent'")
        .fetch_one(&db.read)
        .await
        .unwrap();
    assert_eq!(left, 0, "every message marked sent");
    let refs: Vec<String> = sqlx::query_scalar("SELECT provider_ref FROM messages")
        .fetch_all(&db.read)
        .await
        .unwrap();
    let received: HashSet<String> = ids_by_carer.values().flatten().cloned().collect();
    assert!(
        refs.iter().all(|r| received.contains(r)),
        "the log keeps each Message-ID sent"
    );
    db.close().await;
    eprintln!("killed after {at_kill} of {N}; {repeats} repeated under the same Message-ID");
}
