//! The venue scanner's engine, independent of the UI: the durable redemption log, the register
//! copy, enrollment and sync. Storage is behind [`ScannerStore`]: SQLite natively, IndexedDB on the web.

pub mod compact;
pub mod enroll;
#[cfg(target_arch = "wasm32")]
pub mod idb;
pub mod model;
pub mod register;
pub mod store;
pub mod sync;

#[cfg(not(target_arch = "wasm32"))]
pub mod log;
#[cfg(not(target_arch = "wasm32"))]
mod schema;
#[cfg(not(target_arch = "wasm32"))]
mod sqlite;

pub use model::{Enrollment, Fields, Logged, Status, SyncState, Today};
pub use register::{RegisterCopy, RegisterMeta};
#[cfg(not(target_arch = "wasm32"))]
pub use sqlite::SqliteScannerStore;
pub use store::{ScannerStore, StoreError};

/// The scanner's store in the platform's durable storage, shared by the screens and the sync.
pub type SharedStore = std::rc::Rc<dyn ScannerStore>;

/// Opens the scanner's store: a SQLite file next to the app's vault (`KAIKU_DATA_DIR` overrides
/// the folder) natively, IndexedDB in the browser.
pub async fn open_default() -> Result<SharedStore, StoreError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let path = crate::storage::sqlite_file::data_file("kaiku-scanner.sqlite")
            .map_err(|e| StoreError::Open(e.to_string()))?;
        Ok(std::rc::Rc::new(SqliteScannerStore::open(&path)?))
    }
    #[cfg(target_arch = "wasm32")]
    {
        Ok(std::rc::Rc::new(idb::IdbScannerStore::open("kaiku-scanner").await?))
    }
}
