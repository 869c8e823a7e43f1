//! The issuer's signing keys: seed, which one is active, its endorsement and its retirement.

use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::keys::{Endorsement, PublicKeyRecord, Retirement};
use kaiku_core::{IssuerKey, KeyId};
use rusqlite::{Connection, Row, params};

use crate::store::{KeyToAdd, StoreError, StoreResult, StoredKey};

const COLUMNS: &str =
    "key_id, seed, active, created_at, endorsed_by, endorsement, retired_from, retired_by, retirement";

fn read(r: &Row<'_>) -> rusqlite::Result<StoredKey> {
    let seed: Vec<u8> = r.get(1)?;
    let seed: [u8; 32] = seed.try_into().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Blob, "seed is not 32 bytes".into())
    })?;
    let id = KeyId(r.get(0)?);
    let endorsed_by: Option<u16> = r.get(4)?;
    let endorsement = match (endorsed_by, r.get::<_, Option<String>>(5)?) {
        (Some(by), Some(signature)) => {
            let public = PublicKeyRecord::from(IssuerKey::from_seed(id, seed).public());
            Some(Endorsement { key_id: id, public_key: public.public_key, by: KeyId(by), signature })
        }
        _ => None,
    };
    let retired: (Option<NaiveDate>, Option<u16>, Option<String>) = (r.get(6)?, r.get(7)?, r.get(8)?);
    let retirement = match retired {
        (Some(from), Some(by), Some(signature)) => Some(Retirement { key_id: id, from, by: KeyId(by), signature }),
        _ => None,
    };
    Ok(StoredKey { id, seed, active: r.get(2)?, created_at: r.get(3)?, endorsement, retirement })
}

pub fn all(conn: &Connection) -> StoreResult<Vec<StoredKey>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM signing_keys ORDER BY key_id"))?;
    let rows = stmt.query_map([], read)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn add(conn: &mut Connection, key: &KeyToAdd, now: DateTime<Utc>) -> StoreResult<()> {
    let tx = conn.transaction()?;
    if tx.prepare("SELECT 1 FROM signing_keys WHERE key_id = ?1")?.exists([key.id.0])? {
        return Err(StoreError::Conflict(format!("key {} was added meanwhile: try again", key.id)));
    }
    if key.activate {
        tx.execute("UPDATE signing_keys SET active = 0", [])?;
    }
    let (by, signature) = key.endorsement.as_ref().map(|e| (e.by.0, e.signature.as_str())).unzip();
    tx.execute(
        "INSERT INTO signing_keys (key_id, seed, active, created_at, endorsed_by, endorsement)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![key.id.0, key.seed.as_slice(), key.activate, now, by, signature],
    )?;
    tx.commit()?;
    Ok(())
}

pub fn retire(conn: &mut Connection, r: &Retirement) -> StoreResult<bool> {
    let n = conn.execute(
        "UPDATE signing_keys SET retired_from = ?2, retired_by = ?3, retirement = ?4 WHERE key_id = ?1",
        params![r.key_id.0, r.from, r.by.0, r.signature],
    )?;
    Ok(n == 1)
}

pub fn activate(conn: &mut Connection, id: KeyId) -> StoreResult<bool> {
    let tx = conn.transaction()?;
    let known = tx.prepare("SELECT 1 FROM signing_keys WHERE key_id = ?1")?.exists([id.0])?;
    if known {
        tx.execute("UPDATE signing_keys SET active = (key_id = ?1)", [id.0])?;
    }
    tx.commit()?;
    Ok(known)
}
