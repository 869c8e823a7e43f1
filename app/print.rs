//! The printed card: credit-card size (85.6 x 54 mm) in the familiar layout (the ID as text,
//! its QR code and its Code 39 barcode, a line for the name written by hand), and A4 sheets
//! of ten for a stack of new stock. Drawn as SVG in millimetres, so the browser's print
//! dialogue (or "save as PDF") prints them at their true size.

use kaiku_core::CardId;

use crate::codes::{self, CodeError};

/// Card size in millimetres (ISO/IEC 7810 ID-1).
pub const CARD_W: f32 = 85.6;
pub const CARD_H: f32 = 54.0;

/// Where the QR code sits on a card: x, y, side (mm). 29 modules of a version-1 code give
/// about 0.8 mm a module, far above what phone cameras need.
pub const QR_BOX: (f32, f32, f32) = (60.6, 3.0, 22.0);
/// Where the barcode sits on a card: x, y, width, height (mm).
pub const BAR_BOX: (f32, f32, f32, f32) = (3.0, 37.0, 79.6, 13.0);

/// A4 in millimetres and the sheet's grid of cards.
pub const A4_W: f32 = 210.0;
pub const A4_H: f32 = 297.0;
pub const SHEET_COLUMNS: usize = 2;
pub const SHEET_ROWS: usize = 5;
/// Cards on one A4 sheet.
pub const PER_SHEET: usize = SHEET_COLUMNS * SHEET_ROWS;
/// Space between cards on a sheet, for cutting (mm).
const GAP: f32 = 4.0;

/// One card's face as an SVG document of its true size.
pub fn card_svg(id: &CardId) -> Result<String, CodeError> {
    let body = card_body(id)?;
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CARD_W} {CARD_H}" width="{CARD_W}mm" height="{CARD_H}mm" role="img" aria-label="Kaikukortti {id}">{body}</svg>"##
    ))
}

/// A4 sheets of cards, ten a sheet, each sheet one SVG document of its true size.
pub fn sheet_svgs(ids: &[CardId]) -> Result<Vec<String>, CodeError> {
    let grid_w = SHEET_COLUMNS as f32 * CARD_W + (SHEET_COLUMNS - 1) as f32 * GAP;
    let grid_h = SHEET_ROWS as f32 * CARD_H + (SHEET_ROWS - 1) as f32 * GAP;
    let (left, top) = ((A4_W - grid_w) / 2.0, (A4_H - grid_h) / 2.0);
    ids.chunks(PER_SHEET)
        .map(|page| {
            let mut cards = String::new();
            for (i, id) in page.iter().enumerate() {
                let (x, y) = sheet_position(i, left, top);
                cards.push_str(&format!(r#"<g transform="translate({x} {y})">{}</g>"#, card_body(id)?));
            }
            Ok(format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {A4_W} {A4_H}" width="{A4_W}mm" height="{A4_H}mm" role="img" aria-label="Kaikukortti: {n}">{cards}</svg>"##,
                n = page.len()
            ))
        })
        .collect()
}

/// The top-left corner (mm) of the `i`th card on a sheet whose grid starts at `left`, `top`.
pub fn sheet_position(i: usize, left: f32, top: f32) -> (f32, f32) {
    let (col, row) = (i % SHEET_COLUMNS, i / SHEET_COLUMNS);
    (left + col as f32 * (CARD_W + GAP), top + row as f32 * (CARD_H + GAP))
}

/// The card's face in millimetres from its top-left corner: a thin cutting outline, the
/// name of the card in the three languages, the ID, a line for the holder's name (written
/// by hand: it is never stored), the QR code and the barcode.
fn card_body(id: &CardId) -> Result<String, CodeError> {
    let text = id.to_string();
    let qr = codes::qr(&text)?;
    let bars = codes::code39(&text)?;
    let (qx, qy, qs) = QR_BOX;
    let (bx, by, bw, bh) = BAR_BOX;
    let grouped = group_for_reading(&text);
    Ok(format!(
        concat!(
            r##"<rect x="0.1" y="0.1" width="{w}" height="{h}" rx="3" fill="#fff" stroke="#999" stroke-width="0.2"/>"##,
            r##"<g font-family="DejaVu Sans, Arial, sans-serif" fill="#000">"##,
            r##"<text x="3.5" y="8" font-size="5" font-weight="bold">Kaikukortti</text>"##,
            r##"<text x="3.5" y="12.5" font-size="2.6">Kulturkortet · Culture for All card</text>"##,
            r##"<text x="3.5" y="22" font-size="5.2" font-family="DejaVu Sans Mono, monospace" font-weight="bold">{grouped}</text>"##,
            r##"<text x="3.5" y="31.5" font-size="2.4">Nimi · Namn · Name</text>"##,
            r##"<line x1="25" y1="31.8" x2="57" y2="31.8" stroke="#000" stroke-width="0.2"/>"##,
            "</g>{qr}{bars}"
        ),
        w = CARD_W - 0.2,
        h = CARD_H - 0.2,
        grouped = grouped,
        qr = qr.placed(qx, qy, qs, qs),
        bars = bars.placed(bx, by, bw, bh),
    ))
}

/// The ID as its letters, then its digits in threes (`A 999 123 453`): easier to read
/// aloud and to type; scanners and typing accept the spaces.
fn group_for_reading(text: &str) -> String {
    let digits_from = text.find(|c: char| c.is_ascii_digit()).unwrap_or(text.len());
    let (letters, digits) = text.split_at(digits_from);
    let mut out = letters.to_owned();
    for (i, c) in digits.chars().enumerate() {
        if i % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> CardId {
        CardId::parse(text).expect("a card id")
    }

    #[test]
    fn a_card_is_credit_card_sized_and_shows_its_id_grouped() {
        let svg = card_svg(&id("A999123453")).expect("draws");
        assert!(svg.contains(r#"width="85.6mm" height="54mm""#), "{svg}");
        assert!(svg.contains("A 999 123 453"), "{svg}");
        assert_eq!(CardId::parse("A 999 123 453"), Ok(id("A999123453")));
    }

    #[test]
    fn ids_group_from_the_end() {
        assert_eq!(group_for_reading("A999123453"), "A 999 123 453");
        assert_eq!(group_for_reading("XYZ000000000001"), "XYZ 000 000 000 001");
        assert_eq!(group_for_reading("Q12345"), "Q 123 45");
    }

    #[test]
    fn sheets_hold_ten_cards_within_the_page() {
        let ids: Vec<CardId> = (0..23).map(|i| id(&format!("XY{:06}", 100_000 + i))).collect();
        let sheets = sheet_svgs(&ids).expect("draws");
        assert_eq!(sheets.len(), 3);
        assert_eq!(sheets[2].matches("<g transform").count(), 3);
        let last = sheet_position(PER_SHEET - 1, 0.0, 0.0);
        let grid = (last.0 + CARD_W, last.1 + CARD_H);
        assert!(grid.0 < A4_W - 10.0 && grid.1 < A4_H - 10.0, "{grid:?} leaves printer margins");
    }
}
