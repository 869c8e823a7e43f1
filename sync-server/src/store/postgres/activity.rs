//! What has happened at venues and with a distributor's cards: each device's last sync and
//! count, a venue's uses of a period per offer, a distributor's year in counts. The uses are
//! read from the counters each upload writes (`batch`): a use taken back and its correction
//! are in none of them.

use chrono::{NaiveDate, TimeDelta};
use deadpool_postgres::GenericClient;
use kaiku_core::ids::{DeviceId, DistributorId, OfferId, VenueId};

use super::convert::{count, get, id, opt_id, parse};
use super::pool::{one, rows};
use crate::store::{CardCounts, DateRange, DeviceActivity, OfferUses, StoreResult, VenueUses};

/// The venue's devices, revoked ones included, each with its last upload and redemptions.
pub async fn device_activity(c: &impl GenericClient, venue: VenueId) -> StoreResult<Vec<DeviceActivity>> {
    let found = rows(
        c,
        "SELECT d.id, d.venue_id, d.label, d.enrolled_at, d.revoked_at IS NOT NULL, u.last_sync, \
         coalesce(u.uses, 0) FROM devices d LEFT JOIN device_uses u ON u.device_id = d.id \
         WHERE d.venue_id = $1 ORDER BY d.id",
        &[&i64::from(venue.0)],
    )
    .await?;
    found
        .iter()
        .map(|r| {
            Ok(DeviceActivity {
                id: DeviceId(id(r, 0)?),
                venue: VenueId(id(r, 1)?),
                label: get(r, 2)?,
                enrolled_at: get(r, 3)?,
                revoked: get(r, 4)?,
                last_sync: get(r, 5)?,
                redemptions: count(r, 6)?,
            })
        })
        .collect()
}

/// The venue's uses scanned on a day of the range, per offer (then scans naming none).
pub async fn venue_uses(c: &impl GenericClient, venue: VenueId, range: DateRange) -> StoreResult<VenueUses> {
    let found = rows(
        c,
        // Offer 0 is "none" (offer ids start at 1).
        "SELECT nullif(u.offer_id, 0), o.name, u.offer, coalesce(o.closed_at IS NOT NULL, false), \
         sum(u.uses)::bigint, sum(u.adults)::bigint, sum(u.children)::bigint, sum(u.course_places)::bigint, \
         sum(u.community_uses)::bigint \
         FROM venue_day_uses u LEFT JOIN offers o ON o.id = u.offer_id AND o.venue_id = u.venue_id \
         WHERE u.venue_id = $1 AND u.day BETWEEN $2 AND $3 \
         GROUP BY u.offer_id, u.offer, o.name, o.closed_at HAVING sum(u.uses) > 0 \
         ORDER BY u.offer_id = 0, u.offer_id, u.offer",
        &[&i64::from(venue.0), &range.from, &range.to],
    )
    .await?;
    let offers: Vec<OfferUses> = found
        .iter()
        .map(|r| {
            Ok(OfferUses {
                offer: opt_id(r, 0)?.map(OfferId),
                name: get(r, 1)?,
                kind: parse(get::<&str>(r, 2)?)?,
                closed: get(r, 3)?,
                uses: count(r, 4)?,
                adults: count(r, 5)?,
                children: count(r, 6)?,
                course_places: count(r, 7)?,
                community_uses: count(r, 8)?,
            })
        })
        .collect::<StoreResult<_>>()?;
    let sum = |f: fn(&OfferUses) -> u64| offers.iter().map(f).sum();
    Ok(VenueUses {
        venue,
        from: range.from,
        to: range.to,
        uses: sum(|o| o.uses),
        adults: sum(|o| o.adults),
        children: sum(|o| o.children),
        course_places: sum(|o| o.course_places),
        community_uses: sum(|o| o.community_uses),
        offers,
    })
}

/// The distributor's cards: handed out and revoked in `year`, active and expiring within 30
/// days as of `today`.
pub async fn card_counts(
    c: &impl GenericClient,
    distributor: DistributorId,
    year: i32,
    today: NaiveDate,
) -> StoreResult<CardCounts> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let soon = today + TimeDelta::days(30);
    let r = one(
        c,
        "SELECT count(*) FILTER (WHERE issued_on BETWEEN $2 AND $3), \
         count(*) FILTER (WHERE status = 'active' AND issued_on <= $4 AND valid_until >= $4), \
         count(*) FILTER (WHERE status = 'revoked' AND revoked_on BETWEEN $2 AND $3), \
         count(*) FILTER (WHERE status = 'active' AND valid_until BETWEEN $4 AND $5) \
         FROM cards WHERE distributor_id = $1",
        &[&i64::from(distributor.0), &first, &last, &today, &soon],
    )
    .await?;
    Ok(CardCounts {
        distributor,
        year,
        handed_out: count(&r, 0)?,
        active: count(&r, 1)?,
        revoked: count(&r, 2)?,
        expiring_soon: count(&r, 3)?,
    })
}
