//! The office's kept figures follow signatures and paper forms without being counted again, and
//! always equal a count from scratch: SQL's counts equal the lists' own, under both cover rules.

use signoff::app::reports;
use signoff::domain::status::Summary;

use super::{family, fixture};
use crate::helpers::{Family, TestApp, paper, sign};

/// Counts and lists read from scratch.
async fn from_scratch(app: &TestApp) -> (Summary, Summary, Vec<(i64, String, bool)>) {
    app.state.db.note_write();
    let counted = reports::counts_for(&app.state, app.scope, None)
        .await
        .unwrap();
    let listed = reports::load_for(&app.state, app.scope, None)
        .await
        .unwrap();
    (
        counted.summary.clone(),
        Summary::of(&listed.report),
        standing(&listed),
    )
}

/// Each carer's status and paper flag, and each pupil's cover, as the lists have them.
fn standing(l: &reports::Loaded) -> Vec<(i64, String, bool)> {
    let carers = l
        .report
        .carers
        .iter()
        .map(|c| (c.record.id, format!("{:?}", c.status), c.paper));
    let pupils = l
        .report
        .pupils
        .iter()
        .zip(&l.report.covered)
        .map(|(p, covered)| (-p.id, "pupil".to_string(), *covered));
    let mut all: Vec<_> = carers.chain(pupils).collect();
    all.sort();
    all
}

/// Kept counts and lists, brought up to date by what was signed since.
async fn kept(app: &TestApp) -> (Summary, Summary, Vec<(i64, String, bool)>) {
    let counted = reports::counts_for(&app.state, app.scope, None)
        .await
        .unwrap();
    let listed = reports::load_for(&app.state, app.scope, None)
        .await
        .unwrap();
    (
        counted.summary.clone(),
        listed.summary.clone(),
        standing(&listed),
    )
}

#[tokio::test]
async fn kept_figures_follow_signatures_and_equal_a_count_from_scratch() {
    let app = TestApp::spawn().await;
    let head = fixture(&app).await;
    let v2: i64 = app.count("SELECT MAX(id) FROM versions").await;
    let dunn: i64 = app
        .count("SELECT id FROM carers WHERE last_name = 'Dunn'")
        .await;
    let sam = family(&app, "Sam", "Frost").await;
    let tom = family(&app, "Tom", "Brook").await;
    let extra: Family = app
        .family(
            "Ola",
            "Nowak",
            &[("Kai", "Nowak", "3B"), ("Lea", "Nowak", "5A")],
        )
        .await;

    for rule in ["one", "all"] {
        sqlx::query("UPDATE schools SET cover_rule = ?")
            .bind(rule)
            .execute(&app.state.db.write)
            .await
            .unwrap();
        let (sql, lists, _) = from_scratch(&app).await;
        assert_eq!(sql, lists, "SQL's counts equal the lists' ({rule})");

        // Each signature in turn: the kept figures catch up without a rebuild, and equal one.
        for step in 0..2 {
            let generation = app.state.db.generation().await.unwrap();
            kept(&app).await;
            match (rule, step) {
                ("one", 0) => drop(sign(&app, &sam).await),
                ("one", _) => drop(sign(&app, &tom).await),
                ("all", 0) => drop(sign(&app, &extra).await),
                _ => paper(&app, &head, dunn, v2).await,
            }
            assert_eq!(
                app.state.db.generation().await.unwrap(),
                generation,
                "a signature keeps the reports ({rule}, step {step})"
            );
            let (counted, listed, rows) = kept(&app).await;
            let (sql, lists, scratch_rows) = from_scratch(&app).await;
            assert_eq!(counted, sql, "counts ({rule}, step {step})");
            assert_eq!(listed, lists, "lists' counts ({rule}, step {step})");
            assert_eq!(rows, scratch_rows, "lists ({rule}, step {step})");
        }
    }
}
