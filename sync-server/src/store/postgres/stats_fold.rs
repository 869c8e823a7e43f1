//! Folding the noted cards into the year sums of `stats_schema`: each noted card's year is
//! recounted from its redemptions and its contribution moved from the keys it was added under
//! to its present ones. One process folds at a time (an advisory lock, taken for the
//! transaction), so no card-year is moved twice; nothing else locks the summed rows, so a fold
//! never waits for an upload nor an upload for a fold.

use deadpool_postgres::{Client, GenericClient};

use super::convert::get;
use super::pool::one;
use crate::stats::{AGE_BANDS, OLDEST_BAND};
use crate::store::StoreResult;

/// Held (for the transaction) while folding: any number, the same in every process, another
/// than the migrations'.
const FOLD_LOCK: i64 = 0x4b61_696b_7530_0002;

/// Noted rows one background step takes: a fraction of a second's work.
const CHUNK: i64 = 20_000;

/// The columns of `card_year_uses`, in its order.
pub const COLUMNS: &str = "card_id, year, uses, adults, children, course_places, community_uses, \
    community_adults, community_children, region_id, distributor_id, age_band, gender, mother_tongue, \
    postal_code, situations, venue_months, month_uses, month_adults, month_children";

/// [`COLUMNS`] of the table named `t`.
pub fn columns_of(t: &str) -> String {
    COLUMNS.split(", ").map(|c| format!("{t}.{c}")).collect::<Vec<_>>().join(", ")
}

/// The age band of `birth` in `year`, both SQL expressions (as `crate::stats::age_band`).
fn band_sql(year: &str, birth: &str) -> String {
    let whens: String =
        AGE_BANDS.iter().map(|(max, name)| format!("WHEN {year} - {birth} <= {max} THEN '{name}' ")).collect();
    format!("CASE {whens}ELSE '{OLDEST_BAND}' END")
}

/// The present `card_year_uses` rows (in [`COLUMNS`]) of the card-years in `keys` (a table
/// or CTE of `card_id`, `year`), counted from their redemptions. A join, not a loop: for a few
/// cards the planner looks each one's uses up by index, after a bulk load it reads them once.
pub fn recount_sql(keys: &str) -> String {
    let band = band_sql("n.year", "c.birth_year");
    format!(
        r#"SELECT n.card_id, n.year, n.uses, n.adults, n.children, n.course_places, n.community_uses,
        n.community_adults, n.community_children, c.region_id, c.distributor_id,
        CASE WHEN c.birth_year IS NOT NULL THEN {band} END AS age_band,
        coalesce(c.gender, '') AS gender, coalesce(c.mother_tongue, '') AS mother_tongue,
        coalesce(c.postal_code, '') AS postal_code, coalesce(ls.situations, '') AS situations,
        n.venue_months, n.month_uses, n.month_adults, n.month_children
    FROM (
        SELECT card_id, year, sum(uses)::bigint AS uses, sum(adults)::bigint AS adults,
            sum(children)::bigint AS children, sum(course_places)::bigint AS course_places,
            sum(community_uses)::bigint AS community_uses, sum(community_adults)::bigint AS community_adults,
            sum(community_children)::bigint AS community_children,
            array_agg(venue_month ORDER BY venue_month) AS venue_months,
            array_agg(uses ORDER BY venue_month) AS month_uses,
            array_agg(adults ORDER BY venue_month) AS month_adults,
            array_agg(children ORDER BY venue_month) AS month_children
        FROM (
            SELECT k.card_id, k.year, r.venue_id * 16 + extract(month FROM r.scanned_on)::bigint AS venue_month,
                count(*) AS uses, sum(r.adults)::bigint AS adults, sum(r.children)::bigint AS children,
                count(*) FILTER (WHERE r.offer = 'course_place') AS course_places,
                count(*) FILTER (WHERE r.community <> 0) AS community_uses,
                coalesce(sum(r.adults) FILTER (WHERE r.community <> 0), 0) AS community_adults,
                coalesce(sum(r.children) FILTER (WHERE r.community <> 0), 0) AS community_children
            FROM {keys} k JOIN redemptions r ON r.card_id = k.card_id
                AND r.scanned_on BETWEEN make_date(k.year, 1, 1) AND make_date(k.year, 12, 31)
            WHERE r.undoes IS NULL AND r.undone_by IS NULL
            GROUP BY 1, 2, 3) vm
        GROUP BY card_id, year) n
    JOIN cards c ON c.id = n.card_id
    LEFT JOIN (SELECT l.card_id, string_agg(l.situation, ',' ORDER BY l.situation) AS situations
        FROM card_life_situations l WHERE l.card_id IN (SELECT card_id FROM {keys}) GROUP BY l.card_id) ls
        ON ls.card_id = n.card_id"#
    )
}

