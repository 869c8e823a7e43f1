//! Frame -> card scan: a fixed list of tries, cheapest and likeliest first, each rxing (or rqrr)
//! on the frame or a copy (halved, middle, smoothed, sharpened, transposed), stopping at the first
//! code read; the text is sorted by `ScanInput::parse` and the symbology becomes the
//! redemption's entry method. The tries and their order were measured with `benches/scan.rs`.
//! Barcode rows are read rxing's quick way, 15 rows across the middle half: its "try harder"
//! reads every row, then every row of the rotated frame, which cost an unreadable frame ~100 ms
//! and read nothing more. A frame with no code costs one go of each try, no more.

mod enhance;

use std::cell::OnceCell;
use std::collections::HashSet;

use kaiku_core::{EntryMethod, ScanInput};
use rxing::common::HybridBinarizer;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, MultiFormatReader, Reader as _};

use super::Frame;
use crate::decode::Symbology;

/// Which try read the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// rxing on the frame as it came.
    Rxing,
    /// rxing on the middle of a big frame.
    RxingCentre,
    /// rxing on the denoised, contrast-stretched copy.
    RxingDenoised,
    /// rxing's barcode rows on the copy smoothed along the bars.
    RxingSmoothed,
    /// rxing's barcode rows on that copy sharpened across the bars.
    RxingSharpened,
    /// rxing's barcode rows on the transposed frame.
    RxingTransposed,
    /// rqrr on the halved frame.
    Rqrr,
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
    let (text, symbology, reader) = Copies::new(frame).read()?;
    let method = match symbology {
        Symbology::Qr => EntryMethod::Qr,
        Symbology::Code39 | Symbology::Code128 => EntryMethod::Barcode,
    };
    Some(Scan { input: ScanInput::parse(&text), text, method, reader })
}

/// Rows smoothed over this many pixels above and below: 7 rows, noise down by about 2.6.
const ROW_SMOOTHING: usize = 3;
/// Sharpening across the bars against blur: each pixel pushed away from the average of 7
/// pixels of its row by twice the difference.
const SHARPEN_REACH: usize = 3;
const SHARPEN_GAIN: i32 = 2;
/// A frame whose short side has this many pixels is halved for the denoised copy (a card
/// code filling a fair part of it keeps 2+ pixels a module); a smaller one is smoothed.
const HALVE_FROM: u32 = 600;

/// One try: what to look for, on which copy of the frame.
#[derive(Debug, Clone, Copy)]
enum Try {
    /// Barcode rows on the frame.
    Bars,
    /// QR on the frame.
    Qr,
    /// QR on the middle of the frame (a big frame's small codes).
    CentreQr,
    /// QR on a denoised, contrast-stretched copy: halved when the frame is big, else 3x3-smoothed.
    DenoisedQr,
    /// Barcode rows smoothed along the bars (noise).
    SmoothedBars,
    /// Those rows also sharpened across the bars (blur).
    SharpenedBars,
    /// Barcode rows on the transposed frame (a barcode standing upright).
    TransposedBars,
    /// rqrr on the halved frame (steep perspective, where rxing's QR detector gives up).
    RqrrHalved,
}

/// The tries in order. A big frame's QR tries look at the halved copy first (a quarter of the
/// work) and at full resolution only in the middle, for a small code aimed at from afar: the
/// whole frame cost a noisy frame 10-20 ms there and read nothing more in the benchmark.
const BIG_FRAME_TRIES: [Try; 7] = [
    Try::Bars,
    Try::DenoisedQr,
    Try::SmoothedBars,
    Try::SharpenedBars,
    Try::TransposedBars,
    Try::RqrrHalved,
    Try::CentreQr,
];
const SMALL_FRAME_TRIES: [Try; 7] =
    [Try::Bars, Try::Qr, Try::DenoisedQr, Try::SmoothedBars, Try::SharpenedBars, Try::TransposedBars, Try::RqrrHalved];

/// What rxing looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Qr,
    Barcodes,
}

type Read = (String, Symbology, Reader);

/// The frame and the copies more than one try uses, each made when first needed.
struct Copies<'a> {
    frame: &'a Frame,
    half: OnceCell<Option<Frame>>,
    smoothed: OnceCell<Option<Frame>>,
}

impl<'a> Copies<'a> {
    fn new(frame: &'a Frame) -> Self {
        Self { frame, half: OnceCell::new(), smoothed: OnceCell::new() }
    }

