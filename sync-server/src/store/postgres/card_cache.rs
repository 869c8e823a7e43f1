//! The cards uploads judge by, kept in the process between batches so that a batch reads only
//! the cards it has not met and the register's changes since the last batch. Every change to a
//! card takes the register's next change number under the clock row's lock, so changes commit
//! in number order: once number N is seen, every change up to N is. The changes after the
//! number a cache has reached (`through`), read with each batch, bring its cards up to date;
//! each card keeps the number of its version, so an older read never replaces a newer one.

use std::collections::HashMap;
use std::sync::Mutex;

use deadpool_postgres::GenericClient;
use kaiku_core::Card;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::cards::card_from_row;
use super::convert::get;
use super::pool::{one, rows};
use crate::store::StoreResult;

/// Cards kept at most; then the cache starts again (the busy cards come back first).
const CACHED_CARDS: usize = 200_000;

/// Changes read with a batch at most; more (a large import) and the cache starts again.
const CHANGES: i64 = 2_000;

const COLUMNS: &str = "id, kind, region_id, distributor_id, issued_on, valid_until, status, revoked_reason, revoked_on, minors, change_seq";

#[derive(Debug, Default)]
struct Cached {
    /// Every change up to this number is in `cards`.
    through: i64,
    /// Each card with the change number of its version.
    cards: HashMap<String, (i64, Card)>,
}

#[derive(Debug, Default)]
pub struct CardCache(Mutex<Cached>);

fn card_row(r: &Row) -> StoreResult<(String, i64, Card)> {
    Ok((get(r, 0)?, get(r, 10)?, card_from_row(r)?))
}

impl CardCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Cached> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The registered cards of `ids` as they are now, by ID: those not met before and the
    /// changes since the last batch read in one round trip (pipelined).
    pub async fn cards(&self, c: &impl GenericClient, ids: &[String]) -> StoreResult<HashMap<String, Card>> {
        let (through, missing) = {
            let cached = self.lock();
            (cached.through, ids.iter().filter(|id| !cached.cards.contains_key(*id)).cloned().collect::<Vec<_>>())
        };
        let changes_sql = format!("SELECT {COLUMNS} FROM cards WHERE change_seq > $1 ORDER BY change_seq LIMIT $2");
        let missing_sql = format!("SELECT {COLUMNS} FROM cards WHERE id = ANY($1)");
        let limit = CHANGES + 1;
        let changes_params: [&(dyn ToSql + Sync); 2] = [&through, &limit];
        let (changes, found) = tokio::try_join!(rows(c, &changes_sql, &changes_params), async {
            if missing.is_empty() { Ok(Vec::new()) } else { rows(c, &missing_sql, &[&missing]).await }
        },)?;
        if changes.len() as i64 > CHANGES {
            return self.start_again(c, ids).await;
        }
        let mut cached = self.lock();
        // What this batch has seen: every change up to here (the cards found were read after).
        let mut seen = through;
        for r in &changes {
            let (id, change, card) = card_row(r)?;
            seen = seen.max(change);
            if let Some(entry) = cached.cards.get_mut(&id).filter(|e| e.0 < change) {
                *entry = (change, card);
            }
        }
        // Another batch may have gone further meanwhile: the cards found here are then kept
        // only for this batch.
        let keep = cached.through <= seen;
        cached.through = cached.through.max(seen);
        if keep && cached.cards.len() + found.len() > CACHED_CARDS {
            cached.cards.clear();
        }
        let mut out = HashMap::with_capacity(ids.len());
        for r in &found {
            let (id, change, card) = card_row(r)?;
            if keep {
                let entry = cached.cards.entry(id.clone()).or_insert((change, card.clone()));
                if entry.0 < change {
                    *entry = (change, card.clone());
                }
            }
            out.insert(id, card);
        }
        for id in ids {
            if let (false, Some((_, card))) = (out.contains_key(id), cached.cards.get(id)) {
                out.insert(id.clone(), card.clone());
            }
        }
        Ok(out)
    }

    /// Forgets every card and reads the batch's again, from the register's last change on.
    async fn start_again(&self, c: &impl GenericClient, ids: &[String]) -> StoreResult<HashMap<String, Card>> {
        // Read first: every card read after it holds every change up to it.
        let through: i64 = get(&one(c, "SELECT coalesce(max(change_seq), 0) FROM cards", &[]).await?, 0)?;
        let found = rows(c, &format!("SELECT {COLUMNS} FROM cards WHERE id = ANY($1)"), &[&ids]).await?;
        let mut cached = self.lock();
        cached.cards.clear();
        cached.through = through;
        let mut out = HashMap::with_capacity(found.len());
        for r in &found {
            let (id, change, card) = card_row(r)?;
            cached.cards.insert(id.clone(), (change, card.clone()));
            out.insert(id, card);
        }
        Ok(out)
    }
}
