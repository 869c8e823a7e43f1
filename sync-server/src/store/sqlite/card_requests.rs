//! Card registrations with the client's request key (`store::CardRequest`): the key row goes in
//! the card's transaction, under the write lock taken first, so two processes on one file see
//! each other's keys.

use kaiku_core::CardId;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::cards;
use crate::store::{CardRecord, CardRequest, Requested, StoreError, StoreResult};

/// The migration that makes the table: one key per distributor, naming the card it made.
pub const MIGRATION: &str = "
    CREATE TABLE card_requests (
        distributor_id INTEGER NOT NULL REFERENCES distributors(id),
        key TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        card_id TEXT NOT NULL REFERENCES cards(id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (distributor_id, key)
    ) WITHOUT ROWID;
";

pub fn insert_requested_card(
    conn: &mut Connection,
    record: &CardRecord,
    request: &CardRequest,
) -> StoreResult<Requested> {
    // IMMEDIATE: the key is looked up under the write lock, so no other process adds it between.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let earlier: Option<(String, Vec<u8>)> = tx
        .query_row(
            "SELECT card_id, fingerprint FROM card_requests WHERE distributor_id = ?1 AND key = ?2",
            params![request.distributor.0, request.key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((card, fingerprint)) = earlier {
        let card = CardId::parse(&card).map_err(|e| StoreError::Backend(e.to_string()))?;
        return Ok(Requested::Earlier { card, fingerprint });
    }
    tx.execute(
        "DELETE FROM card_requests WHERE distributor_id = ?1 AND created_at < ?2",
        params![request.distributor.0, request.oldest_kept()],
    )?;
    cards::insert_in(&tx, record)?;
    tx.execute(
        "INSERT INTO card_requests (distributor_id, key, fingerprint, card_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            request.distributor.0,
            request.key,
            request.fingerprint.as_slice(),
            record.card.id.to_string(),
            request.at
        ],
    )?;
    tx.commit()?;
    Ok(Requested::Stored)
}
