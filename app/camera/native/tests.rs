//! The two threads over frames held in memory: scans arrive, stale frames are dropped, stop and
//! drop release the source, broken sources end cleanly.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kaiku_core::{CardId, EntryMethod, KaikuId, ScanInput};
use qrcode::{Color, QrCode};

use super::{NativeCamera, Opened};
use crate::camera::{CameraError, Frame, FrameSource, LiveCamera, MemorySource, Scan};
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
    let mut camera = NativeCamera::start(|| Ok(Opened { source: Panicking, can_switch: false })).await.expect("starts");
    assert_eq!(next(&mut camera).await, None);
    assert!(camera.stop_within(Duration::from_secs(5)));
    let result = NativeCamera::start(|| -> Result<Opened<Panicking>, CameraError> { panic!("open bug (expected)") });
    assert!(matches!(result.await, Err(CameraError::Failed(_))));
}

#[tokio::test]
async fn there_is_no_torch() {
    let mut camera = NativeCamera::start(memory(vec![])).await.expect("starts");
    assert!(!camera.has_torch());
    assert_eq!(camera.set_torch(true).await, Err(CameraError::NoTorch));
    assert!(!camera.can_switch());
}