    /// The first code any try reads.
    fn read(&self) -> Option<Read> {
        let big = self.frame.width().min(self.frame.height()) >= HALVE_FROM;
        let tries = if big { BIG_FRAME_TRIES } else { SMALL_FRAME_TRIES };
        tries.into_iter().find_map(|t| self.attempt(t, big))
    }

    fn attempt(&self, t: Try, big: bool) -> Option<Read> {
        let rxing = |copy: Option<&Frame>, look, reader| {
            let (text, symbology) = decode_rxing(copy?, look)?;
            Some((text, symbology, reader))
        };
        match t {
            Try::Bars => rxing(Some(self.frame), Look::Barcodes, Reader::Rxing),
            Try::Qr => rxing(Some(self.frame), Look::Qr, Reader::Rxing),
            Try::CentreQr => rxing(enhance::centre(self.frame).as_ref(), Look::Qr, Reader::RxingCentre),
            Try::DenoisedQr => {
                let quiet = if big { self.half().cloned() } else { enhance::smooth(self.frame) };
                rxing(quiet.map(enhance::stretched).as_ref(), Look::Qr, Reader::RxingDenoised)
            }
            Try::SmoothedBars => rxing(self.smoothed(), Look::Barcodes, Reader::RxingSmoothed),
            Try::SharpenedBars => {
                let sharp = enhance::sharpen_rows(self.smoothed()?, SHARPEN_REACH, SHARPEN_GAIN);
                rxing(sharp.as_ref(), Look::Barcodes, Reader::RxingSharpened)
            }
            Try::TransposedBars => {
                rxing(enhance::transpose(self.frame).as_ref(), Look::Barcodes, Reader::RxingTransposed)
            }
            Try::RqrrHalved => Some((decode_rqrr(self.half()?)?, Symbology::Qr, Reader::Rqrr)),
        }
    }

    fn half(&self) -> Option<&Frame> {
        self.half.get_or_init(|| enhance::halve(self.frame)).as_ref()
    }

    fn smoothed(&self) -> Option<&Frame> {
        self.smoothed.get_or_init(|| enhance::smooth_columns(self.frame, ROW_SMOOTHING)).as_ref()
    }
}

/// rxing on one frame: its QR reader (the port of zxing-cpp's; the older port behind it in
/// rxing's multi-format reader read nothing more and cost a quarter more time), or its barcode
/// row readers. A panic inside rxing is caught as "nothing read".
fn decode_rxing(frame: &Frame, look: Look) -> Option<(String, Symbology)> {
    let formats = match look {
        Look::Qr => HashSet::from([BarcodeFormat::QR_CODE]),
        Look::Barcodes => HashSet::from([BarcodeFormat::CODE_39, BarcodeFormat::CODE_128]),
    };
    // Trying harder, the QR finder search skips fewer rows; the row readers stay on 15 rows.
    let hints =
        DecodeHints { PossibleFormats: Some(formats), TryHarder: Some(look == Look::Qr), ..DecodeHints::default() };
    let source = Luma8Source::new_with_slice(frame.luma(), frame.width(), frame.height()).ok()?;
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match look {
        Look::Qr => QrReader.decode_with_hints(&mut bitmap, &hints),
        Look::Barcodes => MultiFormatReader::default().decode_with_hints(&mut bitmap, &hints),
    }))
    .ok()?
    .ok()?;
    let symbology = Symbology::from_format(result.getBarcodeFormat())?;
    Some((result.getText().to_owned(), symbology))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_tiny_frames_read_nothing() {
        for (w, h, v) in [(1, 1, 0), (2, 3, 255), (1, 700, 9), (700, 1, 9), (64, 48, 128), (640, 600, 200)] {
            let frame = Frame::new(vec![v; w * h], w as u32, h as u32).expect("frame");
            assert_eq!(scan_frame(&frame), None);
        }
    }

    #[test]
    fn noise_reads_nothing_and_does_not_panic() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        // Small and big (halved) paths, odd sizes included.
        for (w, h) in [(320u32, 240u32), (641, 601)] {
            let luma: Vec<u8> = (0..w * h)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 56) as u8
                })
                .collect();
            assert_eq!(scan_frame(&Frame::new(luma, w, h).expect("frame")), None);
        }
    }
}
