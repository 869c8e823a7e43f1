//! Staff sessions and the counters of failed sign-ins.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::{NewSession, SessionRecord, StoreResult};
use crate::throttle::{Throttle, ThrottlePolicy};

pub fn create_session(conn: &Connection, s: &NewSession) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO sessions (user_id, secret_hash, created_at, last_used_at, expires_at) VALUES (?1, ?2, ?3, ?3, ?4)",
        params![s.user_id, s.secret_hash, s.created_at, s.expires_at],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn session(conn: &Connection, id: i64) -> StoreResult<Option<SessionRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, secret_hash, created_at, last_used_at, expires_at, ended_at IS NOT NULL
         FROM sessions WHERE id = ?1",
    )?;
    Ok(stmt
        .query_row([id], |r| {
            Ok(SessionRecord {
                id,
                user_id: r.get(0)?,
                secret_hash: r.get(1)?,
                created_at: r.get(2)?,
                last_used_at: r.get(3)?,
                expires_at: r.get(4)?,
                ended: r.get(5)?,
            })
        })
        .optional()?)
}

pub fn touch_session(conn: &Connection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute("UPDATE sessions SET last_used_at = ?2 WHERE id = ?1", params![id, now])?;
    Ok(())
}

pub fn end_session(conn: &Connection, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = conn.execute("UPDATE sessions SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL", params![id, now])?;
    Ok(n == 1)
}

pub fn throttle(conn: &Connection, key: &[u8]) -> StoreResult<Option<Throttle>> {
    Ok(conn
        .query_row(
            "SELECT failures, last_failure_at, blocked_until, locked FROM sign_in_failures WHERE key = ?1",
            [key],
            |r| {
                Ok(Throttle {
                    failures: r.get(0)?,
                    last_failure_at: r.get(1)?,
                    blocked_until: r.get(2)?,
                    locked: r.get(3)?,
                })
            },
        )
        .optional()?)
}

pub fn record_failure(
    conn: &mut Connection,
    key: &[u8],
    now: DateTime<Utc>,
    policy: ThrottlePolicy,
) -> StoreResult<Throttle> {
    // Read and write in one (write) transaction, so concurrent failures all count.
    let tx = conn.transaction()?;
    let next = Throttle::after_failure(throttle(&tx, key)?, now, policy);
    tx.execute(
        "INSERT OR REPLACE INTO sign_in_failures (key, failures, last_failure_at, blocked_until, locked)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![key, next.failures, next.last_failure_at, next.blocked_until, next.locked],
    )?;
    tx.commit()?;
    Ok(next)
}

pub fn clear_failures(conn: &Connection, key: &[u8]) -> StoreResult<()> {
    conn.execute("DELETE FROM sign_in_failures WHERE key = ?1", [key])?;
    Ok(())
}
