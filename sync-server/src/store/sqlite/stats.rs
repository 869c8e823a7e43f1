//! Statistics queries. Scopes become SQL filters; small cells are suppressed in `crate::stats`.

use chrono::Datelike;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use crate::stats::{
    CrossTab, Dimension, Frequency, Ranked, Scope, Statistics, UseCounts, age_band_sql, cell, suppress_complements,
};
use crate::store::{DateRange, StoreResult};

/// A WHERE fragment over redemptions `r` (joined to cards `c`) and its parameters.
struct Filter {
    uses: String,
    cards: Option<String>,
    params: Vec<Value>,
}

fn filter(scope: Scope, range: DateRange) -> Filter {
    let (from, to) = (Value::Text(range.from.to_string()), Value::Text(range.to.to_string()));
    let (uses, cards, scope_param) = match scope {
        Scope::All => ("1 = 1", Some("1 = 1"), None),
        Scope::Region(r) => ("c.region_id = ?3", Some("c.region_id = ?3"), Some(r.0)),
        Scope::Distributor(d) => ("c.distributor_id = ?3", Some("c.distributor_id = ?3"), Some(d.0)),
        Scope::Venue(v) => ("r.venue_id = ?3", None, Some(v.0)),
    };
    let mut params = vec![from, to];
    params.extend(scope_param.map(|s| Value::Integer(i64::from(s))));
    Filter { uses: format!("r.scanned_on BETWEEN ?1 AND ?2 AND {uses}"), cards: cards.map(str::to_owned), params }
}

fn count(conn: &Connection, sql: &str, params: &[Value]) -> rusqlite::Result<u64> {
    conn.query_row(sql, params_from_iter(params), |r| r.get::<_, i64>(0)).map(|n| u64::try_from(n).unwrap_or(0))
}

fn ranked(conn: &Connection, sql: &str, params: &[Value]) -> rusqlite::Result<Vec<Ranked>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params_from_iter(params), |r| {
        Ok(Ranked { id: r.get(0)?, name: r.get(1)?, count: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0) })
    })?;
    rows.collect()
}

const FROM_USES: &str = "FROM redemptions r JOIN cards c ON c.id = r.card_id";

pub fn statistics(conn: &Connection, scope: Scope, range: DateRange) -> StoreResult<Statistics> {
    let f = filter(scope, range);
    let p = &f.params;
    let (cards_registered, cards_valid, per_distributor) = match &f.cards {
        Some(cf) => (
            Some(count(
                conn,
                &format!("SELECT count(*) FROM cards c WHERE c.issued_on BETWEEN ?1 AND ?2 AND {cf}"),
                p,
            )?),
            Some(count(
                conn,
                &format!("SELECT count(*) FROM cards c WHERE c.issued_on <= ?2 AND c.valid_until >= ?1 AND {cf}"),
                p,
            )?),
            ranked(
                conn,
                &format!(
                    "SELECT d.id, d.name, count(*) FROM cards c JOIN distributors d ON d.id = c.distributor_id \
                     WHERE c.issued_on BETWEEN ?1 AND ?2 AND {cf} GROUP BY d.id ORDER BY 3 DESC, d.id"
                ),
                p,
            )?,
        ),
        None => (None, None, Vec::new()),
    };
    let (all, community, course_places, cards_used) = conn.query_row(
        &format!(
            "SELECT count(*), coalesce(sum(r.adults), 0), coalesce(sum(r.children), 0), \
             coalesce(sum(r.community), 0), coalesce(sum(r.community * r.adults), 0), \
             coalesce(sum(r.community * r.children), 0), coalesce(sum(r.offer = 'course_place'), 0), \
             count(DISTINCT r.card_id) {FROM_USES} WHERE {}",
            f.uses
        ),
        params_from_iter(p),
        |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| u64::try_from(v).unwrap_or(0));
            Ok((
                UseCounts { uses: n(0)?, adults: n(1)?, children: n(2)? },
                UseCounts { uses: n(3)?, adults: n(4)?, children: n(5)? },
                n(6)?,
                n(7)?,
            ))
        },
    )?;
    let per_venue = ranked(
        conn,
        &format!(
            "SELECT v.id, v.name, count(*) {FROM_USES} JOIN venues v ON v.id = r.venue_id \
             WHERE {} GROUP BY v.id ORDER BY 3 DESC, v.id",
            f.uses
        ),
        p,
    )?;
    let frequency = conn.query_row(
        &format!(
            "SELECT coalesce(sum(n = 1), 0), coalesce(sum(n = 2), 0), coalesce(sum(n BETWEEN 3 AND 5), 0), \
             coalesce(sum(n > 5), 0) FROM (SELECT count(*) AS n {FROM_USES} WHERE {} GROUP BY r.card_id)",
            f.uses
        ),
        params_from_iter(p),
        |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| u64::try_from(v).unwrap_or(0));
            Ok(Frequency { once: n(0)?, twice: n(1)?, three_to_five: n(2)?, more_than_five: n(3)? })
        },
    )?;
    let usage_rate_percent =
        cards_valid.filter(|&v| v > 0).map(|v| ((cards_used.min(v) as f64) * 1000.0 / v as f64).round() / 10.0);
    Ok(Statistics {
        from: range.from,
        to: range.to,
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

pub fn cross_tab(conn: &Connection, scope: Scope, range: DateRange, by: &[Dimension]) -> StoreResult<CrossTab> {
    let f = filter(scope, range);
    let year = range.to.year();
    let keys: Vec<String> = by.iter().map(|d| dimension_sql(*d, year)).collect();
    let join = if by.contains(&Dimension::LifeSituation) {
        "LEFT JOIN card_life_situations ls ON ls.card_id = c.id"
    } else {
        ""
    };
    let group: Vec<String> = (1..=keys.len()).map(|i| i.to_string()).collect();
    let sql = format!(
        "SELECT {}, count(DISTINCT r.card_id), count(*) {FROM_USES} {join} \
         WHERE {} AND c.birth_year IS NOT NULL GROUP BY {} ORDER BY {}",
        keys.join(", "),
        f.uses,
        group.join(", "),
        group.join(", ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let n = keys.len();
    let rows = stmt.query_map(params_from_iter(&f.params), |r| {
        let key = (0..n).map(|i| r.get::<_, String>(i)).collect::<Result<Vec<_>, _>>()?;
        let cards = u64::try_from(r.get::<_, i64>(n)?).unwrap_or(0);
        let uses = u64::try_from(r.get::<_, i64>(n + 1)?).unwrap_or(0);
        Ok(cell(key, cards, uses))
    })?;
    let mut cells = rows.collect::<Result<Vec<_>, _>>()?;
    suppress_complements(&mut cells);
    Ok(CrossTab { from: range.from, to: range.to, by: by.to_vec(), min_cell: crate::stats::MIN_CELL, cells })
}
