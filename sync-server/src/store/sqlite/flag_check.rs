//! Finding uses to check, in the projector's step (`projector`). Each counted use gets one row
//! of `scan_hours`: integer keys (hour, card number, redemption), so a chunk's rows land in the
//! few pages of its hours and a lookup is one seek per hour of the window, reading a
//! redemption's row only when another device's use is found. A chunk's own uses are paired in
//! memory: their rows are written only when the step is applied.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};

use super::convert::parse;
use super::projector::{CardKey, Row};

/// The most pairs one new redemption is flagged in: a card shared widely needs no more rows
/// to be seen.
const MAX_PAIRS: usize = 5;

/// One side of a flagged pair: id, scan time (text, as stored), venue, device, offer kind and
/// offer.
type Side = (Vec<u8>, String, u32, u32, &'static str, Option<u32>);

/// A pair of one card's uses by two devices: the card, the earlier and the later scan, and
/// when it was flagged (the later-stored use's receipt).
pub type Pair = (String, Side, Side, String);

/// The hours of `scan_hours` that many of a chunk's lookups fall in, read whole: one pass over
/// an hour's rows instead of a seek for each lookup. Each hour's cards in key order, so a card's
/// rows are found by halving a compact list, and beside them each row's (row, device, time).
struct StoredHours {
    hours: HashMap<i64, StoredHour>,
}

/// One hour's cards, and beside each its row's (row, device, time).
type StoredHour = (Vec<i64>, Vec<(i64, u32, i64)>);

/// Lookups in one hour from which the hour is read whole.
const READ_WHOLE_HOUR: usize = 32;

impl StoredHours {
    fn read(conn: &Connection, uses: &[(&Row, CardKey)], window_secs: i64) -> rusqlite::Result<Self> {
        let mut lookups: HashMap<i64, usize> = HashMap::new();
        for (r, card) in uses {
            if matches!(card, CardKey::Number(_)) {
                for h in hour(r.at - window_secs)..=hour(r.at + window_secs) {
                    *lookups.entry(h).or_default() += 1;
                }
            }
        }
        let mut read = conn.prepare_cached("SELECT card, redemption, device, at FROM scan_hours WHERE hour = ?1")?;
        let mut hours = HashMap::new();
        for (h, _) in lookups.into_iter().filter(|(_, n)| *n >= READ_WHOLE_HOUR) {
            let (mut cards, mut rest) = (Vec::new(), Vec::new());
            let mut rows = read.query([h])?;
            while let Some(row) = rows.next()? {
                cards.push(row.get(0)?);
                rest.push((row.get(1)?, row.get(2)?, row.get(3)?));
            }
            hours.insert(h, (cards, rest));
        }
        Ok(Self { hours })
    }
}

fn side(r: &Row) -> Side {
    (r.id.clone(), r.scanned_at.clone(), r.venue, r.device, super::sync::offer_text(r.offer), r.offer_id)
}

/// The hour of a scan at `at` (Unix seconds), as `scan_hours` keys it.
pub fn hour(at: i64) -> i64 {
    at.div_euclid(3600)
}

/// The pairs of each of `uses` (the chunk's counted uses, in row order, with their cards) with
/// other devices' uses of its card within `window_secs` stored before it: the stored ones
/// through `scan_hours` (but those `taken` back now), the chunk's own in memory.
pub fn pairs(
    conn: &Connection,
    uses: &[(&Row, CardKey)],
    taken: &HashSet<i64>,
    window_secs: i64,
) -> rusqlite::Result<Vec<Pair>> {
    let mut seek = conn.prepare_cached(
        "SELECT redemption, at FROM scan_hours WHERE hour = ?1 AND card = ?2 AND device <> ?3 AND redemption < ?4",
    )?;
    let mut other = conn.prepare_cached(
        "SELECT id, scanned_at, venue_id, device_id, offer, offer_id FROM redemptions WHERE rowid = ?1",
    )?;
    // The chunk's uses by card, each card's in row order: (card, row, place in `uses`), compact
    // so that halving it stays in the cache.
    let mut by_card: Vec<(CardKey, i64, usize)> =
        uses.iter().enumerate().map(|(i, (r, card))| (*card, r.rowid, i)).collect();
    by_card.sort_unstable();
    let stored = StoredHours::read(conn, uses, window_secs)?;
    // In key order, so that the seeks read the index page by page.
    let mut order: Vec<(i64, CardKey, i64, usize)> =
        uses.iter().enumerate().map(|(i, (r, card))| (hour(r.at), *card, r.rowid, i)).collect();
    order.sort_unstable();
    let near = |at: i64, r: &Row| (at - r.at).abs() <= window_secs;
    let mut out = Vec::new();
    // Stored (hour, row) first, then the chunk's rows before this one.
    let mut found: Vec<(i64, i64, Option<&Row>)> = Vec::new();
    for &(_, card, _, i) in &order {
        let r = uses[i].0;
        found.clear();
        if let CardKey::Number(n) = card {
            for h in hour(r.at - window_secs)..=hour(r.at + window_secs) {
                let mut keep = |rowid: i64, at: i64| {
                    if near(at, r) && !taken.contains(&rowid) {
                        found.push((h, rowid, None));
                    }
                };
                if let Some((cards, rest)) = stored.hours.get(&h) {
                    let first = cards.partition_point(|c| *c < n);
                    let last = first + cards[first..].iter().take_while(|c| **c == n).count();
                    for &(rowid, device, at) in &rest[first..last] {
                        if device != r.device && rowid < r.rowid {
                            keep(rowid, at);
                        }
                    }
                    continue;
                }
                let mut rows = seek.query(params![h, n, r.device, r.rowid])?;
                while let Some(row) = rows.next()? {
                    keep(row.get(0)?, row.get(1)?);
                }
            }
        }
        let first = by_card.partition_point(|u| u.0 < card);
        let same_card = by_card[first..].iter().take_while(|u| u.0 == card);
        for &(_, _, j) in same_card.take_while(|u| u.1 < r.rowid) {
            let u = uses[j].0;
            if u.device != r.device && near(u.at, r) {
                found.push((hour(u.at), u.rowid, Some(u)));
            }
        }
        if found.is_empty() {
            continue;
        }
        found.sort_unstable_by_key(|f| (f.0, f.1));
        let this = side(r);
        for (_, rowid, chunk_row) in found.iter().take(MAX_PAIRS) {
            let that = match chunk_row {
                Some(u) => Some(side(u)),
                None => other
                    .query_row([rowid], |row| {
                        let offer = super::sync::offer_text(parse(row.get_ref(4)?.as_str()?, 4)?);
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, offer, row.get(5)?))
                    })
                    .optional()?,
            };
            let Some(that) = that else { continue };
            // Ordered by scan time, so `first` is the earlier scan.
            let (first, second) = if that.1 <= this.1 { (that, this.clone()) } else { (this.clone(), that) };
            out.push((r.card_id.clone(), first, second, r.received_at.clone()));
        }
    }
    Ok(out)
}

