//! A school's database from before trusts (migrations up to 0009) upgraded in place: its staff,
//! sessions, links and evidence carry on working.

use std::borrow::Cow;
use std::sync::Arc;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use time::macros::datetime;

use crate::helpers::{HEAD_EMAIL, HEAD_PASSWORD, TestApp, paper};
use signoff::clock::TestClock;

/// Copies every row of the live database into a new file made by the migrations before `version`.
async fn copy_into_old_schema(app: &TestApp, target: &std::path::Path, version: i64) {
    let opts = SqliteConnectOptions::new()
        .filename(target)
        .create_if_missing(true)
        .foreign_keys(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .unwrap();
    let old = sqlx::migrate::Migrator {
        migrations: Cow::Owned(
            signoff::store::MIGRATOR
                .iter()
                .filter(|m| m.version < version)
                .cloned()
                .collect(),
        ),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    old.run(&pool).await.unwrap();
    let live = app
        .state
        .config
        .database
        .to_str()
        .unwrap()
        .replace('\'', "''");
    sqlx::query(&format!("ATTACH DATABASE '{live}' AS live"))
        .execute(&pool)
        .await
        .unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' \
         AND name NOT LIKE 'sqlite%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for table in tables {
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&pool)
                .await
                .unwrap();
        let columns = columns.join(", ");
        sqlx::query(&format!(
            "INSERT INTO main.{table} ({columns}) SELECT {columns} FROM live.{table}"
        ))
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
}

/// Rehashes the copy's one declaration as the portal of that time wrote it (v1: every field
/// hashed, no commitment to the personal ones, which today's portal makes).
async fn as_first_written(app: &TestApp, target: &std::path::Path) {
    let d = signoff::store::declarations::chain(&app.state.db.read, app.scope)
        .await
        .unwrap()
        .remove(0);
    let mut record = d.record.clone();
    record.personal_salt.clear();
    record.personal_sha256.clear();
    let v1 = record.row_hash();
    assert_ne!(v1, d.row_hash);
    let url = format!("sqlite://{}", target.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("DROP TRIGGER declarations_are_immutable")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE declarations SET row_hash = ? WHERE id = ?")
        .bind(&v1)
        .bind(d.id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "CREATE TRIGGER declarations_are_immutable BEFORE UPDATE ON declarations
         BEGIN SELECT RAISE(ABORT, 'declarations cannot be changed'); END",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
}

#[tokio::test]
async fn a_database_from_before_trusts_upgrades_in_place_with_its_links_working() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let olive = app.family("Olive", "Oak", &[("Rowan", "Oak", "2B")]).await;
    let peter = app.family("Peter", "Pine", &[("Sky", "Pine", "3C")]).await;
    // Olive's paper form: a declaration in the first format (v1, with no record of the texts
    // shown, which 0015 added), as every declaration in a file from before was.
    let version: i64 = sqlx::query_scalar("SELECT id FROM versions")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    paper(&app, &head, olive.carer_id, version).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("before-trusts.db");
    copy_into_old_schema(&app, &file, 10).await;
    as_first_written(&app, &file).await;

    // The portal starts on the old file: the migration runs, and nothing is first-started.
    let mut config = signoff::config::Config::with_database(file.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    config.bind = addr;
    let clock = Arc::new(TestClock::new(datetime!(2026-11-21 10:30:00 UTC)));
    let built = signoff::build(config, clock).await.unwrap();
    assert!(built.first_start.is_none());
    let db = built.state.db.clone();
    tokio::spawn(signoff::serve(listener, built, std::future::pending()));
    let url = |p: &str| format!("http://{addr}{p}");

    let scalar = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db.read)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        scalar("SELECT MAX(version) FROM _sqlx_migrations").await,
        signoff::store::MIGRATOR
            .iter()
            .map(|m| m.version)
            .max()
            .unwrap()
    );
    let broken: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&db.read)
        .await
        .unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    assert_eq!(
        scalar("SELECT COUNT(*) FROM staff_users WHERE role = 'headteacher' AND school_id = 1")
            .await,
        1
    );

    // The headteacher's browser is still signed in (cookies go by host, not port), and their
    // password still works.
    let res = head.get(url("/office")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Oakfield Primary School")
    );
    let c = crate::helpers::browser();
    let html = c
        .get(url("/staff/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::helpers::hidden(&html, "csrf");
    let res = c
        .post(url("/staff/sign-in"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", HEAD_EMAIL),
            ("password", HEAD_PASSWORD),
            ("next", "/office"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);

    // Parents' links from the letters and emails already sent still open their pages.
    let res = reqwest::get(url(&format!("/s/{}", peter.code.as_str())))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Sky"));
    let res = reqwest::get(url(&format!("/s/{}", olive.code.as_str())))
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("already signed"));
    // And the evidence still verifies.
    let report = signoff::app::verify::verify(&db).await.unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);

    // Olive's first-format declaration, erased at her request: only its links can be checked
    // now, and they are, with the erasure that names its hash.
    let carer = format!("/office/carers/{}", olive.carer_id);
    let html = head
        .get(url(&carer))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::helpers::hidden(&html, "csrf");
    let res = head
        .post(url(&format!("{carer}/erase")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("reason", "Asked in writing"),
            (
                "override",
                "Moving school next week; the MIS record is closed",
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let report = signoff::app::verify::verify(&db).await.unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);
    assert_eq!((report.redacted, report.erasures), (1, 1));
    assert_eq!(
        scalar("SELECT COUNT(*) FROM declarations WHERE carer_name = '' AND personal_sha256 = ''")
            .await,
        1,
        "a v1 declaration, emptied"
    );
    // Its stored hash is all that is left of it: changing it is caught.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    sqlx::query(
        "DROP TRIGGER declarations_are_immutable; \
         UPDATE declarations SET row_hash = '1111111111111111111111111111111111111111111111111111111111111111'",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let report = signoff::app::verify::verify(&db).await.unwrap();
    assert!(
        report
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("no longer has the hash erasure 1 recorded")),
        "{:?}",
        report.problem
    );
}
