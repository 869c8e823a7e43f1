//! Uses to check (see `store::flags`), found on upload by `flag_check`: listed and counted for
//! the console and the statistics.

use kaiku_core::CardId;
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params_from_iter};

use super::convert::{parse, parse_with};
use crate::stats::Scope;
use crate::store::flags::{FlagFilter, FlaggedScan, FlaggedUse};
use crate::store::{DateRange, Listed, StoreResult};

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
            // Looked up per flagged pair: a distributor may have millions of cards.
            format!("EXISTS (SELECT 1 FROM cards c WHERE c.id = f.card_id AND c.distributor_id = ?{n})")
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
