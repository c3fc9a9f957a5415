//! A parent signs in headless Chromium at phone width (Debian's chromium and chromium-driver).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::TestApp;

/// A running ChromeDriver, stopped when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    pub async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver must be installed (apt-get install chromium chromium-driver; .ci/run does this)");
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Driver {
            child,
            url,
            _profile: tempfile::tempdir().unwrap(),
        }
    }

    /// A browser session the size of a small phone.
    pub async fn phone(&self) -> fantoccini::Client {
        let profile = self._profile.path().display().to_string();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=360,800", format!("--user-data-dir={profile}")
                ]
            }
        });
        let caps = caps.as_object().unwrap().clone();
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("connect to chromedriver")
    }
}

/// Waits for an element; on failure, says where the browser was and what it showed.
pub async fn wait_for(c: &fantoccini::Client, css: &str) -> fantoccini::elements::Element {
    match c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(e) => e,
        Err(e) => {
            let url = c
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let source = c.source().await.unwrap_or_default();
            panic!(
                "{css}: {e}\nat {url}\n{}",
                source.chars().take(3000).collect::<String>()
            );
        }
    }
}

/// Signs in on the staff sign-in page the browser is showing, and waits for the dashboard.
pub async fn staff_sign_in(c: &fantoccini::Client, email: &str, password: &str) {
    wait_for(c, "#email").await.send_keys(email).await.unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    c.find(Locator::Css("main form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, ".stats").await;
}

#[tokio::test]
async fn a_parent_signs_on_a_phone() {
    let app = TestApp::spawn().await;
    let f = app
        .family("Zoë", "O'Brien", &[("Finn", "O'Brien", "3B")])
        .await;
    let driver = Driver::start().await;
    let c = driver.phone().await;

    c.goto(&app.url("/")).await.unwrap();
    let code = wait_for(&c, "#code").await;
    code.send_keys(&f.code.display().to_lowercase())
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Forgetting the tick is explained at the top and beside the box.
    let name = wait_for(&c, "#typed_name").await;
    name.send_keys("Zoe O'Brien").await.unwrap();
    c.find(Locator::Css("#declaration button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let summary = wait_for(&c, ".error-summary").await;
    assert!(summary.text().await.unwrap().contains("Tick the box"));
    let kept = c
        .find(Locator::Css("#typed_name"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Zoe O'Brien"));

    // The page fits a 360-pixel screen: nothing scrolls sideways.
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflow, json!(true), "page wider than the phone");

    c.find(Locator::Css("label[for=agree]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("#declaration button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let confirmation = wait_for(&c, ".confirmation").await;
    assert!(confirmation.text().await.unwrap().contains("SO-000001"));
    let receipt = c
        .find(Locator::Css(".receipt"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(receipt.contains("Finn O'Brien"));
    assert!(receipt.contains("Zoë O'Brien"));
    let print = c.find(Locator::Css("[data-print]")).await.unwrap();
    assert!(
        print.is_displayed().await.unwrap(),
        "the print button appears when scripts run"
    );
    c.close().await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 1);
}
