//! The venue scanner's engine, independent of the UI: the durable redemption log, the register copy, enrollment and sync (native).

#[cfg(not(target_arch = "wasm32"))]
pub mod db;
#[cfg(not(target_arch = "wasm32"))]
pub mod enroll;
#[cfg(not(target_arch = "wasm32"))]
pub mod log;
#[cfg(not(target_arch = "wasm32"))]
pub mod register;
#[cfg(not(target_arch = "wasm32"))]
pub mod sync;

#[cfg(not(target_arch = "wasm32"))]
pub use device::{Enrollment, Scanner, ScannerError, Status};

#[cfg(not(target_arch = "wasm32"))]
mod device;
