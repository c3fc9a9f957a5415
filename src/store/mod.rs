//! Every SQL statement lives under this module, one file per table group.
//!
//! Reads go through a small pool; writes through a single connection, because SQLite has one
//! writer at a time and queueing in-process beats busy-waiting on the file lock.

pub mod audit;
pub mod backup;
pub mod carers;
pub mod codes;
pub mod declarations;
pub mod delivery;
pub mod documents;
pub mod drafts;
pub mod messaging;
pub mod outbox;
pub mod roster;
pub mod schools;
pub mod settings;
pub mod staff;
pub mod status;
mod watch;

use std::collections::HashSet;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};

/// The migrations compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Handles to one SQLite database file.
#[derive(Clone, Debug)]
pub struct Db {
    /// Several connections for reads (WAL lets them run beside the writer).
    pub read: SqlitePool,
    /// Exactly one connection for writes.
    pub write: SqlitePool,
    /// Moves on before and after every committed write transaction, so caches of what was read
    /// can tell whether they are still current (see [`Db::generation`]).
    generation: Arc<AtomicU64>,
    /// Notices commits by any connection, another process's too (see [`watch`]).
    watch: Arc<watch::CommitWatch>,
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

/// A write transaction. Its [`commit`](WriteTx::commit) moves the database's generation on, before
/// and after the commit, so no cache can keep data read while the commit was happening.
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    generation: Arc<AtomicU64>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let result = self.tx.commit().await;
        self.generation.fetch_add(1, Ordering::SeqCst);
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

fn options(path: &Path) -> Result<SqliteConnectOptions, sqlx::Error> {
    let url = format!("sqlite://{}", path.display());
    Ok(SqliteConnectOptions::from_str(&url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10)))
}

impl Db {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Db, sqlx::Error> {
        let opts = options(path)?;
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(opts.clone())
            .await?;
        MIGRATOR.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(opts.clone())
            .await?;
        let watch = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(opts)
            .await?;
        let watch = watch::CommitWatch::new(path, watch).await?;
        Ok(Db {
            read,
            write,
            generation: Arc::new(AtomicU64::new(0)),
            watch: Arc::new(watch),
            jobs: Arc::new(Mutex::new(HashSet::new())),
        })
    }

    /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so it can
    /// never fail half-way with "database is locked" after reading.
    pub async fn begin(&self) -> Result<WriteTx, sqlx::Error> {
        Ok(WriteTx {
            tx: self.write.begin_with("BEGIN IMMEDIATE").await?,
            generation: self.generation.clone(),
        })
    }

    /// The current write generation. Read it *before* reading data to cache; the cached data is
    /// current for as long as the generation has not moved. Every write a parent could see goes
    /// through [`Db::begin`]; a write outside a transaction calls [`Db::note_write`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The write generation, first moved on if anything was committed since the last look by a
    /// connection other than the watcher: another process (`signoff import-roster`, a restore)
    /// as much as this one. Caches of what was read use this, so what another process commits
    /// shows on the next page served.
    pub async fn fresh_generation(&self) -> Result<u64, sqlx::Error> {
        if self.watch.changed().await? {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        Ok(self.generation())
    }

    /// Claims a long job (a roster import) for a school, or `None` while one of that kind runs.
    pub fn start_job(&self, kind: &'static str, school_id: i64) -> Option<JobGuard> {
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

    /// Marks that something was written outside [`Db::begin`].
    pub fn note_write(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
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
