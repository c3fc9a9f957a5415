//! Every SQL statement lives under this module, one file per table group.
//!
//! Reads go through a small pool; writes through a single connection, because SQLite has one
//! writer at a time and queueing in-process beats busy-waiting on the file lock.
//!
//! # Scope
//!
//! Every function that reads or writes a school's data takes that school's [`Scope`] and binds
//! it in its SQL (`AND school_id = ?`, or through the carer's school for links and opt-outs,
//! which have no school of their own), so an id from another school finds nothing. Only this
//! module makes a `Scope` (`Scope::from_row`, which `clippy.toml` disallows everywhere else), and
//! only from a row it read. Accounts that may be the trust's take `Option<Scope>` (`None`: the
//! trust's). These take no scope, and why:
//!
//! - **They make scopes, or find a school:** `schools::{first, only, by_slug, by_host,
//!   by_host_or_only, directory, names, insert}`; `staff::session` (by token hash),
//!   `staff::user_by_email` (signing in, and keeping addresses unique across the portal),
//!   `staff::live_invite` (by token hash); `codes::find_live` (a signing code, by its hash);
//!   `messaging::school_for_callback` (a Notify callback's token); `outbox::message` (a stop
//!   link, checked against its signature first).
//! - **Jobs that go through every school**, each row carrying its school's scope:
//!   `messaging::active_plans` (reminders), `outbox::{due, interrupted}` (the sender),
//!   `trust::{adoptions, schools}` and `schools::names`.
//! - **The trust's own tables:** `trust::{record_event, count_events, versions, latest, version,
//!   insert_version}`, `staff::{trust_admins, active_trust_admins}`.
//! - **Sessions**, a person's and not a school's data, found by token hash or id:
//!   `staff::{insert_session, touch_session, delete_session, purge_sessions}`.
//! - **Housekeeping by age, in every school:** `roster::purge_uploads`, `staff::purge_sessions`.
//! - **Whole-file checks for `signoff verify`:** `documents::{all_versions, all_translations}`,
//!   `declarations::{first_unaudited, count}`, `audit::{first_signing_without_declaration,
//!   first_translation_without_event}`, `erasure::{first_unaudited,
//!   first_event_without_erasure}`; and
//!   `status::last_declaration`, the highest declaration id, a watermark for kept reports.
//! - **Backups** (`backup`, which works on a copy of the file), **settings** (instance-wide), and
//!   `carers::also_at`, which looks across schools on purpose (and returns only names).
#![allow(clippy::disallowed_methods)] // The store alone makes a `Scope`, from a row it read.

pub mod about_carer;
pub mod audit;
pub mod backup;
pub mod carers;
pub mod codes;
pub mod declarations;
pub mod delivery;
pub mod documents;
pub mod drafts;
pub mod erasure;
pub mod messaging;
pub mod outbox;
pub mod retention;
pub mod roster;
pub mod schools;
pub mod settings;
pub mod staff;
pub mod status;
pub mod trust;
mod watch;

use std::collections::{HashMap, HashSet};
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};

pub use crate::domain::school::Scope;

/// The migrations compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// What a committed write can have changed, so caches of what was read keep what it cannot
/// have (see [`WriteTx::touching`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Touched {
    /// Anything (the default): every kept page and report is read again.
    #[default]
    Anything,
    /// Nothing a status report or a parent's page shows: sessions, audit events.
    Nothing,
    /// Only these carers' declarations (appended) and signing codes: their pages are read again,
    /// and status reports add the new declarations to what they kept.
    Carers(Vec<i64>),
}

/// Counters that move on with what committed writes touched.
#[derive(Debug, Default)]
struct Changes {
    /// Moves on with every write that may have changed anything.
    anything: AtomicU64,
    /// Moves on with every write that touched only some carers.
    carers_seq: AtomicU64,
    /// Per carer: the `carers_seq` of the last write of that carer's declarations or codes.
    carers: Mutex<HashMap<i64, u64>>,
}

