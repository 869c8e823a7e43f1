//! nokhwa's devices: permission, the camera and its mode, frames read on the camera thread.

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Without a camera (as on this build machine) opening says so; with one, it runs and stops.
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
