//! Regions, distributors, venues, offers and user accounts.

use kaiku_core::ids::{DistributorId, OfferId, RegionId, VenueId};
use kaiku_core::wire::Offer;
use rusqlite::{Connection, OptionalExtension, params};

use super::convert::{parse, text};
use crate::store::{DistributorInfo, NewOffer, Role, StoreResult, UserRecord, VenueInfo};

fn new_id(conn: &Connection) -> u32 {
    u32::try_from(conn.last_insert_rowid()).unwrap_or(u32::MAX)
}

pub fn create_region(conn: &Connection, name: &str) -> StoreResult<RegionId> {
    conn.execute("INSERT INTO regions (name) VALUES (?1)", [name])?;
    Ok(RegionId(new_id(conn)))
}

pub fn region(conn: &Connection, id: RegionId) -> StoreResult<Option<String>> {
    Ok(conn.query_row("SELECT name FROM regions WHERE id = ?1", [id.0], |r| r.get(0)).optional()?)
}

pub fn create_distributor(conn: &Connection, region: RegionId, name: &str) -> StoreResult<DistributorId> {
    conn.execute("INSERT INTO distributors (region_id, name) VALUES (?1, ?2)", params![region.0, name])?;
    Ok(DistributorId(new_id(conn)))
}

pub fn create_venue(conn: &Connection, region: Option<RegionId>, name: &str) -> StoreResult<VenueId> {
    conn.execute("INSERT INTO venues (region_id, name) VALUES (?1, ?2)", params![region.map(|r| r.0), name])?;
    Ok(VenueId(new_id(conn)))
}

pub fn distributor(conn: &Connection, id: DistributorId) -> StoreResult<Option<DistributorInfo>> {
    let row = conn
        .query_row("SELECT region_id, name FROM distributors WHERE id = ?1", [id.0], |r| {
            Ok(DistributorInfo { id, region: RegionId(r.get(0)?), name: r.get(1)? })
        })
        .optional()?;
    Ok(row)
}

pub fn venue(conn: &Connection, id: VenueId) -> StoreResult<Option<VenueInfo>> {
    let row = conn
        .query_row("SELECT region_id, name FROM venues WHERE id = ?1", [id.0], |r| {
            Ok(VenueInfo { id, region: r.get::<_, Option<u32>>(0)?.map(RegionId), name: r.get(1)? })
        })
        .optional()?;
    Ok(row)
}

pub fn create_offer(conn: &Connection, venue: VenueId, offer: &NewOffer) -> StoreResult<OfferId> {
    conn.execute(
        "INSERT INTO offers (venue_id, name, kind, place_limit) VALUES (?1, ?2, ?3, ?4)",
        params![venue.0, offer.name, text(&offer.kind), offer.limit],
    )?;
    Ok(OfferId(new_id(conn)))
}

pub fn offers(conn: &Connection, venue: VenueId) -> StoreResult<Vec<Offer>> {
    // Open offers only: these are what scanners may book; closed ones stay for the figures.
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, kind, place_limit FROM offers WHERE venue_id = ?1 AND closed_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([venue.0], |r| {
        Ok(Offer {
            id: OfferId(r.get(0)?),
            name: r.get(1)?,
            kind: parse(&r.get::<_, String>(2)?, 2)?,
            limit: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn role_columns(role: Role) -> (&'static str, Option<u32>) {
    match role {
        Role::Admin => ("admin", None),
        Role::Coordinator(r) => ("coordinator", Some(r.0)),
        Role::Distributor(d) => ("distributor", Some(d.0)),
        Role::Venue(v) => ("venue", Some(v.0)),
    }
}

pub(super) fn role_from(name: &str, scope: Option<u32>) -> Option<Role> {
    match (name, scope) {
        ("admin", _) => Some(Role::Admin),
        ("coordinator", Some(s)) => Some(Role::Coordinator(RegionId(s))),
        ("distributor", Some(s)) => Some(Role::Distributor(DistributorId(s))),
        ("venue", Some(s)) => Some(Role::Venue(VenueId(s))),
        _ => None,
    }
}

pub fn create_user(conn: &Connection, role: Role, label: &str, secret_hash: &[u8]) -> StoreResult<i64> {
    let (name, scope) = role_columns(role);
    conn.execute(
        "INSERT INTO users (role, scope_id, label, secret_hash) VALUES (?1, ?2, ?3, ?4)",
        params![name, scope, label, secret_hash],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn user(conn: &Connection, id: i64) -> StoreResult<Option<UserRecord>> {
    let row = conn
        .query_row(
            "SELECT role, scope_id, label, secret_hash, revoked_at IS NOT NULL FROM users WHERE id = ?1",
            [id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<u32>>(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    Ok(row.and_then(|(name, scope, label, secret_hash, revoked)| {
        role_from(&name, scope).map(|role| UserRecord { id, role, label, secret_hash, revoked })
    }))
}

pub fn revoke_user(conn: &Connection, id: i64) -> StoreResult<bool> {
    let n = conn.execute(
        "UPDATE users SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ') WHERE id = ?1 AND revoked_at IS NULL",
        [id],
    )?;
    Ok(n == 1)
}
