//! A scan as one line of text, which is how the web app's decoder (its own wasm, in a Web
//! Worker: app/web/decoder.rs) hands a code back to the page: `method<tab>reader<tab>text`, the
//! text last because a code may hold tabs. The page sorts the text itself (`ScanInput::parse`).

use kaiku_core::{EntryMethod, ScanInput};

use super::Scan;
use super::pipeline::Reader;

const READERS: [(Reader, &str); 7] = [
    (Reader::Rxing, "rxing"),
    (Reader::RxingCentre, "rxing-centre"),
    (Reader::RxingDenoised, "rxing-denoised"),
    (Reader::RxingSmoothed, "rxing-smoothed"),
    (Reader::RxingSharpened, "rxing-sharpened"),
    (Reader::RxingTransposed, "rxing-transposed"),
    (Reader::Rqrr, "rqrr"),
];

impl Scan {
    /// The scan as the decoder sends it.
    pub fn to_line(&self) -> String {
        let method = match self.method {
            EntryMethod::Qr => "qr",
            EntryMethod::Barcode => "barcode",
            EntryMethod::Typed => "typed",
        };
        let reader = READERS.iter().find(|(r, _)| *r == self.reader).map_or("rxing", |(_, name)| name);
        format!("{method}\t{reader}\t{}", self.text)
    }

    /// The scan a decoder's line stands for; `None` for anything else.
    pub fn from_line(line: &str) -> Option<Scan> {
        let mut parts = line.splitn(3, '\t');
        let method = match parts.next()? {
            "qr" => EntryMethod::Qr,
            "barcode" => EntryMethod::Barcode,
            "typed" => EntryMethod::Typed,
            _ => return None,
        };
        let name = parts.next()?;
        let reader = READERS.iter().find(|(_, n)| *n == name)?.0;
        let text = parts.next()?.to_owned();
        Some(Scan { input: ScanInput::parse(&text), text, method, reader })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_comes_back_from_its_line_as_it_was() {
        for (reader, _) in READERS {
            for (text, method) in [("A999123459", EntryMethod::Barcode), ("KK1:a\tb c", EntryMethod::Qr)] {
                let scan = Scan { input: ScanInput::parse(text), text: text.to_owned(), method, reader };
                assert_eq!(Scan::from_line(&scan.to_line()), Some(scan));
            }
        }
    }

    #[test]
    fn lines_of_anything_else_are_no_scan() {
        for line in ["", "qr", "qr\trxing", "sms\trxing\tA999123459", "qr\tzbar\tA999123459"] {
            assert_eq!(Scan::from_line(line), None, "{line:?}");
        }
    }
}