impl Changes {
    fn record(&self, touched: &Touched) {
        match touched {
            Touched::Anything => {
                self.anything.fetch_add(1, Ordering::SeqCst);
            }
            Touched::Nothing => {}
            Touched::Carers(ids) => {
                let mut carers = self.carers.lock().unwrap_or_else(|e| e.into_inner());
                let seq = self.carers_seq.fetch_add(1, Ordering::SeqCst) + 1;
                for id in ids {
                    carers.insert(*id, seq);
                }
            }
        }
    }
}

/// Handles to one SQLite database file.
#[derive(Clone, Debug)]
pub struct Db {
    /// Several connections for reads (WAL lets them run beside the writer).
    pub read: SqlitePool,
    /// Exactly one connection for writes.
    pub write: SqlitePool,
    /// What committed writes touched, so caches of what was read can tell whether they are still
    /// current (see [`Db::generation`] and [`Db::carer_generation`]).
    changes: Arc<Changes>,
    /// Notices commits by any connection, another process's too (see [`watch`]).
    watch: Arc<watch::CommitWatch>,
    /// Held from just before a transaction's COMMIT until what it touched is recorded, so the
    /// next transaction's accounting starts from a settled count.
    gate: Arc<tokio::sync::Mutex<()>>,
    /// Long jobs running against this database in this process: (kind, school).
    jobs: Arc<Mutex<HashSet<(&'static str, i64)>>>,
}

/// A long job's claim on its kind and school; released when dropped.
pub struct JobGuard {
    jobs: Arc<Mutex<HashSet<(&'static str, i64)>>>,
    key: (&'static str, i64),
}

impl Drop for JobGuard {
    fn drop(&mut self) {
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.key);
    }
}

/// A write transaction. Its [`commit`](WriteTx::commit) records what it touched once it is
/// committed, so a cache read before then is seen to be out of date.
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    db: Db,
    touched: Touched,
    /// The connection's `total_changes()` when the transaction began.
    changes_before: i64,
}

impl WriteTx {
    /// Declares that this transaction changes no more than `touched` (the default is anything).
    /// A declaration that says too little makes a cache show old data: declare only what the
    /// transaction's statements cannot exceed.
    pub fn touching(mut self, touched: Touched) -> WriteTx {
        self.touched = touched;
        self
    }

    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let wrote = total_changes(&mut self.tx).await? != self.changes_before;
        let _gate = self.db.gate.lock().await;
        let elsewhere = self.db.watch.before_commit();
        let result = self.tx.commit().await;
        self.db
            .watch
            .after_commit(result.as_ref().ok().map(|_| wrote));
        if elsewhere || result.is_err() {
            self.db.changes.record(&Touched::Anything);
        }
        if wrote {
            self.db.changes.record(&self.touched);
        }
        result
    }
}

impl Deref for WriteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

/// How many rows the connection has inserted, changed or deleted since it opened.
async fn total_changes(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT total_changes() AS "n!: i64""#)
        .fetch_one(conn)
        .await
}

