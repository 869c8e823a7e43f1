//! Uploads that arrive while the writer is busy wait for it together, and the next writer
//! stores all of them in one IMMEDIATE transaction: one commit, so one sync of the WAL to disk,
//! for several devices' batches. A batch that fails undoes only its own items (the others are
//! stored again without it), and no batch is answered before the commit that keeps it.

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
        // A bad item is an outcome, not a failure: only storage fails a batch. Then everything
        // is rolled back and each batch is stored alone, so that a failing batch undoes only its
        // own items, without a savepoint (and its copies of pages) for every batch.
        let results: Vec<StoreResult<Vec<ItemOutcome>>> = match store_together(conn, &mut cards, &batches) {
            Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
            Err(Failed::Batch(e)) if batches.len() == 1 => vec![Err(e)],
            Err(Failed::Batch(_)) => batches
                .iter()
                .map(|b| store_together(conn, &mut cards, std::slice::from_ref(b)).map_err(Failed::into_error))
                .map(|stored| stored.map(|mut o| o.remove(0)))
                .collect(),
            // The transaction did not begin (a locked file): alone, each would wait and fail again.
            Err(Failed::Start(e)) => {
                let mut all: Vec<_> = (1..batches.len()).map(|_| Err(copy(&e))).collect();
                all.insert(0, Err(e));
                all
            }
        };
        for (batch, result) in batches.into_iter().zip(results) {
            // A batch whose answer is not awaited any more (its request was dropped) is kept
            // all the same: the device sends it again and learns it is a duplicate.
            let _ = batch.answer.send(result);
        }
    }
}

#[cfg(test)]
impl Uploads {
    /// Stores `batches` as one group on `conn`, as a writer does, and returns their answers.
    pub fn store_group(
        &self,
        conn: &mut Connection,
        batches: Vec<(DeviceRecord, Vec<IncomingItem>)>,
        received_at: DateTime<Utc>,
        rules: UploadRules,
    ) -> Vec<StoreResult<Vec<ItemOutcome>>> {
        let mut answers = Vec::new();
        for (device, items) in batches {
            let (answer, answered) = oneshot::channel();
            lock(&self.waiting).push(Waiting { device, items, received_at, rules, answer });
            answers.push(answered);
        }
        self.store_waiting(conn);
        answers
            .into_iter()
            .map(|mut a| a.try_recv().unwrap_or_else(|e| Err(StoreError::Backend(e.to_string()))))
            .collect()
    }
}

/// Why a group was not stored.
enum Failed {
    /// Before any batch was stored: the transaction did not begin.
    Start(StoreError),
    /// While storing the batches or committing them.
    Batch(StoreError),
}

impl Failed {
    fn into_error(self) -> StoreError {
        match self {
            Failed::Start(e) | Failed::Batch(e) => e,
        }
    }
}

/// The same error again, for another batch of a group.
fn copy(e: &StoreError) -> StoreError {
    match e {
        StoreError::Backend(text) => StoreError::Backend(text.clone()),
        other => StoreError::Backend(other.to_string()),
    }
}

/// Stores `batches` in one IMMEDIATE transaction: all of them, or (on an error) none.
fn store_together(
    conn: &mut Connection,
    cards: &mut CardCache,
    batches: &[Waiting],
) -> Result<Vec<Vec<ItemOutcome>>, Failed> {
    // IMMEDIATE: the write lock is taken (waiting out a CLI command's write) before anything
    // is read, so the transaction never has to upgrade a stale read snapshot.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| Failed::Start(e.into()))?;
    let stored = (|| -> StoreResult<_> {
        cards.check(&tx)?;
        let outcomes = batches
            .iter()
            .map(|b| sync::store_batch(&tx, cards, &b.device, &b.items, b.received_at, b.rules))
            .collect::<StoreResult<Vec<_>>>()?;
        tx.commit()?;
        Ok(outcomes)
    })();
    stored.map_err(Failed::Batch)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
