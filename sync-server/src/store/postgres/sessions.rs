//! Staff sessions and the counters of failed sign-ins. A key's failures are counted under a
//! transaction-level advisory lock on the key, so failures at several processes all count.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient};

use super::convert::get;
use super::pool::{exec, one, row};
use crate::store::{NewSession, SessionRecord, StoreResult};
use crate::throttle::{Throttle, ThrottlePolicy};

pub async fn create_session(c: &impl GenericClient, s: &NewSession) -> StoreResult<i64> {
    let r = one(
        c,
        "INSERT INTO sessions (user_id, secret_hash, created_at, last_used_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4) RETURNING id",
        &[&s.user_id, &s.secret_hash, &s.created_at, &s.expires_at],
    )
    .await?;
    get(&r, 0)
}

pub async fn session(c: &impl GenericClient, id: i64) -> StoreResult<Option<SessionRecord>> {
    let found = row(
        c,
        "SELECT user_id, secret_hash, created_at, last_used_at, expires_at, ended_at IS NOT NULL \
         FROM sessions WHERE id = $1",
        &[&id],
    )
    .await?;
    let Some(r) = found else { return Ok(None) };
    Ok(Some(SessionRecord {
        id,
        user_id: get(&r, 0)?,
        secret_hash: get(&r, 1)?,
        created_at: get(&r, 2)?,
        last_used_at: get(&r, 3)?,
        expires_at: get(&r, 4)?,
        ended: get(&r, 5)?,
    }))
}

pub async fn touch_session(c: &impl GenericClient, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    exec(c, "UPDATE sessions SET last_used_at = $2 WHERE id = $1", &[&id, &now]).await?;
    Ok(())
}

pub async fn end_session(c: &impl GenericClient, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = exec(c, "UPDATE sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL", &[&id, &now]).await?;
    Ok(n == 1)
}

pub async fn throttle(c: &impl GenericClient, key: &[u8]) -> StoreResult<Option<Throttle>> {
    let found =
        row(c, "SELECT failures, last_failure_at, blocked_until, locked FROM sign_in_failures WHERE key = $1", &[&key])
            .await?;
    let Some(r) = found else { return Ok(None) };
    Ok(Some(Throttle {
        failures: u32::try_from(get::<i64>(&r, 0)?).unwrap_or(u32::MAX),
        last_failure_at: get(&r, 1)?,
        blocked_until: get(&r, 2)?,
        locked: get(&r, 3)?,
    }))
}

/// A key's advisory lock number: its first bytes (keys are hashes, so spread evenly).
fn lock_number(key: &[u8]) -> i64 {
    key.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)) as i64
}

pub async fn record_failure(
    c: &mut Client,
    key: &[u8],
    now: DateTime<Utc>,
    policy: ThrottlePolicy,
) -> StoreResult<Throttle> {
    let tx = c.transaction().await?;
    exec(&tx, "SELECT pg_advisory_xact_lock($1)", &[&lock_number(key)]).await?;
    let next = Throttle::after_failure(throttle(&tx, key).await?, now, policy);
    exec(
        &tx,
        "INSERT INTO sign_in_failures (key, failures, last_failure_at, blocked_until, locked) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, \
         last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until, locked = excluded.locked",
        &[&key, &i64::from(next.failures), &next.last_failure_at, &next.blocked_until, &next.locked],
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

pub async fn clear_failures(c: &impl GenericClient, key: &[u8]) -> StoreResult<()> {
    exec(c, "DELETE FROM sign_in_failures WHERE key = $1", &[&key]).await?;
    Ok(())
}
