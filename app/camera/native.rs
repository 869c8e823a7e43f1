//! The desktop camera of the scan screen (Linux V4L2, Windows Media Foundation, macOS
//! AVFoundation through nokhwa), as a `LiveCamera`.
//!
//! Two threads: the camera thread opens the device, turns each image into a greyscale `Frame`
//! (the luma plane where the format has one, no colour decode) and puts it into the single-slot
//! `Mailbox`; the decoder thread (`spawn_decoder`) scans the newest frame, and a code it reads
//! goes into an async slot that `next_scan` awaits without blocking the UI. Both hand-offs keep
//! the newest item only: stale frames are dropped, not queued, and a screen that looks away
//! for a while gets the newest scan when it asks again, not a backlog.
//!
//! The machinery is generic over `FrameSource` (`NativeCamera::start`), so it is tested with
//! frames held in memory; nokhwa itself sits behind the `camera` feature (`open`).

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread::JoinHandle;
use std::time::Duration;

use async_trait::async_trait;

use super::worker::{Mailbox, spawn_decoder};
use super::{CameraError, Frame, FrameSource, LiveCamera, Scan};

/// How long `stop` (and dropping the camera) waits for both threads to end: the camera thread
/// finishes the frame it is reading, the decoder the frame it is scanning. A thread still
/// running then (a stalled device) is left to end on its own.
pub const STOP_WAIT: Duration = Duration::from_secs(2);

/// An opened frame source and what the scan screen may offer with it.
#[derive(Debug)]
pub struct Opened<S> {
    pub source: S,
    /// There is another camera to switch to.
    pub can_switch: bool,
}

/// What the two threads have done so far. Once a source has ended by itself, every frame was
/// either decoded or dropped: `frames == decoded + dropped`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Frames the source produced.
    pub frames: u64,
    /// Frames replaced by a newer one before the decoder took them (or left over at `stop`).
    pub dropped: u64,
    /// Frames the decoder scanned.
    pub decoded: u64,
    /// Codes read (each went to `next_scan`, or was replaced by a newer one nobody waited for).
    pub scans: u64,
}

#[derive(Debug, Default)]
struct Counts {
    frames: AtomicU64,
    discarded: AtomicU64,
    decoded: AtomicU64,
    scans: AtomicU64,
}

/// A camera running on two threads over any frame source; nokhwa's devices come from `open`.
/// `stop` or dropping it ends both threads and so releases the device.
pub struct NativeCamera {
    /// Cleared to ask the camera thread to end.
    running: Arc<AtomicBool>,
    frames: Mailbox<Frame>,
    scans: AsyncSlot<Scan>,
    counts: Arc<Counts>,
    threads: Vec<JoinHandle<()>>,
    /// Never sent on: it disconnects once both threads (and the source they held) are gone.
    ended: mpsc::Receiver<()>,
    can_switch: bool,
}

