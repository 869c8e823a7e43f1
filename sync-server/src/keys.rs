//! The issuer's signing keys: the active one signs new credentials; all published ones verify.
//! Every key after the first is endorsed by the key active when it was made, and a retirement
//! is signed by the active key, so that scanners take in only what a key they trust vouches for.

use chrono::NaiveDate;
use kaiku_core::keys::{Endorsement, PublicKeyRecord, Retirement};
use kaiku_core::{IssuerKey, KeyId, KeySet};
use rand::RngCore;

use crate::clock::Clock;
use crate::store::{KeyToAdd, Store, StoreError, StoreResult, StoredKey};

/// What scanners are given: the published keys, their endorsements and the retirements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    pub keys: Vec<PublicKeyRecord>,
    pub endorsements: Vec<Endorsement>,
    pub retirements: Vec<Retirement>,
}

/// A fresh random key, published and endorsed by the active key (the first key has none);
/// `activate` makes it sign new credentials at once.
pub async fn add(store: &dyn Store, clock: &dyn Clock, activate: bool) -> StoreResult<KeyId> {
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    let keys = store.signing_keys().await?;
    let next = keys.iter().map(|k| u32::from(k.id.0)).max().unwrap_or(0) + 1;
    let id = KeyId(u16::try_from(next).map_err(|_| StoreError::Conflict("no key ids left".into()))?);
    let key = IssuerKey::from_seed(id, seed);
    let endorsement = active_of(&keys).map(|signer| Endorsement::sign(&key.public(), &signer));
    store.add_signing_key(KeyToAdd { id, seed, activate, endorsement }, clock.now()).await?;
    Ok(id)
}

fn active_of(keys: &[StoredKey]) -> Option<IssuerKey> {
    keys.iter().rfind(|k| k.active).map(|k| IssuerKey::from_seed(k.id, k.seed))
}

/// The key that signs new credentials.
pub async fn active(store: &dyn Store) -> StoreResult<IssuerKey> {
    active_of(&store.signing_keys().await?)
        .ok_or_else(|| StoreError::NotFound("no active signing key: run `kaiku-sync-server init` first".into()))
}

/// Makes key `id` sign new credentials. A retired key cannot: its credentials are refused.
pub async fn activate(store: &dyn Store, id: KeyId) -> StoreResult<()> {
    let keys = store.signing_keys().await?;
    let key = keys.iter().find(|k| k.id == id).ok_or_else(|| StoreError::NotFound(format!("no signing key {id}")))?;
    if let Some(r) = &key.retirement {
        return Err(StoreError::Conflict(format!("key {id} is retired from {}: it cannot sign again", r.from)));
    }
    if !store.activate_signing_key(id).await? {
        return Err(StoreError::NotFound(format!("no signing key {id}")));
    }
    Ok(())
}

/// Scanners refuse key `id`'s credentials from `from` on; the active key signs the statement.
/// The active key itself cannot be retired (activate another first), and a retirement only
/// ever moves earlier: scanners keep the earliest date they have seen.
pub async fn retire(store: &dyn Store, id: KeyId, from: NaiveDate) -> StoreResult<Retirement> {
    let keys = store.signing_keys().await?;
    let key = keys.iter().find(|k| k.id == id).ok_or_else(|| StoreError::NotFound(format!("no signing key {id}")))?;
    let signer = active_of(&keys).ok_or_else(|| StoreError::NotFound("no active signing key".into()))?;
    if key.active {
        return Err(StoreError::Conflict(format!(
            "key {id} signs new credentials: activate another key first, then retire this one"
        )));
    }
    if let Some(earlier) = key.retirement.as_ref().filter(|r| r.from <= from) {
        return Err(StoreError::Conflict(format!(
            "key {id} is retired from {} already: a retirement can only move earlier",
            earlier.from
        )));
    }
    let retirement = Retirement::sign(id, from, &signer);
    if !store.retire_signing_key(retirement.clone()).await? {
        return Err(StoreError::NotFound(format!("no signing key {id}")));
    }
    Ok(retirement)
}

/// Every published public key, for verifying what the register issued (retirements aside).
pub async fn public_set(store: &dyn Store) -> StoreResult<KeySet> {
    let keys = store.signing_keys().await?;
    Ok(KeySet::new(keys.into_iter().map(|k| IssuerKey::from_seed(k.id, k.seed).public())))
}

pub async fn public_records(store: &dyn Store) -> StoreResult<Vec<PublicKeyRecord>> {
    Ok(public_set(store).await?.records())
}

/// The keys with their endorsements and retirements, as enrollment answers and register pages
/// carry them.
pub async fn published(store: &dyn Store) -> StoreResult<Published> {
    let keys = store.signing_keys().await?;
    Ok(Published {
        keys: keys.iter().map(|k| IssuerKey::from_seed(k.id, k.seed).public().into()).collect(),
        endorsements: keys.iter().filter_map(|k| k.endorsement.clone()).collect(),
        retirements: keys.iter().filter_map(|k| k.retirement.clone()).collect(),
    })
}
