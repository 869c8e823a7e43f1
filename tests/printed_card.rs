//! The printed card and its A4 sheet, rendered to pixels as a 300 dpi printer would, and both
//! codes read back with the app's own decoder.

use kaiku::decode::{Symbology, decode_luma, rgba_to_luma};
use kaiku::print::{BAR_BOX, CARD_H, CARD_W, PER_SHEET, QR_BOX, card_svg, sheet_position, sheet_svgs};
use kaiku_core::CardId;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{Options, Tree};

/// Pixels a millimetre at 300 dpi.
const DPMM: f32 = 300.0 / 25.4;

struct Page {
    luma: Vec<u8>,
    width: u32,
}

/// Renders an SVG sized in millimetres at 300 dpi.
fn render(svg: &str) -> Page {
    let tree = Tree::from_str(svg, &Options::default()).expect("the print SVG parses");
    // usvg turns `85.6mm` into CSS pixels (96 an inch); scale those to printer dots.
    let scale = 300.0 / 96.0;
    let size = tree.size();
    let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = Pixmap::new(w, h).expect("non-empty");
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    Page { luma: rgba_to_luma(pixmap.data()), width: w }
}

/// The pixels of a rectangle given in millimetres, with a margin of white around it.
fn crop(page: &Page, x: f32, y: f32, w: f32, h: f32) -> (Vec<u8>, u32, u32) {
    let margin = 1.5;
    let px = |mm: f32| (mm * DPMM).round().max(0.0) as u32;
    let (x0, y0) = (px(x - margin), px(y - margin));
    let (cw, ch) = (px(w + 2.0 * margin), px(h + 2.0 * margin));
    let mut out = Vec::with_capacity((cw * ch) as usize);
    for row in y0..y0 + ch {
        let start = (row * page.width + x0) as usize;
        out.extend_from_slice(&page.luma[start..start + cw as usize]);
    }
    (out, cw, ch)
}

/// Reads both codes of the card whose top-left corner is at `x`, `y` (mm) on `page`.
fn read_card(page: &Page, x: f32, y: f32) -> (String, String) {
    let (qx, qy, qs) = QR_BOX;
    let (luma, w, h) = crop(page, x + qx, y + qy, qs, qs);
    let qr = decode_luma(&luma, w, h).expect("the printed QR code reads");
    assert_eq!(qr.symbology, Symbology::Qr);
    let (bx, by, bw, bh) = BAR_BOX;
    let (luma, w, h) = crop(page, x + bx, y + by, bw, bh);
    let bar = decode_luma(&luma, w, h).expect("the printed barcode reads");
    assert_eq!(bar.symbology, Symbology::Code39);
    (qr.text, bar.text)
}

#[test]
fn both_codes_of_a_printed_card_read_back_as_its_id_for_either_kind_of_id() {
    for text in ["A000100009", "A999123453", "XYZ000000000001"] {
        let id = CardId::parse(text).expect("a card id");
        let page = render(&card_svg(&id).expect("draws"));
        assert!(page.width.abs_diff((CARD_W * DPMM).round() as u32) <= 1, "true size at 300 dpi: {}", page.width);
        let (qr, bar) = read_card(&page, 0.0, 0.0);
        assert_eq!(CardId::parse(&qr), Ok(id), "QR of {text}");
        assert_eq!(CardId::parse(&bar), Ok(id), "barcode of {text}");
    }
}

#[test]
fn every_card_on_an_a4_sheet_reads_back_in_its_place() {
    let ids: Vec<CardId> =
        (0..PER_SHEET as u32).map(|i| CardId::parse(&format!("KK{}", 200_000 + i)).expect("id")).collect();
    let sheets = sheet_svgs(&ids).expect("draws");
    assert_eq!(sheets.len(), 1);
    let page = render(&sheets[0]);
    // The grid is centred on the page; the first card's corner follows from the sheet's size.
    let last = sheet_position(PER_SHEET - 1, 0.0, 0.0);
    let (left, top) = ((210.0 - (last.0 + CARD_W)) / 2.0, (297.0 - (last.1 + CARD_H)) / 2.0);
    for (i, id) in ids.iter().enumerate() {
        let (x, y) = sheet_position(i, left, top);
        let (qr, bar) = read_card(&page, x, y);
        assert_eq!((CardId::parse(&qr), CardId::parse(&bar)), (Ok(*id), Ok(*id)), "card {i} on the sheet");
    }
}
