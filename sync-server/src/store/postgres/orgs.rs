//! Regions, distributors, venues, offers and user accounts.

use deadpool_postgres::GenericClient;
use kaiku_core::ids::{DistributorId, OfferId, RegionId, VenueId};
use kaiku_core::wire::Offer;

use super::convert::{get, id, opt_id, parse, text};
use super::pool::{exec, one, row, rows};
use crate::store::{DistributorInfo, NewOffer, Role, StoreResult, UserRecord, VenueInfo};

pub async fn create_region(c: &impl GenericClient, name: &str) -> StoreResult<RegionId> {
    let r = one(c, "INSERT INTO regions (name) VALUES ($1) RETURNING id", &[&name]).await?;
    Ok(RegionId(id(&r, 0)?))
}

pub async fn region(c: &impl GenericClient, region: RegionId) -> StoreResult<Option<String>> {
    let r = row(c, "SELECT name FROM regions WHERE id = $1", &[&i64::from(region.0)]).await?;
    r.map(|r| get(&r, 0)).transpose()
}

pub async fn create_distributor(c: &impl GenericClient, region: RegionId, name: &str) -> StoreResult<DistributorId> {
    let r = one(
        c,
        "INSERT INTO distributors (region_id, name) VALUES ($1, $2) RETURNING id",
        &[&i64::from(region.0), &name],
    )
    .await?;
    Ok(DistributorId(id(&r, 0)?))
}

pub async fn create_venue(c: &impl GenericClient, region: Option<RegionId>, name: &str) -> StoreResult<VenueId> {
    let region = region.map(|r| i64::from(r.0));
    let r = one(c, "INSERT INTO venues (region_id, name) VALUES ($1, $2) RETURNING id", &[&region, &name]).await?;
    Ok(VenueId(id(&r, 0)?))
}

pub async fn distributor(c: &impl GenericClient, d: DistributorId) -> StoreResult<Option<DistributorInfo>> {
    let Some(r) = row(c, "SELECT region_id, name FROM distributors WHERE id = $1", &[&i64::from(d.0)]).await? else {
        return Ok(None);
    };
    Ok(Some(DistributorInfo { id: d, region: RegionId(id(&r, 0)?), name: get(&r, 1)? }))
}

pub async fn venue(c: &impl GenericClient, v: VenueId) -> StoreResult<Option<VenueInfo>> {
    let Some(r) = row(c, "SELECT region_id, name FROM venues WHERE id = $1", &[&i64::from(v.0)]).await? else {
        return Ok(None);
    };
    Ok(Some(VenueInfo { id: v, region: opt_id(&r, 0)?.map(RegionId), name: get(&r, 1)? }))
}

pub async fn create_offer(c: &impl GenericClient, venue: VenueId, offer: &NewOffer) -> StoreResult<OfferId> {
    let r = one(
        c,
        "INSERT INTO offers (venue_id, name, kind, place_limit) VALUES ($1, $2, $3, $4) RETURNING id",
        &[&i64::from(venue.0), &offer.name, &text(&offer.kind), &offer.limit.map(i64::from)],
    )
    .await?;
    Ok(OfferId(id(&r, 0)?))
}

pub async fn offers(c: &impl GenericClient, venue: VenueId) -> StoreResult<Vec<Offer>> {
    // Open offers only: these are what scanners may book; closed ones stay for the figures.
    let found = rows(
        c,
        "SELECT id, name, kind, place_limit FROM offers WHERE venue_id = $1 AND closed_at IS NULL ORDER BY id",
        &[&i64::from(venue.0)],
    )
    .await?;
    found
        .iter()
        .map(|r| {
            Ok(Offer {
                id: OfferId(id(r, 0)?),
                name: get(r, 1)?,
                kind: parse(get::<&str>(r, 2)?)?,
                limit: opt_id(r, 3)?,
            })
        })
        .collect()
}

fn role_columns(role: Role) -> (&'static str, Option<i64>) {
    match role {
        Role::Admin => ("admin", None),
        Role::Coordinator(r) => ("coordinator", Some(r.0.into())),
        Role::Distributor(d) => ("distributor", Some(d.0.into())),
        Role::Venue(v) => ("venue", Some(v.0.into())),
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

pub async fn create_user(c: &impl GenericClient, role: Role, label: &str, secret_hash: &[u8]) -> StoreResult<i64> {
    let (name, scope) = role_columns(role);
    let r = one(
        c,
        "INSERT INTO users (role, scope_id, label, secret_hash) VALUES ($1, $2, $3, $4) RETURNING id",
        &[&name, &scope, &label, &secret_hash],
    )
    .await?;
    get(&r, 0)
}

pub async fn user(c: &impl GenericClient, user: i64) -> StoreResult<Option<UserRecord>> {
    let found =
        row(c, "SELECT role, scope_id, label, secret_hash, revoked_at IS NOT NULL FROM users WHERE id = $1", &[&user])
            .await?;
    let Some(r) = found else { return Ok(None) };
    let role = role_from(get(&r, 0)?, opt_id(&r, 1)?);
    role.map(|role| -> StoreResult<UserRecord> {
        Ok(UserRecord { id: user, role, label: get(&r, 2)?, secret_hash: get(&r, 3)?, revoked: get(&r, 4)? })
    })
    .transpose()
}

pub async fn revoke_user(c: &impl GenericClient, user: i64) -> StoreResult<bool> {
    let n = exec(c, "UPDATE users SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL", &[&user]).await?;
    Ok(n == 1)
}
