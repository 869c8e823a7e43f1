//! Statistics of purged years (see `retention`): before a year's uses and closed cards'
//! background data are removed, the store's exact answers for each whole month and the whole
//! year are kept here, for every scope the API can ask. Afterwards a whole month or year of
//! the purged range is answered from here, exactly as before, and any other period there is
//! refused: its detailed data are gone.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use super::stats;
use super::stats_pass::{PerCard, card_key, scan};
use crate::stats::{
    CellCounts, CrossTab, Dimension, Frequency, MonthUses, Ranked, Scope, Statistics, UseCounts, age_band_sql,
};
use crate::store::{DateRange, StoreError, StoreResult};

/// The `figures` of a plain statistics answer; a cross-tab's are its dimensions.
const STATISTICS: &str = "statistics";

/// Every dimension, in the order archived cross-tabs list them.
const DIMENSIONS: [Dimension; 5] =
    [Dimension::AgeBand, Dimension::Gender, Dimension::MotherTongue, Dimension::LifeSituation, Dimension::PostalCode];

/// The first day whose detailed data are kept; `None` while nothing has been purged.
pub fn purged_before(conn: &Connection) -> rusqlite::Result<Option<NaiveDate>> {
    conn.query_row("SELECT purged_before FROM retention WHERE id = 1", [], |r| r.get(0)).optional()
}

fn scope_key(scope: Scope) -> String {
    match scope {
        Scope::All => "all".into(),
        Scope::Region(r) => format!("region:{}", r.0),
        Scope::Distributor(d) => format!("distributor:{}", d.0),
        Scope::Venue(v) => format!("venue:{}", v.0),
    }
}

fn dimension_name(d: Dimension) -> &'static str {
    match d {
        Dimension::AgeBand => "age_band",
        Dimension::Gender => "gender",
        Dimension::MotherTongue => "mother_tongue",
        Dimension::LifeSituation => "life_situation",
        Dimension::PostalCode => "postal_code",
    }
}

/// A cross-tab's dimensions as archived: each once, in [`DIMENSIONS`] order.
fn canonical(by: &[Dimension]) -> Vec<Dimension> {
    DIMENSIONS.into_iter().filter(|d| by.contains(d)).collect()
}

fn figures(dims: &[Dimension]) -> String {
    dims.iter().map(|d| dimension_name(*d)).collect::<Vec<_>>().join(",")
}

/// A whole calendar month or a whole calendar year.
fn whole_month_or_year(r: DateRange) -> bool {
    let next_month = r.from.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt());
    let year_end = NaiveDate::from_ymd_opt(r.from.year(), 12, 31);
    r.from.day() == 1 && (Some(r.to) == next_month || (r.from.month() == 1 && Some(r.to) == year_end))
}

/// Where a period's answer comes from.
enum Source {
    /// The live tables: the period is not purged, or nothing of it was archived (no uses).
    Live,
    Archived(String),
}

fn source(conn: &Connection, scope: Scope, range: DateRange, figures: &str) -> StoreResult<Source> {
    let Some(kept_from) = purged_before(conn)? else { return Ok(Source::Live) };
    if range.from >= kept_from {
        return Ok(Source::Live);
    }
    if range.to >= kept_from || !whole_month_or_year(range) {
        return Err(StoreError::Purged(format!(
            "detailed data of {} were removed under the retention rule (everything before {kept_from}); \
             whole months and whole years of it remain: ask for one of those",
            range.from.year()
        )));
    }
    let answer: Option<String> = conn
        .query_row(
            "SELECT answer FROM statistics_archive WHERE scope = ?1 AND period_from = ?2 AND period_to = ?3 \
             AND figures = ?4",
            params![scope_key(scope), range.from, range.to, figures],
            |r| r.get(0),
        )
        .optional()?;
    Ok(answer.map_or(Source::Live, Source::Archived))
}

fn corrupt(e: serde_json::Error) -> StoreError {
    StoreError::Backend(format!("an archived statistics answer does not read: {e}"))
}

/// The store's statistics: archived for a purged period, live otherwise.
pub fn statistics(conn: &Connection, scope: Scope, range: DateRange) -> StoreResult<Statistics> {
    match source(conn, scope, range, STATISTICS)? {
        Source::Live => stats::statistics(conn, scope, range),
        Source::Archived(json) => serde_json::from_str(&json).map_err(corrupt),
    }
}

/// The store's cross-tab: archived for a purged period, live otherwise. The archive holds
/// each set of dimensions once; the order asked (and a dimension asked twice) is laid out
/// here, sorted by key as the live answer is.
pub fn cross_tab(conn: &Connection, scope: Scope, range: DateRange, by: &[Dimension]) -> StoreResult<CrossTab> {
    let dims = canonical(by);
    let json = match source(conn, scope, range, &figures(&dims))? {
        Source::Live => return stats::cross_tab(conn, scope, range, by),
        Source::Archived(json) => json,
    };
    let raw: Vec<(Vec<String>, u64, u64)> = serde_json::from_str(&json).map_err(corrupt)?;
    let position: Vec<usize> = by.iter().map(|d| dims.iter().position(|c| c == d).unwrap_or(0)).collect();
    let cells: BTreeMap<Vec<String>, (u64, u64)> = raw
        .into_iter()
        .map(|(key, cards, uses)| {
            (position.iter().map(|&i| key.get(i).cloned().unwrap_or_default()).collect(), (cards, uses))
        })
        .collect();
    let cells = cells.into_iter().map(|(key, (cards, uses))| CellCounts { key, cards, uses }).collect();
    Ok(CrossTab { from: range.from, to: range.to, by: by.to_vec(), cells })
}

