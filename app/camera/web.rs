//! The browser's camera: `getUserMedia` (back or front camera, about 1280 x 720) shown in the
//! scan screen's `<video>` element, frames drawn to a canvas and read by the scan pipeline.
//!
//! Every other frame is scaled down to 960 px wide. Measured natively on generated 1280 x 720
//! card frames (10 distortions each): QR codes 140-420 px wide read the same at 960 as at 1280
//! and 2-5 times faster (e.g. 240 px: 10/10 at 3.6 ms instead of 18 ms), but a Code 39 barcode
//! 300-500 px wide lost reads (500 px: 4/10 instead of 8/10). So frames alternate: the scaled
//! one finds QR codes quickly, the full one (up to [`FULL_WIDTH`]) small barcodes.
//!
//! Decoding takes a phone tens to hundreds of milliseconds a frame, so it happens off the page's
//! thread: the pipeline is a wasm of its own (app/web/decoder.rs) in a module Web Worker, one
//! for the page, and each frame's pixels are transferred to it, not copied. `next_scan` waits
//! for the next video frame, grabs the picture shown at that moment and awaits the worker's
//! answer before it grabs another, so frames that arrive while the worker is busy are never
//! read or queued: the next decode always sees the newest picture. Where there are no workers
//! (or the worker cannot start) the same wasm decodes on the page, between frames. The scan
//! part's own wasm then holds no decoder at all.
//!
//! The JS below is what web-sys cannot say simply: media constraints, the torch, the error
//! names of `getUserMedia`, and the worker.

use async_trait::async_trait;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::Scan;
use super::live::{CameraError, Facing, LiveCamera, LiveOptions};

#[wasm_bindgen(inline_js = r#"
function named(name, message) { const e = new Error(message); e.name = name; return e; }
// The page's one decoder, kept across cameras: `{ scan(imageData) -> Promise<line | null> }`.
let decoder = null;
function startDecoder() {
  if (!decoder) {
    decoder = inWorker().catch((e) => {
      console.warn("the scanner decodes on the page:", e && e.message);
      return onPage();
    });
    decoder.catch(() => { decoder = null; });
  }
  return decoder;
}
function inWorker() {
  return new Promise((ok, no) => {
    if (typeof Worker !== "function") return no(new Error("this browser has no Web Workers"));
    let worker;
    try { worker = new Worker("/kaiku-decoder-worker.js", { type: "module" }); } catch (e) { return no(e); }
    let ready = false, dead = false, answer = null;
    const fail = (why) => {
      if (dead) return;
      dead = true;
      worker.terminate();
      if (answer) { const a = answer; answer = null; a(null); }
      // Broken after it started (a trap): the next frame starts a new one.
      if (ready) decoder = null; else no(new Error(why));
    };
    worker.onmessage = (event) => {
      const m = event.data || {};
      if (m.ready) { ready = true; ok(me); return; }
      const a = answer;
      answer = null;
      if (a) a(typeof m.scan === "string" ? m.scan : null);
      if (m.failed !== undefined) fail(m.failed);
    };
    worker.onerror = (event) => { event.preventDefault(); fail(event.message || "the decoder worker failed"); };
    setTimeout(() => { if (!ready) fail("the decoder worker did not start in 10 s"); }, 10000);
    const me = {
      scan(image) {
        if (dead) return Promise.resolve(null);
        return new Promise((done) => {
          answer = done;
          const pixels = image.data.buffer;
          worker.postMessage({ pixels, width: image.width, height: image.height }, [pixels]);
        });
      },
    };
  });
}
async function onPage() {
  const m = await import("/kaiku-decoder.js");
  await m.default({ module_or_path: "/kaiku-decoder_bg.wasm" });
  return { scan: async (image) => m.scan_rgba(new Uint8Array(image.data.buffer), image.width, image.height) ?? null };
}
export async function camera_open(previewId, facing) {
  const decoding = startDecoder();
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
  try {
    await decoding;
  } catch (e) {
    for (const t of stream.getTracks()) t.stop();
    video.srcObject = null;
    throw named("DecoderError", `the code reader does not load: ${e && e.message}`);
  }
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
function grab(cam, maxWidth) {
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
// The newest video frame, at most `maxWidth` wide, decoded: the scan's line, or null.
export async function camera_scan(cam, maxWidth) {
  const image = grab(cam, maxWidth);
  if (!image) return null;
  try { return await (await startDecoder()).scan(image); } catch (_) { return null; }
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
    fn camera_scan(cam: &JsValue, max_width: u32) -> js_sys::Promise;
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

#[async_trait(?Send)]
impl LiveCamera for WebCamera {
    async fn next_scan(&mut self) -> Option<Scan> {
        loop {
            if self.stopped || !camera_live(&self.cam) {
                return None;
            }
            JsFuture::from(camera_next(&self.cam)).await.ok()?;
            let width = if self.full_next { FULL_WIDTH } else { SCALED_WIDTH };
            self.full_next = !self.full_next;
            let line = JsFuture::from(camera_scan(&self.cam, width)).await.unwrap_or(JsValue::NULL);
            if let Some(scan) = line.as_string().as_deref().and_then(Scan::from_line) {
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
