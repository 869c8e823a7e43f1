//! Uploads that arrive while the writer is busy wait for it together, and the next writer
//! stores all of them in one IMMEDIATE transaction: one commit, so one sync of the WAL to disk,
//! for several devices' batches. Each batch has a savepoint of its own, so a batch that fails
//! undoes only its own items, and no batch is answered before the commit that keeps it.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use kaiku_core::wire::ItemOutcome;
use rusqlite::{Connection, TransactionBehavior};
use tokio::sync::oneshot;

use super::pool::Pool;
use super::sync::{self, CardCache};
use crate::store::{DeviceRecord, IncomingItem, StoreError, StoreResult};
use crate::upload::UploadRules;

/// Batches stored in one transaction at most, so that a long queue is answered in turns.
const MOST_BATCHES: usize = 16;

/// The uploads waiting for the writer, and the cards uploads have looked up.
#[derive(Debug, Default)]
pub struct Uploads {
    waiting: Mutex<Vec<Waiting>>,
    /// Used only under the writer's lock.
    cards: Mutex<CardCache>,
}

/// One batch waiting for the writer, and where its outcomes go.
#[derive(Debug)]
struct Waiting {
    device: DeviceRecord,
    items: Vec<IncomingItem>,
    received_at: DateTime<Utc>,
    rules: UploadRules,
    answer: oneshot::Sender<StoreResult<Vec<ItemOutcome>>>,
}

impl Uploads {
    /// Stores a batch with whichever others are waiting, once it or they get the writer; its
    /// outcomes once the transaction that holds it has committed.
    pub async fn upload(
        self: &Arc<Self>,
        pool: &Arc<Pool>,
        device: DeviceRecord,
        items: Vec<IncomingItem>,
        received_at: DateTime<Utc>,
        rules: UploadRules,
    ) -> StoreResult<Vec<ItemOutcome>> {
        let (answer, answered) = oneshot::channel();
        lock(&self.waiting).push(Waiting { device, items, received_at, rules, answer });
        // Every batch starts one writer, so every batch is taken by a writer (this one or an
        // earlier one); a writer that finds none waiting has nothing to do.
        let (uploads, pool) = (self.clone(), pool.clone());
        tokio::task::spawn_blocking(move || pool.write(|c| uploads.store_waiting(c)));
        answered.await.map_err(|_| StoreError::Backend("the upload's storage task failed".into()))?
    }

    /// Stores the batches waiting now (up to [`MOST_BATCHES`]) in one transaction, and answers
    /// each.
    fn store_waiting(&self, conn: &mut Connection) {
        let batches: Vec<Waiting> = {
            let mut waiting = lock(&self.waiting);
            let n = waiting.len().min(MOST_BATCHES);
            waiting.drain(..n).collect()
        };
        if batches.is_empty() {
            return;
        }
        let mut cards = lock(&self.cards);
        let mut answers = Vec::with_capacity(batches.len());
        let mut results = Vec::with_capacity(batches.len());
        let stored = (|| -> StoreResult<()> {
            // IMMEDIATE: the write lock is taken (waiting out a CLI command's write) before
            // anything is read, so the transaction never has to upgrade a stale read snapshot.
            let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            cards.check(&tx)?;
            for b in batches {
                let savepoint = tx.savepoint()?;
                let result = sync::store_batch(&savepoint, &mut cards, &b.device, b.items, b.received_at, b.rules);
                if result.is_ok() {
                    savepoint.commit()?;
                } else {
                    // Rolls back to the savepoint and releases it.
                    savepoint.finish()?;
                }
                answers.push(b.answer);
                results.push(result);
            }
            tx.commit()?;
            Ok(())
        })();
        for (answer, result) in answers.into_iter().zip(results) {
            // A batch whose answer is not awaited any more (its request was dropped) is kept
            // all the same: the device sends it again and learns it is a duplicate.
            let _ = answer.send(match &stored {
                Ok(()) => result,
                Err(StoreError::Backend(e)) => Err(StoreError::Backend(e.clone())),
                Err(e) => Err(StoreError::Backend(e.to_string())),
            });
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
