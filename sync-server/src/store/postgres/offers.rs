//! Offers as the console manages them: listed with their state, edited, closed. Closing keeps
//! the row, so redemptions that name a closed offer still count.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient};
use kaiku_core::ids::{OfferId, VenueId};
use tokio_postgres::Row;

use super::convert::{get, id, opt_id, parse, text};
use super::pool::{exec, row, rows};
use crate::store::{NewOffer, OfferEntry, StoreError, StoreResult};

pub(super) const OFFER_COLUMNS: &str = "id, venue_id, name, kind, place_limit, closed_at";

pub(super) fn offer_from_row(r: &Row) -> StoreResult<OfferEntry> {
    Ok(OfferEntry {
        id: OfferId(id(r, 0)?),
        venue: VenueId(id(r, 1)?),
        name: get(r, 2)?,
        kind: parse(get::<&str>(r, 3)?)?,
        limit: opt_id(r, 4)?,
        closed_at: get(r, 5)?,
    })
}

/// Every offer of the venue, closed ones included, in id order.
pub async fn venue_offers(c: &impl GenericClient, venue: VenueId) -> StoreResult<Vec<OfferEntry>> {
    let sql = format!("SELECT {OFFER_COLUMNS} FROM offers WHERE venue_id = $1 ORDER BY id");
    rows(c, &sql, &[&i64::from(venue.0)]).await?.iter().map(offer_from_row).collect()
}

pub async fn offer(c: &impl GenericClient, offer: OfferId) -> StoreResult<Option<OfferEntry>> {
    let sql = format!("SELECT {OFFER_COLUMNS} FROM offers WHERE id = $1");
    row(c, &sql, &[&i64::from(offer.0)]).await?.as_ref().map(offer_from_row).transpose()
}

/// Changes an open offer's name, kind and limit; `NotFound` if there is no such offer,
/// `Conflict` if it is closed.
pub async fn update_offer(c: &mut Client, id: OfferId, change: &NewOffer) -> StoreResult<OfferEntry> {
    let tx = c.transaction().await?;
    let n = exec(
        &tx,
        "UPDATE offers SET name = $2, kind = $3, place_limit = $4 WHERE id = $1 AND closed_at IS NULL",
        &[&i64::from(id.0), &change.name, &text(&change.kind), &change.limit.map(i64::from)],
    )
    .await?;
    let after = offer(&tx, id).await?.ok_or_else(|| StoreError::NotFound(format!("no offer {id}")))?;
    if n == 0 {
        return Err(StoreError::Conflict(format!("offer {id} is closed: add a new offer instead")));
    }
    tx.commit().await?;
    Ok(after)
}

/// Closes an open offer at `now`; `NotFound` if there is no such offer, `Conflict` if it was
/// closed already.
pub async fn close_offer(c: &mut Client, id: OfferId, now: DateTime<Utc>) -> StoreResult<OfferEntry> {
    let tx = c.transaction().await?;
    let n =
        exec(&tx, "UPDATE offers SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL", &[&i64::from(id.0), &now])
            .await?;
    let after = offer(&tx, id).await?.ok_or_else(|| StoreError::NotFound(format!("no offer {id}")))?;
    if n == 0 {
        return Err(StoreError::Conflict(format!("offer {id} was closed already")));
    }
    tx.commit().await?;
    Ok(after)
}
