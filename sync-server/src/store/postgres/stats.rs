//! Statistics counted by the database. A calendar year of the whole country, a region or a
//! distributor is read from the year sums, months and venues included (`stats_sums`); any
//! other period or a venue is counted from its uses: grouped by venue, month and kind in one query, per card in another.
//! Card counts come from `card_counts` for any period. Exact answers: `crate::disclosure`
//! folds and rounds them.

use std::collections::HashMap;

use chrono::Datelike;
use deadpool_postgres::GenericClient;

use super::convert::{Params, count, get, id, refs};
use super::flags;
use super::pool::rows;
use super::stats_sums::{self, YearUses, calendar_year};
use crate::stats::{CrossTab, Dimension, Frequency, MonthUses, Ranked, Scope, Statistics, UseCounts, age_band_sql};
use crate::store::{DateRange, StoreResult};

/// The period's uses of the scope's cards, as a condition on `redemptions r JOIN cards c`,
/// with its parameters (`$1`, `$2` the period). Only uses of registered cards count, and
/// neither a correction nor the use it takes back.
fn uses_filter(scope: Scope, range: DateRange) -> (String, Params) {
    let mut params: Params = vec![Box::new(range.from), Box::new(range.to)];
    let scope_sql = match scope {
        Scope::All => "",
        Scope::Region(r) => {
            params.push(Box::new(i64::from(r.0)));
            " AND c.region_id = $3"
        }
        Scope::Distributor(d) => {
            params.push(Box::new(i64::from(d.0)));
            " AND c.distributor_id = $3"
        }
        Scope::Venue(v) => {
            params.push(Box::new(i64::from(v.0)));
            " AND r.venue_id = $3"
        }
    };
    // A correction and the use it takes back count nowhere.
    (format!("r.scanned_on BETWEEN $1 AND $2 AND r.undoes IS NULL AND r.undone_by IS NULL{scope_sql}"), params)
}

/// Most first, then by id.
fn ranking(counts: impl IntoIterator<Item = (u32, u64)>, names: &HashMap<u32, String>) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(id, count)| Ranked { id, name: names.get(&id).cloned().unwrap_or_default(), count })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
    out
}

async fn names(c: &impl GenericClient, table: &str) -> StoreResult<HashMap<u32, String>> {
    rows(c, &format!("SELECT id, name FROM {table}"), &[]).await?.iter().map(|r| Ok((id(r, 0)?, get(r, 1)?))).collect()
}

/// The period's uses by venue and month, with the totals.
struct Grouped {
    all: UseCounts,
    community: UseCounts,
    course_places: u64,
    per_venue: HashMap<u32, u64>,
    /// The period's months, its first month first.
    per_month: Vec<UseCounts>,
}

fn add(u: &mut UseCounts, uses: u64, adults: u64, children: u64) {
    u.uses += uses;
    u.adults += adults;
    u.children += children;
}

impl Grouped {
    fn new(range: DateRange) -> Self {
        let months = (range.to.year() - range.from.year()) * 12 + range.to.month0() as i32 - range.from.month0() as i32;
        let per_month = vec![UseCounts::default(); usize::try_from(months + 1).unwrap_or(1).max(1)];
        Self {
            all: UseCounts::default(),
            community: UseCounts::default(),
            course_places: 0,
            per_venue: HashMap::new(),
            per_month,
        }
    }

    fn month(&mut self, range: DateRange, year_month: i64) -> Option<&mut UseCounts> {
        let first = i64::from(range.from.year()) * 12 + i64::from(range.from.month());
        usize::try_from(year_month - first).ok().and_then(|m| self.per_month.get_mut(m))
    }
}

/// Counted from the period's uses.
async fn grouped_uses(c: &impl GenericClient, scope: Scope, range: DateRange) -> StoreResult<Grouped> {
    let (filter, params) = uses_filter(scope, range);
    let grouped = rows(
        c,
        &format!(
            "SELECT r.venue_id, (extract(year FROM r.scanned_on) * 12 + extract(month FROM r.scanned_on))::bigint, \
             r.community, r.offer = 'course_place', count(*), sum(r.adults)::bigint, sum(r.children)::bigint \
             FROM redemptions r JOIN cards c ON c.id = r.card_id WHERE {filter} GROUP BY 1, 2, 3, 4"
        ),
        &refs(&params),
    )
    .await?;
    let mut g = Grouped::new(range);
    for r in &grouped {
        let (uses, adults, children) = (count(r, 4)?, count(r, 5)?, count(r, 6)?);
        add(&mut g.all, uses, adults, children);
        if get::<i32>(r, 2)? != 0 {
            add(&mut g.community, uses, adults, children);
        }
        if get::<bool>(r, 3)? {
            g.course_places += uses;
        }
        if let Some(m) = g.month(range, get::<i64>(r, 1)?) {
            add(m, uses, adults, children);
        }
        *g.per_venue.entry(id(r, 0)?).or_default() += uses;
    }
    Ok(g)
}

