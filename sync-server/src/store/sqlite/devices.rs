//! Enrollment codes and venue devices (the issuer's signing keys are in `signing_keys.rs`).

use chrono::{DateTime, Utc};
use kaiku_core::ids::{DeviceId, VenueId};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::store::{CodeUse, DeviceRecord, StoreError, StoreResult};

pub fn create_enrollment_code(
    conn: &Connection,
    venue: VenueId,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO enrollment_codes (code_hash, venue_id, expires_at) VALUES (?1, ?2, ?3)",
        params![hash, venue.0, expires_at],
    )?;
    Ok(())
}

pub fn enroll_device(
    conn: &mut Connection,
    hash: &[u8],
    now: DateTime<Utc>,
    label: &str,
    secret_hash: &[u8],
) -> StoreResult<CodeUse<DeviceRecord>> {
    let tx = conn.transaction()?;
    let row: Option<(u32, DateTime<Utc>, bool)> = tx
        .query_row(
            "SELECT venue_id, expires_at, used_at IS NOT NULL FROM enrollment_codes WHERE code_hash = ?1",
            [hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((venue, expires_at, used)) = row else { return Ok(CodeUse::Unknown) };
    if used {
        return Ok(CodeUse::AlreadyUsed);
    }
    if now > expires_at {
        return Ok(CodeUse::Expired);
    }
    tx.execute(
        "INSERT INTO devices (venue_id, label, secret_hash, enrolled_at) VALUES (?1, ?2, ?3, ?4)",
        params![venue, label, secret_hash, now],
    )?;
    let id = DeviceId(u32::try_from(tx.last_insert_rowid()).map_err(|e| StoreError::Backend(e.to_string()))?);
    tx.execute(
        "UPDATE enrollment_codes SET used_at = ?2, device_id = ?3 WHERE code_hash = ?1",
        params![hash, now, id.0],
    )?;
    tx.commit()?;
    Ok(CodeUse::Taken(DeviceRecord {
        id,
        venue: VenueId(venue),
        label: label.to_owned(),
        secret_hash: secret_hash.to_vec(),
        enrolled_at: now,
        revoked: false,
    }))
}

const DEVICE_COLUMNS: &str = "id, venue_id, label, secret_hash, enrolled_at, revoked_at IS NOT NULL";

fn device_from_row(r: &Row<'_>) -> rusqlite::Result<DeviceRecord> {
    Ok(DeviceRecord {
        id: DeviceId(r.get(0)?),
        venue: VenueId(r.get(1)?),
        label: r.get(2)?,
        secret_hash: r.get(3)?,
        enrolled_at: r.get(4)?,
        revoked: r.get(5)?,
    })
}

pub fn device(conn: &Connection, id: DeviceId) -> StoreResult<Option<DeviceRecord>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ?1"))?;
    Ok(stmt.query_row([id.0], device_from_row).optional()?)
}

pub fn devices(conn: &Connection, venue: VenueId) -> StoreResult<Vec<DeviceRecord>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE venue_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([venue.0], device_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn revoke_device(conn: &Connection, id: DeviceId) -> StoreResult<bool> {
    let n = conn.execute(
        "UPDATE devices SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ') WHERE id = ?1 AND revoked_at IS NULL",
        [id.0],
    )?;
    Ok(n == 1)
}
