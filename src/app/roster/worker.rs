//! Reading roster files happens on one thread kept for it, one file at a time. A large file's
//! rows take tens of megabytes while they are read; on one thread the allocator reuses the same
//! memory for the next file, where spread over the server's threads each would keep its own.

use std::panic::AssertUnwindSafe;
use std::sync::{Mutex, OnceLock, mpsc};

type Job = Box<dyn FnOnce() + Send>;

fn queue() -> &'static Mutex<mpsc::Sender<Job>> {
    static QUEUE: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let started = std::thread::Builder::new()
            .name("roster".into())
            .spawn(move || {
                for job in rx {
                    // A job that panics loses its answer (the caller sees an error), not the thread.
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                }
            });
        if let Err(e) = started {
            tracing::error!(error = %e, "could not start the roster thread");
        }
        Mutex::new(tx)
    })
}

/// Runs `f` on the roster thread and waits for its answer.
pub async fn run<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, sqlx::Error> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    let sent = queue()
        .lock()
        .map_err(|_| sqlx::Error::WorkerCrashed)?
        .send(job);
    sent.map_err(|_| sqlx::Error::WorkerCrashed)?;
    rx.await.map_err(|_| sqlx::Error::WorkerCrashed)
}
