//! The codes the app draws, rendered to pixels, read back with the app's own decoder.

use chrono::NaiveDate;
use kaiku::codes::{code39_svg, qr_svg};
use kaiku::decode::{Symbology, decode_luma, rgba_to_luma};
use kaiku_core::{CardId, CardKind, Credential, IssuerKey, KaikuId, KeyId, KeySet};
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{Options, Tree};

/// Rasterises an SVG document at `scale` pixels per unit, as a greyscale frame.
fn rasterise(svg: &str, scale: f32) -> (Vec<u8>, u32, u32) {
    let tree = Tree::from_str(svg, &Options::default()).expect("the app's SVG parses");
    let size = tree.size();
    let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = Pixmap::new(w, h).expect("non-empty");
    resvg::render(&tree, Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    (rgba_to_luma(pixmap.data()), w, h)
}

fn credential(key: &IssuerKey) -> String {
    Credential {
        key_id: key.id(),
        card: KaikuId::parse("A000100009").expect("valid"),
        kind: CardKind::Personal,
        valid_until: NaiveDate::from_ymd_opt(2027, 6, 30).expect("date"),
        minors_on_record: 2,
        issued: None,
    }
    .issue(key)
    .expect("issues")
}

#[test]
fn the_drawn_qr_code_decodes_to_a_credential_that_verifies() {
    let key = IssuerKey::from_seed(KeyId(1), [5; 32]);
    let text = credential(&key);
    for scale in [3.0, 6.0] {
        let (luma, w, h) = rasterise(&qr_svg(&text).expect("draws"), scale);
        let read = decode_luma(&luma, w, h).expect("the QR code is readable");
        assert_eq!(read.symbology, Symbology::Qr);
        assert_eq!(read.text, text, "scale {scale}");
        let verified = Credential::verify(&read.text, &KeySet::new([key.public()])).expect("verifies");
        assert_eq!(verified.card.to_string(), "A000100009");
    }
}

#[test]
fn the_drawn_barcode_decodes_to_the_card_id() {
    for (letter, serial) in [('A', 10_000), ('K', 99_999_999), ('B', 1)] {
        let card = CardId::from(KaikuId::new(letter, serial).expect("valid"));
        let (luma, w, h) = rasterise(&code39_svg(&card.to_string()).expect("draws"), 3.0);
        let read = decode_luma(&luma, w, h).expect("the barcode is readable");
        assert_eq!(read.symbology, Symbology::Code39);
        assert_eq!(CardId::parse(&read.text), Ok(card));
    }
}
