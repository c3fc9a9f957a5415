//! A school's own host name: its bare public pages at that host, the chooser everywhere else,
//! `signoff school set-host` and its refusals, and a database upgraded to hold host names.
//! The links made for the school are in `host_links`.

use crate::helpers::TestApp;
use crate::schools::signoff;

pub(crate) const HOST: &str = "sign.second.example";

/// Adds "Second School" (slug `second`) with `--host` (typed as a pasted address); returns
/// what the command printed.
pub(crate) fn add_second(app: &TestApp) -> String {
    let (ok, out) = signoff(
        app,
        &[
            "school",
            "add",
            "Second School",
            "--slug",
            "second",
            "--host",
            "https://Sign.Second.Example/",
        ],
    );
    assert!(ok, "{out}");
    out
}

/// `GET path` as a browser that reached the portal at `host`: (status, page).
pub(crate) async fn at(app: &TestApp, host: &str, path: &str) -> (u16, String) {
    let res = app
        .client
        .get(app.url(path))
        .header("host", host)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn hosts(app: &TestApp) -> Vec<(String, Option<String>)> {
    sqlx::query_as("SELECT slug, host FROM schools ORDER BY id")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap()
}
#[tokio::test]
async fn a_schools_own_host_gets_its_front_door_and_the_default_host_still_asks_which() {
    let app = TestApp::spawn().await;
    let out = add_second(&app);
    assert!(
        out.contains("Its pages: http://sign.second.example/ and "),
        "{out}"
    );
    assert!(out.contains("http://sign.second.example/setup/"), "{out}");
    assert_eq!(
        hosts(&app).await[1],
        ("second".to_string(), Some(HOST.to_string()))
    );

    // At the school's own host, `/` is its front door, with links that stay bare.
    let (status, home) = at(&app, HOST, "/").await;
    assert_eq!(status, 200);
    assert!(
        home.contains("Second School") && !home.contains("Oakfield"),
        "{home}"
    );
    assert!(!home.contains("Choose your school"));
    assert!(home.contains("href=\"/policy\""), "{home}");
    // Host names are compared without case, and the default port is the same host.
    for host in ["SIGN.second.EXAMPLE", "sign.second.example:80"] {
        let (status, policy) = at(&app, host, "/policy").await;
        assert_eq!(status, 200, "{host}");
        assert!(policy.contains("Second School"), "{host}: {policy}");
        assert!(policy.contains("href=\"/policy/social-media-code/history\""));
    }
    let (status, history) = at(&app, HOST, "/policy/social-media-code/history").await;
    assert_eq!(status, 200);
    assert!(history.contains("Second School") && history.contains("First version"));
    let (status, text) = at(&app, HOST, "/policy/social-media-code/v/1/text").await;
    assert_eq!(status, 200);
    assert!(text.contains("Social Media Code of Conduct"));
    // The code box and error pages there name the school too.
    let (_, code_box) = at(&app, HOST, "/sign").await;
    assert!(code_box.contains("Second School"), "{code_box}");
    let (status, missing) = at(&app, HOST, "/no/such/page").await;
    assert_eq!(status, 404);
    assert!(missing.contains("Second School"), "{missing}");

    // `/{slug}/…` works on every host, the school's own included.
    let (status, oak) = at(&app, HOST, "/oakfield/").await;
    assert_eq!(status, 200);
    assert!(oak.contains("Oakfield Primary School") && !oak.contains("Second School"));
    let (status, second) = page(&app, "/second/policy").await;
    assert_eq!(status, 200);
    assert!(second.contains("Second School"));

    // The portal's own address, and any other host or port, still asks which school.
    for (status, body) in [
        page(&app, "/").await,
        at(&app, "sign.second.example:8080", "/").await,
        at(&app, "other.example", "/policy").await,
    ] {
        assert_eq!(status, 200);
        assert!(body.contains("Choose your school"), "{body}");
    }
    let (_, code_box) = page(&app, "/sign").await;
    assert!(!code_box.contains("Second School") && !code_box.contains("Oakfield"));

    // A host with a port answers only with that port.
    let (ok, out) = signoff(
        &app,
        &["school", "set-host", "second", "sign.second.example:8443"],
    );
    assert!(ok && out.contains("now sign.second.example:8443"), "{out}");
    let (_, home) = at(&app, "sign.second.example:8443", "/").await;
    assert!(home.contains("Second School") && !home.contains("Choose your school"));
    let (_, home) = at(&app, HOST, "/").await;
    assert!(home.contains("Choose your school"), "{home}");

    // Taken away, the host is like any other; the school's pages stay at /second/.
    let (ok, out) = signoff(&app, &["school", "set-host", "second", "--clear"]);
    assert!(
        ok && out.contains("has no host name of its own now"),
        "{out}"
    );
    assert_eq!(hosts(&app).await[1].1, None);
    let (_, home) = at(&app, "sign.second.example:8443", "/").await;
    assert!(home.contains("Choose your school"));
    assert_eq!(page(&app, "/second/").await.0, 200);
    // Each change is in the school's audit log.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action IN ('school.host_set', 'school.host_cleared') \
             AND subject = 'school:' || (SELECT id FROM schools WHERE slug = 'second') \
             AND school_id = (SELECT id FROM schools WHERE slug = 'second')"
        )
        .await,
        3
    );
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_single_school_with_its_own_host_answers_at_every_host() {
    let app = TestApp::spawn().await;
    let (ok, out) = signoff(
        &app,
        &["school", "set-host", "oakfield", "sign.oakfield.example"],
    );
    assert!(ok, "{out}");
    for host in ["sign.oakfield.example", "other.example"] {
        let (status, home) = at(&app, host, "/").await;
        assert_eq!(status, 200);
        assert!(home.contains("Oakfield Primary School"), "{host}");
    }
    let (_, home) = page(&app, "/").await;
    assert!(home.contains("Read and sign our code of conduct"));
}

