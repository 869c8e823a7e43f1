//! Camera images as the devices send them, turned into greyscale frames.

use crate::camera::{Frame, FrameError};

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
    pub(super) fn cost(self) -> u8 {
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
    Frame(#[from] FrameError),
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
