//! Card registrations with the client's request key (`store::CardRequest`). The key row is
//! inserted first in the card's transaction: a second process sending the same key waits on
//! the key's unique index until the first commits, then finds the key taken and names that
//! card. Without a commit (a rollback, a killed process) the key was never used.

use deadpool_postgres::Client;
use kaiku_core::CardId;

use super::cards;
use super::convert::{get, parse_with};
use super::pool::{exec, next_changes, row};
use crate::store::{CardRecord, CardRequest, Requested, StoreError, StoreResult};

/// The migration that makes the table: one key per distributor, naming the card it made
/// (checked at commit, as the key goes in before the card).
pub const MIGRATION: &str = "
    CREATE TABLE card_requests (
        distributor_id bigint NOT NULL REFERENCES distributors(id),
        key text NOT NULL,
        fingerprint bytea NOT NULL,
        card_id text COLLATE \"C\" NOT NULL REFERENCES cards(id) DEFERRABLE INITIALLY DEFERRED,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (distributor_id, key)
    );
";

pub async fn insert_requested_card(
    c: &mut Client,
    record: &CardRecord,
    request: &CardRequest,
) -> StoreResult<Requested> {
    // A key found taken can be cleared (as too old) before it is read: then try once more.
    for _attempt in 0..2 {
        if let Some(done) = try_insert(c, record, request).await? {
            return Ok(done);
        }
    }
    Err(StoreError::Conflict("the request key changed meanwhile: send the request again".into()))
}

/// `None` if the key was taken but is gone when read.
async fn try_insert(c: &mut Client, record: &CardRecord, request: &CardRequest) -> StoreResult<Option<Requested>> {
    let (distributor, card) = (i64::from(request.distributor.0), record.card.id.to_string());
    let tx = c.transaction().await?;
    let added = exec(
        &tx,
        "INSERT INTO card_requests (distributor_id, key, fingerprint, card_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (distributor_id, key) DO NOTHING",
        &[&distributor, &request.key, &request.fingerprint.as_slice(), &card, &request.at],
    )
    .await?;
    if added == 0 {
        drop(tx);
        return earlier(c, distributor, &request.key).await;
    }
    exec(
        &tx,
        "DELETE FROM card_requests WHERE distributor_id = $1 AND created_at < $2",
        &[&distributor, &request.oldest_kept()],
    )
    .await?;
    let change = next_changes(&tx, 1).await?;
    if !cards::insert_with(&tx, record, change).await? {
        return Err(StoreError::Conflict(format!("card {} is already registered", record.card.id)));
    }
    tx.commit().await?;
    Ok(Some(Requested::Stored))
}

/// The card an earlier request with the key made (committed: the insert waited for it).
async fn earlier(c: &Client, distributor: i64, key: &str) -> StoreResult<Option<Requested>> {
    let sql = "SELECT card_id, fingerprint FROM card_requests WHERE distributor_id = $1 AND key = $2";
    let Some(found) = row(c, sql, &[&distributor, &key]).await? else { return Ok(None) };
    let card: CardId = parse_with(get::<&str>(&found, 0)?, CardId::parse)?;
    Ok(Some(Requested::Earlier { card, fingerprint: get(&found, 1)? }))
}
