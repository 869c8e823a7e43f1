//! Finding uses to check: each redemption just stored is looked for among other devices' uses
//! of its card within the window, in one statement for the whole batch (through the index on
//! card and scan time). It runs after the upload's commit, so a use another process committed
//! at the same moment is seen by whichever of the two looks last; the pair's unique key keeps
//! it once.

use chrono::{DateTime, TimeDelta, Utc};
use deadpool_postgres::GenericClient;
use uuid::Uuid;

use super::pool::exec;
use crate::store::StoreResult;

/// The most pairs one new redemption is flagged in: a card shared widely needs no more rows
/// to be seen.
const MAX_PAIRS: i64 = 5;

/// Flags the redemptions `stored` (just committed) with other devices' uses of their cards
/// within `window` of their scan; `flagged_at` is the upload's arrival.
pub async fn flag(
    c: &impl GenericClient,
    stored: &[Uuid],
    window: TimeDelta,
    received_at: DateTime<Utc>,
) -> StoreResult<u64> {
    let seconds = window.num_seconds() as f64;
    // Ordered by scan time, so `first` is the earlier scan (the other one when both are equal).
    exec(
        c,
        "INSERT INTO flagged_uses (card_id, first_id, first_at, first_venue, first_device, first_offer, \
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
           $3 \
         FROM redemptions n \
         CROSS JOIN LATERAL (SELECT * FROM redemptions o WHERE o.card_id = n.card_id \
           AND o.device_id <> n.device_id \
           AND o.scanned_at BETWEEN n.scanned_at - make_interval(secs => $2) AND n.scanned_at + make_interval(secs => $2) \
           ORDER BY o.scanned_at, o.n LIMIT $4) o \
         WHERE n.id = ANY($1) \
         ON CONFLICT (first_id, second_id) DO NOTHING",
        &[&stored, &seconds, &received_at, &MAX_PAIRS],
    )
    .await
}
