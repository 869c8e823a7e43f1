//! The web app's decoder: a small wasm of its own that holds only the scan pipeline, run in a
//! Web Worker (assets/web/kaiku-decoder-worker.js) so that decoding never holds up the page,
//! or on the page itself where workers are missing (app/camera/web.rs).

use kaiku::camera::{Frame, scan_frame};
use kaiku::decode::rgba_to_luma;
use wasm_bindgen::prelude::*;

/// Reads a frame of RGBA pixels (as a canvas gives them): the scan as one line
/// (`Scan::to_line`), or `None` when no code is read.
#[wasm_bindgen]
pub fn scan_rgba(rgba: &[u8], width: u32, height: u32) -> Option<String> {
    let frame = Frame::new(rgba_to_luma(rgba), width, height).ok()?;
    scan_frame(&frame).map(|scan| scan.to_line())
}

fn main() {}
