//! Enrollment codes and venue devices. A code is locked while it is used, so a code sent to
//! two processes at once enrolls one device.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient};
use kaiku_core::ids::{DeviceId, VenueId};
use tokio_postgres::Row;

use super::convert::{get, id};
use super::pool::{exec, one, row, rows};
use crate::store::{CodeUse, DeviceRecord, StoreResult};

pub async fn create_enrollment_code(
    c: &impl GenericClient,
    venue: VenueId,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    exec(
        c,
        "INSERT INTO enrollment_codes (code_hash, venue_id, expires_at) VALUES ($1, $2, $3)",
        &[&hash, &i64::from(venue.0), &expires_at],
    )
    .await?;
    Ok(())
}

pub async fn enroll_device(
    c: &mut Client,
    hash: &[u8],
    now: DateTime<Utc>,
    label: &str,
    secret_hash: &[u8],
) -> StoreResult<CodeUse<DeviceRecord>> {
    let tx = c.transaction().await?;
    let found = row(
        &tx,
        "SELECT venue_id, expires_at, used_at IS NOT NULL FROM enrollment_codes WHERE code_hash = $1 FOR UPDATE",
        &[&hash],
    )
    .await?;
    let Some(r) = found else { return Ok(CodeUse::Unknown) };
    let (venue, expires_at, used): (i64, DateTime<Utc>, bool) = (get(&r, 0)?, get(&r, 1)?, get(&r, 2)?);
    if used {
        return Ok(CodeUse::AlreadyUsed);
    }
    if now > expires_at {
        return Ok(CodeUse::Expired);
    }
    let r = one(
        &tx,
        "INSERT INTO devices (venue_id, label, secret_hash, enrolled_at) VALUES ($1, $2, $3, $4) RETURNING id",
        &[&venue, &label, &secret_hash, &now],
    )
    .await?;
    let device = DeviceId(id(&r, 0)?);
    exec(
        &tx,
        "UPDATE enrollment_codes SET used_at = $2, device_id = $3 WHERE code_hash = $1",
        &[&hash, &now, &i64::from(device.0)],
    )
    .await?;
    tx.commit().await?;
    Ok(CodeUse::Taken(DeviceRecord {
        id: device,
        venue: VenueId(u32::try_from(venue).unwrap_or(0)),
        label: label.to_owned(),
        secret_hash: secret_hash.to_vec(),
        enrolled_at: now,
        revoked: false,
    }))
}

const DEVICE_COLUMNS: &str = "id, venue_id, label, secret_hash, enrolled_at, revoked_at IS NOT NULL";

fn device_from_row(r: &Row) -> StoreResult<DeviceRecord> {
    Ok(DeviceRecord {
        id: DeviceId(id(r, 0)?),
        venue: VenueId(id(r, 1)?),
        label: get(r, 2)?,
        secret_hash: get(r, 3)?,
        enrolled_at: get(r, 4)?,
        revoked: get(r, 5)?,
    })
}

pub async fn device(c: &impl GenericClient, device: DeviceId) -> StoreResult<Option<DeviceRecord>> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1");
    row(c, &sql, &[&i64::from(device.0)]).await?.as_ref().map(device_from_row).transpose()
}

pub async fn devices(c: &impl GenericClient, venue: VenueId) -> StoreResult<Vec<DeviceRecord>> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE venue_id = $1 ORDER BY id");
    rows(c, &sql, &[&i64::from(venue.0)]).await?.iter().map(device_from_row).collect()
}

pub async fn revoke_device(c: &impl GenericClient, device: DeviceId) -> StoreResult<bool> {
    let n =
        exec(c, "UPDATE devices SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL", &[&i64::from(device.0)])
            .await?;
    Ok(n == 1)
}
