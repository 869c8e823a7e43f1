//! A calendar year's statistics read from the sums of `stats_schema`, exact without folding:
//! each statement adds, to the summed rows, the change of the cards still noted (their present
//! counts less what they were added with), all in its one snapshot. The change is counted per
//! noted card, so a request does at most [`PENDING_LIMIT`] cards' worth of it; with more noted
//! it waits a moment for the fold, and then (a bulk change not folded yet) answers "try again
//! shortly".

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::Datelike;
use deadpool_postgres::GenericClient;

use super::convert::{Params, count, get, id, refs};
use super::pool::{one, rows};
use super::stats_fold::{COLUMNS, columns_of, recount_sql};
use crate::stats::{CellCounts, Dimension, Frequency, Scope, UseCounts};
use crate::store::{DateRange, StoreError, StoreResult};

/// The most noted rows a request counts the change of itself: about 1 s of its time when
/// their uses are not cached.
const PENDING_LIMIT: i64 = 4_000;

/// How long a request with more noted waits for the task (woken by the request) to fold them.
const PENDING_WAIT: Duration = Duration::from_secs(3);

/// The calendar year a period is, if it is one.
pub fn calendar_year(range: DateRange) -> Option<i32> {
    let year = range.from.year();
    (range.from.ordinal() == 1 && range.to.year() == year && range.to.month() == 12 && range.to.day() == 31)
        .then_some(year)
}

/// A `WITH` naming `change`: the noted card-years of year `$1` as `card_year_uses` rows with
/// `sign` 1 for their present counts and -1 for what the sums hold of them.
fn pending_sql() -> String {
    format!(
        "WITH keys AS MATERIALIZED (SELECT card_id, year FROM stats_dirty WHERE year = $1 \
           UNION SELECT u.card_id, u.year FROM stats_dirty d JOIN card_year_uses u ON u.card_id = d.card_id \
           WHERE d.year IS NULL AND u.year = $1), \
         change AS MATERIALIZED (SELECT {COLUMNS}, 1 AS sign FROM ({}) n \
           UNION ALL SELECT {}, -1 FROM card_year_uses u JOIN keys k ON k.card_id = u.card_id AND k.year = u.year) ",
        recount_sql("keys"),
        columns_of("u")
    )
}

