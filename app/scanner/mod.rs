//! The venue scanner's engine, independent of the UI: the durable redemption log, the register
//! copy, enrollment and sync. Storage is behind [`ScannerStore`]: SQLite natively, IndexedDB on the web.

pub mod compact;
pub mod enroll;
pub mod model;
pub mod store;
pub mod sync;
#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(not(target_arch = "wasm32"))]
pub mod db;
#[cfg(not(target_arch = "wasm32"))]
mod device;
#[cfg(not(target_arch = "wasm32"))]
pub mod log;
#[cfg(not(target_arch = "wasm32"))]
pub mod register;

#[cfg(not(target_arch = "wasm32"))]
pub use device::{Scanner, ScannerError};
pub use model::{Enrollment, Fields, Logged, Status, SyncState, Today};
pub use store::{ScannerStore, StoreError};

/// The scanner's store in the platform's durable storage, as the app uses it.
pub type SharedStore = Box<dyn ScannerStore>;

/// Opens the scanner's store: a SQLite file next to the app's vault (`KAIKU_DATA_DIR` overrides
/// the folder) natively, IndexedDB in the browser.
pub async fn open_default() -> Result<SharedStore, StoreError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let dir = crate::storage::default_dir().map_err(|e| StoreError::Open(e.to_string()))?;
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::Open(format!("{}: {e}", dir.display())))?;
        Ok(Box::new(Scanner::open(&dir.join("kaiku-scanner.sqlite"))?))
    }
    #[cfg(target_arch = "wasm32")]
    {
        Ok(Box::new(web::IdbScanner::open("kaiku-scanner").await?))
    }
}
