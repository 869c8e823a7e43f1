//! What the app keeps on the device, behind one small trait so that views do not care
//! where: SQLite on desktop and mobile, IndexedDB in the browser (see docs/ARCHITECTURE.md
//! for why).

#[cfg(target_arch = "wasm32")]
pub mod idb;
#[cfg(target_arch = "wasm32")]
mod indexeddb;
mod memory;
#[cfg(not(target_arch = "wasm32"))]
mod sqlite;
#[cfg(not(target_arch = "wasm32"))]
pub mod sqlite_file;

use std::rc::Rc;

use async_trait::async_trait;
use serde::Serialize;
use serde::de::DeserializeOwned;

#[cfg(target_arch = "wasm32")]
pub use indexeddb::IndexedDbVault;
pub use memory::MemoryVault;
#[cfg(not(target_arch = "wasm32"))]
pub use sqlite::SqliteVault;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error("the device storage cannot be opened: {0}")]
    Open(String),
    #[error("the device storage failed: {0}")]
    Io(String),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

/// A durable key-value store of JSON text. A `put` has reached the device's storage when
/// it returns `Ok`.
#[async_trait(?Send)]
pub trait Vault: std::fmt::Debug {
    async fn get(&self, key: &str) -> Result<Option<String>, VaultError>;
    async fn put(&self, key: &str, value: &str) -> Result<(), VaultError>;
    async fn delete(&self, key: &str) -> Result<(), VaultError>;
}

/// The shared handle views get from context.
pub type SharedVault = Rc<dyn Vault>;

/// Reads a typed value.
pub async fn load<T: DeserializeOwned>(vault: &dyn Vault, key: &str) -> Result<Option<T>, VaultError> {
    match vault.get(key).await? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text).map(Some).map_err(|e| VaultError::Corrupt(format!("{key}: {e}"))),
    }
}

/// Writes a typed value.
pub async fn save<T: Serialize>(vault: &dyn Vault, key: &str, value: &T) -> Result<(), VaultError> {
    let text = serde_json::to_string(value).map_err(|e| VaultError::Corrupt(e.to_string()))?;
    vault.put(key, &text).await
}

/// Opens the platform's vault.
pub async fn open_default() -> Result<SharedVault, VaultError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let vault = SqliteVault::open_default()?;
        Ok(Rc::new(vault))
    }
    #[cfg(target_arch = "wasm32")]
    {
        let vault = IndexedDbVault::open("kaiku").await?;
        Ok(Rc::new(vault))
    }
}
