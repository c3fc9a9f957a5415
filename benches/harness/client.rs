//! Talking to the portal as staff do, and timing it: sign-in, timed GETs, the office rows.

use std::time::{Duration, Instant};

use signoff::domain::code::SigningCode;

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

/// What the office scenario for one school measures against, in milliseconds where given.
pub(super) struct Office<'a> {
    pub carers: usize,
    pub samples: usize,
    /// The kept dashboard's row name suffix and target.
    pub dash: (&'a str, Option<f64>),
    /// The dashboard right after a change or a signature.
    pub fresh: Option<f64>,
    pub list: Option<f64>,
    pub csv: Option<f64>,
    /// Parents who have not signed, for "right after a signature" (taken from the end).
    pub signers: &'a [(SigningCode, String)],
}

/// The office scenario for one school: the dashboard (kept, right after a change, right after a
/// signature), one class's outstanding list and the CSV export.
pub(super) async fn office_rows(
    server: &Server,
    head: &reqwest::Client,
    o: Office<'_>,
) -> Vec<Row> {
    let timed = |name: String, v: Vec<f64>, target: Option<f64>, errors: usize| {
        let met = target.map(|t| median(&v) <= t);
        row(
            name,
            v,
            "ms",
            target.map_or("-".into(), |t| format!("≤ {t} ms")),
            met,
            errors,
        )
    };
    let carers = o.carers;
    let dashboard = format!("{}/office", server.base);
    let (dash, e1) = time_gets(head, &dashboard, o.samples).await;
    let (after_change, e2) = time_after_write(server, head, &dashboard, o.samples.min(10)).await;
    let signers = &o.signers[o.signers.len().saturating_sub(o.samples.min(10))..];
    let (after_signature, e5) = time_after_signature(server, head, &dashboard, signers).await;
    let (list, e3) = time_gets(
        head,
        &format!("{}/office/carers?class=3A&status=outstanding", server.base),
        o.samples,
    )
    .await;
    let (csv, e4) = time_gets(
        head,
        &format!("{}/office/export.csv", server.base),
        o.samples.min(10),
    )
    .await;
    vec![
        timed(
            format!("3. dashboard, {carers} carers{}", o.dash.0),
            dash,
            o.dash.1,
            e1,
        ),
        timed(
            format!("3. dashboard, {carers} carers, right after a change (a new code)"),
            after_change,
            o.fresh,
            e2,
        ),
        timed(
            format!("3. dashboard, {carers} carers, right after a signature"),
            after_signature,
            o.fresh,
            e5,
        ),
        timed(
            format!("3. outstanding in one class, {carers} carers"),
            list,
            o.list,
            e3,
        ),
        timed(format!("3. CSV export, {carers} carers"), csv, o.csv, e4),
    ]
}

/// Times GET `url` right after a write (a new code for carer 1): what such a write cannot
/// change must not be counted again.
pub(super) async fn time_after_write(
    server: &Server,
    c: &reqwest::Client,
    url: &str,
    n: usize,
) -> (Vec<f64>, usize) {
    time_after_write_by(server, c, c, url, n).await
}

/// [`time_after_write`] with the write made by `writer` (staff of carer 1's school) and the GET
/// by `reader` (such as a trust administrator).
pub(super) async fn time_after_write_by(
    server: &Server,
    writer: &reqwest::Client,
    reader: &reqwest::Client,
    url: &str,
    n: usize,
) -> (Vec<f64>, usize) {
    let (mut out, mut errors) = (Vec::new(), 0);
    for _ in 0..n {
        let c = writer;
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
        let (t, e) = time_gets(reader, url, 1).await;
        out.extend(t);
        errors += e;
    }
    (out, errors)
}

/// Times GET `url` right after each of these parents signs online.
pub(super) async fn time_after_signature(
    server: &Server,
    c: &reqwest::Client,
    url: &str,
    signers: &[(SigningCode, String)],
) -> (Vec<f64>, usize) {
    let (mut out, mut errors) = (Vec::new(), 0);
    let parent = client();
    for (code, name) in signers {
        let page_url = format!("{}/s/{}", server.base, code.as_str());
        let page = parent
            .get(&page_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let r = parent
            .post(&page_url)
            .form(&[
                ("csrf", hidden(&page, "csrf").as_str()),
                ("version_id", &hidden(&page, "version_id")),
                ("agree", "yes"),
                ("typed_name", name),
            ])
            .send()
            .await
            .unwrap();
        errors += usize::from(r.status() != 303);
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
