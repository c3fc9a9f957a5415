//! Noticing commits made by any connection, in this process or another (`signoff
//! import-roster`, a future job), cheaply enough to ask before every cached page, and telling
//! them apart from this process's own transactions, whose effects [`super::WriteTx`] declares.
//!
//! In WAL mode SQLite keeps a shared-memory index beside the database (`<file>-shm`). Its first
//! 48 bytes are the WAL-index header (<https://www.sqlite.org/walformat.html>), written twice
//! (the two copies differ only while a writer is updating them). Bytes 8..12 hold `iChange`, a
//! counter SQLite moves on by exactly one with every committed transaction, by anyone. Reading it
//! is one `pread` of a page the kernel already holds.
//!
//! Our own transactions hold SQLite's write lock from `BEGIN IMMEDIATE` to `COMMIT`, so the
//! counter cannot move while one is open: just before its COMMIT the counter says how many
//! commits happened since we last looked (any is another writer's), and after it the counter is
//! one further on if, and only if, the transaction wrote. Any other move is another writer's.
//! Where the header cannot be read, `PRAGMA data_version` on a connection kept for that says
//! whether anything at all was committed; then every commit counts as another writer's (slower,
//! never wrong).

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use sqlx::SqlitePool;

/// The size of SQLite's WAL-index header; the shared memory starts with two copies of it.
const HEADER: usize = 48;

#[derive(Debug, Default)]
struct Seen {
    /// `iChange` once every commit up to it was accounted for; `None` when unsure.
    change: Option<u32>,
    /// One of our transactions is committing: the counter may move on by one, for it.
    committing: bool,
}

#[derive(Debug)]
pub struct CommitWatch {
    shm: Option<std::fs::File>,
    seen: Mutex<Seen>,
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
            seen: Mutex::new(Seen::default()),
            conn,
            seen_version: AtomicI64::new(version),
        };
        watch.lock().change = watch.change_counter();
        Ok(watch)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether anything was committed since the last call other than by our own transactions (a
    /// spurious "yes" is harmless: it only costs reading again).
    pub async fn changed_elsewhere(&self) -> Result<bool, sqlx::Error> {
        if let Some(changed) = self.changed_elsewhere_now() {
            return Ok(changed);
        }
        let version = data_version(&self.conn).await?;
        Ok(self.seen_version.swap(version, Ordering::SeqCst) != version)
    }

    /// [`CommitWatch::changed_elsewhere`] without waiting: `None` where only a query can tell.
    pub fn changed_elsewhere_now(&self) -> Option<bool> {
        if self.shm.is_some() {
            let now = self.change_counter();
            let mut seen = self.lock();
            let ours =
                |s: &Seen, n: u32| s.committing && s.change.map(|c| c.wrapping_add(1)) == Some(n);
            if now.is_some() && (seen.change == now || ours(&seen, now.unwrap_or_default())) {
                return Some(false);
            }
            seen.change = now;
            return Some(true);
        }
        None
    }

    /// Called by our transaction just before its COMMIT, holding the write lock: whether another
    /// writer committed since the last look.
    pub fn before_commit(&self) -> bool {
        if self.shm.is_none() {
            return false;
        }
        let now = self.change_counter();
        let mut seen = self.lock();
        let elsewhere = now.is_none() || seen.change != now;
        seen.change = now;
        seen.committing = true;
        elsewhere
    }

    /// Called by our transaction after its COMMIT: `Some(wrote)` when it committed, `None` when
    /// it is unknown whether it did.
    pub fn after_commit(&self, wrote: Option<bool>) {
        let mut seen = self.lock();
        seen.committing = false;
        seen.change = match wrote {
            Some(true) => seen.change.map(|c| c.wrapping_add(1)),
            Some(false) => seen.change,
            None => None,
        };
    }

    /// SQLite's count of committed transactions from the WAL-index header, or `None` when it
    /// cannot be read (no shared-memory file, or a writer kept changing it).
    #[cfg(unix)]
    fn change_counter(&self) -> Option<u32> {
        use std::os::unix::fs::FileExt;
        let shm = self.shm.as_ref()?;
        let mut both = [0u8; 2 * HEADER];
        for _ in 0..100 {
            shm.read_exact_at(&mut both, 0).ok()?;
            let (first, second) = both.split_at(HEADER);
            if first == second {
                return Some(u32::from_ne_bytes([
                    first[8], first[9], first[10], first[11],
                ]));
            }
            std::hint::spin_loop();
        }
        None
    }

    #[cfg(not(unix))]
    fn change_counter(&self) -> Option<u32> {
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
            assert!(!w.changed_elsewhere().await.unwrap());
        }
        let mut conn = other.acquire().await.unwrap();
        crate::store::settings::get_or_insert(&mut conn, "k", "v")
            .await
            .unwrap();
        for w in [&by_header, &by_query] {
            assert!(w.changed_elsewhere().await.unwrap());
            assert!(!w.changed_elsewhere().await.unwrap());
        }
    }
}

#[cfg(test)]
mod accounting {
    use crate::store::{Db, Touched, settings};

    /// Our own transactions move the caches' counters only as far as they declare; a commit by
    /// another connection (as another process's would be), or a statement outside a
    /// transaction, moves everything.
    #[tokio::test]
    async fn own_commits_count_as_declared_and_others_as_anything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let db = Db::open(&path).await.unwrap();
        let other = Db::open(&path).await.unwrap();
        let g = db.generation().await.unwrap();

        let mut tx = db.begin().await.unwrap().touching(Touched::Nothing);
        settings::get_or_insert(&mut tx, "k1", "v").await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            db.generation().await.unwrap(),
            g,
            "declared to touch nothing"
        );

        let before = db.carers_generation();
        let mut tx = db.begin().await.unwrap().touching(Touched::Carers(vec![7]));
        settings::get_or_insert(&mut tx, "k2", "v").await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(db.generation().await.unwrap(), g, "touched one carer only");
        assert!(db.carer_generation(7) > before);
        assert_eq!(db.carer_generation(8), 0);

        // A transaction that writes nothing moves nothing, and the next commit elsewhere shows.
        let tx = db.begin().await.unwrap().touching(Touched::Nothing);
        tx.commit().await.unwrap();
        let mut tx = other.begin().await.unwrap().touching(Touched::Nothing);
        settings::get_or_insert(&mut tx, "k3", "v").await.unwrap();
        tx.commit().await.unwrap();
        let g2 = db.generation().await.unwrap();
        assert!(g2 > g, "another connection's commit moves everything");
        assert_eq!(db.generation().await.unwrap(), g2, "and only once");

        let mut conn = db.write.acquire().await.unwrap();
        settings::get_or_insert(&mut conn, "k4", "v").await.unwrap();
        drop(conn);
        assert!(
            db.generation().await.unwrap() > g2,
            "a write outside a transaction"
        );

        let g3 = db.generation().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        settings::get_or_insert(&mut tx, "k5", "v").await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            db.generation().await.unwrap() > g3,
            "undeclared means anything"
        );
    }
}