#[tokio::test]
async fn set_host_refuses_a_wrong_or_taken_host_and_stores_nothing() {
    let app = TestApp::spawn().await;
    add_second(&app);
    let (ok, out) = signoff(&app, &["school", "add", "Third School", "--slug", "third"]);
    assert!(ok, "{out}");
    let audited =
        || app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'school.host%'");
    let before = (hosts(&app).await, audited().await);
    assert_eq!(before.1, 1, "adding Second School with its host");

    for (args, says) in [
        (
            vec!["set-host", "third", "SIGN.second.example"],
            "is already Second School's",
        ),
        (
            vec!["set-host", "third", "https://sign.second.example/"],
            "signoff school set-host second --clear",
        ),
        (
            vec!["set-host", "third", "sign_third.example"],
            "underscore",
        ),
        (
            vec!["set-host", "third", "sign.third.example/sign"],
            "without a path",
        ),
        (vec!["set-host", "third", "third"], "is not a whole name"),
        (
            vec!["set-host", "nowhere", "sign.third.example"],
            "No school has the address",
        ),
        (vec!["set-host", "third"], "required"),
        (
            vec!["set-host", "third", "sign.third.example", "--clear"],
            "cannot be used with",
        ),
        (
            vec![
                "add",
                "Fourth School",
                "--slug",
                "fourth",
                "--host",
                "sign.second.example",
            ],
            "is already Second School's",
        ),
        (
            vec![
                "add",
                "Fourth School",
                "--slug",
                "fourth",
                "--host",
                "ftp://x.example",
            ],
            "starts with \"ftp://\"",
        ),
    ] {
        let mut all = vec!["school"];
        all.extend_from_slice(&args);
        let (ok, out) = signoff(&app, &all);
        assert!(!ok, "{args:?} was refused");
        assert!(out.contains(says), "{args:?}: {out}");
    }
    assert_eq!(
        (hosts(&app).await, audited().await),
        before,
        "nothing stored"
    );

    // Setting a school's own host again changes nothing, and is not noted.
    let (ok, out) = signoff(
        &app,
        &["school", "set-host", "second", "sign.second.example"],
    );
    assert!(ok && out.contains("nothing changed"), "{out}");
    assert_eq!(audited().await, 1);
    // Once Second School lets it go, Third School may have it.
    assert!(signoff(&app, &["school", "set-host", "second", "--clear"]).0);
    let (ok, out) = signoff(
        &app,
        &["school", "set-host", "third", "sign.second.example"],
    );
    assert!(ok, "{out}");
    assert_eq!(hosts(&app).await[2].1.as_deref(), Some(HOST));
}
#[tokio::test]
async fn a_database_at_migration_12_without_11_gains_school_hosts() {
    let dir = tempfile::tempdir().unwrap();
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.path().join("before-hosts.db"))
        .create_if_missing(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .unwrap();
    let without = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(
            signoff::store::MIGRATOR
                .iter()
                .filter(|m| m.version != 11)
                .cloned()
                .collect(),
        ),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    without.run(&pool).await.unwrap();
    signoff::store::MIGRATOR.run(&pool).await.unwrap();
    for (slug, host) in [("a", Some("x.example")), ("b", None), ("c", None)] {
        sqlx::query(
            "INSERT INTO schools (slug, name, host, created_at) VALUES (?, ?, ?, '2026-01-01T00:00:00Z')",
        )
        .bind(slug)
        .bind(slug)
        .bind(host)
        .execute(&pool)
        .await
        .unwrap();
    }
    let clash = sqlx::query(
        "INSERT INTO schools (slug, name, host, created_at) VALUES ('d', 'd', 'X.Example', '2026-01-01T00:00:00Z')",
    )
    .execute(&pool)
    .await;
    assert!(
        clash.is_err(),
        "a host name is one school's, whatever its case"
    );
    pool.close().await;
}
