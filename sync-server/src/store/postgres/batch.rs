//! What one upload batch writes, each part in one statement of column arrays (`UNNEST`): the
//! redemptions with the console's counters they add, what was refused, and the uses the
//! batch's corrections take back with the counters they take off and the pairs to check they
//! leave. A use or a correction that counts nowhere is one with `undoes` or `undone_by` set.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use deadpool_postgres::GenericClient;
use kaiku_core::wire::Flag;
use kaiku_core::{CardId, Redemption};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::convert::{get, text};
use super::pool::{exec, one, rows};
use crate::store::{DeviceRecord, StoreResult};

/// Inserts the batch's new redemptions (a stored id inserts nothing: a duplicate, decided by
/// the primary key) and adds the counted ones to the counters: per venue, day and offer, in key
/// order so that concurrent uploads lock shared rows in one order; per device, with its last
/// sync. The counted ones are left to look for uses to check once committed (`flag_check`,
/// as `$21`). Returns the ids inserted. The rows go in in the arrays' order (the arrival order
/// that `n` keeps), as a plain `unnest` gives them: no sort.
const INSERT: &str = "WITH ins AS ( \
     INSERT INTO redemptions (id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, \
     group_cards, scanned_at, scanned_on, received_at, entry, verdict, community, late, flags, undoes, undone_by) \
     SELECT t.id, $18, t.seq, t.card_id, $19, t.offer, t.offer_id, t.adults, t.children, t.group_cards, \
     t.scanned_at, t.scanned_on, $20, t.entry, t.verdict, t.community, t.late, t.flags, t.undoes, t.undone_by \
     FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::integer[], $7::integer[], \
     $8::text[], $9::timestamptz[], $10::date[], $11::text[], $12::text[], $13::integer[], $14::integer[], \
     $15::text[], $16::uuid[], $17::uuid[]) \
     AS t(id, seq, card_id, offer, offer_id, adults, children, group_cards, scanned_at, scanned_on, entry, \
     verdict, community, late, flags, undoes, undone_by) \
     ON CONFLICT (id) DO NOTHING \
     RETURNING id, scanned_on, offer_id, offer, adults, children, community, \
     undoes IS NULL AND undone_by IS NULL AS counted), \
   venue AS ( \
     INSERT INTO venue_day_uses (venue_id, day, offer_id, offer, uses, adults, children, course_places, \
     community_uses) \
     SELECT $19, scanned_on, coalesce(offer_id, 0), offer, count(*), sum(adults), sum(children), \
     count(*) FILTER (WHERE offer = 'course_place'), sum(community) \
     FROM ins WHERE counted GROUP BY 2, 3, 4 ORDER BY 2, 3, 4 \
     ON CONFLICT (venue_id, day, offer_id, offer) DO UPDATE SET uses = venue_day_uses.uses + excluded.uses, \
     adults = venue_day_uses.adults + excluded.adults, children = venue_day_uses.children + excluded.children, \
     course_places = venue_day_uses.course_places + excluded.course_places, \
     community_uses = venue_day_uses.community_uses + excluded.community_uses), \
   device AS ( \
     INSERT INTO device_uses (device_id, last_sync, uses) \
     SELECT $18, $20, count(*) FILTER (WHERE counted) FROM ins HAVING count(*) > 0 \
     ON CONFLICT (device_id) DO UPDATE SET last_sync = greatest(device_uses.last_sync, excluded.last_sync), \
     uses = device_uses.uses + excluded.uses), \
   checks AS ( \
     INSERT INTO flag_checks (key, ids, window_seconds, flagged_at) \
     SELECT $21, array_agg(id), $22, $20 FROM ins WHERE counted HAVING count(*) > 0) \
   SELECT id FROM ins";

