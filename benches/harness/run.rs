//! The run: one school's server for reading, the sign-in storm, the office, letters and the
//! footprint; then the scenarios that need databases of their own, the trust's last.

use std::time::{Duration, Instant};

use super::client::{Office, client, hidden, office_rows, row, sign_in};
use super::{HEAD_EMAIL, Nginx, Options, PASSWORD, Row, Server, load, median, prepare, rss_mb};

/// Runs every scenario and returns the table's rows.
pub async fn run(o: &Options) -> Vec<Row> {
    // reqwest is built without a TLS provider of its own (the portal installs ring when it
    // starts); every client here needs one chosen before the first is made.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    let say = |s: &str| eprintln!("bench: {s}");
    if o.emails_only {
        return super::emails::scenario(o, &dir).await;
    }
    if o.signing_only {
        return vec![super::fresh::signing(o, &dir).await];
    }
    if o.trust_only {
        return super::trust::scenario(o, &dir).await;
    }

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
        "≥ 0.8× nginx",
        ratio.map(|x| x >= 0.8),
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
            Office {
                carers: o.school_carers,
                samples,
                dash: (" (p50)", Some(5.0)),
                fresh: Some(5.0),
                list: None,
                csv: None,
                signers: &school.parents,
            },
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
        "≤ 500 ms",
        Some(median(&letters) <= 500.0),
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

    rows.extend(super::fresh::scenarios(o, &dir).await);
    rows.extend(super::emails::scenario(o, &dir).await);
    rows.extend(super::trust::scenario(o, &dir).await);
    rows
}
