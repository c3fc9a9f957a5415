//! Starts the real app on port 0 with a fresh database, and talks to it like a browser would.

mod roster;
mod staff;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use signoff::clock::TestClock;
use signoff::config::CodeLimits;
use signoff::domain::code::SigningCode;
use signoff::domain::school::Scope;
use signoff::store::{carers, codes};
use signoff::{AppState, Config};
use tempfile::TempDir;
use time::macros::datetime;

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub clock: Arc<TestClock>,
    pub client: reqwest::Client,
    pub setup_token: String,
    /// The first school's scope (from what the first start made), for store calls.
    pub scope: Scope,
    /// Its id, for SQL the tests write themselves.
    pub school_id: i64,
    _dir: TempDir,
}

pub struct Family {
    pub carer_id: i64,
    pub code: SigningCode,
    pub name: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::with_database(dir.path().join("test.db"));
        config.guessing = CodeLimits {
            free: 5,
            step: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            at_once: 2,
            queue_wait: Duration::from_millis(500),
            window: Duration::from_secs(900),
        };
        // The same thresholds as production, with token delays so tests stay quick.
        config.sign_in_per_account.delay = Duration::from_millis(1);
        config.sign_in_per_address.delay = Duration::from_millis(1);
        adjust(&mut config);
        let clock = Arc::new(TestClock::new(datetime!(2026-11-21 10:00:00 UTC)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        config.bind = addr;
        let built = signoff::build(config, clock.clone())
            .await
            .expect("app builds");
        let state = built.state.clone();
        let first = built
            .first_start
            .as_ref()
            .expect("first start on a new database");
        let setup_token = first.setup_token.clone();
        let scope = first.scope;
        let school_id = scope.id();
        tokio::spawn(signoff::serve(listener, built, std::future::pending()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .user_agent("signoff-tests/1.0")
            .build()
            .expect("client");
        TestApp {
            base: format!("http://{addr}"),
            state,
            clock,
            client,
            setup_token,
            scope,
            school_id,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// Adds a carer with children (first, last, class) and issues them a code.
    pub async fn family(&self, first: &str, last: &str, children: &[(&str, &str, &str)]) -> Family {
        let db = &self.state.db;
        let now = time::macros::datetime!(2026-11-01 09:00:00 UTC);
        let carer_id = carers::insert_carer(
            &db.write,
            carers::NewCarer {
                scope: self.scope,
                mis_id: None,
                first_name: first,
                last_name: last,
                email: "",
                phone: "",
                address: "",
                postcode: "",
            },
            now,
        )
        .await
        .expect("carer");
        for (f, l, class) in children {
            let pupil = carers::insert_pupil(
                &db.write,
                carers::NewPupil {
                    scope: self.scope,
                    mis_id: None,
                    first_name: f,
                    last_name: l,
                    class_name: class,
                    year_group: "",
                },
                now,
            )
            .await
            .expect("pupil");
            carers::link(&db.write, self.scope, carer_id, pupil, "Parent")
                .await
                .expect("link");
        }
        let code = SigningCode::generate();
        let mut conn = db.write.acquire().await.expect("conn");
        codes::replace(&mut conn, self.scope, carer_id, &code.hash(), now, None)
            .await
            .expect("code");
        self.state.db.note_write();
        Family {
            carer_id,
            code,
            name: format!("{first} {last}"),
        }
    }

    /// One text value the file holds.
    pub async fn text(&self, sql: &str) -> String {
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.db.read)
            .await
            .expect("text")
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.db.read)
            .await
            .expect("count")
    }
}

impl Drop for TestApp {
    /// The sender is a background task: it stops with its test, before the database goes.
    fn drop(&mut self) {
        self.state.outreach.stop();
    }
}

/// The value of the first hidden input named `name` in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field in page"))
        + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Opens a family's signing page and returns (csrf, version_id).
pub async fn open_form(app: &TestApp, f: &Family) -> (String, String) {
    let res = app.get(&format!("/s/{}", f.code.as_str())).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    (hidden(&html, "csrf"), hidden(&html, "version_id"))
}

/// Signs as a family with the right answers; returns the receipt's address.
pub async fn sign(app: &TestApp, f: &Family) -> String {
    let res = app.get(&format!("/s/{}", f.code.as_str())).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("body");
    // Everything the form sends, as a browser would: the texts it showed and their signature too.
    let res = app
        .post(
            &format!("/s/{}", f.code.as_str()),
            &[
                ("csrf", &hidden(&html, "csrf")),
                ("version_id", &hidden(&html, "version_id")),
                ("shown", &hidden(&html, "shown")),
                ("shown_sig", &hidden(&html, "shown_sig")),
                ("agree", "yes"),
                ("typed_name", &f.name),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "signing redirects to the receipt");
    res.headers()["location"]
        .to_str()
        .expect("location")
        .to_string()
}

/// Records a paper form for `carer` as the office does, received today.
pub async fn paper(app: &TestApp, head: &reqwest::Client, carer: i64, version: i64) {
    let csrf = csrf_of(app, head, &format!("/office/carers/{carer}")).await;
    let res = head
        .post(app.url(&format!("/office/carers/{carer}/paper")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version_id", &version.to_string()),
            ("received_on", "2026-11-21"),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

pub const HEAD_EMAIL: &str = "head@oakfield.example";
pub const HEAD_PASSWORD: &str = "river lantern orchard";

/// A browser of its own (its own cookies).
pub fn browser() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

/// The value of the first `name` hidden field of a page fetched by `client`.
pub async fn csrf_of(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let html = client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    hidden(&html, "csrf")
}
