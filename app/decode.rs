//! Reading card codes from images: QR codes (credentials, printed IDs), Code 39 and Code 128
//! barcodes, with `rxing`. Bad frames give `None`, never a panic.

use std::collections::HashSet;

use rxing::{BarcodeFormat, DecodeHints};

/// The barcode family a code was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbology {
    Qr,
    Code39,
    Code128,
}

impl Symbology {
    /// The card's symbologies by rxing's name; `None` for any other kind of code.
    pub fn from_format(format: &BarcodeFormat) -> Option<Self> {
        match format {
            BarcodeFormat::QR_CODE => Some(Self::Qr),
            BarcodeFormat::CODE_39 => Some(Self::Code39),
            BarcodeFormat::CODE_128 => Some(Self::Code128),
            _ => None,
        }
    }
}

/// A code read from a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub symbology: Symbology,
}

/// Reads the first card code in an 8-bit greyscale frame of `width` x `height`.
pub fn decode_luma(luma: &[u8], width: u32, height: u32) -> Option<Decoded> {
    let needed = usize::try_from(u64::from(width) * u64::from(height)).ok()?;
    if width == 0 || height == 0 || luma.len() < needed {
        return None;
    }
    let mut hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE, BarcodeFormat::CODE_39, BarcodeFormat::CODE_128])),
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let frame = &luma[..needed];
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rxing::helpers::detect_in_luma_slice_with_hints(frame, width, height, None, &mut hints)
    }))
    .ok()?
    .ok()?;
    let symbology = Symbology::from_format(result.getBarcodeFormat())?;
    Some(Decoded { text: result.getText().to_owned(), symbology })
}

/// Greyscale of RGBA pixels (as a canvas gives them), by the usual luma weights.
pub fn rgba_to_luma(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| {
            let (r, g, b, a) = (u32::from(p[0]), u32::from(p[1]), u32::from(p[2]), u32::from(p[3]));
            let y = (306 * r + 601 * g + 117 * b) >> 10;
            // Transparent pixels read as white paper.
            ((y * a + 255 * (255 - a)) / 255) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_short_or_blank_frames_give_nothing() {
        assert_eq!(decode_luma(&[], 0, 0), None);
        assert_eq!(decode_luma(&[255; 10], 100, 100), None);
        assert_eq!(decode_luma(&vec![255; 100 * 100], 100, 100), None);
    }

    #[test]
    fn transparent_pixels_read_as_white() {
        assert_eq!(rgba_to_luma(&[0, 0, 0, 0, 0, 0, 0, 255]), vec![255, 0]);
    }
}