impl fmt::Debug for NativeCamera {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NativeCamera")
            .field("running", &self.running.load(Ordering::Relaxed))
            .field("threads", &self.threads.len())
            .field("can_switch", &self.can_switch)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl NativeCamera {
    /// Starts the camera thread, which calls `open` (so a device is opened, used and released on
    /// one thread) and then reads frames until the source ends or `stop`, and the decoder thread.
    /// Waits, without blocking, until `open` has answered; its error is returned as is.
    pub async fn start<S, F>(open: F) -> Result<Self, CameraError>
    where
        S: FrameSource,
        F: FnOnce() -> Result<Opened<S>, CameraError> + Send + 'static,
    {
        let running = Arc::new(AtomicBool::new(true));
        let frames = Mailbox::new();
        let scans = AsyncSlot::default();
        let counts = Arc::new(Counts::default());
        let (ended_tx, ended) = mpsc::channel::<()>();

        let decoder_end = DecoderEnd { scans: scans.clone(), running: Arc::clone(&running), _ended: ended_tx.clone() };
        let decoded = Arc::clone(&counts);
        let decoder = spawn_decoder(frames.clone(), move |scan| {
            let end = &decoder_end;
            decoded.decoded.fetch_add(1, Ordering::Relaxed);
            if let Some(scan) = scan {
                decoded.scans.fetch_add(1, Ordering::Relaxed);
                end.scans.put(scan);
            }
        })
        .map_err(|e| CameraError::Failed(format!("cannot start the decoder thread: {e}")))?;

        // From here on, dropping `camera` (an error, or the caller giving up) stops both threads.
        let mut camera = Self {
            running: Arc::clone(&running),
            frames: frames.clone(),
            scans,
            counts: Arc::clone(&counts),
            threads: vec![decoder],
            ended,
            can_switch: false,
        };
        let opened: AsyncSlot<Result<bool, CameraError>> = AsyncSlot::default();
        let camera_end = CameraEnd { frames, opened: opened.clone(), _ended: ended_tx };
        let spawned = std::thread::Builder::new().name("kaiku-camera".into()).spawn(move || {
            let end = camera_end;
            let mut source = match open() {
                Ok(Opened { source, can_switch }) => {
                    end.opened.put(Ok(can_switch));
                    source
                }
                Err(e) => {
                    end.opened.put(Err(e));
                    return;
                }
            };
            while running.load(Ordering::Acquire) {
                let Some(frame) = source.next_frame() else { break };
                counts.frames.fetch_add(1, Ordering::Relaxed);
                if !running.load(Ordering::Acquire) {
                    counts.discarded.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                end.frames.put(frame);
            }
            // The device is released before `end` reports the thread gone.
            drop(source);
        });
        match spawned {
            Ok(handle) => camera.threads.push(handle),
            Err(e) => return Err(CameraError::Failed(format!("cannot start the camera thread: {e}"))),
        }
        match opened.take().await {
            Some(Ok(can_switch)) => {
                camera.can_switch = can_switch;
                Ok(camera)
            }
            Some(Err(e)) => Err(e),
            None => Err(CameraError::Failed("the camera thread ended before the camera opened".into())),
        }
    }

    /// What the threads have done so far.
    pub fn stats(&self) -> Stats {
        let read = |n: &AtomicU64| n.load(Ordering::Relaxed);
        Stats {
            frames: read(&self.counts.frames),
            dropped: self.frames.dropped() + read(&self.counts.discarded),
            decoded: read(&self.counts.decoded),
            scans: read(&self.counts.scans),
        }
    }

    /// Stops both threads and waits up to `wait` for them to end; `true` if they did (the device
    /// is then released). `next_scan` answers `None` from now on.
    pub fn stop_within(&mut self, wait: Duration) -> bool {
        self.running.store(false, Ordering::Release);
        self.frames.close();
        if self.frames.try_take().is_some() {
            self.counts.discarded.fetch_add(1, Ordering::Relaxed);
        }
        self.scans.close();
        self.scans.clear();
        if self.threads.is_empty() {
            return true;
        }
        match self.ended.recv_timeout(wait) {
            Err(RecvTimeoutError::Disconnected) => {
                for thread in self.threads.drain(..) {
                    // A thread that panicked has still ended; its guard closed its hand-off.
                    let _ = thread.join();
                }
                true
            }
            Ok(()) | Err(RecvTimeoutError::Timeout) => {
                // Detached: they see the stop after the frame they are on.
                self.threads.clear();
                false
            }
        }
    }
}

impl Drop for NativeCamera {
    fn drop(&mut self) {
        self.stop_within(STOP_WAIT);
    }
}

#[async_trait(?Send)]
impl LiveCamera for NativeCamera {
    async fn next_scan(&mut self) -> Option<Scan> {
        self.scans.take().await
    }

    fn has_torch(&self) -> bool {
        // nokhwa has no torch control.
        false
    }

    async fn set_torch(&mut self, _on: bool) -> Result<(), CameraError> {
        Err(CameraError::NoTorch)
    }

    fn can_switch(&self) -> bool {
        self.can_switch
    }

    fn stop(&mut self) {
        self.stop_within(STOP_WAIT);
    }
}

/// Owned by the camera thread: when it ends (source ended, stop, open failed, or a panic) the
/// decoder is told no frames will come and a waiting `start` is answered.
struct CameraEnd {
    frames: Mailbox<Frame>,
    opened: AsyncSlot<Result<bool, CameraError>>,
    _ended: mpsc::Sender<()>,
}

impl Drop for CameraEnd {
    fn drop(&mut self) {
        self.frames.close();
        self.opened.close();
    }
}

/// Owned by the decoder's callback: when the decoder ends (or panics) `next_scan` ends after
/// the last scan, and the camera thread stops reading frames nobody would scan.
struct DecoderEnd {
    scans: AsyncSlot<Scan>,
    running: Arc<AtomicBool>,
    _ended: mpsc::Sender<()>,
}

impl Drop for DecoderEnd {
    fn drop(&mut self) {
        self.running.store(false, Ordering::Release);
        self.scans.close();
    }
}

/// The async twin of `Mailbox`: one slot holding the newest item, taken by one task that
/// awaits it (the UI's `next_scan`), put by a thread.
struct AsyncSlot<T> {
    inner: Arc<Mutex<SlotState<T>>>,
}

struct SlotState<T> {
    item: Option<T>,
    closed: bool,
    waker: Option<Waker>,
}

impl<T> Default for AsyncSlot<T> {
    fn default() -> Self {
        Self { inner: Arc::new(Mutex::new(SlotState { item: None, closed: false, waker: None })) }
    }
}

impl<T> Clone for AsyncSlot<T> {
    fn clone(&self) -> Self {
        Self { inner: Arc::clone(&self.inner) }
    }
}

impl<T> AsyncSlot<T> {
    fn state(&self) -> MutexGuard<'_, SlotState<T>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Puts the newest item, replacing one not yet taken; ignored once closed.
    fn put(&self, item: T) {
        let mut state = self.state();
        if state.closed {
            return;
        }
        state.item = Some(item);
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// No more items: the taker gets the one left, then `None`.
    fn close(&self) {
        let mut state = self.state();
        state.closed = true;
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Drops an item not yet taken.
    fn clear(&self) {
        self.state().item = None;
    }

    fn poll_take(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut state = self.state();
        if let Some(item) = state.item.take() {
            return Poll::Ready(Some(item));
        }
        if state.closed {
            return Poll::Ready(None);
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
    }

    /// Waits for the newest item; `None` once closed and empty.
    async fn take(&self) -> Option<T> {
        std::future::poll_fn(|cx| self.poll_take(cx)).await
    }
}

/// The pixels of one camera image as they come from the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelFormat {
    /// Packed 4:2:2, `Y0 U Y1 V`.
    Yuyv,
    /// 4:2:0, a full luma plane then interleaved chroma.
    Nv12,
    Gray,
    Rgb,
    Bgr,
    /// Motion JPEG: every image a JPEG.
    Mjpeg,
}

impl PixelFormat {
    /// How costly the luma is to get: lower is cheaper (a plane to copy, a sum, a JPEG decode).
    fn cost(self) -> u8 {
        match self {
            Self::Gray | Self::Nv12 | Self::Yuyv => 0,
            Self::Rgb | Self::Bgr => 1,
            Self::Mjpeg => 2,
        }
    }
}

/// Why an image could not become a frame (that image is skipped).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    #[error("a {format:?} image of {width} x {height} needs {needed} bytes, got {got}")]
    Short { format: PixelFormat, width: u32, height: u32, needed: usize, got: usize },
    #[error("the JPEG image cannot be decoded: {0}")]
    Jpeg(String),
    #[error(transparent)]
    Frame(#[from] super::FrameError),
}

/// One camera image as a greyscale frame. YUYV, NV12 and grey images give their luma bytes as
/// they are; RGB is weighted (BT.601, as `decode::rgba_to_luma`); MJPEG is decoded by nokhwa
/// (`camera` feature) and then weighted.
pub fn to_frame(format: PixelFormat, width: u32, height: u32, data: &[u8]) -> Result<Frame, ConvertError> {
    let pixels = usize::try_from(u64::from(width) * u64::from(height)).unwrap_or(usize::MAX);
    let bytes_per_pixel = match format {
        PixelFormat::Gray | PixelFormat::Nv12 | PixelFormat::Mjpeg => 1,
        PixelFormat::Yuyv => 2,
        PixelFormat::Rgb | PixelFormat::Bgr => 3,
    };
    let needed = pixels.saturating_mul(bytes_per_pixel);
    let short = |needed: usize, got: usize| ConvertError::Short { format, width, height, needed, got };
    let luma = match format {
        PixelFormat::Gray | PixelFormat::Nv12 => data.get(..needed).ok_or(short(needed, data.len()))?.to_vec(),
        PixelFormat::Yuyv => data.get(..needed).ok_or(short(needed, data.len()))?.iter().step_by(2).copied().collect(),
        PixelFormat::Rgb => rgb_luma(data.get(..needed).ok_or(short(needed, data.len()))?, [0, 1, 2]),
        PixelFormat::Bgr => rgb_luma(data.get(..needed).ok_or(short(needed, data.len()))?, [2, 1, 0]),
        PixelFormat::Mjpeg => {
            let rgb = decode_mjpeg(data)?;
            let needed = pixels.saturating_mul(3);
            rgb_luma(rgb.get(..needed).ok_or(short(needed, rgb.len()))?, [0, 1, 2])
        }
    };
    Ok(Frame::new(luma, width, height)?)
}

/// BT.601 luma of packed 3-byte pixels; `order` gives the R, G and B byte of each.
fn rgb_luma(data: &[u8], [r, g, b]: [usize; 3]) -> Vec<u8> {
    data.chunks_exact(3)
        .map(|p| ((306 * u32::from(p[r]) + 601 * u32::from(p[g]) + 117 * u32::from(p[b])) >> 10) as u8)
        .collect()
}

#[cfg(feature = "camera")]
fn decode_mjpeg(data: &[u8]) -> Result<Vec<u8>, ConvertError> {
    // mozjpeg reports errors as values, but a broken JPEG from a device must never take the
    // camera thread down.
    std::panic::catch_unwind(|| nokhwa::utils::mjpeg_to_rgb(data, false))
        .map_err(|_| ConvertError::Jpeg("the decoder panicked".into()))?
        .map_err(|e| ConvertError::Jpeg(e.to_string()))
}

#[cfg(not(feature = "camera"))]
fn decode_mjpeg(_data: &[u8]) -> Result<Vec<u8>, ConvertError> {
    Err(ConvertError::Jpeg("built without the camera feature".into()))
}

/// The resolution the decoder is best served by: a 124-character QR credential or a printed
/// card's Code 39 held at arm's length is readable, and a frame decodes in tens of ms.
const WANTED: (u32, u32) = (1280, 720);
/// Below this the door feels the lag.
const MIN_FPS: u32 = 15;

/// Picks a capture mode from `(width, height, fps, format)`: at least `MIN_FPS` if any mode has
/// it, then the pixel count closest to 1280 x 720, then the cheaper luma, then more fps.
pub fn choose_mode(modes: &[(u32, u32, u32, PixelFormat)]) -> Option<usize> {
    let wanted = i64::from(WANTED.0) * i64::from(WANTED.1);
    modes
        .iter()
        .enumerate()
        .min_by_key(|(_, (w, h, fps, format))| {
            let distance = (i64::from(*w) * i64::from(*h) - wanted).abs();
            (*fps < MIN_FPS, distance, format.cost(), std::cmp::Reverse(*fps))
        })
        .map(|(i, _)| i)
}

/// Sorts an error message of a camera backend (V4L2's errno text, Media Foundation's HRESULT,
/// AVFoundation's words) into the scan screen's cases.
pub fn classify(message: &str) -> CameraError {
    let lower = message.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["permission", "denied", "not authorized", "unauthorized", "os error 13)", "0x80070005"]) {
        CameraError::Denied
    } else if has(&["busy", "in use", "os error 16)", "0xc00d3704"]) {
        CameraError::Busy
    } else if has(&["no such file", "no such device", "os error 2)", "os error 19)", "not found", "no camera"]) {
        CameraError::NoCamera
    } else {
        CameraError::Failed(message.to_owned())
    }
}

/// The cameras to offer, by index into the backend's list: the first node of each device name
/// (V4L2 lists a webcam's metadata node under the same name as its picture node).
pub fn distinct_cameras(names: &[String]) -> Vec<usize> {
    let mut seen: Vec<&str> = Vec::new();
    names
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            if seen.contains(&name.as_str()) {
                None
            } else {
                seen.push(name);
                Some(i)
            }
        })
        .collect()
}

/// Which of `count` cameras looks which way: the first is the back one, the second the front
/// one (a desktop cannot tell; with one camera both are that one).
pub fn facing_slot(count: usize, facing: super::Facing) -> usize {
    match facing {
        super::Facing::Front if count > 1 => 1,
        _ => 0,
    }
}

#[cfg(feature = "camera")]
pub use device::open;

/// nokhwa's devices.
#[cfg(feature = "camera")]
mod device {
    use std::panic::AssertUnwindSafe;
    use std::time::Duration;

