//! The venue scanner's engine, independent of the UI: the durable redemption log, the register
//! copy, enrollment and sync. Storage is behind [`ScannerStore`]: SQLite natively, IndexedDB on the web.

pub mod compact;
pub mod enroll;
pub mod model;
pub mod store;
pub mod sync;

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
