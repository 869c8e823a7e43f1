//! Listings for the staff console: a card search, regions, distributors, venues and users.

use chrono::NaiveDate;
use deadpool_postgres::GenericClient;
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use tokio_postgres::types::ToSql;

use super::cards::{CARD_COLUMNS, background_from_row, card_from_row, situations_of};
use super::convert::{Params, count, get, id, opt_id, refs};
use super::pool::{one, rows};
use crate::stats::Scope;
use crate::store::{
    CardPage, CardRecord, CardSearch, CardState, DistributorEntry, Listed, PageRequest, RegionEntry, StoreResult,
    UserEntry, VenueEntry,
};

/// WHERE conditions (joined by AND) and their parameters, numbered as they are pushed.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    params: Params,
}

impl Conditions {
    /// Adds `sql`, in which each `?` stands for the next of `values`.
    fn push<const N: usize>(&mut self, sql: &str, values: [Box<dyn ToSql + Sync + Send>; N]) {
        let mut values = values.into_iter();
        let mut out = String::new();
        for part in sql.split_inclusive('?') {
            match part.strip_suffix('?') {
                Some(head) => {
                    out.push_str(head);
                    self.params.extend(values.next());
                    out.push_str(&format!("${}", self.params.len()));
                }
                None => out.push_str(part),
            }
        }
        self.sql.push(out);
    }

    fn clause(&self) -> String {
        if self.sql.is_empty() { "true".to_owned() } else { self.sql.join(" AND ") }
    }
}

fn int(n: u32) -> Box<dyn ToSql + Sync + Send> {
    Box::new(i64::from(n))
}

fn date(d: NaiveDate) -> Box<dyn ToSql + Sync + Send> {
    Box::new(d)
}