    use dioxus::logger::tracing::warn;
    use nokhwa::pixel_format::LumaFormat;
    use nokhwa::utils::{ApiBackend, FrameFormat, RequestedFormat, RequestedFormatType};
    use nokhwa::{Camera, NokhwaError};

    use super::{NativeCamera, Opened, PixelFormat, choose_mode, classify, distinct_cameras, facing_slot, to_frame};
    use crate::camera::{CameraError, Frame, FrameSource, LiveCamera, LiveOptions};

    /// Images in a row that may fail to convert before the camera counts as broken.
    const MAX_BAD_IMAGES: u32 = 30;
    /// How long the operating system's camera permission prompt may stay unanswered (macOS).
    const PERMISSION_WAIT: Duration = Duration::from_secs(120);

    /// Opens the desktop camera facing `opts.facing` and starts scanning.
    pub async fn open(opts: LiveOptions) -> Result<Box<dyn LiveCamera>, CameraError> {
        let camera = NativeCamera::start(move || open_device(opts.facing)).await?;
        Ok(Box::new(camera))
    }

    fn error(e: &NokhwaError) -> CameraError {
        match e {
            NokhwaError::UnsupportedOperationError(_) | NokhwaError::NotImplementedError(_) => CameraError::NoCamera,
            other => classify(&other.to_string()),
        }
    }

