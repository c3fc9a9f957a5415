//! The signing page kept between views: the same bytes and headers as the page made afresh,
//! compressed as the browser asks, and never served once anything on it may have changed.

use std::io::Read;
use std::sync::atomic::Ordering;

use crate::helpers::{TestApp, csrf_of, sign};

/// Status, body and every header but the date, sorted.
async fn seen(res: reqwest::Response) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let status = res.status().as_u16();
    let mut headers: Vec<(String, String)> = res
        .headers()
        .iter()
        .filter(|(k, _)| *k != "date")
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    headers.sort();
    (status, headers, res.bytes().await.unwrap().to_vec())
}

async fn fetch(app: &TestApp, path: &str, encoding: Option<&str>) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(app.url(path));
    if let Some(e) = encoding {
        req = req.header("accept-encoding", e);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn a_kept_page_is_the_page_and_goes_when_anything_on_it_changes() {
    let app = TestApp::spawn().await;
    let f = app.family("Iris", "Penn", &[("Ned", "Penn", "2C")]).await;
    let path = format!("/s/{}", f.code.as_str());
    let served = || app.state.pages.served.load(Ordering::Relaxed);

    // The first view is made and kept, and notes the code's use, which changes nothing kept: the
    // next view is the kept page.
    let generation = app.state.db.generation().await.unwrap();
    let carer = app.state.db.carer_generation(f.carer_id);
    let made = seen(fetch(&app, &path, None).await).await;
    assert_eq!(made.0, 200);
    assert_eq!(app.state.db.generation().await.unwrap(), generation);
    assert_eq!(app.state.db.carer_generation(f.carer_id), carer);
    let used = || async {
        sqlx::query_scalar::<_, Option<String>>(
            "SELECT last_used_at FROM signing_codes WHERE carer_id = ?",
        )
        .bind(f.carer_id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap()
    };
    assert_eq!(used().await.as_deref(), Some("2026-11-21T10:00:00Z"));
    let before = served();
    let kept = seen(fetch(&app, &path, None).await).await;
    assert_eq!(served(), before + 1, "the second view was the kept page");
    assert_eq!(kept, made, "same status, headers and bytes");

    // Ten minutes on, the next view notes the use again, and the page stays kept after it.
    app.clock.advance(time::Duration::minutes(11));
    assert_eq!(seen(fetch(&app, &path, None).await).await, made);
    assert_eq!(used().await.as_deref(), Some("2026-11-21T10:11:00Z"));
    let before = served();
    fetch(&app, &path, None).await;
    assert_eq!(served(), before + 1, "kept again straight after");

    for (encoding, name) in [("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        let res = fetch(&app, &path, Some(encoding)).await;
        assert_eq!(res.headers()["content-encoding"], name);
        let body = res.bytes().await.unwrap();
        let mut html = Vec::new();
        if name == "br" {
            brotli::Decompressor::new(&body[..], 4096)
                .read_to_end(&mut html)
                .unwrap();
        } else {
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut html)
                .unwrap();
        }
        assert_eq!(html, made.2, "{name} decodes to the page");
    }
    let res = fetch(&app, &path, Some("gzip;q=0")).await;
    assert!(res.headers().get("content-encoding").is_none());

    // The office replaces the code: the old one stops working at once, kept page or not.
    let head = app.head().await;
    let csrf = csrf_of(&app, &head, &format!("/office/carers/{}", f.carer_id)).await;
    let res = head
        .post(app.url(&format!("/office/carers/{}/code", f.carer_id)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let at = html.find("/s/").expect("the new link is shown");
    let new_code: String = html[at + 3..].chars().take(10).collect();
    assert_eq!(fetch(&app, &path, None).await.status(), 404);

    // Signed with the new code: the form is not served again, kept or not.
    let g = crate::helpers::Family {
        carer_id: f.carer_id,
        code: signoff::domain::code::SigningCode::parse(&new_code).unwrap(),
        name: f.name.clone(),
    };
    let new_path = format!("/s/{new_code}");
    for _ in 0..3 {
        fetch(&app, &new_path, None).await;
    }
    sign(&app, &g).await;
    let after = fetch(&app, &new_path, None).await.text().await.unwrap();
    assert!(
        !after.contains("name=\"typed_name\""),
        "no signing form once signed"
    );
}

/// The kept pages sit in front of axum's `ConnectInfo`, which they add only to requests that go
/// on: the evidence must still record the parent's own address, never a stand-in.
#[tokio::test]
async fn the_parents_address_reaches_the_evidence_past_the_kept_pages() {
    let app = TestApp::spawn().await;
    let f = app.family("Ada", "Quill", &[("Ben", "Quill", "4D")]).await;
    // Any 127.x address is this machine: one the server would never assume.
    let c = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 3]))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let path = app.url(&format!("/s/{}", f.code.as_str()));
    for _ in 0..2 {
        c.get(&path).send().await.unwrap();
    }
    let html = c.get(&path).send().await.unwrap().text().await.unwrap();
    let res = c
        .post(&path)
        .form(&[
            ("csrf", crate::helpers::hidden(&html, "csrf").as_str()),
            (
                "version_id",
                crate::helpers::hidden(&html, "version_id").as_str(),
            ),
            ("agree", "yes"),
            ("typed_name", f.name.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let ip: String = sqlx::query_scalar("SELECT ip FROM declarations WHERE carer_id = ?")
        .bind(f.carer_id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(ip, "127.0.0.3");
}