/// Fails clearly if more is noted than a request may count itself.
async fn check_pending(c: &impl GenericClient) -> StoreResult<()> {
    let started = Instant::now();
    loop {
        let noted: i64 = get(
            &one(c, "SELECT count(*) FROM (SELECT 1 FROM stats_dirty LIMIT $1) t", &[&(PENDING_LIMIT + 1)]).await?,
            0,
        )?;
        if noted <= PENDING_LIMIT {
            return Ok(());
        }
        if started.elapsed() >= PENDING_WAIT {
            return Err(StoreError::Unavailable(
                "the statistics are being brought up to date after a large change; ask again in a minute".into(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The cards of a scope as a condition on a table with `region_id` and `distributor_id`, its
/// parameter `$n`; `None` for a venue (whose uses may be of any card).
fn scope_filter(scope: Scope, n: usize, params: &mut Params) -> Option<String> {
    match scope {
        Scope::All => Some("true".into()),
        Scope::Region(r) => {
            params.push(Box::new(i64::from(r.0)));
            Some(format!("region_id = ${n}"))
        }
        Scope::Distributor(d) => {
            params.push(Box::new(i64::from(d.0)));
            Some(format!("distributor_id = ${n}"))
        }
        Scope::Venue(_) => None,
    }
}

/// A year's uses of the scope's cards as the sums hold them.
#[derive(Debug, Default)]
pub struct YearUses {
    pub all: UseCounts,
    pub community: UseCounts,
    pub course_places: u64,
    pub frequency: Frequency,
    /// Uses by venue and month (1 to 12).
    pub venue_months: Vec<(u32, u32, UseCounts)>,
}

/// The year's counted uses of the scope's cards (not for a venue), from the sums.
pub async fn year_uses(c: &impl GenericClient, scope: Scope, year: i32) -> StoreResult<Option<YearUses>> {
    let mut params: Params = vec![Box::new(year)];
    let Some(filter) = scope_filter(scope, 2, &mut params) else { return Ok(None) };
    check_pending(c).await?;
    let sql = format!(
        "{} SELECT uses_band, sum(cards)::bigint, sum(uses)::bigint, sum(adults)::bigint, sum(children)::bigint, \
         sum(course_places)::bigint, sum(community_uses)::bigint, sum(community_adults)::bigint, \
         sum(community_children)::bigint FROM ( \
           SELECT uses_band, cards, uses, adults, children, course_places, community_uses, community_adults, \
           community_children FROM stats_frequency WHERE year = $1 AND {filter} \
           UNION ALL SELECT least(uses, 6)::smallint, sign, sign * uses, sign * adults, sign * children, \
           sign * course_places, sign * community_uses, sign * community_adults, sign * community_children \
           FROM change WHERE {filter}) t GROUP BY uses_band",
        pending_sql()
    );
    let mut y = YearUses::default();
    for r in &rows(c, &sql, &refs(&params)).await? {
        let cards = count(r, 1)?;
        match get::<i16>(r, 0)? {
            1 => y.frequency.once += cards,
            2 => y.frequency.twice += cards,
            3..=5 => y.frequency.three_to_five += cards,
            _ => y.frequency.more_than_five += cards,
        }
        y.all.uses += count(r, 2)?;
        y.all.adults += count(r, 3)?;
        y.all.children += count(r, 4)?;
        y.course_places += count(r, 5)?;
        y.community.uses += count(r, 6)?;
        y.community.adults += count(r, 7)?;
        y.community.children += count(r, 8)?;
    }
    let sql = format!(
        "{} SELECT venue_id, month::integer, sum(uses)::bigint, sum(adults)::bigint, sum(children)::bigint FROM ( \
           SELECT venue_id, month, uses, adults, children FROM stats_venue_months WHERE year = $1 AND {filter} \
           UNION ALL SELECT x.vm / 16, (x.vm % 16)::smallint, sign * x.uses, sign * x.adults, sign * x.children \
           FROM change, \
           unnest(venue_months, month_uses, month_adults, month_children) AS x(vm, uses, adults, children) \
           WHERE {filter}) t GROUP BY 1, 2 HAVING sum(uses) <> 0",
        pending_sql()
    );
    for r in &rows(c, &sql, &refs(&params)).await? {
        let uses = UseCounts { uses: count(r, 2)?, adults: count(r, 3)?, children: count(r, 4)? };
        y.venue_months.push((id(r, 0)?, u32::try_from(get::<i32>(r, 1)?).unwrap_or(0), uses));
    }
    Ok(Some(y))
}

/// Cards issued in the period and valid on a day of it, per distributor, from `card_counts`
/// (any period; not for a venue).
pub async fn card_counts(c: &impl GenericClient, scope: Scope, range: DateRange) -> StoreResult<Vec<(u32, u64, u64)>> {
    let mut params: Params = vec![Box::new(range.from), Box::new(range.to)];
    let Some(filter) = scope_filter(scope, 3, &mut params) else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT distributor_id, coalesce(sum(cards) FILTER (WHERE issued_on BETWEEN $1 AND $2), 0)::bigint, \
         coalesce(sum(cards) FILTER (WHERE issued_on <= $2 AND valid_until >= $1), 0)::bigint \
         FROM card_counts WHERE {filter} GROUP BY distributor_id"
    );
    rows(c, &sql, &refs(&params)).await?.iter().map(|r| Ok((id(r, 0)?, count(r, 1)?, count(r, 2)?))).collect()
}

/// The year's cross-tab cells of the scope's cards from `stats_cells` (the whole country or a
/// region only: the cells are kept by region).
pub async fn cross_tab_cells(
    c: &impl GenericClient,
    scope: Scope,
    year: i32,
    by: &[Dimension],
) -> StoreResult<Option<Vec<CellCounts>>> {
    let mut params: Params = vec![Box::new(year)];
    let filter = match scope {
        Scope::All | Scope::Region(_) => scope_filter(scope, 2, &mut params).unwrap_or_default(),
        Scope::Distributor(_) | Scope::Venue(_) => return Ok(None),
    };
    check_pending(c).await?;
    let keys: Vec<&str> = by
        .iter()
        .map(|d| match d {
            Dimension::AgeBand => "s.age_band",
            Dimension::Gender => "s.gender",
            Dimension::MotherTongue => "s.mother_tongue",
            Dimension::LifeSituation => "ls.situation",
            Dimension::PostalCode => "s.postal_code",
        })
        .collect();
    // A card with two life situations is in the cell of each; one with none in 'none's.
    let situations = if by.contains(&Dimension::LifeSituation) {
        ", unnest(CASE WHEN s.situations = '' THEN ARRAY['none'] ELSE string_to_array(s.situations, ',') END) \
         AS ls(situation)"
    } else {
        ""
    };
    let group: Vec<String> = (1..=keys.len()).map(|i| i.to_string()).collect();
    let sql = format!(
        "{} SELECT {}, sum(s.cards)::bigint, sum(s.uses)::bigint FROM ( \
           SELECT age_band, gender, mother_tongue, postal_code, situations, cards, uses FROM stats_cells \
           WHERE year = $1 AND {filter} \
           UNION ALL SELECT age_band, gender, mother_tongue, postal_code, situations, sign, sign * uses FROM change \
           WHERE age_band IS NOT NULL AND {filter}) s{situations} GROUP BY {}",
        pending_sql(),
        keys.join(", "),
        group.join(", ")
    );
    let cells = summed_cells(&rows(c, &sql, &refs(&params)).await?, keys.len())?;
    Ok(Some(cells.into_iter().filter(|c| c.cards > 0).collect()))
}

/// Cross-tab rows (the `n` keys, then cards and uses) summed per key, in key order: one key
/// may come in several rows (the sums and the changes not yet folded).
pub fn summed_cells(rows: &[tokio_postgres::Row], n: usize) -> StoreResult<Vec<CellCounts>> {
    let mut cells: BTreeMap<Vec<String>, (u64, u64)> = BTreeMap::new();
    for r in rows {
        let key = (0..n).map(|i| get::<String>(r, i)).collect::<StoreResult<Vec<_>>>()?;
        let cell = cells.entry(key).or_default();
        cell.0 += count(r, n)?;
        cell.1 += count(r, n + 1)?;
    }
    Ok(cells.into_iter().map(|(key, (cards, uses))| CellCounts { key, cards, uses }).collect())
}
