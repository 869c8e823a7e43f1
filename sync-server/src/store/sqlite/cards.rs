//! Cards, their holders' background data, and activation codes.

use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::background::{Background, LifeSituation, PostalCode};
use kaiku_core::card::{CardStatus, RevocationReason};
use kaiku_core::ids::{DistributorId, RegionId};
use kaiku_core::{Card, CardId, KaikuId};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::convert::{parse, parse_with, text};
use crate::store::{CardRecord, CodeUse, StoreError, StoreResult};

/// How long after its first use an activation code still answers the same phone's retry.
pub const ACTIVATION_RETRY: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

pub(super) const CARD_COLUMNS: &str = "id, kind, region_id, distributor_id, issued_on, valid_until, status, revoked_reason, \
     revoked_on, minors, birth_year, gender, mother_tongue, postal_code, minor_children, minor_grandchildren, \
     legacy_id";

/// The next value of the register's change counter.
pub fn next_change(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row("SELECT coalesce(max(change_seq), 0) + 1 FROM cards", [], |r| r.get(0))
}

fn status_columns(status: CardStatus) -> (&'static str, Option<String>, Option<NaiveDate>) {
    match status {
        CardStatus::Active => ("active", None, None),
        CardStatus::Revoked { reason, on } => ("revoked", Some(text(&reason)), Some(on)),
    }
}

pub fn insert_card(conn: &mut Connection, record: &CardRecord) -> StoreResult<()> {
    let tx = conn.transaction()?;
    insert_in(&tx, record)?;
    tx.commit()?;
    Ok(())
}

/// Inserts a new card in `tx`; `Conflict` if its ID is taken.
pub(super) fn insert_in(tx: &Transaction<'_>, record: &CardRecord) -> StoreResult<()> {
    let exists: bool = tx.query_row("SELECT count(*) FROM cards WHERE id = ?1", [record.card.id.to_string()], |r| {
        r.get::<_, i64>(0).map(|n| n > 0)
    })?;
    if exists {
        return Err(StoreError::Conflict(format!("card {} is already registered", record.card.id)));
    }
    let change = next_change(tx)?;
    let c = &record.card;
    let b = record.background.as_ref();
    let (status, reason, on) = status_columns(c.status);
    tx.execute(
        &format!("INSERT INTO cards ({CARD_COLUMNS}, change_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"),
        params![
            c.id.to_string(),
            text(&c.kind),
            c.region.0,
            c.distributor.0,
            c.issued_on,
            c.valid_until,
            status,
            reason,
            on,
            c.minors_on_record,
            b.map(|b| b.birth_year),
            b.map(|b| text(&b.gender)),
            b.map(|b| text(&b.mother_tongue)),
            b.map(|b| b.postal_code.as_str().to_owned()),
            b.map(|b| b.minor_children),
            b.map(|b| b.minor_grandchildren),
            c.id.is_legacy(),
            change,
        ],
    )?;
    for s in b.map(|b| b.life_situations.as_slice()).unwrap_or_default() {
        tx.execute(
            "INSERT INTO card_life_situations (card_id, situation) VALUES (?1, ?2)",
            params![c.id.to_string(), text(s)],
        )?;
    }
    Ok(())
}

pub fn next_card_id(conn: &Connection, letter: char) -> StoreResult<Option<KaikuId>> {
    let first = KaikuId::new(letter, 0).map_err(|e| StoreError::Backend(e.to_string()))?;
    // Imported legacy IDs share the table (and may start with the same letter): skip them.
    let max: Option<String> =
        conn.query_row("SELECT max(id) FROM cards WHERE legacy_id = 0 AND id LIKE ?1", [format!("{letter}%")], |r| {
            r.get(0)
        })?;
    match max {
        None => Ok(Some(first)),
        Some(id) => Ok(KaikuId::parse(&id).ok().and_then(|id| id.next_in_series())),
    }
}

