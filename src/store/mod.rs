//! Every SQL statement lives under this module, one file per table group.
//!
//! Reads go through a small pool; writes through a single connection, because SQLite has one
//! writer at a time and queueing in-process beats busy-waiting on the file lock.

pub mod audit;
pub mod carers;
pub mod codes;
pub mod declarations;
pub mod documents;
pub mod drafts;
pub mod roster;
pub mod schools;
pub mod settings;
pub mod staff;
pub mod status;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

/// The migrations compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Handles to one SQLite database file.
#[derive(Clone, Debug)]
pub struct Db {
    /// Several connections for reads (WAL lets them run beside the writer).
    pub read: SqlitePool,
    /// Exactly one connection for writes.
    pub write: SqlitePool,
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
            .connect_with(opts)
            .await?;
        Ok(Db { read, write })
    }

    /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so it can
    /// never fail half-way with "database is locked" after reading.
    pub async fn begin(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.write.begin_with("BEGIN IMMEDIATE").await
    }

    /// Closes both pools, checkpointing the WAL.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// Whether an error is SQLite refusing a row because of a UNIQUE constraint.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
