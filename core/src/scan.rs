//! Whatever a camera or a keyboard produced, sorted into what it could be. Never panics.

use crate::card_id::{CardId, CardIdError};
use crate::credential::{CREDENTIAL_PREFIX, ENCODED_LEN};

/// Longest text looked at; anything longer is refused unread.
pub const MAX_SCAN_LEN: usize = 512;

/// What a scan or a typed entry turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanInput {
    /// A mobile card's signed credential (prefix seen; signature not yet checked).
    Credential(String),
    /// A printed card's plain ID, well formed and with a matching check digit.
    PlainId(CardId),
    /// Not a card code, and why.
    Unrecognised(Unrecognised),
}

/// Why a scan is not a card code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unrecognised {
    #[error("nothing was read")]
    Empty,
    #[error("{0} characters is far too long for a card code")]
    TooLong(usize),
    #[error("looks like a card ID, but {0}")]
    BadCardId(CardIdError),
    #[error("not a Kaiku card code")]
    NotACardCode,
}

impl ScanInput {
    /// Sorts scanned or typed text.
    pub fn parse(raw: &str) -> Self {
        if raw.len() > MAX_SCAN_LEN {
            return Self::Unrecognised(Unrecognised::TooLong(raw.len()));
        }
        let text = raw.trim_matches(|c: char| c.is_whitespace() || c.is_control());
        if text.is_empty() {
            return Self::Unrecognised(Unrecognised::Empty);
        }
        if text.starts_with(CREDENTIAL_PREFIX) {
            return if text.len() <= ENCODED_LEN + 3 {
                Self::Credential(text.to_owned())
            } else {
                Self::Unrecognised(Unrecognised::TooLong(text.len()))
            };
        }
        // Code 39 readers may pass the start and stop characters through.
        let text = text.strip_prefix('*').and_then(|t| t.strip_suffix('*')).unwrap_or(text);
        match CardId::parse(text) {
            Ok(id) => Self::PlainId(id),
            Err(e) if looks_like_an_id(text) => Self::Unrecognised(Unrecognised::BadCardId(e)),
            Err(_) => Self::Unrecognised(Unrecognised::NotACardCode),
        }
    }
}

/// Text that a person plausibly meant as a card ID: a letter first, then mostly digits.
fn looks_like_an_id(text: &str) -> bool {
    let compact: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let digits = compact.iter().filter(|c| c.is_ascii_digit()).count();
    (4..=14).contains(&compact.len())
        && compact.first().is_some_and(|c| c.is_alphabetic())
        && digits + 2 >= compact.len()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_plain_id_is_recognised_with_code39_stars_and_whitespace() {
        let id = CardId::new('A', 99_912_345).expect("valid");
        assert_eq!(ScanInput::parse(&format!("*{id}*\r\n")), ScanInput::PlainId(id));
        assert_eq!(ScanInput::parse(&id.to_string().to_lowercase()), ScanInput::PlainId(id));
    }

    #[test]
    fn a_credential_prefix_is_sorted_as_a_credential() {
        assert_eq!(ScanInput::parse(" KK1:ABC "), ScanInput::Credential("KK1:ABC".into()));
    }

    #[test]
    fn typos_in_ids_say_what_is_wrong() {
        assert_eq!(
            ScanInput::parse("A999123453"),
            ScanInput::Unrecognised(Unrecognised::BadCardId(CardIdError::CheckDigitMismatch))
        );
        assert_eq!(
            ScanInput::parse("A99912"),
            ScanInput::Unrecognised(Unrecognised::BadCardId(CardIdError::TooShort(6)))
        );
    }

    #[test]
    fn other_codes_and_empty_or_huge_input_are_unrecognised() {
        assert_eq!(ScanInput::parse("https://example.org/ticket"), ScanInput::Unrecognised(Unrecognised::NotACardCode));
        assert_eq!(ScanInput::parse(" \t"), ScanInput::Unrecognised(Unrecognised::Empty));
        assert_eq!(ScanInput::parse(&"9".repeat(600)), ScanInput::Unrecognised(Unrecognised::TooLong(600)));
        assert_eq!(
            ScanInput::parse(&format!("KK1:{}", "0".repeat(300))),
            ScanInput::Unrecognised(Unrecognised::TooLong(304))
        );
    }

    proptest! {
        #[test]
        fn any_text_is_sorted_without_panicking(text in "\\PC{0,600}") {
            match ScanInput::parse(&text) {
                ScanInput::Credential(c) => prop_assert!(c.starts_with(CREDENTIAL_PREFIX)),
                ScanInput::PlainId(id) => prop_assert_eq!(id.to_string().len(), 10),
                ScanInput::Unrecognised(_) => {}
            }
        }
    }
}
