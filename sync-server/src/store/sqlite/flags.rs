//! Uses to check (see `store::flags`): found inside the upload transaction through the index on
//! card and scan time, so an upload pays one index lookup per stored redemption; listed and
//! counted for the console and the statistics.

use std::collections::HashMap;

use chrono::format::Item;
use chrono::{DateTime, TimeDelta, Utc};
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::{CardId, Redemption};
use rusqlite::types::Value;
use rusqlite::{CachedStatement, Connection, Row, Transaction, params, params_from_iter};

use super::convert::{parse, parse_with};
use crate::stats::Scope;
use crate::store::flags::{FlagFilter, FlaggedScan, FlaggedUse};
use crate::store::{DateRange, Listed, StoreResult};

/// The most pairs one new redemption is flagged in: a card shared widely needs no more rows
/// to be seen.
const MAX_PAIRS: usize = 5;

/// Hours one lookup covers: a 60-minute window touches at most three.
const HOURS_PER_LOOKUP: i64 = 3;

/// One hour's part of the lookup: `{LOOKUP} ?n {AND}` finds the card's uses by other devices
/// scanned in the hour `?n` (the text's first 13 characters, `YYYY-MM-DD HH`).
const LOOKUP: &str = "SELECT id, scanned_at, venue_id, device_id, offer, offer_id FROM redemptions \
                      WHERE substr(scanned_at, 1, 13) =";
const AND: &str = "AND card_id = ?4 AND device_id <> ?5";

/// One stored use of the card by another device: id, scan time (text and time), venue,
/// device, offer kind and offer.
type Use = (Vec<u8>, String, u32, u32, String, Option<u32>);

/// The statements an upload batch uses to flag, prepared once per batch, and the index keys
/// of the hours its scans fall in (a batch's scans are mostly a few hours).
pub struct Flagger<'c> {
    others: CachedStatement<'c>,
    insert: CachedStatement<'c>,
    window: TimeDelta,
    hour_keys: HashMap<i64, String>,
}

