//! The browser's camera: `getUserMedia` (back or front camera, about 1280 x 720) shown in the
//! scan screen's `<video>` element, frames drawn to a canvas, turned grey and read by
//! [`scan_frame`].
//!
//! Every other frame is scaled down to 960 px wide. Measured natively on generated 1280 x 720
//! card frames (10 distortions each): QR codes 140-420 px wide read the same at 960 as at 1280
//! and 2-5 times faster (e.g. 240 px: 10/10 at 3.6 ms instead of 18 ms), but a Code 39 barcode
//! 300-500 px wide lost reads (500 px: 4/10 instead of 8/10). So frames alternate: the scaled
//! one finds QR codes quickly, the full one (up to [`FULL_WIDTH`]) small barcodes.
//!
//! This wasm build has no threads, so decoding happens on the page's own thread, between frames:
//! `next_scan` waits for the next video frame (`requestVideoFrameCallback`, or the next animation
//! frame where that is missing), which lets the browser paint and handle input, then grabs the
//! frame shown at that moment and decodes it before it asks for another. A frame is only grabbed
//! when the decoder is free, so frames that arrive while it works are never queued: the next
//! decode always sees the newest picture.
//!
//! The JS below is what web-sys cannot say simply: media constraints, the torch, and the
//! error names of `getUserMedia`.

use async_trait::async_trait;
use js_sys::{Reflect, Uint8ClampedArray};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::live::{CameraError, Facing, LiveCamera, LiveOptions};
use super::{Frame, Scan, scan_frame};
use crate::decode::rgba_to_luma;

#[wasm_bindgen(inline_js = r#"
function named(name, message) { const e = new Error(message); e.name = name; return e; }
export async function camera_open(previewId, facing) {
  let video = document.createElement("video");
  if (previewId) {
    video = document.getElementById(previewId);
    if (!(video instanceof HTMLVideoElement)) throw named("NoPreview", `no <video id="${previewId}"> on the page`);
  }
  const md = navigator.mediaDevices;
  if (!md || !md.getUserMedia) throw named("NotSupportedError", "this page may not use a camera (it needs https)");
  const stream = await md.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: facing }, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
  const track = stream.getVideoTracks()[0];
  try {
    video.muted = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    video.srcObject = stream;
    await video.play();
  } catch (e) {
    for (const t of stream.getTracks()) t.stop();
    throw named("PlayError", `the camera's picture does not play: ${e && e.message}`);
  }
  const caps = track && typeof track.getCapabilities === "function" ? track.getCapabilities() : {};
  let cameras = 0;
  try { cameras = (await md.enumerateDevices()).filter((d) => d.kind === "videoinput").length; } catch (_) {}
  return { video, stream, track, torch: !!caps.torch, cameras, canvas: null, ctx: null };
}
export function camera_live(cam) { return !!cam.track && cam.track.readyState === "live"; }
export function camera_next(cam) {
  const v = cam.video;
  return new Promise((ok) => {
    if (typeof v.requestVideoFrameCallback !== "function") return requestAnimationFrame(() => ok());
    // A hidden or detached video may present no frames: then poll.
    const h = v.requestVideoFrameCallback(() => { clearTimeout(t); ok(); });
    const t = setTimeout(() => { v.cancelVideoFrameCallback(h); ok(); }, 200);
  });
}
export function camera_grab(cam, maxWidth) {
  const v = cam.video;
  const w0 = v.videoWidth, h0 = v.videoHeight;
  if (v.readyState < 2 || !w0 || !h0) return null;
  const s = Math.min(1, maxWidth / w0);
  const w = Math.max(1, Math.round(w0 * s)), h = Math.max(1, Math.round(h0 * s));
  if (!cam.canvas) {
    cam.canvas = document.createElement("canvas");
    cam.ctx = cam.canvas.getContext("2d", { willReadFrequently: true });
  }
  if (cam.canvas.width !== w) cam.canvas.width = w;
  if (cam.canvas.height !== h) cam.canvas.height = h;
  cam.ctx.drawImage(v, 0, 0, w, h);
  return cam.ctx.getImageData(0, 0, w, h);
}
export function camera_torch(cam, on) { return cam.track.applyConstraints({ advanced: [{ torch: on }] }); }
export function camera_stop(cam) {
  for (const t of cam.stream.getTracks()) t.stop();
  if (cam.video.srcObject === cam.stream) cam.video.srcObject = null;
}
"#)]
extern "C" {
    fn camera_open(preview_id: &str, facing: &str) -> js_sys::Promise;
    fn camera_live(cam: &JsValue) -> bool;
    fn camera_next(cam: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(catch)]
    fn camera_grab(cam: &JsValue, max_width: u32) -> Result<JsValue, JsValue>;
    fn camera_torch(cam: &JsValue, on: bool) -> js_sys::Promise;
    #[wasm_bindgen(catch)]
    fn camera_stop(cam: &JsValue) -> Result<(), JsValue>;
}