fn card_conditions(q: &CardSearch) -> Conditions {
    let mut c = Conditions::default();
    match q.scope {
        Scope::All => {}
        Scope::Region(r) => c.push("region_id = ?", [int(r.0)]),
        Scope::Distributor(d) => c.push("distributor_id = ?", [int(d.0)]),
        // Venues see no card listing; the handler refuses them before this.
        Scope::Venue(_) => c.push("false", []),
    }
    if let Some(d) = q.distributor {
        c.push("distributor_id = ?", [int(d.0)]);
    }
    if let Some(id) = &q.id {
        c.push("id = ?", [Box::new(id.clone())]);
    }
    if let Some(prefix) = &q.id_prefix {
        // A range on the primary key (byte order), so the prefix is found through it.
        c.push("id >= ? AND id < ?", [Box::new(prefix.clone()), Box::new(format!("{prefix}\u{10FFFF}"))]);
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

pub async fn search_cards(c: &impl GenericClient, q: &CardSearch) -> StoreResult<CardPage> {
    let mut cond = card_conditions(q);
    let total =
        count(&one(c, &format!("SELECT count(*) FROM cards WHERE {}", cond.clause()), &refs(&cond.params)).await?, 0)?;
    if let Some(after) = &q.after {
        cond.push("id > ?", [Box::new(after.clone())]);
    }
    cond.params.push(int(q.limit));
    let sql =
        format!("SELECT {CARD_COLUMNS} FROM cards WHERE {} ORDER BY id LIMIT ${}", cond.clause(), cond.params.len());
    let found = rows(c, &sql, &refs(&cond.params)).await?;
    let ids: Vec<String> = found.iter().map(|r| get(r, 0)).collect::<StoreResult<_>>()?;
    let mut situations = situations_of(c, &ids).await?;
    let cards = found
        .iter()
        .zip(&ids)
        .map(|(r, id)| {
            Ok(CardRecord {
                card: card_from_row(r)?,
                background: background_from_row(r, situations.remove(id).unwrap_or_default())?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(CardPage { cards, total })
}

pub async fn regions(c: &impl GenericClient, only: Option<RegionId>) -> StoreResult<Vec<RegionEntry>> {
    let only = only.map(|r| i64::from(r.0));
    rows(c, "SELECT id, name FROM regions WHERE $1::bigint IS NULL OR id = $1 ORDER BY id", &[&only])
        .await?
        .iter()
        .map(|r| Ok(RegionEntry { id: RegionId(id(r, 0)?), name: get(r, 1)? }))
        .collect()
}

/// Rows of `table` (`distributors` or `venues`) in `region` (all when `None`), a page of them:
/// id, region and name.
async fn page_of(
    c: &impl GenericClient,
    table: &str,
    region: Option<RegionId>,
    page: PageRequest,
) -> StoreResult<(Vec<(u32, Option<u32>, String)>, u64)> {
    let filter = "$1::bigint IS NULL OR region_id = $1";
    let region = region.map(|r| i64::from(r.0));
    let total = count(&one(c, &format!("SELECT count(*) FROM {table} WHERE {filter}"), &[&region]).await?, 0)?;
    let sql = format!("SELECT id, region_id, name FROM {table} WHERE {filter} ORDER BY id LIMIT $2 OFFSET $3");
    let items = rows(c, &sql, &[&region, &i64::from(page.limit), &i64::from(page.offset)])
        .await?
        .iter()
        .map(|r| Ok((id(r, 0)?, opt_id(r, 1)?, get(r, 2)?)))
        .collect::<StoreResult<_>>()?;
    Ok((items, total))
}

pub async fn distributors(
    c: &impl GenericClient,
    region: Option<RegionId>,
    page: PageRequest,
) -> StoreResult<Listed<DistributorEntry>> {
    let (items, total) = page_of(c, "distributors", region, page).await?;
    let items = items
        .into_iter()
        .map(|(id, region, name)| DistributorEntry {
            id: DistributorId(id),
            region: RegionId(region.unwrap_or_default()),
            name,
        })
        .collect();
    Ok(Listed { items, total })
}

pub async fn venues(
    c: &impl GenericClient,
    region: Option<RegionId>,
    page: PageRequest,
) -> StoreResult<Listed<VenueEntry>> {
    let (items, total) = page_of(c, "venues", region, page).await?;
    let items = items
        .into_iter()
        .map(|(id, region, name)| VenueEntry { id: VenueId(id), region: region.map(RegionId), name })
        .collect();
    Ok(Listed { items, total })
}

/// Users of every role, or (with `region`) the distributor and venue users of that region.
const USERS_IN: &str = "($1::bigint IS NULL OR (u.role = 'distributor' AND u.scope_id IN \
     (SELECT id FROM distributors WHERE region_id = $1)) OR (u.role = 'venue' AND u.scope_id IN \
     (SELECT id FROM venues WHERE region_id = $1)))";

pub async fn users(
    c: &impl GenericClient,
    region: Option<RegionId>,
    page: PageRequest,
) -> StoreResult<Listed<UserEntry>> {
    let region = region.map(|r| i64::from(r.0));
    let total = count(&one(c, &format!("SELECT count(*) FROM users u WHERE {USERS_IN}"), &[&region]).await?, 0)?;
    let sql = format!(
        "SELECT u.id, u.role, u.scope_id, u.label, u.username, u.password_hash IS NOT NULL, \
         u.revoked_at IS NOT NULL FROM users u WHERE {USERS_IN} ORDER BY u.id LIMIT $2 OFFSET $3"
    );
    let mut items = Vec::new();
    for r in &rows(c, &sql, &[&region, &i64::from(page.limit), &i64::from(page.offset)]).await? {
        let (has_password, revoked): (bool, bool) = (get(r, 5)?, get(r, 6)?);
        // A row whose role cannot be read is left out rather than failing the whole listing.
        if let Some(role) = super::orgs::role_from(get(r, 1)?, opt_id(r, 2)?) {
            items.push(UserEntry {
                id: get(r, 0)?,
                role,
                label: get(r, 3)?,
                username: get(r, 4)?,
                can_sign_in: has_password && !revoked,
                revoked,
            });
        }
    }
    Ok(Listed { items, total })
}
