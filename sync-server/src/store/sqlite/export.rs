//! Reading the register out for export: organisations, cards with background data, redemptions.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kaiku_core::CardId;
use kaiku_core::background::LifeSituation;
use kaiku_core::ids::{DeviceId, DistributorId, OfferId, RegionId, VenueId};
use kaiku_core::wire::Flag;
use rusqlite::Error::FromSqlConversionFailure;
use rusqlite::types::{Type, Value};
use rusqlite::{Connection, params_from_iter};
use uuid::Uuid;

use super::cards::{CARD_COLUMNS, background_from_row, card_from_row};
use super::convert::{parse, parse_with};
use super::offers::{OFFER_COLUMNS, offer_from_row};
use super::stats_facts::day_number;
use crate::export::{
    DUMP_FORMAT, DUMP_VERSION, DumpCard, DumpDevice, DumpOffer, DumpRegion, ExportFilter, RedemptionRow, RegisterDump,
};
use crate::store::{DistributorInfo, StoreError, StoreResult, VenueInfo};

pub fn export_register(conn: &Connection, filter: ExportFilter, now: DateTime<Utc>) -> StoreResult<RegisterDump> {
    let region = filter.region.map(|r| Value::Integer(r.0.into()));
    let (region_sql, region_params) = match &region {
        Some(r) => (" WHERE id = ?1", vec![r.clone()]),
        None => ("", vec![]),
    };
    let regions = rows(conn, &format!("SELECT id, name FROM regions{region_sql} ORDER BY id"), &region_params, |r| {
        Ok(DumpRegion { id: RegionId(r.get(0)?), name: r.get(1)? })
    })?;
    let scoped = if region.is_some() { " WHERE region_id = ?1" } else { "" };
    let distributors = rows(
        conn,
        &format!("SELECT id, region_id, name FROM distributors{scoped} ORDER BY id"),
        &region_params,
        |r| Ok(DistributorInfo { id: DistributorId(r.get(0)?), region: RegionId(r.get(1)?), name: r.get(2)? }),
    )?;
    // Every venue: a region's cards are used at venues of other regions too.
    let venues = rows(conn, "SELECT id, region_id, name FROM venues ORDER BY id", &[], |r| {
        Ok(VenueInfo { id: VenueId(r.get(0)?), region: r.get::<_, Option<u32>>(1)?.map(RegionId), name: r.get(2)? })
    })?;
    let offers = rows(conn, &format!("SELECT {OFFER_COLUMNS} FROM offers ORDER BY id"), &[], |r| {
        let o = offer_from_row(r)?;
        Ok(DumpOffer { id: o.id, venue: o.venue, name: o.name, kind: o.kind, limit: o.limit, closed_at: o.closed_at })
    })?;
    let devices = rows(conn, "SELECT id, venue_id, label, enrolled_at FROM devices ORDER BY id", &[], |r| {
        Ok(DumpDevice { id: DeviceId(r.get(0)?), venue: VenueId(r.get(1)?), label: r.get(2)?, enrolled_at: r.get(3)? })
    })?;
    let cards = cards(conn, &region_params, scoped)?;
    let redemptions = redemptions(conn, filter)?;
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

fn rows<T>(
    conn: &Connection,
    sql: &str,
    params: &[Value],
    f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let out = stmt.query_map(params_from_iter(params), f)?.collect::<Result<Vec<_>, _>>()?;
    Ok(out)
}

/// The cards in register order (oldest change first), each with its life situations.
fn cards(conn: &Connection, params: &[Value], scoped: &str) -> StoreResult<Vec<DumpCard>> {
    let mut situations: HashMap<String, Vec<LifeSituation>> = HashMap::new();
    let mut stmt = conn.prepare("SELECT card_id, situation FROM card_life_situations ORDER BY card_id, situation")?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        situations.entry(r.get(0)?).or_default().push(parse(&r.get::<_, String>(1)?, 1)?);
    }
    let sql = format!("SELECT {CARD_COLUMNS} FROM cards{scoped} ORDER BY change_seq");
    rows(conn, &sql, params, |r| {
        let id: String = r.get(0)?;
        let card = card_from_row(r)?;
        let background = background_from_row(r, situations.remove(&id).unwrap_or_default())?;
        Ok(DumpCard { card, background })
    })
}

fn redemptions(conn: &Connection, filter: ExportFilter) -> StoreResult<Vec<RedemptionRow>> {
    let mut conditions = Vec::new();
    let mut params = Vec::new();
    if let Some(region) = filter.region {
        params.push(Value::Integer(region.0.into()));
        conditions.push(format!("r.card_id IN (SELECT id FROM cards WHERE region_id = ?{})", params.len()));
    }
    // A period's rows are found through the projector's use_facts (day, row), one for every
    // redemption; the store catches the projector up before it exports.
    let mut from = "redemptions r".to_owned();
    if let Some(range) = filter.range {
        params.push(Value::Integer(day_number(range.from)));
        params.push(Value::Integer(day_number(range.to)));
        let (a, b) = (params.len() - 1, params.len());
        from = format!("use_facts f JOIN redemptions r ON r.rowid = f.redemption AND f.day BETWEEN ?{a} AND ?{b}");
    }
    let filter_sql = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    let sql = format!(
        "SELECT r.id, r.device_id, r.seq, r.card_id, r.venue_id, r.offer, r.offer_id, r.adults, r.children, \
         r.group_cards, r.scanned_at, r.received_at, r.entry, r.verdict, r.community, r.late, r.flags, r.undoes \
         FROM {from}{filter_sql} ORDER BY r.rowid"
    );
    rows(conn, &sql, &params, |r| {
        let id: Vec<u8> = r.get(0)?;
        let group: Option<String> = r.get(9)?;
        let flags: Option<String> = r.get(16)?;
        let undoes: Option<Vec<u8>> = r.get(17)?;
        Ok(RedemptionRow {
            id: Uuid::from_slice(&id).map_err(|e| FromSqlConversionFailure(0, Type::Blob, Box::new(e)))?,
            device: DeviceId(r.get(1)?),
            seq: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
            card: parse_with(&r.get::<_, String>(3)?, 3, CardId::parse)?,
            venue: VenueId(r.get(4)?),
            offer: parse(&r.get::<_, String>(5)?, 5)?,
            offer_id: r.get::<_, Option<u32>>(6)?.map(OfferId),
            adults: r.get(7)?,
            children: r.get(8)?,
            group: group
                .as_deref()
                .unwrap_or("")
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| parse_with(s, 9, CardId::parse))
                .collect::<Result<_, _>>()?,
            scanned_at: r.get(10)?,
            received_at: r.get(11)?,
            entry: parse(&r.get::<_, String>(12)?, 12)?,
            verdict: parse(&r.get::<_, String>(13)?, 13)?,
            community: r.get(14)?,
            late: r.get(15)?,
            flags: match flags {
                Some(f) => parse_with(&f, 16, |t| serde_json::from_str::<Vec<Flag>>(t))?,
                None => Vec::new(),
            },
            undoes: undoes
                .map(|u| Uuid::from_slice(&u).map_err(|e| FromSqlConversionFailure(17, Type::Blob, Box::new(e))))
                .transpose()?,
        })
    })
    .map_err(|e| match e {
        StoreError::Backend(m) => StoreError::Backend(format!("reading redemptions: {m}")),
        other => other,
    })
}