    fn pixel_format(format: FrameFormat) -> PixelFormat {
        match format {
            FrameFormat::YUYV => PixelFormat::Yuyv,
            FrameFormat::NV12 => PixelFormat::Nv12,
            FrameFormat::GRAY => PixelFormat::Gray,
            FrameFormat::RAWRGB => PixelFormat::Rgb,
            FrameFormat::RAWBGR => PixelFormat::Bgr,
            FrameFormat::MJPEG => PixelFormat::Mjpeg,
        }
    }

    /// On the camera thread: asks for permission where the system wants it, picks the camera
    /// and its mode, starts the stream.
    fn open_device(facing: crate::camera::Facing) -> Result<Opened<NokhwaSource>, CameraError> {
        if !nokhwa::nokhwa_check() {
            let (tx, rx) = std::sync::mpsc::channel();
            nokhwa::nokhwa_initialize(move |granted| {
                let _ = tx.send(granted);
            });
            if rx.recv_timeout(PERMISSION_WAIT) != Ok(true) {
                return Err(CameraError::Denied);
            }
        }
        let cameras = nokhwa::query(ApiBackend::Auto).map_err(|e| error(&e))?;
        let names: Vec<String> = cameras.iter().map(|c| c.human_name()).collect();
        let distinct = distinct_cameras(&names);
        let chosen = distinct.get(facing_slot(distinct.len(), facing)).and_then(|&i| cameras.get(i));
        let info = chosen.ok_or(CameraError::NoCamera)?;
        let request = RequestedFormat::new::<LumaFormat>(RequestedFormatType::None);
        let camera = Camera::new(info.index().clone(), request).map_err(|e| error(&e))?;
        let mut source = NokhwaSource { camera: Some(camera), bad_images: 0 };
        let camera = source.camera.as_mut().ok_or(CameraError::NoCamera)?;
        match camera.compatible_camera_formats() {
            Ok(formats) => {
                let modes: Vec<_> =
                    formats.iter().map(|f| (f.width(), f.height(), f.frame_rate(), pixel_format(f.format()))).collect();
                if let Some(best) = choose_mode(&modes).and_then(|i| formats.get(i).copied())
                    && best != camera.camera_format()
                    && let Err(e) =
                        camera.set_camera_requset(RequestedFormat::new::<LumaFormat>(RequestedFormatType::Exact(best)))
                {
                    warn!("camera: keeping {}, {best} refused: {e}", camera.camera_format());
                }
            }
            Err(e) => warn!("camera: cannot list its modes, keeping {}: {e}", camera.camera_format()),
        }
        camera.open_stream().map_err(|e| error(&e))?;
        Ok(Opened { source, can_switch: distinct.len() > 1 })
    }

