//! Uses to check (see `store::flags`), found on upload by `flag_check`: listed and counted for
//! the console and the statistics.

use deadpool_postgres::GenericClient;
use kaiku_core::CardId;
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use tokio_postgres::Row;

use super::convert::{Params, count, get, id, opt_id, parse, parse_with, refs};
use super::pool::{one, rows};
use crate::stats::Scope;
use crate::store::flags::{FlagFilter, FlaggedScan, FlaggedUse};
use crate::store::{DateRange, Listed, StoreResult};

/// The flags touching a venue in scope, as a condition; its parameter goes into `params`.
fn scope_filter(scope: Scope, params: &mut Params) -> String {
    let mut push = |v: u32| {
        params.push(Box::new(i64::from(v)));
        params.len()
    };
    match scope {
        Scope::All => "true".into(),
        Scope::Venue(v) => {
            let n = push(v.0);
            format!("(f.first_venue = ${n} OR f.second_venue = ${n})")
        }
        Scope::Region(r) => {
            let n = push(r.0);
            format!(
                "(f.first_venue IN (SELECT id FROM venues WHERE region_id = ${n}) \
                 OR f.second_venue IN (SELECT id FROM venues WHERE region_id = ${n}))"
            )
        }
        Scope::Distributor(d) => {
            let n = push(d.0);
            format!("f.card_id IN (SELECT id FROM cards WHERE distributor_id = ${n})")
        }
    }
}

/// The condition and parameters of flags in `scope` with either scan on a day (UTC) of `range`.
fn filter(scope: Scope, range: DateRange) -> (String, Params) {
    let mut params: Params = vec![Box::new(range.from), Box::new(range.to)];
    let venue = scope_filter(scope, &mut params);
    // A pair with a use taken back is removed when it is taken back; one flagged by another
    // process at that very moment is left out here.
    (
        format!(
            "(f.second_at AT TIME ZONE 'UTC')::date >= $1 AND (f.first_at AT TIME ZONE 'UTC')::date <= $2 AND {venue} \
             AND NOT EXISTS (SELECT 1 FROM redemptions x WHERE x.id IN (f.first_id, f.second_id) \
             AND x.undone_by IS NOT NULL)"
        ),
        params,
    )
}

/// How many pairs were flagged in `scope` and `range` (for the statistics).
pub async fn count_in(c: &impl GenericClient, scope: Scope, range: DateRange) -> StoreResult<u64> {
    let (condition, params) = filter(scope, range);
    let r = one(c, &format!("SELECT count(*) FROM flagged_uses f WHERE {condition}"), &refs(&params)).await?;
    count(&r, 0)
}

fn scan(r: &Row, at: usize) -> StoreResult<FlaggedScan> {
    Ok(FlaggedScan {
        scanned_at: get(r, at)?,
        venue: VenueId(id(r, at + 1)?),
        venue_name: get::<Option<String>>(r, at + 2)?.unwrap_or_default(),
        device: DeviceId(id(r, at + 3)?),
        device_label: get::<Option<String>>(r, at + 4)?.unwrap_or_default(),
        offer: parse(get::<&str>(r, at + 5)?)?,
        offer_id: opt_id(r, at + 6)?.map(OfferId),
        offer_name: get(r, at + 7)?,
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
pub async fn list(c: &impl GenericClient, f: FlagFilter) -> StoreResult<Listed<FlaggedUse>> {
    let (condition, mut params) = filter(f.scope, DateRange { from: f.from, to: f.to });
    let total =
        count(&one(c, &format!("SELECT count(*) FROM flagged_uses f WHERE {condition}"), &refs(&params)).await?, 0)?;
    params.push(Box::new(i64::from(f.limit)));
    params.push(Box::new(i64::from(f.offset)));
    let (limit, offset) = (params.len() - 1, params.len());
    let sql = format!(
        "SELECT f.id, f.card_id, f.flagged_at, {}, {} FROM flagged_uses f {} {} WHERE {condition} \
         ORDER BY f.second_at DESC, f.id DESC LIMIT ${limit} OFFSET ${offset}",
        side("first"),
        side("second"),
        joins("first"),
        joins("second"),
    );
    let items = rows(c, &sql, &refs(&params))
        .await?
        .iter()
        .map(|r| {
            let first = scan(r, 3)?;
            let second = scan(r, 11)?;
            Ok(FlaggedUse {
                id: get(r, 0)?,
                card: parse_with(get::<&str>(r, 1)?, CardId::parse)?,
                minutes_apart: (second.scanned_at - first.scanned_at).num_minutes(),
                flagged_at: get(r, 2)?,
                first,
                second,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Listed { items, total })
}
