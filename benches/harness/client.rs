//! Talking to the portal as staff do, and timing it: sign-in, timed GETs, the office rows.

use std::time::{Duration, Instant};

use super::{PASSWORD, Row, Server, median};

pub(super) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap()
}

pub(super) fn hidden(html: &str, name: &str) -> String {
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

pub(super) async fn sign_in(server: &Server, email: &str) -> reqwest::Client {
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
pub(super) async fn time_gets(c: &reqwest::Client, url: &str, n: usize) -> (Vec<f64>, usize) {
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
pub(super) async fn office_rows(
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
pub(super) async fn time_after_write(
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

pub(super) fn row(
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
