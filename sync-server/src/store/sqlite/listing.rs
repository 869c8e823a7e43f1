//! Listings for the staff console: a card search, regions, distributors, venues and users.

use std::collections::HashMap;

use kaiku_core::background::LifeSituation;
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::cards::{CARD_COLUMNS, background_from_row, card_from_row};
use super::convert::parse;
use crate::stats::Scope;
use crate::store::{
    CardPage, CardRecord, CardSearch, CardState, DistributorEntry, Listed, PageRequest, RegionEntry, StoreResult,
    UserEntry, VenueEntry,
};

/// WHERE conditions (joined by AND) and their parameters, numbered as they are pushed.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    params: Vec<Value>,
}

impl Conditions {
    /// Adds `sql`, in which each `?` stands for the next of `values`.
    fn push<const N: usize>(&mut self, sql: &str, values: [Value; N]) {
        let mut values = values.into_iter();
        let mut out = String::new();
        for part in sql.split_inclusive('?') {
            out.push_str(part);
            if part.ends_with('?') {
                self.params.extend(values.next());
                out.push_str(&self.params.len().to_string());
            }
        }
        self.sql.push(out);
    }

    fn clause(&self) -> String {
        if self.sql.is_empty() { "1 = 1".to_owned() } else { self.sql.join(" AND ") }
    }
}

fn int(n: u32) -> Value {
    Value::Integer(i64::from(n))
}

fn date(d: chrono::NaiveDate) -> Value {
    Value::Text(d.to_string())
}

fn card_conditions(q: &CardSearch) -> Conditions {
    let mut c = Conditions::default();
    match q.scope {
        Scope::All => {}
        Scope::Region(r) => c.push("region_id = ?", [int(r.0)]),
        Scope::Distributor(d) => c.push("distributor_id = ?", [int(d.0)]),
        // Venues see no card listing; the handler refuses them before this.
        Scope::Venue(_) => c.push("0 = 1", []),
    }
    if let Some(d) = q.distributor {
        c.push("distributor_id = ?", [int(d.0)]);
    }
    if let Some(id) = &q.id {
        c.push("id = ?", [Value::Text(id.clone())]);
    }
    if let Some(prefix) = &q.id_prefix {
        // A range on the primary key, so the prefix is found through it (LIKE would scan).
        c.push("id >= ? AND id < ?", [Value::Text(prefix.clone()), Value::Text(format!("{prefix}\u{10FFFF}"))]);
    }
    // As the card stood on that day: a revocation after it does not count yet.
    let not_revoked = "(status = 'active' OR revoked_on > ?)";
    match q.state {
        Some(CardState::Active) => c.push(
            &format!("issued_on <= ? AND valid_until >= ? AND {not_revoked}"),
            [date(q.on), date(q.on), date(q.on)],
        ),
        Some(CardState::Revoked) => c.push("status = 'revoked' AND revoked_on <= ?", [date(q.on)]),
        Some(CardState::Expired) => c.push(&format!("valid_until < ? AND {not_revoked}"), [date(q.on), date(q.on)]),
        None => {}
    }
    if let Some(day) = q.valid_on {
        c.push(
            "issued_on <= ? AND valid_until >= ? AND (status = 'active' OR revoked_on > ?)",
            [date(day), date(day), date(day)],
        );
    }
    if let Some(day) = q.expires_before {
        c.push("valid_until < ?", [date(day)]);
    }
    c
}

pub fn search_cards(conn: &Connection, q: &CardSearch) -> StoreResult<CardPage> {
    let mut c = card_conditions(q);
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM cards WHERE {}", c.clause()),
        params_from_iter(&c.params),
        |r| r.get(0),
    )?;
    if let Some(after) = &q.after {
        c.push("id > ?", [Value::Text(after.clone())]);
    }
    c.params.push(int(q.limit));
    let sql = format!("SELECT {CARD_COLUMNS} FROM cards WHERE {} ORDER BY id LIMIT ?{}", c.clause(), c.params.len());
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(&c.params), |r| {
        let card = card_from_row(r)?;
        // Background is read with no life situations first; they are filled in below.
        Ok(CardRecord { card, background: background_from_row(r, Vec::new())? })
    })?;
    let mut cards = rows.collect::<Result<Vec<_>, _>>()?;
    fill_situations(conn, &mut cards)?;
    Ok(CardPage { cards, total: u64::try_from(total).unwrap_or(0) })
}

