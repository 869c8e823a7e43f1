//! The in-process task that runs the projector (`projector`) after uploads: woken by each
//! upload, it waits a moment so that several batches make one larger chunk, then steps until
//! it has caught up, and checkpoints the WAL. Readers never wait for it: they catch up
//! themselves first.

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::pool::Pool;
use super::projector;
use crate::store::StoreResult;

/// How long the task lets new uploads gather before a step.
const GATHER: Duration = Duration::from_millis(200);

#[derive(Debug, Default)]
pub struct Background {
    wake: Arc<Notify>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Background {
    /// Wakes the task, starting it on the current runtime if it is not running (the first
    /// upload, or its runtime has ended). Called from async code only.
    pub fn wake(&self, pool: &Arc<Pool>) {
        let mut task = self.task.lock().unwrap_or_else(|p| p.into_inner());
        if task.as_ref().is_none_or(JoinHandle::is_finished) {
            *task = Some(tokio::spawn(run(Arc::downgrade(pool), self.wake.clone())));
        }
        self.wake.notify_one();
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(task) = self.task.get_mut().unwrap_or_else(|p| p.into_inner()).take() {
            task.abort();
        }
    }
}

/// One step of the projector: worked out on a reader, written with the writer; whether there may
/// be more.
pub fn step(pool: &Pool) -> StoreResult<bool> {
    match pool.read(projector::plan)? {
        Some(plan) => pool.write(|c| projector::apply(c, plan)),
        None => Ok(false),
    }
}

impl super::SqliteStore {
    /// Projects every redemption stored so far (`projector`), in steps that each take the
    /// writer for one chunk's writes, so uploads go on in between. Every reader of derived data calls
    /// this first; it reads one row when there is nothing to do.
    pub async fn catch_up(&self) -> StoreResult<()> {
        if !self.read(|c| Ok(projector::behind(c)?)).await? {
            return Ok(());
        }
        loop {
            let pool = self.pool.clone();
            if !super::blocking(move || step(&pool)).await? {
                return Ok(());
            }
        }
    }

    /// [`SqliteStore::catch_up`] on this thread, for callers that read the file directly
    /// (tests, tools) and may block.
    pub fn catch_up_blocking(&self) -> StoreResult<()> {
        while step(&self.pool)? {}
        Ok(())
    }
}

/// Moves the WAL into the database while uploads go on (see `Pool::checkpoint`).
async fn checkpoint(pool: &Arc<Pool>) {
    let pool = pool.clone();
    match tokio::task::spawn_blocking(move || pool.checkpoint()).await {
        Ok(Ok(())) => {}
        // A commit checkpoints by itself once the WAL is long: nothing is lost meanwhile.
        Ok(Err(e)) => tracing::warn!(error = %e, "checkpoint: not done this time"),
        Err(e) => tracing::warn!(error = %e, "checkpoint: the task failed"),
    }
}

/// Steps while there may be more, then checkpoints; ends when the store is gone.
async fn run(pool: Weak<Pool>, wake: Arc<Notify>) {
    loop {
        wake.notified().await;
        tokio::time::sleep(GATHER).await;
        loop {
            let Some(pool) = pool.upgrade() else { return };
            let stepping = pool.clone();
            let stepped = tokio::task::spawn_blocking(move || step(&stepping)).await;
            match stepped {
                Ok(Ok(true)) => continue,
                Ok(Ok(false)) => {
                    checkpoint(&pool).await;
                    break;
                }
                // Nothing is lost: the rows stay for the next step (or the next reader).
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "projector: the step failed; it is tried again after the next upload");
                    break;
                }
                Err(e) => {
                    tracing::error!(error = %e, "projector: the step's task failed");
                    break;
                }
            }
        }
    }
}
