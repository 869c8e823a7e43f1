//! Statistics counted by the database: the period's uses of the scope's cards grouped by
//! venue, month and kind in one query, the uses per card in another, the cards' counts per
//! distributor in a third. Exact answers: `crate::disclosure` folds and rounds them.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use deadpool_postgres::GenericClient;

use super::convert::{Params, count, get, id, refs};
use super::flags;
use super::pool::rows;
use crate::stats::{CellCounts, CrossTab, Dimension, Frequency, MonthUses, Ranked, Scope, Statistics, age_band_sql};
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

/// The scope's cards as a condition on `cards c`, with its parameter as `$n`.
fn card_filter(scope: Scope, n: usize, params: &mut Params) -> String {
    match scope {
        Scope::Region(r) => {
            params.push(Box::new(i64::from(r.0)));
            format!("c.region_id = ${n}")
        }
        Scope::Distributor(d) => {
            params.push(Box::new(i64::from(d.0)));
            format!("c.distributor_id = ${n}")
        }
        Scope::All | Scope::Venue(_) => "true".into(),
    }
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

pub async fn statistics(c: &impl GenericClient, scope: Scope, range: DateRange) -> StoreResult<Statistics> {
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
    let months = (range.to.year() - range.from.year()) * 12 + range.to.month0() as i32 - range.from.month0() as i32;
    let first_month = i64::from(range.from.year()) * 12 + i64::from(range.from.month());
    let mut s = Statistics {
        from: range.from,
        to: range.to,
        cards_registered: None,
        cards_valid: None,
        cards_used: 0,
        usage_rate_percent: None,
        all: Default::default(),
        community: Default::default(),
        course_places: 0,
        per_venue: Vec::new(),
        per_distributor: Vec::new(),
        frequency: Frequency::default(),
        per_month: Vec::new(),
        flagged_uses: flags::count_in(c, scope, range).await?,
    };
    let mut per_month = vec![crate::stats::UseCounts::default(); usize::try_from(months + 1).unwrap_or(1).max(1)];
    let mut per_venue: HashMap<u32, u64> = HashMap::new();
    for r in &grouped {
        let (uses, adults, children) = (count(r, 4)?, count(r, 5)?, count(r, 6)?);
        let add = |u: &mut crate::stats::UseCounts| {
            u.uses += uses;
            u.adults += adults;
            u.children += children;
        };
        add(&mut s.all);
        if get::<i32>(r, 2)? != 0 {
            add(&mut s.community);
        }
        if get::<bool>(r, 3)? {
            s.course_places += uses;
        }
        if let Some(m) = usize::try_from(get::<i64>(r, 1)? - first_month).ok().and_then(|m| per_month.get_mut(m)) {
            add(m);
        }
        *per_venue.entry(id(r, 0)?).or_default() += uses;
    }
    s.per_venue = ranking(per_venue, &names(c, "venues").await?);
    let mut month = range.from.with_day(1).unwrap_or(range.from);
    for u in per_month {
        s.per_month.push(MonthUses {
            month: month.format("%Y-%m").to_string(),
            uses: u.uses,
            adults: u.adults,
            children: u.children,
        });
        month = month.checked_add_months(chrono::Months::new(1)).unwrap_or(month);
    }
    let per_card = rows(
        c,
        &format!(
            "SELECT n, count(*) FROM (SELECT count(*) AS n FROM redemptions r JOIN cards c ON c.id = r.card_id \
             WHERE {filter} GROUP BY r.card_id) t GROUP BY n"
        ),
        &refs(&params),
    )
    .await?;
    for r in &per_card {
        let (uses, cards) = (count(r, 0)?, count(r, 1)?);
        match uses {
            0 => {}
            1 => s.frequency.once += cards,
            2 => s.frequency.twice += cards,
            3..=5 => s.frequency.three_to_five += cards,
            _ => s.frequency.more_than_five += cards,
        }
    }
    let f = s.frequency;
    s.cards_used = f.once + f.twice + f.three_to_five + f.more_than_five;
    if !matches!(scope, Scope::Venue(_)) {
        let mut params: Params = vec![Box::new(range.from), Box::new(range.to)];
        let cards_sql = card_filter(scope, 3, &mut params);
        let counts = rows(
            c,
            &format!(
                "SELECT c.distributor_id, count(*) FILTER (WHERE c.issued_on BETWEEN $1 AND $2), \
                 count(*) FILTER (WHERE c.issued_on <= $2 AND c.valid_until >= $1) \
                 FROM cards c WHERE {cards_sql} GROUP BY c.distributor_id"
            ),
            &refs(&params),
        )
        .await?;
        let counts: Vec<(u32, u64, u64)> =
            counts.iter().map(|r| Ok((id(r, 0)?, count(r, 1)?, count(r, 2)?))).collect::<StoreResult<_>>()?;
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
    let n = keys.len();
    let mut cells: BTreeMap<Vec<String>, (u64, u64)> = BTreeMap::new();
    for r in &rows(c, &sql, &refs(&params)).await? {
        let key = (0..n).map(|i| get::<String>(r, i)).collect::<StoreResult<Vec<_>>>()?;
        let cell = cells.entry(key).or_default();
        cell.0 += count(r, n)?;
        cell.1 += count(r, n + 1)?;
    }
    let cells = cells.into_iter().map(|(key, (cards, uses))| CellCounts { key, cards, uses }).collect();
    Ok(CrossTab { from: range.from, to: range.to, by: by.to_vec(), cells })
}
