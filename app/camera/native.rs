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
//! frames held in memory (`tests`); the pixel formats devices send are in `pixels`, the choice
//! of camera and mode and the backends' error messages in `backend`, and nokhwa itself sits
//! behind the `camera` feature (`device`, `open`).

mod backend;
#[cfg(feature = "camera")]
mod device;
mod pixels;
mod slot;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use async_trait::async_trait;

pub use backend::{choose_mode, classify, distinct_cameras, facing_slot};
#[cfg(feature = "camera")]
pub use device::open;
pub use pixels::{ConvertError, PixelFormat, to_frame};
use slot::AsyncSlot;

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
