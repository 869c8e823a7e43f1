//! The issuer's signing keys: seed, which one is active, its endorsement and its retirement.

use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{Client, GenericClient};
use kaiku_core::keys::{Endorsement, PublicKeyRecord, Retirement};
use kaiku_core::{IssuerKey, KeyId};
use tokio_postgres::Row;

use super::convert::{get, small};
use super::pool::{exec, row, rows};
use crate::store::{KeyToAdd, StoreError, StoreResult, StoredKey};

const COLUMNS: &str =
    "key_id, seed, active, created_at, endorsed_by, endorsement, retired_from, retired_by, retirement";

fn read(r: &Row) -> StoreResult<StoredKey> {
    let seed: Vec<u8> = get(r, 1)?;
    let seed: [u8; 32] = seed.try_into().map_err(|_| StoreError::Backend("a key's seed is not 32 bytes".into()))?;
    let id = KeyId(small(r, 0)?);
    let key_id = |n: Option<i32>| n.and_then(|n| u16::try_from(n).ok()).map(KeyId);
    let endorsement = match (key_id(get(r, 4)?), get::<Option<String>>(r, 5)?) {
        (Some(by), Some(signature)) => {
            let public = PublicKeyRecord::from(IssuerKey::from_seed(id, seed).public());
            Some(Endorsement { key_id: id, public_key: public.public_key, by, signature })
        }
        _ => None,
    };
    let retired: (Option<NaiveDate>, Option<KeyId>, Option<String>) = (get(r, 6)?, key_id(get(r, 7)?), get(r, 8)?);
    let retirement = match retired {
        (Some(from), Some(by), Some(signature)) => Some(Retirement { key_id: id, from, by, signature }),
        _ => None,
    };
    Ok(StoredKey { id, seed, active: get(r, 2)?, created_at: get(r, 3)?, endorsement, retirement })
}

pub async fn all(c: &impl GenericClient) -> StoreResult<Vec<StoredKey>> {
    rows(c, &format!("SELECT {COLUMNS} FROM signing_keys ORDER BY key_id"), &[]).await?.iter().map(read).collect()
}

pub async fn add(c: &mut Client, key: &KeyToAdd, now: DateTime<Utc>) -> StoreResult<()> {
    let tx = c.transaction().await?;
    let (by, signature) = key.endorsement.as_ref().map(|e| (i32::from(e.by.0), e.signature.clone())).unzip();
    let n = exec(
        &tx,
        "INSERT INTO signing_keys (key_id, seed, active, created_at, endorsed_by, endorsement) \
         VALUES ($1, $2, false, $3, $4, $5) ON CONFLICT (key_id) DO NOTHING",
        &[&i32::from(key.id.0), &key.seed.as_slice(), &now, &by, &signature],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::Conflict(format!("key {} was added meanwhile: try again", key.id)));
    }
    if key.activate {
        exec(&tx, "UPDATE signing_keys SET active = (key_id = $1)", &[&i32::from(key.id.0)]).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn retire(c: &impl GenericClient, r: &Retirement) -> StoreResult<bool> {
    let n = exec(
        c,
        "UPDATE signing_keys SET retired_from = $2, retired_by = $3, retirement = $4 WHERE key_id = $1",
        &[&i32::from(r.key_id.0), &r.from, &i32::from(r.by.0), &r.signature],
    )
    .await?;
    Ok(n == 1)
}

pub async fn activate(c: &mut Client, id: KeyId) -> StoreResult<bool> {
    let tx = c.transaction().await?;
    let known = row(&tx, "SELECT 1 FROM signing_keys WHERE key_id = $1", &[&i32::from(id.0)]).await?.is_some();
    if known {
        exec(&tx, "UPDATE signing_keys SET active = (key_id = $1)", &[&i32::from(id.0)]).await?;
    }
    tx.commit().await?;
    Ok(known)
}
