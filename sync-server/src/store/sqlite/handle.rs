//! The SQLite store's handle: opening the file, and running each call on a blocking thread
//! with the writer or a reader of the pool.

use std::path::Path;
use std::sync::Arc;

use rusqlite::Connection;

use super::{group_commit, pool, projector_task};
use crate::store::{StoreError, StoreResult};

/// The SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(super) pool: Arc<pool::Pool>,
    /// Projects new uploads in the background; `None`: only readers catching up do.
    pub(super) projector: Option<Arc<projector_task::Background>>,
    /// Uploads waiting for the writer, stored together (`group_commit`).
    pub(super) uploads: Arc<group_commit::Uploads>,
}

impl SqliteStore {
    /// Opens or creates the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let mut store = Self::open_without_projector(path)?;
        store.projector = Some(Arc::default());
        Ok(store)
    }

    /// Like [`SqliteStore::open`], but no task projects uploads in the background: readers of
    /// derived data still catch up first, so every answer is the same. For one-shot commands,
    /// and for the test that stops a process between an upload and its projection.
    pub fn open_without_projector(path: &Path) -> StoreResult<Self> {
        let pool = pool::Pool::open(path)
            .map_err(|e| StoreError::Backend(format!("cannot open database {}: {e}", path.display())))?;
        Ok(Self { pool: Arc::new(pool), projector: None, uploads: Arc::default() })
    }

    /// An online backup of the live database to `dest`.
    pub async fn backup(&self, dest: &Path) -> StoreResult<()> {
        let pool = self.pool.clone();
        let dest = dest.to_owned();
        blocking(move || pool.backup(&dest)).await
    }

    pub(super) async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let pool = self.pool.clone();
        blocking(move || pool.write(f)).await
    }

    pub(super) async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let pool = self.pool.clone();
        blocking(move || pool.read(f)).await
    }
}

pub(super) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> StoreResult<T> + Send + 'static) -> StoreResult<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| StoreError::Backend(format!("storage task failed: {e}")))?
}

pub(super) fn owned(bytes: &[u8]) -> Vec<u8> {
    bytes.to_vec()
}
