//! Reading the register out for export: organisations, cards with background data, redemptions.
//! Read in one repeatable-read transaction: one snapshot, however busy the writers are.

use deadpool_postgres::{Client, GenericClient};
use kaiku_core::CardId;
use kaiku_core::ids::{DeviceId, DistributorId, OfferId, RegionId, VenueId};
use kaiku_core::wire::Flag;
use tokio_postgres::IsolationLevel;

use super::cards::{CARD_COLUMNS, background_from_row, card_from_row, situations_of};
use super::convert::{Params, get, id, opt_id, parse, parse_with, refs, small};
use super::offers::{OFFER_COLUMNS, offer_from_row};
use super::pool::rows;
use crate::export::{
    DUMP_FORMAT, DUMP_VERSION, DumpCard, DumpDevice, DumpOffer, DumpRegion, ExportFilter, RedemptionRow, RegisterDump,
};
use crate::store::{DistributorInfo, StoreResult, VenueInfo};

pub async fn export_register(
    c: &mut Client,
    filter: ExportFilter,
    now: chrono::DateTime<chrono::Utc>,
) -> StoreResult<RegisterDump> {
    let tx = c.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().await?;
    let region = filter.region.map(|r| i64::from(r.0));
    let (scoped, params): (&str, Params) = match region {
        Some(r) => (" WHERE region_id = $1", vec![Box::new(r)]),
        None => ("", Vec::new()),
    };
    let only = if region.is_some() { " WHERE id = $1" } else { "" };
    let regions = rows(&tx, &format!("SELECT id, name FROM regions{only} ORDER BY id"), &refs(&params))
        .await?
        .iter()
        .map(|r| Ok(DumpRegion { id: RegionId(id(r, 0)?), name: get(r, 1)? }))
        .collect::<StoreResult<_>>()?;
    let distributors =
        rows(&tx, &format!("SELECT id, region_id, name FROM distributors{scoped} ORDER BY id"), &refs(&params))
            .await?
            .iter()
            .map(|r| {
                Ok(DistributorInfo { id: DistributorId(id(r, 0)?), region: RegionId(id(r, 1)?), name: get(r, 2)? })
            })
            .collect::<StoreResult<_>>()?;
    // Every venue: a region's cards are used at venues of other regions too.
    let venues = rows(&tx, "SELECT id, region_id, name FROM venues ORDER BY id", &[])
        .await?
        .iter()
        .map(|r| Ok(VenueInfo { id: VenueId(id(r, 0)?), region: opt_id(r, 1)?.map(RegionId), name: get(r, 2)? }))
        .collect::<StoreResult<_>>()?;
    let offers = rows(&tx, &format!("SELECT {OFFER_COLUMNS} FROM offers ORDER BY id"), &[])
        .await?
        .iter()
        .map(|r| {
            let o = offer_from_row(r)?;
            Ok(DumpOffer {
                id: o.id,
                venue: o.venue,
                name: o.name,
                kind: o.kind,
                limit: o.limit,
                closed_at: o.closed_at,
            })
        })
        .collect::<StoreResult<_>>()?;
    let devices = rows(&tx, "SELECT id, venue_id, label, enrolled_at FROM devices ORDER BY id", &[])
        .await?
        .iter()
        .map(|r| {
            Ok(DumpDevice {
                id: DeviceId(id(r, 0)?),
                venue: VenueId(id(r, 1)?),
                label: get(r, 2)?,
                enrolled_at: get(r, 3)?,
            })
        })
        .collect::<StoreResult<_>>()?;
    // The cards in register order (oldest change first), each with its life situations.
    let found =
        rows(&tx, &format!("SELECT {CARD_COLUMNS} FROM cards{scoped} ORDER BY change_seq"), &refs(&params)).await?;
    let ids: Vec<String> = found.iter().map(|r| get(r, 0)).collect::<StoreResult<_>>()?;
    let mut situations = situations_of(&tx, &ids).await?;
    let cards = found
        .iter()
        .zip(&ids)
        .map(|(r, id)| {
            let background = background_from_row(r, situations.remove(id).unwrap_or_default())?;
            Ok(DumpCard { card: card_from_row(r)?, background })
        })
        .collect::<StoreResult<_>>()?;
    let redemptions = redemptions(&tx, filter).await?;
    tx.commit().await?;
    Ok(RegisterDump {
        format: DUMP_FORMAT.into(),
        version: DUMP_VERSION,
        exported_at: now,
        region: filter.region,
        from: filter.range.map(|r| r.from),
        to: filter.range.map(|r| r.to),
        regions,
        distributors,
        venues,
        offers,
        devices,
        cards,
        redemptions,
    })
}

async fn redemptions(c: &impl GenericClient, filter: ExportFilter) -> StoreResult<Vec<RedemptionRow>> {
    let mut conditions = Vec::new();
    let mut params: Params = Vec::new();
    if let Some(region) = filter.region {
        params.push(Box::new(i64::from(region.0)));
        conditions.push(format!("r.card_id IN (SELECT id FROM cards WHERE region_id = ${})", params.len()));
    }
    if let Some(range) = filter.range {
        params.push(Box::new(range.from));
        params.push(Box::new(range.to));
        conditions.push(format!("r.scanned_on BETWEEN ${} AND ${}", params.len() - 1, params.len()));
    }
    let filter_sql = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    let sql = format!(
        "SELECT r.id, r.device_id, r.seq, r.card_id, r.venue_id, r.offer, r.offer_id, r.adults, r.children, \
         r.group_cards, r.scanned_at, r.received_at, r.entry, r.verdict, r.community, r.late, r.flags, r.undoes \
         FROM redemptions r{filter_sql} ORDER BY r.n"
    );
    rows(c, &sql, &refs(&params))
        .await?
        .iter()
        .map(|r| {
            let group: Option<String> = get(r, 9)?;
            let flags: Option<String> = get(r, 16)?;
            Ok(RedemptionRow {
                id: get(r, 0)?,
                device: DeviceId(id(r, 1)?),
                seq: u64::try_from(get::<i64>(r, 2)?).unwrap_or(0),
                card: parse_with(get::<&str>(r, 3)?, CardId::parse)?,
                venue: VenueId(id(r, 4)?),
                offer: parse(get::<&str>(r, 5)?)?,
                offer_id: opt_id(r, 6)?.map(OfferId),
                adults: small(r, 7)?,
                children: small(r, 8)?,
                group: group
                    .as_deref()
                    .unwrap_or("")
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| parse_with(s, CardId::parse))
                    .collect::<StoreResult<_>>()?,
                scanned_at: get(r, 10)?,
                received_at: get(r, 11)?,
                entry: parse(get::<&str>(r, 12)?)?,
                verdict: parse(get::<&str>(r, 13)?)?,
                community: get::<i32>(r, 14)? != 0,
                late: get::<i32>(r, 15)? != 0,
                flags: match flags {
                    Some(f) => parse_with(&f, |t| serde_json::from_str::<Vec<Flag>>(t))?,
                    None => Vec::new(),
                },
                undoes: get(r, 17)?,
            })
        })
        .collect()
}