/// Records `pairs`, each once.
pub fn write(tx: &Connection, pairs: &[Pair]) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO flagged_uses (card_id, first_id, first_at, first_venue, first_device, \
         first_offer, first_offer_id, second_id, second_at, second_venue, second_device, second_offer, \
         second_offer_id, flagged_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for (card, first, second, flagged_at) in pairs {
        insert.execute(params![
            card, first.0, first.1, first.2, first.3, first.4, first.5, second.0, second.1, second.2, second.3,
            second.4, second.5, flagged_at
        ])?;
    }
    Ok(())
}

/// Takes the use `id` out of the lookups (its `scan_hours` key, when it has one) and out of
/// every pair it was flagged in.
pub fn forget(tx: &Connection, id: &[u8], key: Option<(i64, i64, i64)>) -> rusqlite::Result<()> {
    if let Some((hour, card, rowid)) = key {
        tx.prepare_cached("DELETE FROM scan_hours WHERE hour = ?1 AND card = ?2 AND redemption = ?3")?
            .execute(params![hour, card, rowid])?;
    }
    tx.prepare_cached("DELETE FROM flagged_uses WHERE first_id = ?1 OR second_id = ?1")?.execute([id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    fn plan(conn: &Connection, sql: &str) -> Vec<String> {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("prepares")
            .query_map(rusqlite::params![493_000, 7, 1, 9], |r| r.get::<_, String>(3))
            .expect("plans")
            .collect::<Result<_, _>>()
            .expect("reads")
    }

    #[test]
    fn the_lookup_seeks_scan_hours_by_hour_and_card() {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::store::sqlite::migrations::apply(&mut conn).expect("migrates");
        let plan = plan(
            &conn,
            "SELECT redemption, at FROM scan_hours WHERE hour = ?1 AND card = ?2 AND device <> ?3 AND redemption < ?4",
        );
        assert!(plan.iter().any(|p| p.contains("SEARCH scan_hours") && p.contains("hour=? AND card=?")), "{plan:?}");
        assert!(!plan.iter().any(|p| p.contains("SCAN")), "{plan:?}");
    }

    #[test]
    fn a_use_taken_back_is_found_in_its_pairs_by_either_side() {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::store::sqlite::migrations::apply(&mut conn).expect("migrates");
        let plan: Vec<String> = conn
            .prepare("EXPLAIN QUERY PLAN DELETE FROM flagged_uses WHERE first_id = ?1 OR second_id = ?1")
            .expect("prepares")
            .query_map([vec![0u8; 16]], |r| r.get::<_, String>(3))
            .expect("plans")
            .collect::<Result<_, _>>()
            .expect("reads");
        assert!(!plan.iter().any(|p| p.starts_with("SCAN")), "{plan:?}");
    }
}
