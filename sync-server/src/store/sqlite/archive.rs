//! Statistics of purged years (see `retention`): before a year's uses and closed cards'
//! background data are removed, the store's exact answers for each whole month and the whole
//! year are kept here, for every scope the API can ask. Afterwards a whole month or year of
//! the purged range is answered from here, exactly as before, and any other period there is
//! refused: its detailed data are gone.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};

use super::stats;
use super::stats_pass::{PerCard, card_key, scan};
use crate::stats::{CrossTab, Dimension, Scope, Statistics, age_band_sql};
pub use crate::store::archived::periods;
use crate::store::archived::{self, STATISTICS, canonical, dimension_sets, figures, scope_key, statistics_json};
use crate::store::{DateRange, StoreError, StoreResult};

/// The first day whose detailed data are kept; `None` while nothing has been purged.
pub fn purged_before(conn: &Connection) -> rusqlite::Result<Option<NaiveDate>> {
    conn.query_row("SELECT purged_before FROM retention WHERE id = 1", [], |r| r.get(0)).optional()
}

/// Where a period's answer comes from.
enum Source {
    /// The live tables: the period is not purged, or nothing of it was archived (no uses).
    Live,
    Archived(String),
}

fn source(conn: &Connection, scope: Scope, range: DateRange, figures: &str) -> StoreResult<Source> {
    if !archived::from_archive(purged_before(conn)?, range)? {
        return Ok(Source::Live);
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

/// The store's statistics: archived for a purged period, live otherwise.
pub fn statistics(conn: &Connection, scope: Scope, range: DateRange) -> StoreResult<Statistics> {
    match source(conn, scope, range, STATISTICS)? {
        Source::Live => stats::statistics(conn, scope, range),
        Source::Archived(json) => archived::statistics_from(&json),
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
    archived::cross_tab_from(&json, range, by)
}

/// One archived answer: scope, period, figures, JSON.
pub type Row = (String, NaiveDate, NaiveDate, String, String);

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
