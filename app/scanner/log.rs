//! The redemption log: append-only, committed durably (WAL, synchronous FULL) before "recorded".

use chrono::{DateTime, SecondsFormat, Utc};
use kaiku_core::CardId;
use kaiku_core::ids::DeviceId;
use kaiku_core::redemption::{CardFacts, OfferKind, Redemption};
use kaiku_core::wire::ItemOutcome;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::model::answers;
pub use super::model::{Fields, Logged, Marked, OfferCount, SyncState, Today};
use super::store::{StoreError, UndoRefused};

/// The last scan time of a card, corrections and records taken back left out: the card's entries
/// in the `(card, scanned_at, undoes, id)` index newest first, the first that is no correction
/// and that no correction names.
pub const LAST_RECORDED_SQL: &str = "SELECT r.scanned_at FROM redemptions r
    WHERE json_extract(r.body, '$.card') = ?1 AND r.undoes IS NULL
      AND NOT EXISTS (SELECT 1 FROM redemptions u WHERE u.undoes = r.id)
    ORDER BY r.scanned_at DESC LIMIT 1";

/// Why a redemption was not recorded (the same for every backend).
pub type LogError = StoreError;

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn offer_key(o: OfferKind) -> &'static str {
    match o {
        OfferKind::Ticket => "ticket",
        OfferKind::CoursePlace => "course_place",
    }
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// Checks the rules and appends the redemption with the device's next sequence number, in one
/// transaction. Returns only after the commit is durable.
pub fn append(
    conn: &mut Connection,
    device: DeviceId,
    f: Fields,
    facts: Option<CardFacts>,
) -> Result<Redemption, LogError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let seq = next_seq(&tx, device)?;
    let r = Redemption::new(f.draft(Uuid::now_v7(), device, seq), facts)?;
    insert(&tx, &r)?;
    tx.commit()?;
    Ok(r)
}

/// Appends the correction that takes back the record `of` of `device` (the door's undo) as the
/// device's next sequence number, in one transaction; the record is read back from the log, so
/// the correction repeats what was stored.
pub fn undo(
    conn: &mut Connection,
    device: DeviceId,
    of: &Redemption,
    at: DateTime<Utc>,
) -> Result<Redemption, LogError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored: Option<String> = tx
        .query_row(
            "SELECT body FROM redemptions WHERE id = ?1 AND device = ?2",
            params![of.id.to_string(), device.0],
            |r| r.get(0),
        )
        .optional()?;
    let stored: Redemption = serde_json::from_str(&stored.ok_or(UndoRefused::NotInLog)?).map_err(corrupt)?;
    if stored.undoes.is_some() {
        return Err(UndoRefused::Correction.into());
    }
    let undone: Option<i64> =
        tx.query_row("SELECT 1 FROM redemptions WHERE undoes = ?1", [of.id.to_string()], |r| r.get(0)).optional()?;
    if undone.is_some() {
        return Err(UndoRefused::AlreadyUndone.into());
    }
    let r = stored.correction(Uuid::now_v7(), next_seq(&tx, device)?, at);
    insert(&tx, &r)?;
    tx.commit()?;
    Ok(r)
}

/// The device's next sequence number, kept with the records it numbers (so a rolled-back write burns none).
fn next_seq(tx: &Transaction<'_>, device: DeviceId) -> Result<u64, LogError> {
    let last: Option<i64> =
        tx.query_row("SELECT last FROM sequences WHERE device = ?1", [device.0], |r| r.get(0)).optional()?;
    u64::try_from(last.unwrap_or(0) + 1).map_err(corrupt)
}

/// Writes `r` as its device's latest record, pending.
fn insert(tx: &Transaction<'_>, r: &Redemption) -> Result<(), LogError> {
    let body = serde_json::to_string(r).map_err(corrupt)?;
    let id = r.id.to_string();
    let seq = i64::try_from(r.seq).map_err(corrupt)?;
    tx.execute(
        "INSERT INTO sequences (device, last) VALUES (?1, ?2) ON CONFLICT (device) DO UPDATE SET last = ?2",
        params![r.device.0, seq],
    )?;
    tx.execute(
        "INSERT INTO redemptions (device, seq, id, scanned_at, offer, offer_id, people, body, undoes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            r.device.0,
            seq,
            id,
            ts(r.scanned_at),
            offer_key(r.offer),
            r.offer_id.map(|o| o.0),
            u32::from(r.adults) + u32::from(r.children),
            body,
            r.undoes.map(|u| u.to_string())
        ],
    )?;
    tx.execute("INSERT INTO sync_state (id, state) VALUES (?1, 'pending')", [&id])?;
    Ok(())
}

