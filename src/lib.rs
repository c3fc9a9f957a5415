//! Signoff: a school publishes its parents' code of conduct, parents sign it, the office sees who
//! has not. This crate builds the whole app from a [`Config`], so tests start what production runs.

pub mod app;
pub mod clock;
pub mod config;
pub mod domain;
pub mod store;
pub mod web;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub use app::{App, AppState};
use app::{committer, limit, reports, seed, signing};

use anyhow::Context;
use tokio::net::TcpListener;

pub use clock::{Clock, SystemClock, TestClock};
pub use config::Config;
use store::Db;

/// A built app: the router, its state, and what the first start created (to print once).
pub struct Built {
    pub router: web::App,
    pub state: AppState,
    pub first_start: Option<seed::FirstStart>,
    pub demo_codes: Vec<seed::DemoCode>,
}

/// Opens the database, applies migrations, seeds a first start and builds the router.
pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Built> {
    let db = Db::open(&config.database)
        .await
        .with_context(|| format!("opening the database {}", config.database.display()))?;
    let first_start = seed::first_start(&db, clock.as_ref())
        .await
        .context("creating the first school")?;
    let secret = {
        let mut conn = db.write.acquire().await?;
        let fresh = domain::secret::new_token();
        store::settings::get_or_insert(&mut conn, "form_key", &fresh).await?
    };
    let mut demo_codes = Vec::new();
    if config.demo
        && let Some(school) = store::schools::first(&db.read).await?
    {
        demo_codes = seed::demo(&db, clock.as_ref(), school.scope)
            .await
            .context("creating demo data")?;
    }
    let state = AppState(Arc::new(App {
        committer: committer::Committer::start(db.clone()),
        guesses: limit::CodeGuard::new(config.guessing),
        sign_in_accounts: limit::GuessLimiter::new(config.sign_in_per_account),
        sign_in_addresses: limit::GuessLimiter::new(config.sign_in_per_address),
        hashing: tokio::sync::Semaphore::new(1),
        outreach: app::outreach::Outreach::new(&config.sending),
        config,
        db,
        clock,
        secret: secret.into_bytes(),
        rendered: Mutex::new(HashMap::new()),
        parents: signing::ParentCache::default(),
        pages: signing::PageCache::default(),
        reports: reports::ReportCache::default(),
    }));
    if state.config.sending.run_sender {
        state.outreach.start(state.clone());
    }
    Ok(Built {
        router: web::router(state.clone()),
        state,
        first_start,
        demo_codes,
    })
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish and closes the database.
pub async fn serve(
    listener: TcpListener,
    built: Built,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let state = built.state;
    let retention = tokio::spawn(app::retention::daily(state.clone()));
    axum::serve(listener, web::fast::PerConnection(built.router))
        .with_graceful_shutdown(shutdown)
        .await?;
    retention.abort();
    state.outreach.finish().await;
    state.db.close().await;
    Ok(())
}
