//! What has happened at venues and with a distributor's cards: each device's last sync and
//! count, a venue's uses of a period per offer, a distributor's year in counts. The uses are
//! read from the projector's counters (`projector`): a use taken back and its correction are
//! in none of them.

use chrono::{NaiveDate, TimeDelta};
use kaiku_core::ids::{DeviceId, DistributorId, OfferId, VenueId};
use rusqlite::{Connection, params};

use super::convert::parse;
use super::stats_facts::day_number;
use crate::store::{CardCounts, DateRange, DeviceActivity, OfferUses, StoreResult, VenueUses};

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The venue's devices, revoked ones included, each with its last upload and redemptions.
pub fn device_activity(conn: &Connection, venue: VenueId) -> StoreResult<Vec<DeviceActivity>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.venue_id, d.label, d.enrolled_at, d.revoked_at IS NOT NULL, u.last_sync, \
         coalesce(u.uses, 0) FROM devices d LEFT JOIN device_uses u ON u.device_id = d.id \
         WHERE d.venue_id = ?1 ORDER BY d.id",
    )?;
    let rows = stmt.query_map([venue.0], |r| {
        Ok(DeviceActivity {
            id: DeviceId(r.get(0)?),
            venue: VenueId(r.get(1)?),
            label: r.get(2)?,
            enrolled_at: r.get(3)?,
            revoked: r.get(4)?,
            last_sync: r.get(5)?,
            redemptions: count(r.get(6)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The venue's uses scanned on a day of the range, per offer (then scans naming none).
pub fn venue_uses(conn: &Connection, venue: VenueId, range: DateRange) -> StoreResult<VenueUses> {
    // Offer 0 is "none" (offer ids start at 1).
    let mut stmt = conn.prepare_cached(
        "SELECT u.offer_id, o.name, u.offer, coalesce(o.closed_at IS NOT NULL, 0), sum(u.uses), sum(u.adults), \
         sum(u.children), sum(u.course_places), sum(u.community_uses) \
         FROM venue_day_uses u LEFT JOIN offers o ON o.id = u.offer_id AND o.venue_id = u.venue_id \
         WHERE u.venue_id = ?1 AND u.day BETWEEN ?2 AND ?3 \
         GROUP BY u.offer_id, u.offer HAVING sum(u.uses) > 0 ORDER BY u.offer_id = 0, u.offer_id, u.offer",
    )?;
    let rows = stmt.query_map(params![venue.0, day_number(range.from), day_number(range.to)], |r| {
        Ok(OfferUses {
            offer: r.get::<_, Option<u32>>(0)?.filter(|o| *o != 0).map(OfferId),
            name: r.get(1)?,
            kind: parse(&r.get::<_, String>(2)?, 2)?,
            closed: r.get(3)?,
            uses: count(r.get(4)?),
            adults: count(r.get(5)?),
            children: count(r.get(6)?),
            course_places: count(r.get(7)?),
            community_uses: count(r.get(8)?),
        })
    })?;
    let offers: Vec<OfferUses> = rows.collect::<Result<_, _>>()?;
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
pub fn card_counts(
    conn: &Connection,
    distributor: DistributorId,
    year: i32,
    today: NaiveDate,
) -> StoreResult<CardCounts> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let soon = today + TimeDelta::days(30);
    let (handed_out, active, revoked, expiring_soon) = conn.query_row(
        "SELECT coalesce(sum(issued_on BETWEEN ?2 AND ?3), 0), \
         coalesce(sum(status = 'active' AND issued_on <= ?4 AND valid_until >= ?4), 0), \
         coalesce(sum(status = 'revoked' AND revoked_on BETWEEN ?2 AND ?3), 0), \
         coalesce(sum(status = 'active' AND valid_until BETWEEN ?4 AND ?5), 0) \
         FROM cards WHERE distributor_id = ?1",
        params![distributor.0, first, last, today, soon],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(CardCounts {
        distributor,
        year,
        handed_out: count(handed_out),
        active: count(active),
        revoked: count(revoked),
        expiring_soon: count(expiring_soon),
    })
}