/// The year's uses by venue and month as the sums hold them.
fn summed_by_venue(range: DateRange, year: &YearUses) -> Grouped {
    let mut g = Grouped::new(range);
    for (venue, month, u) in &year.venue_months {
        if let Some(m) = g.month(range, i64::from(range.from.year()) * 12 + i64::from(*month)) {
            add(m, u.uses, u.adults, u.children);
        }
        *g.per_venue.entry(*venue).or_default() += u.uses;
    }
    (g.all, g.community, g.course_places) = (year.all, year.community, year.course_places);
    g
}

/// How many cards were used how often in the period, counted from its uses.
async fn frequency(c: &impl GenericClient, scope: Scope, range: DateRange) -> StoreResult<Frequency> {
    let (filter, params) = uses_filter(scope, range);
    let per_card = rows(
        c,
        &format!(
            "SELECT n, count(*) FROM (SELECT count(*) AS n FROM redemptions r JOIN cards c ON c.id = r.card_id \
             WHERE {filter} GROUP BY r.card_id) t GROUP BY n"
        ),
        &refs(&params),
    )
    .await?;
    let mut f = Frequency::default();
    for r in &per_card {
        let (uses, cards) = (count(r, 0)?, count(r, 1)?);
        match uses {
            0 => {}
            1 => f.once += cards,
            2 => f.twice += cards,
            3..=5 => f.three_to_five += cards,
            _ => f.more_than_five += cards,
        }
    }
    Ok(f)
}

pub async fn statistics(c: &impl GenericClient, scope: Scope, range: DateRange) -> StoreResult<Statistics> {
    let summed = match calendar_year(range) {
        Some(year) if !matches!(scope, Scope::Venue(_)) => stats_sums::year_uses(c, scope, year).await?,
        _ => None,
    };
    let (mut g, frequency) = match &summed {
        Some(year) => (summed_by_venue(range, year), year.frequency),
        None => (grouped_uses(c, scope, range).await?, frequency(c, scope, range).await?),
    };
    let f = frequency;
    let cards_used = f.once + f.twice + f.three_to_five + f.more_than_five;
    let mut s = Statistics {
        from: range.from,
        to: range.to,
        cards_registered: None,
        cards_valid: None,
        cards_used,
        usage_rate_percent: None,
        all: g.all,
        community: g.community,
        course_places: g.course_places,
        per_venue: ranking(std::mem::take(&mut g.per_venue), &names(c, "venues").await?),
        per_distributor: Vec::new(),
        frequency,
        per_month: Vec::new(),
        flagged_uses: flags::count_in(c, scope, range).await?,
    };
    let mut month = range.from.with_day(1).unwrap_or(range.from);
    for u in g.per_month {
        s.per_month.push(MonthUses {
            month: month.format("%Y-%m").to_string(),
            uses: u.uses,
            adults: u.adults,
            children: u.children,
        });
        month = month.checked_add_months(chrono::Months::new(1)).unwrap_or(month);
    }
    if !matches!(scope, Scope::Venue(_)) {
        let counts = stats_sums::card_counts(c, scope, range).await?;
        let valid: u64 = counts.iter().map(|c| c.2).sum();
        s.cards_registered = Some(counts.iter().map(|c| c.1).sum());
        s.cards_valid = Some(valid);
        s.per_distributor = ranking(counts.iter().map(|c| (c.0, c.1)), &names(c, "distributors").await?);
        s.usage_rate_percent =
            (valid > 0).then(|| ((s.cards_used.min(valid) as f64) * 1000.0 / valid as f64).round() / 10.0);
    }
    Ok(s)
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

/// Each used card with background data adds itself and its uses to the cell of its values (a
/// card with two life situations to both).
pub async fn cross_tab(
    c: &impl GenericClient,
    scope: Scope,
    range: DateRange,
    by: &[Dimension],
) -> StoreResult<CrossTab> {
    if let Some(year) = calendar_year(range).filter(|_| matches!(scope, Scope::All | Scope::Region(_)))
        && let Some(cells) = stats_sums::cross_tab_cells(c, scope, year, by).await?
    {
        return Ok(CrossTab { from: range.from, to: range.to, by: by.to_vec(), cells });
    }
    let (filter, params) = uses_filter(scope, range);
    let keys: Vec<String> =
        by.iter().map(|d| format!("coalesce(({})::text, '')", dimension_sql(*d, range.to.year()))).collect();
    let join = if by.contains(&Dimension::LifeSituation) {
        "LEFT JOIN card_life_situations ls ON ls.card_id = c.id"
    } else {
        ""
    };
    let group: Vec<String> = (1..=keys.len()).map(|i| i.to_string()).collect();
    let sql = format!(
        "WITH used AS (SELECT r.card_id, count(*) AS uses FROM redemptions r JOIN cards c ON c.id = r.card_id \
         WHERE {filter} GROUP BY r.card_id) \
         SELECT {}, count(*), sum(u.uses)::bigint FROM used u JOIN cards c ON c.id = u.card_id {join} \
         WHERE c.birth_year IS NOT NULL GROUP BY {}",
        keys.join(", "),
        group.join(", ")
    );
    let cells = stats_sums::summed_cells(&rows(c, &sql, &refs(&params)).await?, keys.len())?;
    Ok(CrossTab { from: range.from, to: range.to, by: by.to_vec(), cells })
}
