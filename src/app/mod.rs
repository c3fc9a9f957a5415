//! Use cases and the state they share: caches, limiters, the one writer of the evidence chain,
//! background jobs. Nothing here knows about HTTP, and nothing here holds SQL text: handlers in
//! `web/` parse a request, call one function here and render what it returns.

pub mod carers;
pub mod checkpoint;
pub mod codes;
pub mod committer;
pub mod documents;
pub mod error;
pub mod evidence;
pub mod hosts;
pub mod limit;
pub mod outreach;
pub mod passwords;
pub mod publishing;
pub mod reports;
pub mod retention;
pub mod roster;
pub mod school;
pub mod seed;
pub mod sessions;
pub mod setup;
pub mod signing;
pub mod staff;
pub mod subject_access;
pub mod trust;
pub mod verify;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::markdown::SafeHtml;
use crate::store::Db;

pub use error::{AppError, ParentProblem};

/// Everything a request handler may need. Cloning is cheap (one `Arc`).
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

/// The state every use case shares.
pub struct App {
    pub config: Config,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    /// Key for form tokens; made on first start and kept in the database.
    pub secret: Vec<u8>,
    pub guesses: limit::CodeGuard,
    pub sign_in_accounts: limit::GuessLimiter<String>,
    pub sign_in_addresses: limit::GuessLimiter<std::net::IpAddr>,
    /// Commits every declaration, online and paper, in groups (see `committer`).
    pub committer: committer::Committer,
    /// Caps how many argon2 hashes run at once, so a sign-in storm cannot starve parents.
    pub hashing: tokio::sync::Semaphore,
    /// Each parent's signing-page data, while current (see `signing::ParentCache`).
    pub parents: signing::ParentCache,
    /// Each parent's signing page as last rendered, within a budget (see `signing::PageCache`).
    pub pages: signing::PageCache,
    /// Each school's status report while current (see `reports::ReportCache`).
    pub reports: reports::ReportCache,
    /// The message sender's shared parts (see `outreach`).
    pub outreach: outreach::Outreach,
    /// Rendered policy HTML by version id. Published versions never change, so this never goes stale.
    pub rendered: Mutex<HashMap<i64, Arc<SafeHtml>>>,
}

pub use crate::domain::draft::FieldErrors;