fn options(path: &Path) -> Result<SqliteConnectOptions, sqlx::Error> {
    let url = format!("sqlite://{}", path.display());
    Ok(SqliteConnectOptions::from_str(&url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        // Deleted and overwritten content is zeroed, so an erased name leaves no bytes behind.
        .pragma("secure_delete", "on")
        .busy_timeout(Duration::from_secs(10)))
}

impl Db {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Db, sqlx::Error> {
        let opts = options(path)?;
        // No pool pings a connection before lending it (`test_before_acquire`): an embedded
        // database has no link to lose, and the ping was a round trip to its thread each time.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .test_before_acquire(false)
            .connect_with(opts.clone())
            .await?;
        MIGRATOR.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .test_before_acquire(false)
            .connect_with(opts.clone())
            .await?;
        let watch = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .test_before_acquire(false)
            .connect_with(opts)
            .await?;
        let watch = watch::CommitWatch::new(path, watch).await?;
        Ok(Db {
            read,
            write,
            changes: Arc::new(Changes::default()),
            watch: Arc::new(watch),
            gate: Arc::new(tokio::sync::Mutex::new(())),
            jobs: Arc::new(Mutex::new(HashSet::new())),
        })
    }

    /// After an erasure: rewrites the file (`VACUUM`) so no page freed before `secure_delete` was
    /// on still holds an old copy of what was erased, then copies the write-ahead log into the
    /// file and empties it (`wal_checkpoint(TRUNCATE)`, tried again for up to two seconds while a
    /// reader holds an older snapshot; false if it stayed busy). Backups made before stay as they
    /// were (see the README).
    pub async fn forget_erased(&self) -> Result<bool, sqlx::Error> {
        let mut conn = self.write.acquire().await?;
        // Runtime queries: sqlx's macros cannot type these statements' results.
        sqlx::query("VACUUM").execute(&mut *conn).await?;
        for _ in 0..40 {
            let busy: i64 = sqlx::query_scalar("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&mut *conn)
                .await?;
            if busy == 0 {
                return Ok(true);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(false)
    }

    /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so it can
    /// never fail half-way with "database is locked" after reading.
    pub async fn begin(&self) -> Result<WriteTx, sqlx::Error> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        let changes_before = total_changes(&mut tx).await?;
        Ok(WriteTx {
            tx,
            db: self.clone(),
            touched: Touched::Anything,
            changes_before,
        })
    }

    /// The generation of everything: it moves on with every write that may have changed anything
    /// (not with writes declared to touch only some carers, or nothing shown). Read it *before*
    /// reading data to cache; the cached data is current for as long as it has not moved and, for
    /// a carer's data, neither has [`Db::carer_generation`]. It first moves on if anything was
    /// committed since the last look other than by this process's transactions: another process
    /// (`signoff import-roster`, a restore) or a statement outside [`Db::begin`], so what they
    /// commit shows on the next page served.
    pub async fn generation(&self) -> Result<u64, sqlx::Error> {
        if self.watch.changed_elsewhere().await? {
            self.changes.record(&Touched::Anything);
        }
        Ok(self.changes.anything.load(Ordering::SeqCst))
    }

    /// [`Db::generation`] without waiting: `None` where finding other writers' commits takes a
    /// query (no shared-memory index to read).
    pub fn generation_now(&self) -> Option<u64> {
        if self.watch.changed_elsewhere_now()? {
            self.changes.record(&Touched::Anything);
        }
        Some(self.changes.anything.load(Ordering::SeqCst))
    }

    /// [`Db::generation`] (without looking for other writers) once a commit in progress, if any,
    /// has recorded what it touched.
    pub async fn settled_generation(&self) -> u64 {
        drop(self.gate.lock().await);
        self.changes.anything.load(Ordering::SeqCst)
    }

    /// Moves on with every write that touched only some carers (see [`Touched::Carers`]). Read it
    /// before reading a carer's data to cache: the data is current while
    /// [`Db::carer_generation`] is no later than it (and [`Db::generation`] has not moved).
    pub fn carers_generation(&self) -> u64 {
        self.changes.carers_seq.load(Ordering::SeqCst)
    }

    /// When this carer's declarations or codes were last written, in [`Db::carers_generation`]'s
    /// count (0 for never since start).
    pub fn carer_generation(&self, carer_id: i64) -> u64 {
        let carers = self
            .changes
            .carers
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        carers.get(&carer_id).copied().unwrap_or_default()
    }

    /// Claims a long job (a roster import) for a school, or `None` while one of that kind runs.
    pub fn start_job(&self, kind: &'static str, scope: Scope) -> Option<JobGuard> {
        let school_id = scope.id();
        let claimed = self
            .jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((kind, school_id));
        claimed.then(|| JobGuard {
            jobs: self.jobs.clone(),
            key: (kind, school_id),
        })
    }

    /// Marks that something was written outside [`Db::begin`] (anything may have changed).
    pub fn note_write(&self) {
        self.changes.record(&Touched::Anything);
    }

    /// Checkpoints the write-ahead log into the database file (leaving it empty), then closes both
    /// pools: after a clean stop the database file alone holds everything.
    pub async fn close(&self) {
        // Kept a runtime query: sqlx's macros cannot type this pragma's result columns (SQLite
        // reports them as NULL), a pragma takes no `AS` override, and one with side effects has
        // no table-valued form to select from.
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.write)
            .await
        {
            tracing::warn!(error = %e, "could not checkpoint the write-ahead log on close");
        }
        self.read.close().await;
        self.watch.close().await;
        self.write.close().await;
    }
}

/// Whether an error is SQLite refusing a row because of a UNIQUE constraint.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
