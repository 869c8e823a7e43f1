//! The holders' refresh secrets: only a hash, one per card, replaced by each activation.

use chrono::{DateTime, Utc};
use kaiku_core::CardId;
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::StoreResult;

/// The stored hash of the card's refresh secret, if an activation gave it one.
pub fn refresh_secret(conn: &Connection, card: CardId) -> StoreResult<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT secret_hash FROM refresh_secrets WHERE card_id = ?1", [card.to_string()], |r| r.get(0))
        .optional()?)
}

/// Keeps the hash of the card's new refresh secret; the one of an earlier activation stops working.
pub fn set_refresh_secret(conn: &Connection, card: CardId, hash: &[u8], now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO refresh_secrets (card_id, secret_hash, created_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (card_id) DO UPDATE SET secret_hash = excluded.secret_hash, created_at = excluded.created_at",
        params![card.to_string(), hash, now],
    )?;
    Ok(())
}