/// The statements of a fold in a transaction holding [`FOLD_LOCK`]: takes the noted rows
/// `which` selects into `stats_fold_taken`, recounts their card-years, and moves each one's
/// contribution between the summed rows.
fn fold_sql(which: &str) -> String {
    let recount = recount_sql("stats_fold_keys");
    let (cols, old) = (COLUMNS, columns_of("u"));
    format!(
        r#"CREATE TEMP TABLE stats_fold_taken (card_id text COLLATE "C", year integer) ON COMMIT DROP;
    WITH d AS (DELETE FROM stats_dirty WHERE {which} RETURNING card_id, year)
    INSERT INTO stats_fold_taken SELECT card_id, year FROM d;
    CREATE TEMP TABLE stats_fold_keys ON COMMIT DROP AS
    SELECT card_id, year FROM stats_fold_taken WHERE year IS NOT NULL
    UNION SELECT u.card_id, u.year FROM stats_fold_taken d JOIN card_year_uses u ON u.card_id = d.card_id
    WHERE d.year IS NULL;
    ANALYZE stats_fold_keys;
    CREATE TEMP TABLE stats_fold_new ON COMMIT DROP AS {recount};
    CREATE TEMP TABLE stats_fold_change ON COMMIT DROP AS
    SELECT {cols}, 1 AS sign FROM stats_fold_new
    UNION ALL SELECT {old}, -1 FROM card_year_uses u
    JOIN stats_fold_keys k ON k.card_id = u.card_id AND k.year = u.year;
    DELETE FROM card_year_uses u USING stats_fold_keys k WHERE u.card_id = k.card_id AND u.year = k.year;
    INSERT INTO card_year_uses ({cols}) SELECT {cols} FROM stats_fold_new;
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
    INSERT INTO stats_venue_months
    SELECT f.year, f.region_id, f.distributor_id, x.vm / 16, x.vm % 16, sum(f.sign * x.uses), sum(f.sign * x.adults),
        sum(f.sign * x.children)
    FROM stats_fold_change f,
        unnest(f.venue_months, f.month_uses, f.month_adults, f.month_children) AS x(vm, uses, adults, children)
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (year, region_id, distributor_id, venue_id, month) DO UPDATE SET
        uses = stats_venue_months.uses + excluded.uses, adults = stats_venue_months.adults + excluded.adults,
        children = stats_venue_months.children + excluded.children;
    DELETE FROM stats_frequency WHERE cards = 0;
    DELETE FROM stats_cells WHERE cards = 0;
    DELETE FROM stats_venue_months WHERE uses = 0;"#
    )
}

/// How many noted rows the fold just run took.
async fn taken(c: &impl GenericClient) -> StoreResult<i64> {
    get(&one(c, "SELECT count(*) FROM stats_fold_taken", &[]).await?, 0)
}

/// Folds up to [`CHUNK`] noted rows in a transaction of its own, unless another process is
/// folding (it takes them all in turn); how many it took (0: none left, or another folds).
pub async fn step(c: &mut Client) -> StoreResult<i64> {
    if one(c, "SELECT EXISTS (SELECT 1 FROM stats_dirty)", &[]).await?.try_get::<_, bool>(0)? {
        let tx = c.transaction().await?;
        if get::<bool>(&one(&tx, "SELECT pg_try_advisory_xact_lock($1)", &[&FOLD_LOCK]).await?, 0)? {
            // The rows' addresses, so that a chunk is found without reading the whole table.
            tx.batch_execute(&fold_sql(&format!(
                "ctid = ANY(ARRAY(SELECT ctid FROM stats_dirty LIMIT {CHUNK} FOR UPDATE SKIP LOCKED))"
            )))
            .await?;
            let n = taken(&tx).await?;
            tx.commit().await?;
            return Ok(n);
        }
    }
    Ok(0)
}

/// Folds every noted row, waiting for a fold running elsewhere: at the end of an import, in its
/// transaction, so the sums commit with what it brought.
pub async fn fold_all(c: &impl GenericClient) -> StoreResult<()> {
    one(c, "SELECT pg_advisory_xact_lock($1)::text", &[&FOLD_LOCK]).await?;
    c.batch_execute(&fold_sql("true")).await?;
    // The emptied table's new size, for the plans of requests adding what is noted next.
    Ok(c.batch_execute("ANALYZE stats_dirty").await?)
}
