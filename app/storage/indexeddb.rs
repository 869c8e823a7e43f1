//! The vault as an IndexedDB object store: it survives reloads and browser restarts.

use async_trait::async_trait;
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

use super::{Vault, VaultError};

const STORE: &str = "vault";

#[derive(Debug)]
pub struct IndexedDbVault {
    db: Rexie,
}

fn io(e: rexie::Error) -> VaultError {
    VaultError::Io(e.to_string())
}

impl IndexedDbVault {
    pub async fn open(name: &str) -> Result<Self, VaultError> {
        let db = Rexie::builder(name)
            .version(1)
            .add_object_store(ObjectStore::new(STORE))
            .build()
            .await
            .map_err(|e| VaultError::Open(e.to_string()))?;
        Ok(Self { db })
    }
}

/// Waits until the browser reports the transaction committed; an abort is an error.
async fn committed(tx: rexie::Transaction) -> Result<(), VaultError> {
    match tx.done().await.map_err(io)? {
        rexie::TransactionResult::Committed => Ok(()),
        rexie::TransactionResult::Aborted => Err(VaultError::Io("the browser aborted the write".into())),
    }
}

#[async_trait(?Send)]
impl Vault for IndexedDbVault {
    async fn get(&self, key: &str) -> Result<Option<String>, VaultError> {
        let tx = self.db.transaction(&[STORE], TransactionMode::ReadOnly).map_err(io)?;
        let store = tx.store(STORE).map_err(io)?;
        let value = store.get(JsValue::from_str(key)).await.map_err(io)?;
        Ok(value.and_then(|v| v.as_string()))
    }

    async fn put(&self, key: &str, value: &str) -> Result<(), VaultError> {
        let tx = self.db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(io)?;
        let store = tx.store(STORE).map_err(io)?;
        store.put(&JsValue::from_str(value), Some(&JsValue::from_str(key))).await.map_err(io)?;
        committed(tx).await
    }

    async fn delete(&self, key: &str) -> Result<(), VaultError> {
        let tx = self.db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(io)?;
        let store = tx.store(STORE).map_err(io)?;
        store.delete(JsValue::from_str(key)).await.map_err(io)?;
        committed(tx).await
    }
}
