//! The card's codes as SVG: the QR code of the credential and the Code 39 barcode of the
//! plain ID. Both are drawn from their module patterns with quiet zones, as crisp squares.

use barcoders::sym::code39::Code39;
use qrcode::{Color, EcLevel, QrCode};

/// Modules of white margin around a QR code (the standard asks for 4).
const QR_QUIET: usize = 4;
/// Narrow bars of white margin on each side of a barcode (the standard asks for 10).
const BAR_QUIET: usize = 12;
/// Barcode height in narrow-bar widths.
const BAR_HEIGHT: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("the text does not fit in a QR code")]
    QrTooLong,
    #[error("the text cannot be written as Code 39: {0}")]
    NotCode39(String),
}

/// A drawn code: its size in modules (quiet zones included) and its dark rectangles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawing {
    pub width: usize,
    pub height: usize,
    body: String,
}

impl Drawing {
    /// As a standalone SVG document, one unit a module.
    pub fn svg(&self) -> String {
        let (w, h) = (self.width, self.height);
        self.element(&format!(r#"viewBox="0 0 {w} {h}" width="{w}" height="{h}""#))
    }

    /// As an SVG element placed in a parent's user units (a printed card's millimetres);
    /// `preserveAspectRatio="none"` lets a barcode stretch to the height it is given.
    pub fn placed(&self, x: f32, y: f32, width: f32, height: f32) -> String {
        let (w, h) = (self.width, self.height);
        self.element(&format!(
            r#"viewBox="0 0 {w} {h}" x="{x}" y="{y}" width="{width}" height="{height}" preserveAspectRatio="none""#
        ))
    }

    fn element(&self, frame: &str) -> String {
        let (w, h, body) = (self.width, self.height, &self.body);
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" {frame} shape-rendering="crispEdges" aria-hidden="true"><rect width="{w}" height="{h}" fill="#fff"/><g fill="#000">{body}</g></svg>"##
        )
    }
}

/// The QR code of `text` as an SVG document (medium error correction).
pub fn qr_svg(text: &str) -> Result<String, CodeError> {
    qr(text).map(|d| d.svg())
}

/// The Code 39 barcode of `text` (no check character: what card readers expect today).
pub fn code39_svg(text: &str) -> Result<String, CodeError> {
    code39(text).map(|d| d.svg())
}

/// The QR code of `text` (medium error correction).
pub fn qr(text: &str) -> Result<Drawing, CodeError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| CodeError::QrTooLong)?;
    let width = code.width();
    let colors = code.to_colors();
    let side = width + 2 * QR_QUIET;
    let mut rects = String::new();
    for y in 0..width {
        let row = &colors[y * width..(y + 1) * width];
        push_runs(&mut rects, row.iter().map(|c| *c == Color::Dark), QR_QUIET, y + QR_QUIET, 1);
    }
    Ok(Drawing { width: side, height: side, body: rects })
}

/// The Code 39 barcode of `text`, its bars `BAR_HEIGHT` narrow bars tall.
pub fn code39(text: &str) -> Result<Drawing, CodeError> {
    let bars = Code39::new(text).map_err(|e| CodeError::NotCode39(e.to_string()))?.encode();
    let width = bars.len() + 2 * BAR_QUIET;
    let mut rects = String::new();
    push_runs(&mut rects, bars.iter().map(|b| *b == 1), BAR_QUIET, 0, BAR_HEIGHT);
    Ok(Drawing { width, height: BAR_HEIGHT, body: rects })
}

/// Appends one rectangle per run of dark modules in a row.
fn push_runs(out: &mut String, row: impl Iterator<Item = bool>, x0: usize, y: usize, height: usize) {
    let mut start = None;
    for (x, dark) in row.chain(std::iter::once(false)).enumerate() {
        match (dark, start) {
            (true, None) => start = Some(x),
            (false, Some(s)) => {
                out.push_str(&format!(r#"<rect x="{}" y="{y}" width="{}" height="{height}"/>"#, x0 + s, x - s));
                start = None;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_svgs_are_square_with_a_quiet_zone() {
        let svg = qr_svg("KK1:ABC").expect("fits");
        assert!(svg.starts_with("<svg") && svg.contains(r#"viewBox="0 0 29 29""#), "{svg}");
    }

    #[test]
    fn code39_refuses_characters_it_cannot_write() {
        assert!(code39_svg("A000100009").is_ok());
        assert!(matches!(code39_svg("a~b"), Err(CodeError::NotCode39(_))));
    }

    #[test]
    fn runs_become_one_rectangle_each() {
        let mut out = String::new();
        push_runs(&mut out, [true, true, false, true].into_iter(), 0, 0, 1);
        assert_eq!(out.matches("<rect").count(), 2);
        assert!(out.contains(r#"x="0" y="0" width="2""#), "{out}");
    }
}