/// The life situations of the page's cards, in one query.
fn fill_situations(conn: &Connection, cards: &mut [CardRecord]) -> StoreResult<()> {
    if cards.is_empty() {
        return Ok(());
    }
    let ids: Vec<Value> = cards.iter().map(|c| Value::Text(c.card.id.to_string())).collect();
    let marks = vec!["?"; ids.len()].join(", ");
    let mut stmt = conn.prepare(&format!(
        "SELECT card_id, situation FROM card_life_situations WHERE card_id IN ({marks}) ORDER BY card_id, situation"
    ))?;
    let mut by_card: HashMap<String, Vec<LifeSituation>> = HashMap::new();
    let rows = stmt.query_map(params_from_iter(&ids), |r| {
        Ok((r.get::<_, String>(0)?, parse::<LifeSituation>(&r.get::<_, String>(1)?, 1)?))
    })?;
    for row in rows {
        let (card, situation) = row?;
        by_card.entry(card).or_default().push(situation);
    }
    for record in cards {
        if let (Some(b), Some(s)) = (record.background.as_mut(), by_card.remove(&record.card.id.to_string())) {
            b.life_situations = s;
        }
    }
    Ok(())
}

pub fn regions(conn: &Connection, only: Option<RegionId>) -> StoreResult<Vec<RegionEntry>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM regions WHERE ?1 IS NULL OR id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([only.map(|r| r.0)], |r| Ok(RegionEntry { id: RegionId(r.get(0)?), name: r.get(1)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Rows of `table` (`distributors` or `venues`) in `region` (all when `None`), a page of them.
fn page_of<T>(
    conn: &Connection,
    table: &str,
    region: Option<RegionId>,
    page: PageRequest,
    row: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Listed<T>> {
    let filter = "?1 IS NULL OR region_id = ?1";
    let region = region.map(|r| r.0);
    let total: i64 = conn.query_row(&format!("SELECT count(*) FROM {table} WHERE {filter}"), [region], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, region_id, name FROM {table} WHERE {filter} ORDER BY id LIMIT ?2 OFFSET ?3"
    ))?;
    let items =
        stmt.query_map(rusqlite::params![region, page.limit, page.offset], row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(Listed { items, total: u64::try_from(total).unwrap_or(0) })
}

pub fn distributors(
    conn: &Connection,
    region: Option<RegionId>,
    page: PageRequest,
) -> StoreResult<Listed<DistributorEntry>> {
    page_of(conn, "distributors", region, page, |r| {
        Ok(DistributorEntry { id: DistributorId(r.get(0)?), region: RegionId(r.get(1)?), name: r.get(2)? })
    })
}

pub fn venues(conn: &Connection, region: Option<RegionId>, page: PageRequest) -> StoreResult<Listed<VenueEntry>> {
    page_of(conn, "venues", region, page, |r| {
        Ok(VenueEntry { id: VenueId(r.get(0)?), region: r.get::<_, Option<u32>>(1)?.map(RegionId), name: r.get(2)? })
    })
}

/// Users of every role, or (with `region`) the distributor and venue users of that region.
const USERS_IN: &str = "(?1 IS NULL OR (u.role = 'distributor' AND u.scope_id IN \
     (SELECT id FROM distributors WHERE region_id = ?1)) OR (u.role = 'venue' AND u.scope_id IN \
     (SELECT id FROM venues WHERE region_id = ?1)))";

pub fn users(conn: &Connection, region: Option<RegionId>, page: PageRequest) -> StoreResult<Listed<UserEntry>> {
    let region = region.map(|r| r.0);
    let total: i64 =
        conn.query_row(&format!("SELECT count(*) FROM users u WHERE {USERS_IN}"), [region], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT u.id, u.role, u.scope_id, u.label, u.username, u.password_hash IS NOT NULL, \
         u.revoked_at IS NOT NULL FROM users u WHERE {USERS_IN} ORDER BY u.id LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt.query_map(rusqlite::params![region, page.limit, page.offset], |r| {
        let (name, scope): (String, Option<u32>) = (r.get(1)?, r.get(2)?);
        let (has_password, revoked): (bool, bool) = (r.get(5)?, r.get(6)?);
        let (id, label, username) = (r.get(0)?, r.get(3)?, r.get(4)?);
        Ok(super::orgs::role_from(&name, scope).map(|role| UserEntry {
            id,
            role,
            label,
            username,
            can_sign_in: has_password && !revoked,
            revoked,
        }))
    })?;
    // A row whose role cannot be read is left out rather than failing the whole listing.
    let items = rows.collect::<Result<Vec<_>, _>>()?.into_iter().flatten().collect();
    Ok(Listed { items, total: u64::try_from(total).unwrap_or(0) })
}
