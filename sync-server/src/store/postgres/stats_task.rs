//! The in-process task that folds the noted cards into the year sums (`stats_fold`): started
//! with the store, woken by each upload once committed, and every few seconds for what other
//! processes, register changes or a restart left noted. It folds a chunk at a time until none
//! is left, so a statistics request never does the folding (it adds what is still noted).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use deadpool_postgres::Pool;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::stats_fold;

/// How long the task lets new uploads gather before a fold.
const GATHER: Duration = Duration::from_millis(200);

/// How often the task looks for noted cards nobody woke it for.
const TICK: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
pub struct Folder {
    wake: Arc<Notify>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Folder {
    /// Wakes the task, starting it on the current runtime if it is not running (the store
    /// opening, or its runtime has ended). Called from async code only.
    pub fn wake(&self, pool: &Pool) {
        let mut task = self.task.lock().unwrap_or_else(|p| p.into_inner());
        if task.as_ref().is_none_or(JoinHandle::is_finished) {
            *task = Some(tokio::spawn(run(pool.clone(), self.wake.clone())));
        }
        self.wake.notify_one();
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        if let Some(task) = self.task.get_mut().unwrap_or_else(|p| p.into_inner()).take() {
            task.abort();
        }
    }
}

/// Folds while anything is noted; ends when the store is gone (it aborts the task).
async fn run(pool: Pool, wake: Arc<Notify>) {
    loop {
        let _ = tokio::time::timeout(TICK, wake.notified()).await;
        tokio::time::sleep(GATHER).await;
        loop {
            let done = match pool.get().await {
                Ok(mut c) => stats_fold::step(&mut c).await,
                Err(e) => Err(e.into()),
            };
            match done {
                Ok(0) => break,
                Ok(_) => continue,
                // Nothing is lost: the noted cards stay for the next try, and requests add them.
                Err(e) => {
                    tracing::error!(error = %e, "year sums: the fold failed; it is tried again later");
                    break;
                }
            }
        }
    }
}
