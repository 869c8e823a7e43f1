//! A vault in memory: for tests, and the fallback when the device storage cannot be opened
//! (the app then says that nothing will be kept).

use std::cell::RefCell;
use std::collections::HashMap;

use async_trait::async_trait;

use super::{Vault, VaultError};

#[derive(Debug, Default)]
pub struct MemoryVault {
    values: RefCell<HashMap<String, String>>,
}

#[async_trait(?Send)]
impl Vault for MemoryVault {
    async fn get(&self, key: &str) -> Result<Option<String>, VaultError> {
        Ok(self.values.borrow().get(key).cloned())
    }

    async fn put(&self, key: &str, value: &str) -> Result<(), VaultError> {
        self.values.borrow_mut().insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), VaultError> {
        self.values.borrow_mut().remove(key);
        Ok(())
    }
}
