//! What the camera backends offer and say, sorted for the scan screen: which camera looks which
//! way, which capture mode to ask for, and what an error message means.

use super::PixelFormat;
use crate::camera::{CameraError, Facing};

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
pub fn facing_slot(count: usize, facing: Facing) -> usize {
    match facing {
        Facing::Front if count > 1 => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
