//! Statistics queries. A calendar year (not a venue's) is read from the kept sums
//! (`stats_year`); any other period's uses are counted in one pass (`stats_pass`); the cards
//! and the names come from small grouped queries. The answers are exact: `crate::disclosure` folds the
//! small cells away and rounds for the caller.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};

use super::stats_pass::{card_filter, card_key, scan};
use crate::stats::{CellCounts, CrossTab, Dimension, Frequency, MonthUses, Ranked, Scope, Statistics, age_band_sql};
use crate::store::{DateRange, StoreResult};

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Names of the rows of `table` (venues or distributors) by id.
pub(super) fn names(conn: &Connection, table: &str) -> rusqlite::Result<HashMap<u32, String>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT id, name FROM {table}"))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Most first, then by id.
pub(super) fn ranking(counts: impl IntoIterator<Item = (u32, u64)>, names: &HashMap<u32, String>) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(id, count)| Ranked { id, name: names.get(&id).cloned().unwrap_or_default(), count })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
    out
}

/// Cards issued in the period and valid on a day of it, per distributor (through the index
/// `cards_for_stats`, without reading the cards themselves).
fn card_counts(conn: &Connection, scope: Scope, range: DateRange) -> rusqlite::Result<Vec<(u32, u64, u64)>> {
    let (filter, mut params) = card_filter(scope);
    params.extend([Value::Text(range.from.to_string()), Value::Text(range.to.to_string())]);
    let (from, to) = (params.len() - 1, params.len());
    let mut stmt = conn.prepare(&format!(
        "SELECT c.distributor_id, coalesce(sum(c.issued_on BETWEEN ?{from} AND ?{to}), 0), \
         coalesce(sum(c.issued_on <= ?{to} AND c.valid_until >= ?{from}), 0) \
         FROM cards c WHERE {filter} GROUP BY c.distributor_id"
    ))?;
    let rows = stmt.query_map(params_from_iter(params), |r| Ok((r.get(0)?, count(r.get(1)?), count(r.get(2)?))))?;
    rows.collect()
}

pub fn statistics(conn: &Connection, scope: Scope, range: DateRange) -> StoreResult<Statistics> {
    match super::stats_year::statistics(conn, scope, range)? {
        Some(year) => Ok(year),
        None => counted_statistics(conn, scope, range),
    }
}

/// The statistics counted from the period's uses.
pub(super) fn counted_statistics(conn: &Connection, scope: Scope, range: DateRange) -> StoreResult<Statistics> {
    let pass = scan(conn, scope, range)?;
    let (cards_registered, cards_valid, per_distributor) = match scope {
        Scope::Venue(_) => (None, None, Vec::new()),
        _ => {
            let counts = card_counts(conn, scope, range)?;
            let registered = counts.iter().map(|c| c.1).sum();
            let valid = counts.iter().map(|c| c.2).sum();
            let per = ranking(counts.iter().map(|c| (c.0, c.1)), &names(conn, "distributors")?);
            (Some(registered), Some(valid), per)
        }
    };
    let per_venue = ranking(pass.per_venue.iter().map(|(v, n)| (*v, *n)), &names(conn, "venues")?);
    let mut frequency = Frequency::default();
    for n in pass.uses_per_card() {
        match n {
            0 => continue,
            1 => frequency.once += 1,
            2 => frequency.twice += 1,
            3..=5 => frequency.three_to_five += 1,
            _ => frequency.more_than_five += 1,
        }
    }
    let cards_used = frequency.once + frequency.twice + frequency.three_to_five + frequency.more_than_five;
    let usage_rate_percent =
        cards_valid.filter(|&v| v > 0).map(|v| ((cards_used.min(v) as f64) * 1000.0 / v as f64).round() / 10.0);
    let mut month = range.from.with_day(1).unwrap_or(range.from);
    let mut per_month = Vec::with_capacity(pass.per_month.len());
    for c in &pass.per_month {
        let key = month.format("%Y-%m").to_string();
        per_month.push(MonthUses { month: key, uses: c.uses, adults: c.adults, children: c.children });
        month = month.checked_add_months(chrono::Months::new(1)).unwrap_or(month);
    }
    Ok(Statistics {
        from: range.from,
        to: range.to,
        cards_registered,
        cards_valid,
        cards_used,
        usage_rate_percent,
        all: pass.all,
        community: pass.community,
        course_places: pass.course_places,
        per_venue,
        per_distributor,
        frequency,
        per_month,
        flagged_uses: super::flags::count(conn, scope, range)?,
    })
}

