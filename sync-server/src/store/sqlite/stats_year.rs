//! A calendar year's statistics and cross-tab of the whole country, a region or a
//! distributor, read from the kept sums (`stats_sums`) when they count every use the snapshot
//! holds; `None` otherwise (another period, a venue, or sums behind), for the pass to count.

use std::collections::BTreeMap;

use chrono::Datelike;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::stats::{names, ranking};
use super::stats_fold::State;
use super::stats_sums::SEPARATOR;
use crate::stats::{CellCounts, CrossTab, Dimension, Frequency, MonthUses, Scope, Statistics, UseCounts};
use crate::store::{DateRange, StoreResult};

/// The calendar year a period is, if it is one.
pub fn calendar_year(range: DateRange) -> Option<i32> {
    let y = range.from.year();
    (range.from.ordinal() == 1 && range.to.year() == y && range.to.month() == 12 && range.to.day() == 31).then_some(y)
}

/// The year whose sums answer for `scope` and `range` in this snapshot, with the scope as a
/// condition on the summed rows and its parameters.
fn summed(conn: &Connection, scope: Scope, range: DateRange) -> StoreResult<Option<(String, Vec<Value>)>> {
    let Some(year) = calendar_year(range) else { return Ok(None) };
    let filter = match scope {
        Scope::All => "year = ?1",
        Scope::Region(_) => "year = ?1 AND region = ?2",
        Scope::Distributor(_) => "year = ?1 AND distributor = ?2",
        Scope::Venue(_) => return Ok(None),
    };
    if !State::read(conn)?.current() {
        return Ok(None);
    }
    let mut params = vec![Value::Integer(year.into())];
    match scope {
        Scope::Region(r) => params.push(Value::Integer(r.0.into())),
        Scope::Distributor(d) => params.push(Value::Integer(d.0.into())),
        _ => {}
    }
    Ok(Some((filter.to_owned(), params)))
}

/// Cards issued in `year` and valid on a day of it, per distributor, from `stats_card_counts`.
fn card_counts(conn: &Connection, scope: Scope, year: i32) -> rusqlite::Result<Vec<(u32, u64, u64)>> {
    let (filter, mut params) = match scope {
        Scope::Region(r) => ("region = ?2", vec![Value::Integer(r.0.into())]),
        Scope::Distributor(d) => ("distributor = ?2", vec![Value::Integer(d.0.into())]),
        Scope::All | Scope::Venue(_) => ("1 = 1", Vec::new()),
    };
    params.insert(0, Value::Integer(year.into()));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT distributor, coalesce(sum(CASE WHEN issued = ?1 THEN cards END), 0), \
         coalesce(sum(CASE WHEN issued <= ?1 AND valid_until >= ?1 THEN cards END), 0) \
         FROM stats_card_counts WHERE {filter} GROUP BY distributor"
    ))?;
    let rows = stmt.query_map(params_from_iter(params), |r| Ok((r.get(0)?, count(r.get(1)?), count(r.get(2)?))))?;
    rows.collect()
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub fn statistics(conn: &Connection, scope: Scope, range: DateRange) -> StoreResult<Option<Statistics>> {
    let Some((filter, params)) = summed(conn, scope, range)? else { return Ok(None) };
    let (mut all, mut community, mut course_places) = (UseCounts::default(), UseCounts::default(), 0);
    let mut frequency = Frequency::default();
    let mut per_venue: Vec<(u32, u64)> = Vec::new();
    let mut per_month = vec![UseCounts::default(); 12];
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT key, sum(a), sum(b), sum(c), sum(d), sum(e), sum(f), sum(g), sum(h) FROM stats_sums \
         WHERE {filter} GROUP BY key"
    ))?;
    let mut rows = stmt.query(params_from_iter(params))?;
    while let Some(r) = rows.next()? {
        let key: String = r.get(0)?;
        let v: Vec<u64> = (1..=8).map(|i| r.get::<_, i64>(i).map(count)).collect::<Result<_, _>>()?;
        let (kind, rest) = key.split_at(1);
        let n: u32 = rest.parse().unwrap_or(0);
        match kind {
            "b" => {
                match n {
                    1 => frequency.once += v[0],
                    2 => frequency.twice += v[0],
                    3..=5 => frequency.three_to_five += v[0],
                    _ => frequency.more_than_five += v[0],
                }
                all.uses += v[1];
                all.adults += v[2];
                all.children += v[3];
                course_places += v[4];
                community.uses += v[5];
                community.adults += v[6];
                community.children += v[7];
            }
            "v" => per_venue.push((n, v[0])),
            _ => {
                if let Some(m) = per_month.get_mut(n as usize) {
                    *m = UseCounts { uses: v[0], adults: v[1], children: v[2] };
                }
            }
        }
    }
    let counts = card_counts(conn, scope, range.from.year())?;
    let cards_registered = counts.iter().map(|c| c.1).sum();
    let cards_valid: u64 = counts.iter().map(|c| c.2).sum();
    let cards_used = frequency.once + frequency.twice + frequency.three_to_five + frequency.more_than_five;
    let usage_rate_percent =
        (cards_valid > 0).then(|| ((cards_used.min(cards_valid) as f64) * 1000.0 / cards_valid as f64).round() / 10.0);
    let per_month = per_month
        .into_iter()
        .enumerate()
        .map(|(m, c)| MonthUses {
            month: format!("{}-{:02}", range.from.year(), m + 1),
            uses: c.uses,
            adults: c.adults,
            children: c.children,
        })
        .collect();
    Ok(Some(Statistics {
        from: range.from,
        to: range.to,
        cards_registered: Some(cards_registered),
        cards_valid: Some(cards_valid),
        cards_used,
        usage_rate_percent,
        all,
        community,
        course_places,
        per_venue: ranking(per_venue, &names(conn, "venues")?),
        per_distributor: ranking(counts.iter().map(|c| (c.0, c.1)), &names(conn, "distributors")?),
        frequency,
        per_month,
        flagged_uses: super::flags::count(conn, scope, range)?,
    }))
}