    /// A nokhwa camera as a frame source; it ends (and releases the device) on a read error.
    struct NokhwaSource {
        camera: Option<Camera>,
        bad_images: u32,
    }

    impl NokhwaSource {
        fn release(&mut self) {
            if let Some(mut camera) = self.camera.take() {
                let _ = camera.stop_stream();
                // nokhwa's Drop unwraps a second stop_stream: keep a failing one off the thread.
                let _ = std::panic::catch_unwind(AssertUnwindSafe(move || drop(camera)));
            }
        }
    }

    impl FrameSource for NokhwaSource {
        fn next_frame(&mut self) -> Option<Frame> {
            loop {
                let image = self.camera.as_mut()?.frame();
                let converted = match image {
                    Ok(buffer) => {
                        let resolution = buffer.resolution();
                        to_frame(
                            pixel_format(buffer.source_frame_format()),
                            resolution.width(),
                            resolution.height(),
                            buffer.buffer(),
                        )
                    }
                    Err(e) => {
                        warn!("camera: {e}; stopping");
                        self.release();
                        return None;
                    }
                };
                match converted {
                    Ok(frame) => {
                        self.bad_images = 0;
                        return Some(frame);
                    }
                    Err(e) => {
                        self.bad_images += 1;
                        if self.bad_images >= MAX_BAD_IMAGES {
                            warn!("camera: {MAX_BAD_IMAGES} images in a row unusable ({e}); stopping");
                            self.release();
                            return None;
                        }
                    }
                }
            }
        }
    }

    impl Drop for NokhwaSource {
        fn drop(&mut self) {
            self.release();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::time::Instant;

    use kaiku_core::{CardId, EntryMethod, KaikuId, ScanInput};
    use qrcode::{Color, QrCode};

    use super::*;
    use crate::camera::{Facing, MemorySource};

    /// A card ID drawn as a QR code, 4 pixels a module with a 4-module quiet zone, on a larger
    /// grey frame.
    fn qr_frame(text: &str) -> Frame {
        let code = QrCode::new(text.as_bytes()).expect("encodes");
        let modules = code.width();
        let colors = code.to_colors();
        let (scale, margin) = (4, 40);
        let size = modules * scale + 2 * margin;
        let mut luma = vec![255u8; size * size];
        for (i, color) in colors.iter().enumerate() {
            if *color == Color::Dark {
                let (mx, my) = (i % modules, i / modules);
                for y in 0..scale {
                    let row = (margin + my * scale + y) * size + margin + mx * scale;
                    luma[row..row + scale].fill(0);
                }
            }
        }
        Frame::new(luma, size as u32, size as u32).expect("frame")
    }

    fn card() -> CardId {
        CardId::from(KaikuId::new('A', 99_912_345).expect("valid"))
    }

    fn memory(frames: Vec<Frame>) -> impl FnOnce() -> Result<Opened<MemorySource>, CameraError> + Send + 'static {
        move || Ok(Opened { source: MemorySource::new(frames), can_switch: false })
    }

