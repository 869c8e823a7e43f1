//! The live camera of the scan screen, one small API over every platform's camera: the browser's
//! (getUserMedia, `camera::web`), the desktop's (nokhwa, `camera::native`). Each decodes the newest
//! frame only, off the UI's way, and hands out scans.

use async_trait::async_trait;

use super::Scan;

/// Which way the camera looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Facing {
    /// The back camera (at a door, pointed at the holder's phone or card).
    #[default]
    Back,
    Front,
}

/// What the scan screen asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveOptions {
    pub facing: Facing,
    /// On the web: the id of the `<video>` element that shows the preview.
    pub preview_id: String,
}

/// Why the camera cannot be used; the scan screen then offers manual entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CameraError {
    #[error("this device has no camera")]
    NoCamera,
    #[error("the camera may not be used: permission denied")]
    Denied,
    #[error("the camera is in use by another app")]
    Busy,
    #[error("the camera failed: {0}")]
    Failed(String),
    #[error("this device has no torch")]
    NoTorch,
}

/// A started camera. Dropping it (or `stop`) releases the device.
#[async_trait(?Send)]
pub trait LiveCamera: std::fmt::Debug {
    /// Waits for the next code read from the newest frames; `None` once the camera has stopped.
    async fn next_scan(&mut self) -> Option<Scan>;
    /// Whether a torch can be switched on.
    fn has_torch(&self) -> bool;
    async fn set_torch(&mut self, on: bool) -> Result<(), CameraError>;
    /// Whether there is another camera to switch to (front / back).
    fn can_switch(&self) -> bool;
    fn stop(&mut self);
}

/// Starts the platform's camera (the browser's on the web, nokhwa's on the desktop; elsewhere
/// none yet). Each platform's arm returns before the fallback.
#[allow(unreachable_code)]
pub async fn open_live(opts: LiveOptions) -> Result<Box<dyn LiveCamera>, CameraError> {
    #[cfg(target_arch = "wasm32")]
    return Ok(Box::new(super::web::open(&opts).await?));
    #[cfg(all(not(target_arch = "wasm32"), feature = "desktop"))]
    return super::native::open(opts).await;
    let _ = opts;
    Err(CameraError::NoCamera)
}