/// A cell's values in the order of the dimensions, from its kept key (age band, gender, mother
/// tongue, postal code, life situations): one key per life situation when they are asked for.
fn projected(cell: &str, by: &[Dimension]) -> Vec<Vec<String>> {
    let parts: Vec<&str> = cell.split(SEPARATOR).collect();
    let part = |i: usize| parts.get(i).copied().unwrap_or_default().to_owned();
    let situations: Vec<String> = match parts.get(4).copied().unwrap_or_default() {
        "" => vec!["none".to_owned()],
        s => s.split(',').map(str::to_owned).collect(),
    };
    let n = if by.contains(&Dimension::LifeSituation) { situations.len() } else { 1 };
    (0..n)
        .map(|i| {
            by.iter()
                .map(|d| match d {
                    Dimension::AgeBand => part(0),
                    Dimension::Gender => part(1),
                    Dimension::MotherTongue => part(2),
                    Dimension::PostalCode => part(3),
                    Dimension::LifeSituation => situations[i].clone(),
                })
                .collect()
        })
        .collect()
}

pub fn cross_tab(conn: &Connection, scope: Scope, range: DateRange, by: &[Dimension]) -> StoreResult<Option<CrossTab>> {
    let Some((filter, params)) = summed(conn, scope, range)? else { return Ok(None) };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT cell, sum(cards), sum(uses) FROM stats_cells WHERE {filter} GROUP BY cell HAVING sum(cards) > 0"
    ))?;
    let mut rows = stmt.query(params_from_iter(params))?;
    let mut cells: BTreeMap<Vec<String>, (u64, u64)> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let (cell, cards, uses): (String, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        for key in projected(&cell, by) {
            let c = cells.entry(key).or_default();
            c.0 += count(cards);
            c.1 += count(uses);
        }
    }
    let cells = cells.into_iter().map(|(key, (cards, uses))| CellCounts { key, cards, uses }).collect();
    Ok(Some(CrossTab { from: range.from, to: range.to, by: by.to_vec(), cells }))
}