    /// A camera that never ends by itself: a frame every few ms, and a flag raised when the
    /// source is dropped (the device released).
    #[derive(Debug)]
    struct Endless {
        frame: Frame,
        served: Arc<AtomicUsize>,
        released: Arc<AtomicBool>,
    }

    impl FrameSource for Endless {
        fn next_frame(&mut self) -> Option<Frame> {
            std::thread::sleep(Duration::from_millis(3));
            self.served.fetch_add(1, Ordering::Relaxed);
            Some(self.frame.clone())
        }
    }

    impl Drop for Endless {
        fn drop(&mut self) {
            self.released.store(true, Ordering::Release);
        }
    }

    fn endless() -> (Endless, Arc<AtomicUsize>, Arc<AtomicBool>) {
        let served = Arc::new(AtomicUsize::new(0));
        let released = Arc::new(AtomicBool::new(false));
        let frame = qr_frame(&card().to_string());
        (Endless { frame, served: Arc::clone(&served), released: Arc::clone(&released) }, served, released)
    }

    /// `next_scan` with a limit, so a broken hand-off fails the test instead of hanging it.
    async fn next(camera: &mut NativeCamera) -> Option<Scan> {
        tokio::time::timeout(Duration::from_secs(20), camera.next_scan()).await.expect("next_scan answers")
    }

    #[tokio::test]
    async fn scans_arrive_through_next_scan_then_none_when_the_source_ends() {
        let frames = vec![qr_frame(&card().to_string()); 5];
        let mut camera = NativeCamera::start(memory(frames)).await.expect("starts");
        let scan = next(&mut camera).await.expect("a scan");
        assert_eq!(scan.input, ScanInput::PlainId(card()));
        assert_eq!(scan.method, EntryMethod::Qr);
        // The newest scan only: the source has ended, so after the one left comes the end.
        while next(&mut camera).await.is_some() {}
        assert!(camera.stop_within(Duration::from_secs(5)), "threads end");
        let stats = camera.stats();
        assert_eq!(stats.frames, 5);
        assert_eq!(stats.decoded + stats.dropped, 5, "{stats:?}");
        assert!(stats.scans >= 1 && stats.scans <= stats.decoded, "{stats:?}");
    }

    #[tokio::test]
    async fn stale_frames_are_dropped_not_queued() {
        // The source puts 40 frames in microseconds; scanning one takes milliseconds.
        let mut frames = vec![Frame::new(vec![128; 320 * 240], 320, 240).expect("frame"); 39];
        frames.push(qr_frame(&card().to_string()));
        let mut camera = NativeCamera::start(memory(frames)).await.expect("starts");
        // The newest frame is never dropped: its code is read.
        assert_eq!(next(&mut camera).await.map(|s| s.input), Some(ScanInput::PlainId(card())));
        assert_eq!(next(&mut camera).await, None);
        assert!(camera.stop_within(Duration::from_secs(5)));
        let stats = camera.stats();
        assert_eq!(stats.frames, 40);
        assert_eq!(stats.decoded + stats.dropped, 40, "{stats:?}");
        assert!(stats.dropped > 0 && stats.decoded < 40, "stale frames were queued: {stats:?}");
    }

    #[tokio::test]
    async fn stop_ends_both_threads_releases_the_source_and_ends_next_scan() {
        let (source, served, released) = endless();
        let mut camera = NativeCamera::start(move || Ok(Opened { source, can_switch: true })).await.expect("starts");
        assert!(camera.can_switch());
        assert!(next(&mut camera).await.is_some());
        let started = Instant::now();
        assert!(camera.stop_within(Duration::from_secs(5)), "both threads joined");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(released.load(Ordering::Acquire), "the source is dropped by the time stop returns");
        let after = served.load(Ordering::Relaxed);
        assert_eq!(next(&mut camera).await, None);
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(served.load(Ordering::Relaxed), after, "no frames read after stop");
        // Stopping again (and dropping) is harmless.
        LiveCamera::stop(&mut camera);
        assert_eq!(camera.next_scan().await, None);
    }

    #[tokio::test]
    async fn dropping_the_camera_releases_the_source() {
        let (source, _, released) = endless();
        let mut camera: Box<dyn LiveCamera> =
            Box::new(NativeCamera::start(move || Ok(Opened { source, can_switch: false })).await.expect("starts"));
        assert!(tokio::time::timeout(Duration::from_secs(20), camera.next_scan()).await.expect("answers").is_some());
        drop(camera);
        assert!(released.load(Ordering::Acquire));
    }