/// One archived answer: scope, period, figures, JSON.
pub type Row = (String, NaiveDate, NaiveDate, String, String);

/// Statistics as JSON that reads back into [`Statistics`]. Every field is named, so a field
/// added to `Statistics` does not compile here until it is archived too.
fn statistics_json(s: &Statistics) -> Value {
    let Statistics {
        from,
        to,
        cards_registered,
        cards_valid,
        cards_used,
        usage_rate_percent,
        all,
        community,
        course_places,
        per_venue,
        per_distributor,
        frequency,
        per_month,
        flagged_uses,
    } = s;
    let uses = |c: &UseCounts| {
        let UseCounts { uses, adults, children } = c;
        json!({ "uses": uses, "adults": adults, "children": children })
    };
    let ranked = |v: &[Ranked]| -> Vec<Value> {
        v.iter().map(|Ranked { id, name, count }| json!({ "id": id, "name": name, "count": count })).collect()
    };
    let Frequency { once, twice, three_to_five, more_than_five } = frequency;
    let months: Vec<Value> = per_month
        .iter()
        .map(|MonthUses { month, uses, adults, children }| {
            json!({ "month": month, "uses": uses, "adults": adults, "children": children })
        })
        .collect();
    json!({
        "from": from, "to": to, "cards_registered": cards_registered, "cards_valid": cards_valid,
        "cards_used": cards_used, "usage_rate_percent": usage_rate_percent, "all": uses(all),
        "community": uses(community), "course_places": course_places, "per_venue": ranked(per_venue),
        "per_distributor": ranked(per_distributor),
        "frequency": { "once": once, "twice": twice, "three_to_five": three_to_five, "more_than_five": more_than_five },
        "per_month": months, "flagged_uses": flagged_uses,
    })
}

/// Every scope the API can ask: the whole register, each region, distributor and venue.
pub fn scopes(conn: &Connection) -> rusqlite::Result<Vec<Scope>> {
    use kaiku_core::ids::{DistributorId, RegionId, VenueId};
    let mut out = vec![Scope::All];
    for (table, make) in [
        ("regions", (|id| Scope::Region(RegionId(id))) as fn(u32) -> Scope),
        ("distributors", |id| Scope::Distributor(DistributorId(id))),
        ("venues", |id| Scope::Venue(VenueId(id))),
    ] {
        let mut stmt = conn.prepare(&format!("SELECT id FROM {table} ORDER BY id"))?;
        for id in stmt.query_map([], |r| r.get::<_, u32>(0))? {
            out.push(make(id?));
        }
    }
    Ok(out)
}

/// The year and each of its months.
pub fn periods(year: i32) -> Vec<DateRange> {
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let mut out: Vec<DateRange> = (1..=12)
        .filter_map(|m| {
            let from = day(m, 1)?;
            let to = from.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
            Some(DateRange { from, to })
        })
        .collect();
    if let (Some(from), Some(to)) = (day(1, 1), day(12, 31)) {
        out.push(DateRange { from, to });
    }
    out
}

/// The background of each card that has one, by [`card_key`], with the values as the live
/// cross-tab reads them for a period ending in `year`; each value is a number in `names`.
pub struct Backgrounds {
    names: Vec<String>,
    /// Age band, gender, mother tongue, postal code; then the life situations ("none" if none).
    cards: HashMap<u64, ([u32; 4], Vec<u32>)>,
}