/// Marks the uses the batch's stored corrections take back (`$1` the uses, `$2` the
/// corrections), unless a use is marked already (it was inserted so, or another process marked
/// it), and takes them off the counters and out of the pairs to check. A separate statement
/// from [`INSERT`], so it also sees a use another process committed while this batch inserted.
const TAKE_BACK: &str = "WITH t AS (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS t(target, correction)), \
   u AS ( \
     UPDATE redemptions r SET undone_by = t.correction FROM t \
     WHERE r.id = t.target AND r.undone_by IS NULL AND r.undoes IS NULL \
     AND EXISTS (SELECT 1 FROM redemptions c WHERE c.id = t.correction AND c.undoes = t.target) \
     RETURNING r.id, r.device_id, r.venue_id, r.scanned_on, r.offer_id, r.offer, r.adults, r.children, \
     r.community), \
   venue AS ( \
     INSERT INTO venue_day_uses (venue_id, day, offer_id, offer, uses, adults, children, course_places, \
     community_uses) \
     SELECT venue_id, scanned_on, coalesce(offer_id, 0), offer, -count(*), -sum(adults), -sum(children), \
     -count(*) FILTER (WHERE offer = 'course_place'), -sum(community) \
     FROM u GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 \
     ON CONFLICT (venue_id, day, offer_id, offer) DO UPDATE SET uses = venue_day_uses.uses + excluded.uses, \
     adults = venue_day_uses.adults + excluded.adults, children = venue_day_uses.children + excluded.children, \
     course_places = venue_day_uses.course_places + excluded.course_places, \
     community_uses = venue_day_uses.community_uses + excluded.community_uses), \
   device AS ( \
     UPDATE device_uses d SET uses = d.uses - x.n FROM (SELECT device_id, count(*) AS n FROM u GROUP BY 1) x \
     WHERE d.device_id = x.device_id), \
   flags AS (DELETE FROM flagged_uses WHERE first_id IN (SELECT id FROM u) OR second_id IN (SELECT id FROM u)) \
   SELECT count(*) FROM u";

/// The columns of the redemptions a batch inserts, one array each (device, venue and arrival
/// are the batch's).
#[derive(Default)]
pub struct NewRows {
    id: Vec<Uuid>,
    seq: Vec<i64>,
    card: Vec<String>,
    offer: Vec<String>,
    offer_id: Vec<Option<i64>>,
    adults: Vec<i32>,
    children: Vec<i32>,
    group: Vec<Option<String>>,
    scanned_at: Vec<DateTime<Utc>>,
    scanned_on: Vec<chrono::NaiveDate>,
    entry: Vec<String>,
    verdict: Vec<String>,
    community: Vec<i32>,
    late: Vec<i32>,
    flags: Vec<Option<String>>,
    undoes: Vec<Option<Uuid>>,
    undone_by: Vec<Option<Uuid>>,
    /// Where each id is, for a correction of a use of the same batch.
    at: HashMap<Uuid, usize>,
    /// The corrections: the use each takes back, and its own id.
    take_backs: (Vec<Uuid>, Vec<Uuid>),
}

impl NewRows {
    pub fn push(&mut self, r: &Redemption, community: bool, flags: &[Flag]) {
        self.at.insert(r.id, self.id.len());
        self.id.push(r.id);
        self.seq.push(i64::try_from(r.seq).unwrap_or(i64::MAX));
        self.card.push(r.card.to_string());
        self.offer.push(text(&r.offer));
        self.offer_id.push(r.offer_id.map(|o| o.0.into()));
        self.adults.push(r.adults.into());
        self.children.push(r.children.into());
        self.group
            .push((!r.group.is_empty()).then(|| r.group.iter().map(CardId::to_string).collect::<Vec<_>>().join(",")));
        self.scanned_at.push(r.scanned_at);
        self.scanned_on.push(r.scanned_at.date_naive());
        self.entry.push(text(&r.entry));
        self.verdict.push(r.verdict.as_str().to_owned());
        self.community.push(community.into());
        self.late.push(flags.iter().any(|f| matches!(f, Flag::LateUpload { .. })).into());
        self.flags.push((!flags.is_empty()).then(|| serde_json::to_string(flags).unwrap_or_default()));
        self.undoes.push(r.undoes);
        self.undone_by.push(None);
        if let Some(target) = r.undoes {
            self.take_backs.0.push(target);
            self.take_backs.1.push(r.id);
            // A use of this batch goes in marked: it never counts.
            if let Some(&i) = self.at.get(&target) {
                self.undone_by[i] = Some(r.id);
            }
        }
    }