    #[tokio::test]
    async fn a_source_that_cannot_open_is_its_error() {
        for error in [CameraError::NoCamera, CameraError::Denied, CameraError::Busy] {
            let expected = error.clone();
            let result = NativeCamera::start(move || Err::<Opened<MemorySource>, _>(error)).await;
            assert_eq!(result.map(|_| ()), Err(expected));
        }
    }

    /// Serves a few frames, then fails like a camera unplugged; it must not be asked again.
    #[derive(Debug)]
    struct Breaking {
        left: usize,
        failed: bool,
    }

    impl FrameSource for Breaking {
        fn next_frame(&mut self) -> Option<Frame> {
            assert!(!self.failed, "a failed source is not read again");
            if self.left == 0 {
                self.failed = true;
                return None;
            }
            self.left -= 1;
            Some(qr_frame(&card().to_string()))
        }
    }

    #[tokio::test]
    async fn a_source_that_fails_ends_cleanly() {
        let source = Breaking { left: 3, failed: false };
        let mut camera = NativeCamera::start(move || Ok(Opened { source, can_switch: false })).await.expect("starts");
        let mut scans = 0;
        while next(&mut camera).await.is_some() {
            scans += 1;
        }
        assert!((1..=3).contains(&scans), "{scans}");
        assert!(camera.stop_within(Duration::from_secs(5)));
        assert_eq!(camera.stats().frames, 3);
    }

    /// A source that panics (a driver bug) ends the camera too, instead of hanging `next_scan`.
    #[derive(Debug)]
    struct Panicking;

    impl FrameSource for Panicking {
        fn next_frame(&mut self) -> Option<Frame> {
            panic!("driver bug (expected by the test)")
        }
    }

    #[tokio::test]
    async fn a_source_that_panics_ends_cleanly() {
        let mut camera =
            NativeCamera::start(|| Ok(Opened { source: Panicking, can_switch: false })).await.expect("starts");
        assert_eq!(next(&mut camera).await, None);
        assert!(camera.stop_within(Duration::from_secs(5)));
        let result =
            NativeCamera::start(|| -> Result<Opened<Panicking>, CameraError> { panic!("open bug (expected)") });
        assert!(matches!(result.await, Err(CameraError::Failed(_))));
    }

    #[tokio::test]
    async fn there_is_no_torch() {
        let mut camera = NativeCamera::start(memory(vec![])).await.expect("starts");
        assert!(!camera.has_torch());
        assert_eq!(camera.set_torch(true).await, Err(CameraError::NoTorch));
        assert!(!camera.can_switch());
    }

    #[test]
    fn luma_is_taken_without_a_colour_decode() {
        // 2 x 2 pixels.
        let yuyv = [10, 128, 20, 128, 30, 128, 40, 128];
        assert_eq!(to_frame(PixelFormat::Yuyv, 2, 2, &yuyv).expect("yuyv").luma(), &[10, 20, 30, 40]);
        let nv12 = [1, 2, 3, 4, 128, 128];
        assert_eq!(to_frame(PixelFormat::Nv12, 2, 2, &nv12).expect("nv12").luma(), &[1, 2, 3, 4]);
        assert_eq!(to_frame(PixelFormat::Gray, 2, 2, &[5, 6, 7, 8]).expect("gray").luma(), &[5, 6, 7, 8]);
        let rgb = [255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255];
        let bgr = [255, 255, 255, 0, 0, 0, 0, 0, 255, 255, 0, 0];
        let expected = [255, 0, 76, 29];
        assert_eq!(to_frame(PixelFormat::Rgb, 2, 2, &rgb).expect("rgb").luma(), &expected);
        assert_eq!(to_frame(PixelFormat::Bgr, 2, 2, &bgr).expect("bgr").luma(), &expected);
    }

    #[test]
    fn short_or_empty_images_are_errors_not_panics() {
        for format in [PixelFormat::Yuyv, PixelFormat::Nv12, PixelFormat::Gray, PixelFormat::Rgb, PixelFormat::Bgr] {
            assert!(matches!(to_frame(format, 4, 4, &[0; 5]), Err(ConvertError::Short { .. })), "{format:?}");
            assert!(to_frame(format, 0, 4, &[]).is_err(), "{format:?}");
        }
        assert!(matches!(to_frame(PixelFormat::Mjpeg, 16, 16, &[0xff, 0xd8, 0xff]), Err(ConvertError::Jpeg(_))));
        assert!(to_frame(PixelFormat::Yuyv, u32::MAX, u32::MAX, &[0; 8]).is_err());
    }

