//! The holders' refresh secrets: only a hash, one per card, replaced by each activation.

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use kaiku_core::CardId;

use super::convert::get;
use super::pool::{exec, row};
use crate::store::StoreResult;

pub async fn refresh_secret(c: &impl GenericClient, card: CardId) -> StoreResult<Option<Vec<u8>>> {
    let r = row(c, "SELECT secret_hash FROM refresh_secrets WHERE card_id = $1", &[&card.to_string()]).await?;
    r.map(|r| get(&r, 0)).transpose()
}

pub async fn set_refresh_secret(
    c: &impl GenericClient,
    card: CardId,
    hash: &[u8],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec(
        c,
        "INSERT INTO refresh_secrets (card_id, secret_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (card_id) DO UPDATE SET secret_hash = excluded.secret_hash, created_at = excluded.created_at",
        &[&card.to_string(), &hash, &now],
    )
    .await?;
    Ok(())
}