impl<'c> Flagger<'c> {
    pub fn prepare(tx: &'c Transaction<'_>, window: TimeDelta) -> rusqlite::Result<Self> {
        Ok(Self {
            // Three seeks in the index (hour, card); the table's rows only on a hit. Not `IN`:
            // SQLite builds a temporary b-tree for an `IN` list each time (a third of the cost).
            others: tx.prepare_cached(&format!(
                "{LOOKUP} ?1 {AND} UNION ALL {LOOKUP} ?2 {AND} UNION ALL {LOOKUP} ?3 {AND}"
            ))?,
            insert: tx.prepare_cached(
                "INSERT OR IGNORE INTO flagged_uses (card_id, first_id, first_at, first_venue, first_device, \
                 first_offer, first_offer_id, second_id, second_at, second_venue, second_device, second_offer, \
                 second_offer_id, flagged_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?,
            window,
            hour_keys: HashMap::new(),
        })
    }

    /// The index key of the hour `hour` (hours since 1970): the stored text's first 13
    /// characters, `YYYY-MM-DD HH`.
    fn hour_key(&mut self, hour: i64, format: &[Item<'static>]) -> String {
        self.hour_keys
            .entry(hour)
            .or_insert_with(|| {
                let at = DateTime::from_timestamp(hour.saturating_mul(3600), 0).unwrap_or_default();
                at.format_with_items(format.iter()).to_string().chars().take(13).collect()
            })
            .clone()
    }

    /// Flags `r` (just stored, its card's text `card`, its scan time's text `scanned_at`) with
    /// other devices' uses of the card within the window. `format` writes a time as stored.
    pub fn check(
        &mut self,
        r: &Redemption,
        card: &str,
        scanned_at: &str,
        received_at: &str,
        format: &[Item<'static>],
    ) -> rusqlite::Result<()> {
        let first_hour = (r.scanned_at - self.window).timestamp().div_euclid(3600);
        let last_hour = (r.scanned_at + self.window).timestamp().div_euclid(3600);
        let mut others: Vec<Use> = Vec::new();
        let mut hour = first_hour;
        while hour <= last_hour && others.len() < MAX_PAIRS {
            // An hour past the window is looked up as "": no scan's text starts so.
            let mut key = |k: i64| if hour + k <= last_hour { self.hour_key(hour + k, format) } else { String::new() };
            let keys = [key(0), key(1), key(2)];
            let mut rows = self.others.query(params![keys[0], keys[1], keys[2], card, r.device.0])?;
            while let Some(row) = rows.next()? {
                let at: DateTime<Utc> = row.get(1)?;
                if (at - r.scanned_at).abs() <= self.window && others.len() < MAX_PAIRS {
                    let text = at.format_with_items(format.iter()).to_string();
                    others.push((row.get(0)?, text, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?));
                }
            }
            hour += HOURS_PER_LOOKUP;
        }
        if others.is_empty() {
            return Ok(());
        }
        let offer = super::sync::offer_text(r.offer).to_owned();
        let this: Use =
            (r.id.as_bytes().to_vec(), scanned_at.to_owned(), r.venue.0, r.device.0, offer, r.offer_id.map(|o| o.0));
        for other in others {
            // Ordered by scan time, so `first` is the earlier scan.
            let (first, second) = if other.1 <= this.1 { (&other, &this) } else { (&this, &other) };
            self.insert.execute(params![
                card,
                first.0,
                first.1,
                first.2,
                first.3,
                first.4,
                first.5,
                second.0,
                second.1,
                second.2,
                second.3,
                second.4,
                second.5,
                received_at
            ])?;
        }
        Ok(())
    }
}

/// Where a filter's venue condition and parameters start: the flags touching a venue in scope.
fn scope_filter(scope: Scope, params: &mut Vec<Value>) -> String {
    match scope {
        Scope::All => "1".into(),
        Scope::Venue(v) => {
            params.push(Value::Integer(i64::from(v.0)));
            let n = params.len();
            format!("(f.first_venue = ?{n} OR f.second_venue = ?{n})")
        }
        Scope::Region(r) => {
            params.push(Value::Integer(i64::from(r.0)));
            let n = params.len();
            format!(
                "(f.first_venue IN (SELECT id FROM venues WHERE region_id = ?{n}) \
                 OR f.second_venue IN (SELECT id FROM venues WHERE region_id = ?{n}))"
            )
        }
        Scope::Distributor(d) => {
            params.push(Value::Integer(i64::from(d.0)));
            let n = params.len();
            format!("f.card_id IN (SELECT id FROM cards WHERE distributor_id = ?{n})")
        }
    }
}

/// The condition and parameters of flags in `scope` with either scan on a day of `range`.
fn filter(scope: Scope, range: DateRange) -> (String, Vec<Value>) {
    let mut params = vec![Value::Text(range.from.to_string()), Value::Text(range.to.to_string())];
    let venue = scope_filter(scope, &mut params);
    (format!("substr(f.second_at, 1, 10) >= ?1 AND substr(f.first_at, 1, 10) <= ?2 AND {venue}"), params)
}

/// How many pairs were flagged in `scope` and `range` (for the statistics).
pub fn count(conn: &Connection, scope: Scope, range: DateRange) -> StoreResult<u64> {
    let (condition, params) = filter(scope, range);
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM flagged_uses f WHERE {condition}"),
        params_from_iter(params),
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn scan(r: &Row<'_>, at: usize) -> rusqlite::Result<FlaggedScan> {
    Ok(FlaggedScan {
        scanned_at: r.get(at)?,
        venue: VenueId(r.get(at + 1)?),
        venue_name: r.get::<_, Option<String>>(at + 2)?.unwrap_or_default(),
        device: DeviceId(r.get(at + 3)?),
        device_label: r.get::<_, Option<String>>(at + 4)?.unwrap_or_default(),
        offer: parse(&r.get::<_, String>(at + 5)?, at + 5)?,
        offer_id: r.get::<_, Option<u32>>(at + 6)?.map(OfferId),
        offer_name: r.get(at + 7)?,
    })
}

/// One side's columns: time, venue and its name, device and its label, offer kind, id, name.
fn side(p: &str) -> String {
    format!("f.{p}_at, f.{p}_venue, {p}v.name, f.{p}_device, {p}d.label, f.{p}_offer, f.{p}_offer_id, {p}o.name")
}

fn joins(p: &str) -> String {
    format!(
        "LEFT JOIN venues {p}v ON {p}v.id = f.{p}_venue LEFT JOIN devices {p}d ON {p}d.id = f.{p}_device \
         LEFT JOIN offers {p}o ON {p}o.id = f.{p}_offer_id"
    )
}

/// A page of the flagged uses `f` selects, newest second scan first, and how many in all.
pub fn list(conn: &Connection, f: FlagFilter) -> StoreResult<Listed<FlaggedUse>> {
    let (condition, mut params) = filter(f.scope, DateRange { from: f.from, to: f.to });
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM flagged_uses f WHERE {condition}"),
        params_from_iter(params.clone()),
        |r| r.get(0),
    )?;
    params.extend([Value::Integer(i64::from(f.limit)), Value::Integer(i64::from(f.offset))]);
    let (limit, offset) = (params.len() - 1, params.len());
    let sql = format!(
        "SELECT f.id, f.card_id, f.flagged_at, {}, {} FROM flagged_uses f {} {} WHERE {condition} \
         ORDER BY f.second_at DESC, f.id DESC LIMIT ?{limit} OFFSET ?{offset}",
        side("first"),
        side("second"),
        joins("first"),
        joins("second"),
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(params), |r| {
        let first = scan(r, 3)?;
        let second = scan(r, 11)?;
        Ok(FlaggedUse {
            id: r.get(0)?,
            card: parse_with(&r.get::<_, String>(1)?, 1, CardId::parse)?,
            minutes_apart: (second.scanned_at - first.scanned_at).num_minutes(),
            flagged_at: r.get(2)?,
            first,
            second,
        })
    })?;
    let items = rows.collect::<Result<Vec<_>, _>>()?;
    Ok(Listed { items, total: u64::try_from(total).unwrap_or(0) })
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::{AND, LOOKUP};

    #[test]
    fn the_lookup_seeks_the_index_by_hour_and_card_once_an_hour() {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::store::sqlite::migrations::apply(&mut conn).expect("migrates");
        let sql =
            format!("EXPLAIN QUERY PLAN {LOOKUP} ?1 {AND} UNION ALL {LOOKUP} ?2 {AND} UNION ALL {LOOKUP} ?3 {AND}");
        let params = rusqlite::params!["2026-06-14 11", "2026-06-14 12", "", "A000000010", 1];
        let plan: Vec<String> = conn
            .prepare(&sql)
            .expect("prepares")
            .query_map(params, |r| r.get::<_, String>(3))
            .expect("plans")
            .collect::<Result<_, _>>()
            .expect("reads");
        let seeks = plan.iter().filter(|p| p.contains("redemptions_by_hour_card") && p.contains("=? AND card_id=?"));
        assert_eq!(seeks.count(), 3, "{plan:?}");
        assert!(!plan.iter().any(|p| p.contains("TEMP") || p.contains("SCAN")), "{plan:?}");
    }
}