pub(super) fn card_from_row(r: &Row<'_>) -> rusqlite::Result<Card> {
    let status = match r.get::<_, String>(6)?.as_str() {
        "revoked" => {
            CardStatus::Revoked { reason: parse::<RevocationReason>(&r.get::<_, String>(7)?, 7)?, on: r.get(8)? }
        }
        _ => CardStatus::Active,
    };
    Ok(Card {
        id: parse_with(&r.get::<_, String>(0)?, 0, CardId::parse)?,
        kind: parse(&r.get::<_, String>(1)?, 1)?,
        region: RegionId(r.get(2)?),
        distributor: DistributorId(r.get(3)?),
        issued_on: r.get(4)?,
        valid_until: r.get(5)?,
        status,
        minors_on_record: r.get(9)?,
    })
}

pub(super) fn background_from_row(r: &Row<'_>, situations: Vec<LifeSituation>) -> rusqlite::Result<Option<Background>> {
    let Some(birth_year) = r.get::<_, Option<i32>>(10)? else { return Ok(None) };
    Ok(Some(Background {
        birth_year,
        gender: parse(&r.get::<_, String>(11)?, 11)?,
        mother_tongue: parse(&r.get::<_, String>(12)?, 12)?,
        life_situations: situations,
        postal_code: parse_with(&r.get::<_, String>(13)?, 13, PostalCode::parse)?,
        minor_children: r.get(14)?,
        minor_grandchildren: r.get(15)?,
    }))
}

pub fn card(conn: &Connection, id: CardId) -> StoreResult<Option<CardRecord>> {
    let mut stmt =
        conn.prepare_cached("SELECT situation FROM card_life_situations WHERE card_id = ?1 ORDER BY situation")?;
    let situations = stmt
        .query_map([id.to_string()], |r| parse::<LifeSituation>(&r.get::<_, String>(0)?, 0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare_cached(&format!("SELECT {CARD_COLUMNS} FROM cards WHERE id = ?1"))?;
    let row = stmt
        .query_row([id.to_string()], |r| {
            Ok(CardRecord { card: card_from_row(r)?, background: background_from_row(r, situations)? })
        })
        .optional()?;
    Ok(row)
}

pub fn update_card(conn: &mut Connection, card: &Card) -> StoreResult<()> {
    let tx = conn.transaction()?;
    let change = next_change(&tx)?;
    let (status, reason, on) = status_columns(card.status);
    let n = tx.execute(
        "UPDATE cards SET valid_until = ?2, status = ?3, revoked_reason = ?4, revoked_on = ?5, change_seq = ?6 WHERE id = ?1",
        params![card.id.to_string(), card.valid_until, status, reason, on, change],
    )?;
    if n != 1 {
        return Err(StoreError::NotFound(format!("card {} is not registered", card.id)));
    }
    tx.commit()?;
    Ok(())
}

pub fn create_activation_code(
    conn: &Connection,
    card: CardId,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO activation_codes (code_hash, card_id, expires_at) VALUES (?1, ?2, ?3)",
        params![hash, card.to_string(), expires_at],
    )?;
    Ok(())
}

pub fn take_activation_code(conn: &mut Connection, hash: &[u8], now: DateTime<Utc>) -> StoreResult<CodeUse<CardId>> {
    let tx = conn.transaction()?;
    let row: Option<(String, DateTime<Utc>, Option<DateTime<Utc>>)> = tx
        .query_row("SELECT card_id, expires_at, used_at FROM activation_codes WHERE code_hash = ?1", [hash], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((card, expires_at, used_at)) = row else { return Ok(CodeUse::Unknown) };
    match used_at {
        // A phone that lost the answer may ask again for a short while.
        Some(used) if now - used <= ACTIVATION_RETRY => {}
        Some(_) => return Ok(CodeUse::AlreadyUsed),
        None if now > expires_at => return Ok(CodeUse::Expired),
        None => {
            tx.execute("UPDATE activation_codes SET used_at = ?2 WHERE code_hash = ?1", params![hash, now])?;
            tx.commit()?;
        }
    }
    let id = CardId::parse(&card).map_err(|e| StoreError::Backend(e.to_string()))?;
    Ok(CodeUse::Taken(id))
}
