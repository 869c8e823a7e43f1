//! Reads the codes in PNG images with the app's own decoder (`kaiku::decode`), one line a file:
//! `<symbology>\t<text>`, or `none`. The browser tests use it to check that what a page shows
//! (a printed card, an activation or enrollment QR) scans back.
//!
//!     cargo run -p kaiku --example decode_image -- shot.png [more.png ...]

use std::process::ExitCode;

use resvg::tiny_skia::Pixmap;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: decode_image IMAGE.png [IMAGE.png ...]");
        return ExitCode::from(2);
    }
    let mut failed = false;
    for file in files {
        match Pixmap::load_png(&file) {
            Ok(image) => {
                let luma = kaiku::decode::rgba_to_luma(image.data());
                match kaiku::decode::decode_luma(&luma, image.width(), image.height()) {
                    Some(d) => println!("{:?}\t{}", d.symbology, d.text),
                    None => println!("none"),
                }
            }
            Err(e) => {
                eprintln!("{file}: not a PNG image I can read: {e}");
                failed = true;
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