/// Up to `limit` redemptions not yet answered by the server, oldest first.
pub fn pending(conn: &Connection, limit: usize) -> Result<Vec<Redemption>, LogError> {
    let mut st = conn.prepare_cached(
        "SELECT r.body FROM redemptions r JOIN sync_state s ON s.id = r.id
         WHERE s.state = 'pending' ORDER BY r.device, r.seq LIMIT ?1",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = st.query_map([limit], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for body in rows {
        out.push(serde_json::from_str(&body?).map_err(corrupt)?);
    }
    Ok(out)
}

/// The devices with redemptions waiting, by device id.
pub fn pending_devices(conn: &Connection) -> Result<Vec<DeviceId>, LogError> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT r.device FROM redemptions r JOIN sync_state s ON s.id = r.id
         WHERE s.state = 'pending' ORDER BY r.device",
    )?;
    let rows = st.query_map([], |r| r.get::<_, u32>(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?.into_iter().map(DeviceId).collect())
}

/// Up to `limit` of `device`'s redemptions not yet answered, oldest first.
pub fn pending_of(conn: &Connection, device: DeviceId, limit: usize) -> Result<Vec<Redemption>, LogError> {
    let mut st = conn.prepare_cached(
        "SELECT r.body FROM redemptions r JOIN sync_state s ON s.id = r.id
         WHERE s.state = 'pending' AND r.device = ?1 ORDER BY r.seq LIMIT ?2",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = st.query_map(params![device.0, limit], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for body in rows {
        out.push(serde_json::from_str(&body?).map_err(corrupt)?);
    }
    Ok(out)
}

pub fn pending_count(conn: &Connection) -> Result<u64, LogError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM sync_state WHERE state = 'pending'", [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Records the server's answer to a batch of `sent` items. Only the sync state changes.
pub fn mark(conn: &mut Connection, sent: &[Redemption], outcomes: &[ItemOutcome]) -> Result<Marked, LogError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (changes, m) = answers(sent, outcomes);
    {
        let mut st = tx.prepare_cached(
            "UPDATE sync_state SET state = ?2, reason = ?3, attempts = attempts + 1 WHERE id = ?1 AND state = 'pending'",
        )?;
        for (id, state) in changes {
            let (state, reason) = match state {
                SyncState::Pending => ("pending", None),
                SyncState::Accepted => ("accepted", None),
                SyncState::Duplicate => ("duplicate", None),
                SyncState::Rejected { reason } => ("rejected", Some(reason)),
            };
            st.execute(params![id.to_string(), state, reason])?;
        }
    }
    tx.commit()?;
    Ok(m)
}

/// Every redemption the server refused, with its reason: kept for staff to see.
pub fn rejected(conn: &Connection) -> Result<Vec<Logged>, LogError> {
    select(conn, "WHERE s.state = 'rejected' ORDER BY r.device, r.seq", [])
}

/// Every redemption in the log with its state, oldest first.
pub fn all(conn: &Connection) -> Result<Vec<Logged>, LogError> {
    select(conn, "ORDER BY r.device, r.seq", [])
}

/// When `card` was last recorded here, by scan time; the `redemptions_card` index answers.
pub fn last_recorded(conn: &Connection, card: CardId) -> Result<Option<DateTime<Utc>>, LogError> {
    let mut st = conn.prepare_cached(LAST_RECORDED_SQL)?;
    let at: Option<String> = st.query_row([card.to_string()], |r| r.get(0)).optional()?;
    at.map(|t| DateTime::parse_from_rfc3339(&t).map(|t| t.to_utc()).map_err(corrupt)).transpose()
}

/// Redemptions scanned in `[from, to)`, by scan time.
pub fn between(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Logged>, LogError> {
    select(conn, "WHERE r.scanned_at >= ?1 AND r.scanned_at < ?2 ORDER BY r.scanned_at, r.seq", [ts(from), ts(to)])
}

fn select<P: rusqlite::Params>(conn: &Connection, tail: &str, p: P) -> Result<Vec<Logged>, LogError> {
    let sql = format!("SELECT r.body, s.state, s.reason FROM redemptions r JOIN sync_state s ON s.id = r.id {tail}");
    let mut st = conn.prepare_cached(&sql)?;
    let rows =
        st.query_map(p, |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (body, state, reason) = row?;
        let redemption = serde_json::from_str(&body).map_err(corrupt)?;
        let state = match state.as_str() {
            "pending" => SyncState::Pending,
            "accepted" => SyncState::Accepted,
            "duplicate" => SyncState::Duplicate,
            _ => SyncState::Rejected { reason: reason.unwrap_or_default() },
        };
        out.push(Logged { redemption, state });
    }
    Ok(out)
}
