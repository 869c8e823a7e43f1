//! The issuer's signing keys: the active one signs new credentials; all published ones verify.

use kaiku_core::keys::PublicKeyRecord;
use kaiku_core::{IssuerKey, KeyId, KeySet};
use rand::RngCore;

use crate::clock::Clock;
use crate::store::{Store, StoreError, StoreResult};

/// A fresh random key, published; `activate` makes it sign new credentials at once.
pub async fn add(store: &dyn Store, clock: &dyn Clock, activate: bool) -> StoreResult<KeyId> {
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    store.add_signing_key(seed, activate, clock.now()).await
}

/// The key that signs new credentials.
pub async fn active(store: &dyn Store) -> StoreResult<IssuerKey> {
    let keys = store.signing_keys().await?;
    let k = keys
        .into_iter()
        .rfind(|k| k.active)
        .ok_or_else(|| StoreError::NotFound("no active signing key: run `kaiku-sync-server init` first".into()))?;
    Ok(IssuerKey::from_seed(k.id, k.seed))
}

/// Every published public key.
pub async fn public_set(store: &dyn Store) -> StoreResult<KeySet> {
    let keys = store.signing_keys().await?;
    Ok(KeySet::new(keys.into_iter().map(|k| IssuerKey::from_seed(k.id, k.seed).public())))
}

pub async fn public_records(store: &dyn Store) -> StoreResult<Vec<PublicKeyRecord>> {
    Ok(public_set(store).await?.records())
}