/// Every other frame is scaled down to this width before decoding (QR codes read as well, faster).
pub const SCALED_WIDTH: u32 = 960;
/// The other frames are decoded at the camera's size up to this width (small barcodes need it).
pub const FULL_WIDTH: u32 = 1920;

fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn camera_error(e: &JsValue) -> CameraError {
    let name = field(e, "name").as_string().unwrap_or_default();
    match name.as_str() {
        "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => CameraError::Denied,
        "NotFoundError" | "DevicesNotFoundError" | "OverconstrainedError" => CameraError::NoCamera,
        "NotReadableError" | "TrackStartError" | "AbortError" => CameraError::Busy,
        _ => {
            let message = field(e, "message").as_string().or_else(|| e.as_string()).unwrap_or_default();
            CameraError::Failed(if name.is_empty() { message } else { format!("{name}: {message}") })
        }
    }
}

/// A started browser camera; dropping it releases the camera.
#[derive(Debug)]
pub struct WebCamera {
    /// The JS side: `{video, stream, track, torch, cameras, canvas, ctx}`.
    cam: JsValue,
    torch: bool,
    cameras: u32,
    stopped: bool,
    /// Whether the next frame is grabbed at full size (frames alternate).
    full_next: bool,
}

/// Asks for the camera and starts its preview in the `<video>` element `opts.preview_id` (an
/// element of its own, not shown, when the id is empty).
pub async fn open(opts: &LiveOptions) -> Result<WebCamera, CameraError> {
    let facing = match opts.facing {
        Facing::Back => "environment",
        Facing::Front => "user",
    };
    let cam = JsFuture::from(camera_open(&opts.preview_id, facing)).await.map_err(|e| camera_error(&e))?;
    let torch = field(&cam, "torch").as_bool().unwrap_or(false);
    let cameras = field(&cam, "cameras").as_f64().map_or(0, |n| n as u32);
    Ok(WebCamera { cam, torch, cameras, stopped: false, full_next: false })
}

impl WebCamera {
    /// The newest video frame, grey, at most [`SCALED_WIDTH`] or [`FULL_WIDTH`] wide in turn;
    /// `None` before the first.
    fn grab(&mut self) -> Option<Frame> {
        let width = if self.full_next { FULL_WIDTH } else { SCALED_WIDTH };
        let image = camera_grab(&self.cam, width).ok()?;
        if image.is_null() {
            return None;
        }
        self.full_next = !self.full_next;
        let width = field(&image, "width").as_f64()? as u32;
        let height = field(&image, "height").as_f64()? as u32;
        let rgba = field(&image, "data").dyn_into::<Uint8ClampedArray>().ok()?.to_vec();
        Frame::new(rgba_to_luma(&rgba), width, height).ok()
    }
}

#[async_trait(?Send)]
impl LiveCamera for WebCamera {
    async fn next_scan(&mut self) -> Option<Scan> {
        loop {
            if self.stopped || !camera_live(&self.cam) {
                return None;
            }
            JsFuture::from(camera_next(&self.cam)).await.ok()?;
            if let Some(scan) = self.grab().as_ref().and_then(scan_frame) {
                return Some(scan);
            }
        }
    }

    fn has_torch(&self) -> bool {
        self.torch
    }

    async fn set_torch(&mut self, on: bool) -> Result<(), CameraError> {
        if !self.torch || self.stopped {
            return Err(CameraError::NoTorch);
        }
        JsFuture::from(camera_torch(&self.cam, on)).await.map(|_| ()).map_err(|e| camera_error(&e))
    }

    fn can_switch(&self) -> bool {
        self.cameras > 1
    }

    fn stop(&mut self) {
        if !self.stopped {
            self.stopped = true;
            let _ = camera_stop(&self.cam);
        }
    }
}

impl Drop for WebCamera {
    fn drop(&mut self) {
        self.stop();
    }
}
