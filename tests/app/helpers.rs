//! Starts the real app on port 0 with a fresh database, and talks to it like a browser would.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use signoff::clock::TestClock;
use signoff::config::CodeLimits;
use signoff::domain::code::SigningCode;
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
        let school_id = first.school_id;
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
        let now = "2026-11-01T09:00:00Z";
        let carer_id = carers::insert_carer(
            &db.write,
            carers::NewCarer {
                school_id: self.school_id,
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
                    school_id: self.school_id,
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
            carers::link(&db.write, carer_id, pupil, "Parent")
                .await
                .expect("link");
        }
        let code = SigningCode::generate();
        let mut conn = db.write.acquire().await.expect("conn");
        codes::replace(&mut conn, self.school_id, carer_id, &code.hash(), now, None)
            .await
            .expect("code");
        self.state.db.note_write();
        Family {
            carer_id,
            code,
            name: format!("{first} {last}"),
        }
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.db.read)
            .await
            .expect("count")
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
    let (csrf, version_id) = open_form(app, f).await;
    let res = app
        .post(
            &format!("/s/{}", f.code.as_str()),
            &[
                ("csrf", &csrf),
                ("version_id", &version_id),
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

pub const HEAD_EMAIL: &str = "head@oakfield.example";
pub const HEAD_PASSWORD: &str = "river lantern orchard";

/// A browser of its own (its own cookies).
pub fn browser() -> reqwest::Client {
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

impl TestApp {
    /// Completes the first headteacher's setup link; returns their signed-in browser.
    pub async fn head(&self) -> reqwest::Client {
        let c = browser();
        let path = format!("/setup/{}", self.setup_token);
        let csrf = csrf_of(self, &c, &path).await;
        let res = c
            .post(self.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("name", "Helen Ward"),
                ("email", HEAD_EMAIL),
                ("password", HEAD_PASSWORD),
                ("confirm", HEAD_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "setup completes");
        c
    }

    /// Has `head` invite a colleague, who sets `password` from the link; returns their browser.
    pub async fn colleague(
        &self,
        head: &reqwest::Client,
        name: &str,
        email: &str,
        role: &str,
        password: &str,
    ) -> (reqwest::Client, i64) {
        let csrf = csrf_of(self, head, "/head/staff").await;
        let res = head
            .post(self.url("/head/staff"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("name", name),
                ("email", email),
                ("role", role),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        let start = html.find("/setup/").expect("invitation link shown");
        let token: String = html[start + 7..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        let c = browser();
        let path = format!("/setup/{token}");
        let csrf = csrf_of(self, &c, &path).await;
        let res = c
            .post(self.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("password", password),
                ("confirm", password),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "colleague sets a password");
        let id: i64 = sqlx::query_scalar("SELECT id FROM staff_users WHERE email = ?")
            .bind(email)
            .fetch_one(&self.state.db.read)
            .await
            .unwrap();
        (c, id)
    }

    /// Signs in with a fresh browser.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
    ) -> (reqwest::Client, reqwest::Response) {
        let c = browser();
        let csrf = csrf_of(self, &c, "/staff/sign-in").await;
        let res = c
            .post(self.url("/staff/sign-in"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", email),
                ("password", password),
                ("next", "/office"),
            ])
            .send()
            .await
            .unwrap();
        (c, res)
    }

    /// Uploads a roster file as `client` and follows the redirect to the page that comes next
    /// (the preview, or the column choices): its status and HTML.
    pub async fn upload_roster(&self, client: &reqwest::Client, csv: &[u8]) -> (u16, String) {
        let csrf = csrf_of(self, client, "/office/roster").await;
        let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
            "file",
            reqwest::multipart::Part::bytes(csv.to_vec()).file_name("roster.csv"),
        );
        let res = client
            .post(self.url("/office/roster"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.follow(client, res).await
    }

    /// Follows 303s (as a browser does) and returns the final status and HTML.
    pub async fn follow(
        &self,
        client: &reqwest::Client,
        mut res: reqwest::Response,
    ) -> (u16, String) {
        while res.status() == 303 {
            let to = res.headers()["location"].to_str().unwrap().to_string();
            res = client.get(self.url(&to)).send().await.unwrap();
        }
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// Presses the preview's import button (with whatever boxes `extra` ticks) and returns the
    /// response, not followed.
    pub async fn press_import(
        &self,
        client: &reqwest::Client,
        preview: &str,
        extra: &[(&str, &str)],
    ) -> reqwest::Response {
        let marker = "action=\"/office/roster/";
        let start = preview.find(marker).expect("a roster form") + marker.len();
        let id: String = preview[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let mut form = vec![
            ("csrf".to_string(), hidden(preview, "csrf")),
            ("digest".to_string(), hidden(preview, "digest")),
        ];
        form.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        client
            .post(self.url(&format!("/office/roster/{id}/import")))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Uploads and imports a roster that must have no errors and no leaver guard.
    pub async fn import_roster(&self, client: &reqwest::Client, csv: &[u8]) {
        let (status, html) = self.upload_roster(client, csv).await;
        assert_eq!(status, 200, "{html}");
        let res = self.press_import(client, &html, &[]).await;
        assert_eq!(
            res.status(),
            303,
            "{}",
            res.text().await.unwrap_or_default()
        );
    }

    /// Issues a fresh code for a carer straight in the database (as letters would).
    pub async fn code_for(&self, carer_id: i64) -> SigningCode {
        let code = SigningCode::generate();
        let mut conn = self.state.db.write.acquire().await.expect("conn");
        codes::replace(
            &mut conn,
            self.school_id,
            carer_id,
            &code.hash(),
            "2026-11-01T09:00:00Z",
            None,
        )
        .await
        .expect("code");
        self.state.db.note_write();
        code
    }

    pub async fn carer_id(&self, first: &str, last: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM carers WHERE first_name = ? AND last_name = ?")
            .bind(first)
            .bind(last)
            .fetch_one(&self.state.db.read)
            .await
            .unwrap()
    }
}