impl Backgrounds {
    pub fn read(conn: &Connection, year: i32) -> rusqlite::Result<Self> {
        let mut stmt = conn.prepare(&format!(
            "SELECT c.id, {}, c.gender, c.mother_tongue, c.postal_code, coalesce(ls.situation, 'none') \
             FROM cards c LEFT JOIN card_life_situations ls ON ls.card_id = c.id WHERE c.birth_year IS NOT NULL",
            age_band_sql("c.birth_year", year)
        ))?;
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut me = Self { names: Vec::new(), cards: HashMap::new() };
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let ValueRef::Text(id) = row.get_ref(0)? else { continue };
            let mut value = |i: usize| -> rusqlite::Result<u32> {
                let text = match row.get_ref(i)? {
                    ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    ValueRef::Integer(n) => n.to_string(),
                    _ => String::new(),
                };
                let next = u32::try_from(me.names.len()).unwrap_or(u32::MAX);
                Ok(*numbers.entry(text.clone()).or_insert_with(|| {
                    me.names.push(text);
                    next
                }))
            };
            let fixed = [value(1)?, value(2)?, value(3)?, value(4)?];
            let situation = value(5)?;
            me.cards.entry(card_key(id)).or_insert((fixed, Vec::new())).1.push(situation);
        }
        Ok(me)
    }

    /// The exact cells of a cross-tab by `dims` (in [`DIMENSIONS`] order) of the `used` cards.
    fn cells(&self, used: &PerCard, dims: &[Dimension]) -> Vec<(Vec<String>, u64, u64)> {
        let mut cells: HashMap<Vec<u32>, (u64, u64)> = HashMap::new();
        let by_situation = dims.contains(&Dimension::LifeSituation);
        for (key, uses) in used {
            let Some((fixed, situations)) = self.cards.get(key) else { continue };
            let one = [0];
            let each: &[u32] = if by_situation { situations } else { &one };
            for situation in each {
                let values = dims
                    .iter()
                    .map(|d| match d {
                        Dimension::AgeBand => fixed[0],
                        Dimension::Gender => fixed[1],
                        Dimension::MotherTongue => fixed[2],
                        Dimension::PostalCode => fixed[3],
                        Dimension::LifeSituation => *situation,
                    })
                    .collect();
                let cell = cells.entry(values).or_default();
                cell.0 += 1;
                cell.1 += u64::from(*uses);
            }
        }
        let name = |n: u32| self.names.get(n as usize).cloned().unwrap_or_default();
        cells.into_iter().map(|(k, (cards, uses))| (k.into_iter().map(name).collect(), cards, uses)).collect()
    }
}

/// Every set of one to three dimensions, each in [`DIMENSIONS`] order.
fn dimension_sets() -> Vec<Vec<Dimension>> {
    (1u32..32)
        .filter(|bits| bits.count_ones() <= 3)
        .map(|bits| DIMENSIONS.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, d)| *d).collect())
        .collect()
}

/// The answers to archive for one scope and period: the statistics, and each cross-tab with
/// cells. A venue with no uses in the period is left out (its live answer is the same zeros).
pub fn answers(conn: &Connection, backgrounds: &Backgrounds, scope: Scope, range: DateRange) -> StoreResult<Vec<Row>> {
    let s = stats::statistics(conn, scope, range)?;
    let mut out = Vec::new();
    if matches!(scope, Scope::Venue(_)) && s.all.uses == 0 {
        return Ok(out);
    }
    let key = scope_key(scope);
    let json = statistics_json(&s).to_string();
    out.push((key.clone(), range.from, range.to, STATISTICS.to_owned(), json));
    let used = scan(conn, scope, range)?.used_cards();
    if used.is_empty() {
        return Ok(out);
    }
    for dims in dimension_sets() {
        let cells = backgrounds.cells(&used, &dims);
        if !cells.is_empty() {
            let json = serde_json::to_string(&cells).map_err(|e| StoreError::Backend(e.to_string()))?;
            out.push((key.clone(), range.from, range.to, figures(&dims), json));
        }
    }
    Ok(out)
}

/// Stores archived answers (an answer archived before is replaced).
pub fn store(conn: &Connection, rows: &[Row]) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT OR REPLACE INTO statistics_archive (scope, period_from, period_to, figures, answer) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (scope, from, to, figures, answer) in rows {
            insert.execute(params![scope, from, to, figures, answer])?;
        }
    }
    tx.commit()
}

/// Marks everything before `day` purged (never moving the mark back).
pub fn mark_purged_before(conn: &Connection, day: NaiveDate) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO retention (id, purged_before) VALUES (1, ?1) \
         ON CONFLICT (id) DO UPDATE SET purged_before = max(purged_before, excluded.purged_before)",
        [day],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(from: (i32, u32, u32), to: (i32, u32, u32)) -> DateRange {
        let d = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        DateRange { from: d(from), to: d(to) }
    }

    #[test]
    fn only_whole_months_and_whole_years_can_be_answered_from_the_archive() {
        assert!(whole_month_or_year(range((2023, 2, 1), (2023, 2, 28))));
        assert!(whole_month_or_year(range((2024, 2, 1), (2024, 2, 29))));
        assert!(whole_month_or_year(range((2023, 1, 1), (2023, 12, 31))));
        assert!(!whole_month_or_year(range((2023, 2, 1), (2023, 3, 31))));
        assert!(!whole_month_or_year(range((2023, 2, 2), (2023, 2, 28))));
        assert!(!whole_month_or_year(range((2023, 1, 1), (2024, 12, 31))));
    }

    #[test]
    fn a_year_has_thirteen_periods_and_there_are_twenty_five_dimension_sets() {
        let p = periods(2024);
        assert_eq!(p.len(), 13);
        assert_eq!(p[1], range((2024, 2, 1), (2024, 2, 29)));
        assert_eq!(p[12], range((2024, 1, 1), (2024, 12, 31)));
        assert_eq!(dimension_sets().len(), 25);
        assert_eq!(canonical(&[Dimension::PostalCode, Dimension::AgeBand, Dimension::PostalCode]).len(), 2);
    }
}
