//! A calendar year's statistics from the sums of `stats_schema`: the noted cards are folded
//! in first (each one's year recounted from its redemptions), then the year is read from a few
//! thousand summed rows. Exact: the same figures the per-use queries of `stats` count.

use std::collections::BTreeMap;

use chrono::Datelike;
use deadpool_postgres::GenericClient;

use super::convert::{Params, count, get, id, refs};
use super::pool::rows;
use crate::stats::{AGE_BANDS, CellCounts, Dimension, Frequency, OLDEST_BAND, Scope, UseCounts};
use crate::store::{DateRange, StoreResult};

/// Held (for the transaction) while folding: any number, the same in every process, another
/// than the migrations'.
const FOLD_LOCK: i64 = 0x4b61_696b_7530_0002;

/// The calendar year a period is, if it is one.
pub fn calendar_year(range: DateRange) -> Option<i32> {
    let year = range.from.year();
    (range.from.ordinal() == 1 && range.to.year() == year && range.to.month() == 12 && range.to.day() == 31)
        .then_some(year)
}

/// The age band of `birth` in `year`, both SQL expressions (as `crate::stats::age_band`).
fn band_sql(year: &str, birth: &str) -> String {
    let whens: String =
        AGE_BANDS.iter().map(|(max, name)| format!("WHEN {year} - {birth} <= {max} THEN '{name}' ")).collect();
    format!("CASE {whens}ELSE '{OLDEST_BAND}' END")
}

/// One statement (a `DO` block: each of its statements sees what committed before it ran, and
/// all of it commits or none): takes the noted cards, recounts their years, and moves each
/// card's contribution from the keys it was added under to its present ones.
fn fold_sql() -> String {
    let band = band_sql("n.year", "c.birth_year");
    format!(
        r#"DO $fold$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM stats_dirty) THEN RETURN; END IF;
    PERFORM pg_advisory_xact_lock({FOLD_LOCK});
    CREATE TEMP TABLE stats_fold_keys (card_id text COLLATE "C", year integer) ON COMMIT DROP;
    WITH d AS (DELETE FROM stats_dirty RETURNING card_id, year)
    INSERT INTO stats_fold_keys
    SELECT card_id, year FROM d WHERE year IS NOT NULL
    UNION SELECT u.card_id, u.year FROM d JOIN card_year_uses u ON u.card_id = d.card_id WHERE d.year IS NULL;
    ANALYZE stats_fold_keys;
    -- A join, not a loop: for a few cards the planner looks each one's uses up by index,
    -- after a bulk load it reads the uses once.
    CREATE TEMP TABLE stats_fold_new ON COMMIT DROP AS
    SELECT n.card_id, n.year, n.uses, n.adults, n.children, n.course_places, n.community_uses,
        n.community_adults, n.community_children, c.region_id, c.distributor_id,
        CASE WHEN c.birth_year IS NOT NULL THEN {band} END AS age_band,
        coalesce(c.gender, '') AS gender, coalesce(c.mother_tongue, '') AS mother_tongue,
        coalesce(c.postal_code, '') AS postal_code, coalesce(ls.situations, '') AS situations
    FROM (
        SELECT k.card_id, k.year, count(*) AS uses, sum(r.adults) AS adults, sum(r.children) AS children,
            count(*) FILTER (WHERE r.offer = 'course_place') AS course_places,
            count(*) FILTER (WHERE r.community <> 0) AS community_uses,
            coalesce(sum(r.adults) FILTER (WHERE r.community <> 0), 0) AS community_adults,
            coalesce(sum(r.children) FILTER (WHERE r.community <> 0), 0) AS community_children
        FROM stats_fold_keys k JOIN redemptions r ON r.card_id = k.card_id
            AND r.scanned_on BETWEEN make_date(k.year, 1, 1) AND make_date(k.year, 12, 31)
        WHERE r.undoes IS NULL AND r.undone_by IS NULL
        GROUP BY k.card_id, k.year) n
    JOIN cards c ON c.id = n.card_id
    LEFT JOIN (SELECT l.card_id, string_agg(l.situation, ',' ORDER BY l.situation) AS situations
        FROM card_life_situations l WHERE l.card_id IN (SELECT card_id FROM stats_fold_keys) GROUP BY l.card_id) ls
        ON ls.card_id = n.card_id;
    CREATE TEMP TABLE stats_fold_change ON COMMIT DROP AS
    SELECT *, 1 AS sign FROM stats_fold_new
    UNION ALL SELECT u.*, -1 FROM card_year_uses u JOIN stats_fold_keys k ON k.card_id = u.card_id AND k.year = u.year;
    DELETE FROM card_year_uses u USING stats_fold_keys k WHERE u.card_id = k.card_id AND u.year = k.year;
    INSERT INTO card_year_uses SELECT * FROM stats_fold_new;
    INSERT INTO stats_frequency
    SELECT year, region_id, distributor_id, least(uses, 6), sum(sign), sum(sign * uses), sum(sign * adults),
        sum(sign * children), sum(sign * course_places), sum(sign * community_uses), sum(sign * community_adults),
        sum(sign * community_children)
    FROM stats_fold_change GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (year, region_id, distributor_id, uses_band) DO UPDATE SET
        cards = stats_frequency.cards + excluded.cards, uses = stats_frequency.uses + excluded.uses,
        adults = stats_frequency.adults + excluded.adults, children = stats_frequency.children + excluded.children,
        course_places = stats_frequency.course_places + excluded.course_places,
        community_uses = stats_frequency.community_uses + excluded.community_uses,
        community_adults = stats_frequency.community_adults + excluded.community_adults,
        community_children = stats_frequency.community_children + excluded.community_children;
    INSERT INTO stats_cells
    SELECT year, region_id, age_band, gender, mother_tongue, postal_code, situations, sum(sign), sum(sign * uses)
    FROM stats_fold_change WHERE age_band IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (year, region_id, age_band, gender, mother_tongue, postal_code, situations) DO UPDATE SET
        cards = stats_cells.cards + excluded.cards, uses = stats_cells.uses + excluded.uses;
    DELETE FROM stats_frequency WHERE cards = 0;
    DELETE FROM stats_cells WHERE cards = 0;
END
$fold$"#
    )
}

