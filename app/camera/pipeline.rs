//! Frame -> card scan: `rxing` first, `rqrr` as a second opinion on QR codes only when rxing
//! finds nothing, then a contrast-stretched retry for washed-out frames; the text is sorted by
//! `ScanInput::parse` and the symbology becomes the redemption's entry method.

use kaiku_core::{EntryMethod, ScanInput};

use super::Frame;
use crate::decode::{Symbology, decode_luma};

/// Which decoder read the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Rxing,
    Rqrr,
    /// rxing on the frame after a contrast stretch.
    RxingStretched,
}

/// A card code read from a frame, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub text: String,
    pub input: ScanInput,
    pub method: EntryMethod,
    pub reader: Reader,
}

/// Reads a frame; `None` when no code could be read (the camera simply moves on).
pub fn scan_frame(frame: &Frame) -> Option<Scan> {
    let (w, h) = (frame.width(), frame.height());
    let (text, symbology, reader) = if let Some(d) = decode_luma(frame.luma(), w, h) {
        (d.text, d.symbology, Reader::Rxing)
    } else if let Some(text) = decode_rqrr(frame) {
        (text, Symbology::Qr, Reader::Rqrr)
    } else {
        let stretched = stretch_contrast(frame.luma())?;
        let d = decode_luma(&stretched, w, h)?;
        (d.text, d.symbology, Reader::RxingStretched)
    };
    let method = match symbology {
        Symbology::Qr => EntryMethod::Qr,
        Symbology::Code39 | Symbology::Code128 => EntryMethod::Barcode,
    };
    Some(Scan { input: ScanInput::parse(&text), text, method, reader })
}

/// QR codes by `rqrr`; it has panicked on real photos, so a panic is caught as "nothing read".
fn decode_rqrr(frame: &Frame) -> Option<String> {
    let (w, h) = (usize::try_from(frame.width()).ok()?, usize::try_from(frame.height()).ok()?);
    let luma = frame.luma();
    std::panic::catch_unwind(|| {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| luma[y * w + x]);
        img.detect_grids().into_iter().find_map(|grid| grid.decode().ok().map(|(_, text)| text))
    })
    .ok()
    .flatten()
}

/// The frame with its 1st..99th percentile brightness stretched to full range; `None` when
/// the frame already uses most of the range (a retry would read nothing new).
pub fn stretch_contrast(luma: &[u8]) -> Option<Vec<u8>> {
    let mut histogram = [0usize; 256];
    for &p in luma {
        histogram[usize::from(p)] += 1;
    }
    let cut = luma.len() / 100;
    let percentile = |from_top: bool| {
        let mut seen = 0;
        let mut levels: Box<dyn Iterator<Item = usize>> =
            if from_top { Box::new((0..256).rev()) } else { Box::new(0..256) };
        levels.find(|&v| {
            seen += histogram[v];
            seen > cut
        })
    };
    let (lo, hi) = (percentile(false)?, percentile(true)?);
    if hi <= lo || hi - lo > 160 {
        return None;
    }
    let table: Vec<u8> = (0..256usize)
        .map(|v| (v.clamp(lo, hi) - lo).saturating_mul(255).checked_div(hi - lo).unwrap_or(0) as u8)
        .collect();
    Some(luma.iter().map(|&p| table[usize::from(p)]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_tiny_frames_read_nothing() {
        for (w, h, v) in [(1, 1, 0), (2, 3, 255), (64, 48, 128)] {
            let frame = Frame::new(vec![v; w * h], w as u32, h as u32).expect("frame");
            assert_eq!(scan_frame(&frame), None);
        }
    }

    #[test]
    fn low_contrast_is_stretched_and_full_contrast_is_left_alone() {
        let dull: Vec<u8> = (0..1000).map(|i| 100 + (i % 50) as u8).collect();
        let stretched = stretch_contrast(&dull).expect("stretches");
        assert_eq!((stretched.iter().min(), stretched.iter().max()), (Some(&0), Some(&255)));
        let full: Vec<u8> = (0..1000).map(|i| (i % 256) as u8).collect();
        assert_eq!(stretch_contrast(&full), None);
    }
}
