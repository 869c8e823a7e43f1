//! Finding uses to check: each redemption just stored is looked for among other devices' uses
//! of its card within the window, in one statement for the whole batch (through the index on
//! card and scan time). It runs after the upload's commit, so a use another process committed
//! at the same moment is seen by whichever of the two looks last; the pair's unique key keeps
//! it once. A correction and the use it takes back are in no pair (`batch`).
//!
//! The upload's transaction leaves a row in `flag_checks` naming its new redemptions; the check
//! deletes it in the statement that flags. An in-process task does the checks after uploads
//! (`flag_task`), several uploads' at once; a process killed before leaves the rows to any
//! other, and every reader of uses to check does what is left first ([`catch_up`]).

use deadpool_postgres::GenericClient;

use super::convert::get;
use super::pool::{exec, one};
use crate::store::StoreResult;

/// The most pairs one new redemption is flagged in: a card shared widely needs no more rows
/// to be seen.
const MAX_PAIRS: i64 = 5;

/// Flags the redemptions of the checks `which` selects (keys of `flag_checks`, locking what it
/// takes) with other devices' uses of their cards within each check's window of their scan;
/// `flagged_at` is the upload's arrival. Ordered by scan time, so `first` is the earlier scan
/// (the other one when both are equal). Returns how many checks were done.
fn flag_sql(which: &str) -> String {
    format!(
        "WITH q AS (DELETE FROM flag_checks WHERE key IN ({which}) RETURNING ids, window_seconds, flagged_at), \
         n AS (SELECT r.id, r.card_id, r.scanned_at, r.venue_id, r.device_id, r.offer, r.offer_id, \
           q.window_seconds, q.flagged_at \
           FROM q CROSS JOIN LATERAL unnest(q.ids) AS x(id) JOIN redemptions r ON r.id = x.id \
           WHERE r.undoes IS NULL AND r.undone_by IS NULL), \
         flagged AS (INSERT INTO flagged_uses (card_id, first_id, first_at, first_venue, first_device, first_offer, \
         first_offer_id, second_id, second_at, second_venue, second_device, second_offer, second_offer_id, flagged_at) \
         SELECT n.card_id, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN o.id ELSE n.id END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN o.scanned_at ELSE n.scanned_at END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN o.venue_id ELSE n.venue_id END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN o.device_id ELSE n.device_id END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN o.offer ELSE n.offer END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN o.offer_id ELSE n.offer_id END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN n.id ELSE o.id END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN n.scanned_at ELSE o.scanned_at END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN n.venue_id ELSE o.venue_id END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN n.device_id ELSE o.device_id END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN n.offer ELSE o.offer END, \
           CASE WHEN o.scanned_at <= n.scanned_at THEN n.offer_id ELSE o.offer_id END, \
           n.flagged_at \
         FROM n CROSS JOIN LATERAL (SELECT o.id, o.scanned_at, o.venue_id, o.device_id, o.offer, o.offer_id \
           FROM redemptions o WHERE o.card_id = n.card_id \
           AND o.device_id <> n.device_id AND o.undoes IS NULL AND o.undone_by IS NULL \
           AND o.scanned_at BETWEEN n.scanned_at - make_interval(secs => n.window_seconds) \
           AND n.scanned_at + make_interval(secs => n.window_seconds) \
           ORDER BY o.scanned_at LIMIT {MAX_PAIRS}) o \
         ON CONFLICT (first_id, second_id) DO NOTHING) \
         SELECT count(*) FROM q"
    )
}

/// Checks done in one statement by the task: a few uploads' worth.
const TASK_CHECKS: i64 = 16;

/// Does up to [`TASK_CHECKS`] of the checks left, but those another process or a reader is
/// doing right now; how many.
pub async fn step(c: &impl GenericClient) -> StoreResult<i64> {
    let sql = flag_sql(&format!("SELECT key FROM flag_checks ORDER BY key LIMIT {TASK_CHECKS} FOR UPDATE SKIP LOCKED"));
    get(&one(c, &sql, &[]).await?, 0)
}

/// Does every check left, waiting for those being done right now, so that every upload that
/// has answered is checked: before uses to check are read.
pub async fn catch_up(c: &impl GenericClient) -> StoreResult<()> {
    // Almost always empty: one look before the statement that flags.
    if exec(c, "SELECT 1 FROM flag_checks LIMIT 1", &[]).await? > 0 {
        one(c, &flag_sql("SELECT key FROM flag_checks ORDER BY key FOR UPDATE"), &[]).await?;
    }
    Ok(())
}