/// Brings the year sums up to date with every change committed so far.
pub async fn fold(c: &impl GenericClient) -> StoreResult<()> {
    Ok(c.batch_execute(&fold_sql()).await?)
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
}

/// The year's counted uses of the scope's cards (not for a venue), from the sums.
pub async fn year_uses(c: &impl GenericClient, scope: Scope, year: i32) -> StoreResult<Option<YearUses>> {
    let mut params: Params = vec![Box::new(year)];
    let Some(filter) = scope_filter(scope, 2, &mut params) else { return Ok(None) };
    let sql = format!(
        "SELECT uses_band, sum(cards)::bigint, sum(uses)::bigint, sum(adults)::bigint, sum(children)::bigint, \
         sum(course_places)::bigint, sum(community_uses)::bigint, sum(community_adults)::bigint, \
         sum(community_children)::bigint FROM stats_frequency WHERE year = $1 AND {filter} GROUP BY uses_band"
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
        "SELECT {}, sum(s.cards)::bigint, sum(s.uses)::bigint FROM stats_cells s{situations} \
         WHERE s.year = $1 AND {filter} AND s.cards > 0 GROUP BY {}",
        keys.join(", "),
        group.join(", ")
    );
    let n = keys.len();
    let mut cells: BTreeMap<Vec<String>, (u64, u64)> = BTreeMap::new();
    for r in &rows(c, &sql, &refs(&params)).await? {
        let key = (0..n).map(|i| get::<String>(r, i)).collect::<StoreResult<Vec<_>>>()?;
        let cell = cells.entry(key).or_default();
        cell.0 += count(r, n)?;
        cell.1 += count(r, n + 1)?;
    }
    Ok(Some(cells.into_iter().map(|(key, (cards, uses))| CellCounts { key, cards, uses }).collect()))
}