    /// A 16 x 16 colour (4:2:0) JPEG, black left half, white right half, as webcams send.
    #[cfg(feature = "camera")]
    const HALVES_JPEG: &[u8] = &[
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
        0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x03, 0x02, 0x02, 0x03, 0x02, 0x02, 0x03, 0x03, 0x03, 0x03, 0x04,
        0x03, 0x03, 0x04, 0x05, 0x08, 0x05, 0x05, 0x04, 0x04, 0x05, 0x0a, 0x07, 0x07, 0x06, 0x08, 0x0c, 0x0a, 0x0c,
        0x0c, 0x0b, 0x0a, 0x0b, 0x0b, 0x0d, 0x0e, 0x12, 0x10, 0x0d, 0x0e, 0x11, 0x0e, 0x0b, 0x0b, 0x10, 0x16, 0x10,
        0x11, 0x13, 0x14, 0x15, 0x15, 0x15, 0x0c, 0x0f, 0x17, 0x18, 0x16, 0x14, 0x18, 0x12, 0x14, 0x15, 0x14, 0xff,
        0xdb, 0x00, 0x43, 0x01, 0x03, 0x04, 0x04, 0x05, 0x04, 0x05, 0x09, 0x05, 0x05, 0x09, 0x14, 0x0d, 0x0b, 0x0d,
        0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14,
        0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14,
        0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0xff, 0xc0, 0x00, 0x11,
        0x08, 0x00, 0x10, 0x00, 0x10, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xc4, 0x00,
        0x15, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x0a, 0x09, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x11, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x0c,
        0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, 0x95, 0x45, 0x50, 0x2a, 0xe5, 0x50, 0x0f, 0xff,
        0xd9,
    ];

    #[cfg(feature = "camera")]
    #[test]
    fn mjpeg_is_decoded_to_luma() {
        let frame = to_frame(PixelFormat::Mjpeg, 16, 16, HALVES_JPEG).expect("decodes");
        for row in frame.luma().chunks(16) {
            assert!(row[..6].iter().all(|&p| p < 30), "{row:?}");
            assert!(row[10..].iter().all(|&p| p > 225), "{row:?}");
        }
        // The same bytes cut short are skipped, not a panic.
        assert!(to_frame(PixelFormat::Mjpeg, 16, 16, &HALVES_JPEG[..HALVES_JPEG.len() / 2]).is_err());
    }

    #[test]
    fn the_mode_is_about_720p_fast_and_cheap() {
        use PixelFormat::*;
        let modes = [
            (1920, 1080, 30, Mjpeg),
            (1280, 720, 10, Yuyv),
            (1280, 720, 30, Mjpeg),
            (640, 480, 30, Yuyv),
            (320, 240, 30, Yuyv),
        ];
        assert_eq!(choose_mode(&modes), Some(2));
        let modes = [(1280, 720, 30, Mjpeg), (1280, 720, 30, Yuyv), (1280, 720, 60, Mjpeg)];
        assert_eq!(choose_mode(&modes), Some(1), "same size: luma for free");
        // Only slow modes: the nearest size all the same.
        assert_eq!(choose_mode(&[(640, 480, 5, Yuyv), (1280, 720, 10, Yuyv)]), Some(1));
        assert_eq!(choose_mode(&[]), None);
    }

    #[test]
    fn backend_messages_become_the_screens_cases() {
        let cases = [
            ("Could not open device 0: Permission denied (os error 13)", CameraError::Denied),
            ("Could not open device stream: Device or resource busy (os error 16)", CameraError::Busy),
            ("Could not open device 0: No such file or directory (os error 2)", CameraError::NoCamera),
            ("Could not open device 1: No such device (os error 19)", CameraError::NoCamera),
            ("Error: Camera access is not authorized", CameraError::Denied),
            ("Could not capture frame: Input/output error (os error 5)", CameraError::Failed(String::new())),
        ];
        for (message, expected) in cases {
            match (classify(message), expected) {
                (CameraError::Failed(m), CameraError::Failed(_)) => assert_eq!(m, message),
                (got, expected) => assert_eq!(got, expected, "{message}"),
            }
        }
    }

    #[test]
    fn cameras_are_told_apart_by_name_and_facing_by_order() {
        let names = ["Integrated C", "Integrated C", "USB Camera", "USB Camera"].map(String::from);
        assert_eq!(distinct_cameras(&names), vec![0, 2]);
        assert_eq!(facing_slot(2, Facing::Back), 0);
        assert_eq!(facing_slot(2, Facing::Front), 1);
        assert_eq!(facing_slot(1, Facing::Front), 0);
    }

    /// Without a camera (as on this build machine) opening says so; with one, it runs and stops.
    #[cfg(feature = "camera")]
    #[tokio::test]
    async fn opening_the_real_camera_never_panics() {
        let no_devices = cfg!(target_os = "linux")
            && std::fs::read_dir("/dev")
                .map(|d| !d.flatten().any(|e| e.file_name().to_string_lossy().starts_with("video")))
                .unwrap_or(true);
        match open(crate::camera::LiveOptions::default()).await {
            Ok(mut camera) => camera.stop(),
            Err(e) if no_devices => assert_eq!(e, CameraError::NoCamera),
            Err(_) => {}
        }
    }
}
