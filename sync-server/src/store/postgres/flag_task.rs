//! The in-process task that looks for uses to check after uploads (`flag_check`): woken by
//! each upload once committed, it waits a moment so that several batches are checked in one
//! statement, then checks until none is left. Readers never wait for it to be woken: they
//! catch up themselves first.

use std::sync::Mutex;
use std::time::Duration;

use deadpool_postgres::Pool;
use std::sync::Arc;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::flag_check;

/// How long the task lets new uploads gather before a check.
const GATHER: Duration = Duration::from_millis(100);

#[derive(Debug, Default)]
pub struct Background {
    wake: Arc<Notify>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Background {
    /// Wakes the task, starting it on the current runtime if it is not running (the first
    /// upload, or its runtime has ended). Called from async code only.
    pub fn wake(&self, pool: &Pool) {
        let mut task = self.task.lock().unwrap_or_else(|p| p.into_inner());
        if task.as_ref().is_none_or(JoinHandle::is_finished) {
            *task = Some(tokio::spawn(run(pool.clone(), self.wake.clone())));
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

/// Checks while there are checks left; ends when the store is gone (it aborts the task).
async fn run(pool: Pool, wake: Arc<Notify>) {
    loop {
        wake.notified().await;
        tokio::time::sleep(GATHER).await;
        loop {
            let done = match pool.get().await {
                Ok(c) => flag_check::step(&c).await,
                Err(e) => Err(e.into()),
            };
            match done {
                Ok(0) => break,
                Ok(_) => continue,
                // Nothing is lost: the checks stay for the next upload's wake-up or reader.
                Err(e) => {
                    tracing::error!(error = %e, "uses to check: the check failed; it is tried again later");
                    break;
                }
            }
        }
    }
}
