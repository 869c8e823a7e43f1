//! Finding uses to check: each redemption just stored is looked for among other devices' uses
//! of its card within the window, in one statement for the whole batch (through the index on
//! card and scan time). It runs after the upload's commit, so a use another process committed
//! at the same moment is seen by whichever of the two looks last; the pair's unique key keeps
//! it once. A correction and the use it takes back are in no pair (`batch`).
//!
//! The upload's transaction leaves a row in `flag_checks` naming its new redemptions; the check
//! deletes it in the same statement that flags. A process killed in between leaves the row,
//! and the next reader of uses to check (any process) does the check first ([`catch_up`]).

use deadpool_postgres::GenericClient;
use uuid::Uuid;

use super::pool::exec;
use crate::store::StoreResult;

/// The most pairs one new redemption is flagged in: a card shared widely needs no more rows
/// to be seen.
const MAX_PAIRS: i64 = 5;

/// Flags the redemptions of the checks `which` selects (a condition on `flag_checks`, locking
/// what it takes) with other devices' uses of their cards within each check's window of their
/// scan; `flagged_at` is the upload's arrival. Ordered by scan time, so `first` is the earlier
/// scan (the other one when both are equal).
fn flag_sql(which: &str) -> String {
    format!(
        "WITH q AS (DELETE FROM flag_checks WHERE key IN ({which}) RETURNING ids, window_seconds, flagged_at), \
         n AS (SELECT r.id, r.card_id, r.scanned_at, r.venue_id, r.device_id, r.offer, r.offer_id, \
           q.window_seconds, q.flagged_at \
           FROM q CROSS JOIN LATERAL unnest(q.ids) AS x(id) JOIN redemptions r ON r.id = x.id \
           WHERE r.undoes IS NULL AND r.undone_by IS NULL) \
         INSERT INTO flagged_uses (card_id, first_id, first_at, first_venue, first_device, first_offer, \
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
         ON CONFLICT (first_id, second_id) DO NOTHING"
    )
}

/// Does the check an upload left as `key` (unless a reader has done it meanwhile: its
/// deletion is waited for, so the flags are there when the upload answers).
pub async fn flag(c: &impl GenericClient, key: Uuid) -> StoreResult<u64> {
    exec(c, &flag_sql("$1"), &[&key]).await
}

/// Does every check left undone (by a process killed after its upload), but those another
/// process is doing right now: before uses to check are read.
pub async fn catch_up(c: &impl GenericClient) -> StoreResult<()> {
    // Almost always empty: one look before the statement that flags.
    let pending = exec(c, "SELECT 1 FROM flag_checks LIMIT 1", &[]).await?;
    if pending > 0 {
        exec(c, &flag_sql("SELECT key FROM flag_checks ORDER BY key FOR UPDATE SKIP LOCKED"), &[]).await?;
    }
    Ok(())
}
