//! Group commit for signatures, online and paper: one writer task takes every signature waiting
//! at that moment and commits them in one transaction with a fixed number of statements
//! ([`declarations::append_all`]), so a morning rush shares fsyncs and round trips instead of
//! queueing for one each. Each declaration is still appended in order (its chain link and audit
//! event inside the same transaction), and nobody is answered before the commit is durable.

use tokio::sync::{mpsc, oneshot};

use crate::store::declarations::{self, Appended, NewDeclaration};
use crate::store::{Db, Touched};

/// Most signatures in one transaction.
const BATCH: usize = 256;

struct Job {
    declaration: NewDeclaration,
    actor: String,
    reply: oneshot::Sender<Result<Appended, sqlx::Error>>,
}

/// A handle for appending declarations through the writer task.
#[derive(Clone)]
pub struct Committer {
    jobs: mpsc::Sender<Job>,
}

impl Committer {
    /// Starts the writer task on `db`. It ends when every handle is dropped.
    pub fn start(db: Db) -> Committer {
        let (jobs, rx) = mpsc::channel(4 * BATCH);
        tokio::spawn(run(db, rx));
        Committer { jobs }
    }

    /// Appends one declaration; returns once it is committed (or was already there).
    pub async fn append(
        &self,
        declaration: NewDeclaration,
        actor: String,
    ) -> Result<Appended, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                declaration,
                actor,
                reply,
            })
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

async fn run(db: Db, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        match commit_all(&db, &batch).await {
            Ok(results) => {
                for (job, result) in batch.into_iter().zip(results) {
                    let _ = job.reply.send(Ok(result));
                }
            }
            // Something in the group failed: nothing of it was kept. Try each on its own, so one
            // bad row cannot cost the others their signature.
            Err(_) => {
                for job in batch {
                    let result = commit_one(&db, &job).await;
                    let _ = job.reply.send(result);
                }
            }
        }
    }
}

async fn commit_all(db: &Db, batch: &[Job]) -> Result<Vec<Appended>, sqlx::Error> {
    let items = batch
        .iter()
        .map(|j| (j.declaration.clone(), j.actor.clone()))
        .collect();
    commit(db, items).await
}

async fn commit_one(db: &Db, job: &Job) -> Result<Appended, sqlx::Error> {
    let mut results = commit(db, vec![(job.declaration.clone(), job.actor.clone())]).await?;
    results.pop().ok_or(sqlx::Error::RowNotFound)
}

/// One transaction, declared to touch only the signing carers: their pages are read again, and
/// the office's kept reports add the new declarations.
async fn commit(
    db: &Db,
    items: Vec<(NewDeclaration, String)>,
) -> Result<Vec<Appended>, sqlx::Error> {
    let carers = items.iter().map(|(d, _)| d.signed.carer_id).collect();
    let mut tx = db.begin().await?.touching(Touched::Carers(carers));
    let results = declarations::append_all(&mut tx, items).await?;
    tx.commit().await?;
    Ok(results)
}
