//! Camera frames for the venue scanner: one frame-source trait for every camera, a source that
//! plays stored images for tests, the frame -> scan pipeline, and a worker that decodes off the
//! UI thread, always the newest frame only.

mod handoff;
pub mod live;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod pipeline;
pub mod source;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod worker;

pub use live::{CameraError, Facing, LiveCamera, LiveOptions, open_live};
pub use pipeline::{Scan, scan_frame};
pub use source::{MemorySource, PgmError, PgmFileSource, parse_pgm};
pub use worker::Mailbox;

/// Why a frame cannot be built from some pixels.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("a frame of {width} x {height} is empty")]
    Empty { width: u32, height: u32 },
    #[error("a {width} x {height} frame needs {needed} pixels, got {got}")]
    WrongSize { width: u32, height: u32, needed: u64, got: usize },
}

/// One 8-bit greyscale camera frame, row by row, top left first.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    luma: Vec<u8>,
    width: u32,
    height: u32,
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Frame({} x {})", self.width, self.height)
    }
}

impl Frame {
    /// A frame of exactly `width * height` pixels.
    pub fn new(luma: Vec<u8>, width: u32, height: u32) -> Result<Self, FrameError> {
        if width == 0 || height == 0 {
            return Err(FrameError::Empty { width, height });
        }
        let needed = u64::from(width) * u64::from(height);
        if u64::try_from(luma.len()).ok() != Some(needed) {
            return Err(FrameError::WrongSize { width, height, needed, got: luma.len() });
        }
        Ok(Self { luma, width, height })
    }

    pub fn luma(&self) -> &[u8] {
        &self.luma
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }
}

/// Anything that produces camera frames: a native camera, the browser's camera, stored images.
pub trait FrameSource {
    /// The next frame, or `None` once the source has ended (camera closed, files played).
    fn next_frame(&mut self) -> Option<Frame>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_must_match_their_size() {
        assert!(Frame::new(vec![0; 6], 3, 2).is_ok());
        assert_eq!(Frame::new(vec![], 0, 2), Err(FrameError::Empty { width: 0, height: 2 }));
        assert!(matches!(Frame::new(vec![0; 5], 3, 2), Err(FrameError::WrongSize { .. })));
    }
}
