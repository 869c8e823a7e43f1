//! Offers as the console manages them: listed with their state, edited, closed. Closing keeps
//! the row, so redemptions that name a closed offer still count.

use chrono::{DateTime, Utc};
use kaiku_core::ids::{OfferId, VenueId};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::convert::{parse, text};
use crate::store::{NewOffer, OfferEntry, StoreError, StoreResult};

pub(super) const OFFER_COLUMNS: &str = "id, venue_id, name, kind, place_limit, closed_at";

pub(super) fn offer_from_row(r: &Row<'_>) -> rusqlite::Result<OfferEntry> {
    Ok(OfferEntry {
        id: OfferId(r.get(0)?),
        venue: VenueId(r.get(1)?),
        name: r.get(2)?,
        kind: parse(&r.get::<_, String>(3)?, 3)?,
        limit: r.get(4)?,
        closed_at: r.get(5)?,
    })
}

/// Every offer of the venue, closed ones included, in id order.
pub fn venue_offers(conn: &Connection, venue: VenueId) -> StoreResult<Vec<OfferEntry>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {OFFER_COLUMNS} FROM offers WHERE venue_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([venue.0], offer_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn offer(conn: &Connection, id: OfferId) -> StoreResult<Option<OfferEntry>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {OFFER_COLUMNS} FROM offers WHERE id = ?1"))?;
    Ok(stmt.query_row([id.0], offer_from_row).optional()?)
}

/// Changes an open offer's name, kind and limit; `NotFound` if there is no such offer,
/// `Conflict` if it is closed.
pub fn update_offer(conn: &mut Connection, id: OfferId, change: &NewOffer) -> StoreResult<OfferEntry> {
    let tx = conn.transaction()?;
    let n = tx.execute(
        "UPDATE offers SET name = ?2, kind = ?3, place_limit = ?4 WHERE id = ?1 AND closed_at IS NULL",
        params![id.0, change.name, text(&change.kind), change.limit],
    )?;
    let after = offer(&tx, id)?.ok_or_else(|| StoreError::NotFound(format!("no offer {id}")))?;
    if n == 0 {
        return Err(StoreError::Conflict(format!("offer {id} is closed: add a new offer instead")));
    }
    tx.commit()?;
    Ok(after)
}

/// Closes an open offer at `now`; `NotFound` if there is no such offer, `Conflict` if it was
/// closed already.
pub fn close_offer(conn: &mut Connection, id: OfferId, now: DateTime<Utc>) -> StoreResult<OfferEntry> {
    let tx = conn.transaction()?;
    let n = tx.execute("UPDATE offers SET closed_at = ?2 WHERE id = ?1 AND closed_at IS NULL", params![id.0, now])?;
    let after = offer(&tx, id)?.ok_or_else(|| StoreError::NotFound(format!("no offer {id}")))?;
    if n == 0 {
        return Err(StoreError::Conflict(format!("offer {id} was closed already")));
    }
    tx.commit()?;
    Ok(after)
}
