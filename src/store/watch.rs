//! Noticing commits made by any connection, in this process or another (`signoff
//! import-roster`, a future job), cheaply enough to ask before every cached page.
//!
//! In WAL mode SQLite keeps a shared-memory index beside the database (`<file>-shm`). Its first
//! 48 bytes are the WAL-index header (<https://www.sqlite.org/walformat.html>): every commit moves
//! its last-frame counter and checksum, and a restarted log changes its salt, so the header changes
//! with every commit by anyone. Reading it is one `pread` of a page the kernel already holds. Where
//! it cannot be read, `PRAGMA data_version` on a connection kept for that says the same thing
//! through a query.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use sqlx::SqlitePool;

/// The size of SQLite's WAL-index header.
const HEADER: usize = 48;

#[derive(Debug)]
pub struct CommitWatch {
    shm: Option<std::fs::File>,
    /// A hash of the header as last seen.
    seen_header: AtomicU64,
    /// The fallback: a connection used for nothing but `PRAGMA data_version`, and its last answer.
    conn: SqlitePool,
    seen_version: AtomicI64,
}

impl CommitWatch {
    pub async fn new(database: &Path, conn: SqlitePool) -> Result<CommitWatch, sqlx::Error> {
        let mut shm_path = database.as_os_str().to_owned();
        shm_path.push("-shm");
        let shm = std::fs::File::open(shm_path).ok();
        let version = data_version(&conn).await?;
        let watch = CommitWatch {
            shm,
            seen_header: AtomicU64::new(0),
            conn,
            seen_version: AtomicI64::new(version),
        };
        watch.header_changed();
        Ok(watch)
    }

    /// Whether anything was committed since the last call (a spurious "yes" is harmless).
    pub async fn changed(&self) -> Result<bool, sqlx::Error> {
        if let Some(changed) = self.header_changed() {
            return Ok(changed);
        }
        let version = data_version(&self.conn).await?;
        Ok(self.seen_version.swap(version, Ordering::SeqCst) != version)
    }

    #[cfg(unix)]
    fn header_changed(&self) -> Option<bool> {
        use std::os::unix::fs::FileExt;
        let mut header = [0u8; HEADER];
        self.shm.as_ref()?.read_exact_at(&mut header, 0).ok()?;
        let mut h = DefaultHasher::new();
        header.hash(&mut h);
        let now = h.finish();
        Some(self.seen_header.swap(now, Ordering::SeqCst) != now)
    }

    #[cfg(not(unix))]
    fn header_changed(&self) -> Option<bool> {
        None
    }

    pub async fn close(&self) {
        self.conn.close().await;
    }
}

/// SQLite's count of commits seen by this connection's database, others' included.
async fn data_version(conn: &SqlitePool) -> Result<i64, sqlx::Error> {
    // The pragma always answers with a row; the macro cannot know that.
    sqlx::query_scalar!("PRAGMA data_version")
        .fetch_one(conn)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqliteConnectOptions;

    /// Both ways of noticing see a commit made by a connection of their own (as another process's
    /// would be), and only once.
    #[tokio::test]
    async fn a_commit_by_another_connection_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let opts = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
        let other = SqlitePool::connect_with(opts.clone()).await.unwrap();
        crate::store::MIGRATOR.run(&other).await.unwrap();
        let by_header =
            CommitWatch::new(&path, SqlitePool::connect_with(opts.clone()).await.unwrap())
                .await
                .unwrap();
        let mut by_query = CommitWatch::new(&path, SqlitePool::connect_with(opts).await.unwrap())
            .await
            .unwrap();
        by_query.shm = None;
        for w in [&by_header, &by_query] {
            assert!(!w.changed().await.unwrap());
        }
        let mut conn = other.acquire().await.unwrap();
        crate::store::settings::get_or_insert(&mut conn, "k", "v")
            .await
            .unwrap();
        for w in [&by_header, &by_query] {
            assert!(w.changed().await.unwrap());
            assert!(!w.changed().await.unwrap());
        }
    }
}