    /// Inserts the rows; the ids actually inserted (the others were stored before). Their
    /// check for uses to check within `window` is left as `check`.
    pub async fn insert(
        &self,
        c: &impl GenericClient,
        device: &DeviceRecord,
        at: DateTime<Utc>,
        check: Uuid,
        window: TimeDelta,
    ) -> StoreResult<HashSet<Uuid>> {
        if self.id.is_empty() {
            return Ok(HashSet::new());
        }
        let window = window.num_milliseconds() as f64 / 1000.0;
        let inserted = rows(
            c,
            INSERT,
            &[
                &self.id,
                &self.seq,
                &self.card,
                &self.offer,
                &self.offer_id,
                &self.adults,
                &self.children,
                &self.group,
                &self.scanned_at,
                &self.scanned_on,
                &self.entry,
                &self.verdict,
                &self.community,
                &self.late,
                &self.flags,
                &self.undoes,
                &self.undone_by,
                &i64::from(device.id.0),
                &i64::from(device.venue.0),
                &at,
                &check,
                &window,
            ],
        )
        .await?;
        inserted.iter().map(|r| get(r, 0)).collect()
    }

    /// Takes back the uses the batch's corrections name (after [`NewRows::insert`]); how many.
    pub async fn take_back(&self, c: &impl GenericClient) -> StoreResult<i64> {
        if self.take_backs.0.is_empty() {
            return Ok(0);
        }
        get(&one(c, TAKE_BACK, &[&self.take_backs.0, &self.take_backs.1]).await?, 0)
    }
}

/// What a device sent that was not stored, kept so that nothing it sent is lost.
#[derive(Default)]
pub struct Rejected {
    id: Vec<Option<Uuid>>,
    body: Vec<String>,
    hash: Vec<Vec<u8>>,
    reason: Vec<String>,
    /// A readable item's id: refused now but stored before, it is a duplicate.
    readable: Vec<Option<Uuid>>,
}

impl Rejected {
    /// An item that did not read: refused whatever its id names.
    pub fn unreadable(&mut self, id: Option<Uuid>, body: String, reason: &str) {
        self.push(id, body, reason, None);
    }

    /// A readable item refused (unless its id is stored).
    pub fn readable(&mut self, r: &Redemption, reason: &str) {
        self.push(Some(r.id), serde_json::to_string(r).unwrap_or_default(), reason, Some(r.id));
    }

    fn push(&mut self, id: Option<Uuid>, body: String, reason: &str, readable: Option<Uuid>) {
        self.hash.push(Sha256::digest(body.as_bytes()).to_vec());
        self.id.push(id);
        self.body.push(body);
        self.reason.push(reason.to_owned());
        self.readable.push(readable);
    }

    /// Which of the refused readable items' ids are stored: those are duplicates.
    pub async fn stored(&self, c: &impl GenericClient) -> StoreResult<HashSet<Uuid>> {
        let ids: Vec<Uuid> = self.readable.iter().flatten().copied().collect();
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let found = rows(c, "SELECT id FROM redemptions WHERE id = ANY($1)", &[&ids]).await?;
        found.iter().map(|r| get(r, 0)).collect()
    }

    /// Keeps the refused items but the duplicates.
    pub async fn insert(&self, c: &impl GenericClient, device: &DeviceRecord, at: DateTime<Utc>) -> StoreResult<()> {
        if self.body.is_empty() {
            return Ok(());
        }
        exec(
            c,
            "INSERT INTO rejected_items (device_id, redemption_id, body, body_hash, reason, received_at) \
             SELECT $1, t.id, t.body, t.hash, t.reason, $6 \
             FROM unnest($2::uuid[], $3::text[], $4::bytea[], $5::text[], $7::uuid[]) \
             AS t(id, body, hash, reason, readable) \
             WHERE NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.id = t.readable) \
             ON CONFLICT (device_id, body_hash) DO NOTHING",
            &[&i64::from(device.id.0), &self.id, &self.body, &self.hash, &self.reason, &at, &self.readable],
        )
        .await?;
        Ok(())
    }
}