fn dimension_sql(d: Dimension, year: i32) -> String {
    match d {
        Dimension::AgeBand => age_band_sql("c.birth_year", year),
        Dimension::Gender => "c.gender".into(),
        Dimension::MotherTongue => "c.mother_tongue".into(),
        Dimension::LifeSituation => "coalesce(ls.situation, 'none')".into(),
        Dimension::PostalCode => "c.postal_code".into(),
    }
}

/// Between the values of a cell's key while it is counted.
const SEPARATOR: char = '\u{1f}';

fn text(v: ValueRef<'_>) -> std::borrow::Cow<'_, str> {
    match v {
        ValueRef::Text(t) => String::from_utf8_lossy(t),
        ValueRef::Integer(n) => n.to_string().into(),
        _ => "".into(),
    }
}

/// Each used card with background data adds itself and its uses to the cell of its values (a
/// card with two life situations to both).
pub fn cross_tab(conn: &Connection, scope: Scope, range: DateRange, by: &[Dimension]) -> StoreResult<CrossTab> {
    match super::stats_year::cross_tab(conn, scope, range, by)? {
        Some(year) => Ok(year),
        None => counted_cross_tab(conn, scope, range, by),
    }
}

/// The cross-tab counted from the period's uses.
pub(super) fn counted_cross_tab(
    conn: &Connection,
    scope: Scope,
    range: DateRange,
    by: &[Dimension],
) -> StoreResult<CrossTab> {
    let pass = scan(conn, scope, range)?;
    let used = pass.used_cards();
    let keys: Vec<String> = by.iter().map(|d| dimension_sql(*d, range.to.year())).collect();
    let join = if by.contains(&Dimension::LifeSituation) {
        "LEFT JOIN card_life_situations ls ON ls.card_id = c.id"
    } else {
        ""
    };
    let (filter, params) = card_filter(scope);
    // Every card's background is read: a region's cards are read straight through the table
    // (`+` keeps SQLite from going through the index and looking each card up); a
    // distributor's, fewer, through its index.
    let filter = filter.replace("c.region_id", "+c.region_id");
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, {} FROM cards c {join} WHERE c.birth_year IS NOT NULL AND {filter}",
        keys.join(", ")
    ))?;
    let mut rows = stmt.query(params_from_iter(params))?;
    // A cell's values joined by a separator no value holds, in one reused buffer: a region has
    // a hundred thousand cards but only a few dozen cells.
    let mut cells: HashMap<String, (u64, u64)> = HashMap::new();
    let mut key = String::new();
    while let Some(row) = rows.next()? {
        let ValueRef::Text(id) = row.get_ref(0)? else { continue };
        let Some(&uses) = used.get(&card_key(id)) else { continue };
        key.clear();
        for i in 1..=keys.len() {
            if i > 1 {
                key.push(SEPARATOR);
            }
            key.push_str(&text(row.get_ref(i)?));
        }
        let cell = match cells.get_mut(key.as_str()) {
            Some(cell) => cell,
            None => cells.entry(key.clone()).or_default(),
        };
        cell.0 += 1;
        cell.1 += u64::from(uses);
    }
    let cells: BTreeMap<Vec<String>, (u64, u64)> =
        cells.into_iter().map(|(k, v)| (k.split(SEPARATOR).map(str::to_owned).collect(), v)).collect();
    let cells = cells.into_iter().map(|(key, (cards, uses))| CellCounts { key, cards, uses }).collect();
    Ok(CrossTab { from: range.from, to: range.to, by: by.to_vec(), cells })
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
