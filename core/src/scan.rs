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
    /// A printed card's plain ID: a Kaiku ID with a matching check digit, or a legacy ID.
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
        if let Some(id) = id_in_url(text) {
            return Self::PlainId(id);
        }
        match CardId::parse(text) {
            Ok(id) => Self::PlainId(id),
            Err(e) if looks_like_an_id(text) => Self::Unrecognised(Unrecognised::BadCardId(e)),
            Err(_) => Self::Unrecognised(Unrecognised::NotACardCode),
        }
    }
}

/// A printed card's QR code may hold a short web address with the ID as its last path
/// segment or as a query value (`https://example.fi/k/A999123453`, `…?card=A999123453`).
fn id_in_url(text: &str) -> Option<CardId> {
    let lower = text.get(..8)?.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &text[8..]
    } else if lower.starts_with("http://") {
        &text[7..]
    } else {
        return None;
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = path.split('#').next().unwrap_or(path);
    let last_segment = path.split_once('/').map(|(_, p)| p.trim_end_matches('/').rsplit('/').next().unwrap_or(""));
    let query_values =
        query.split('#').next().unwrap_or("").split('&').filter_map(|kv| kv.split_once('=').map(|(_, v)| v));
    last_segment.into_iter().chain(query_values).find_map(|candidate| {
        let compact = candidate.chars().filter(|c| c.is_ascii_alphanumeric()).count() == candidate.len();
        compact.then(|| CardId::parse(candidate).ok()).flatten()
    })
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
        let id = CardId::from(crate::card_id::KaikuId::new('A', 99_912_345).expect("valid"));
        assert_eq!(ScanInput::parse(&format!("*{id}*\r\n")), ScanInput::PlainId(id));
        assert_eq!(ScanInput::parse(&id.to_string().to_lowercase()), ScanInput::PlainId(id));
    }

    #[test]
    fn a_credential_prefix_is_sorted_as_a_credential() {
        assert_eq!(ScanInput::parse(" KK1:ABC "), ScanInput::Credential("KK1:ABC".into()));
    }

    #[test]
    fn a_printed_legacy_id_is_a_plain_id_for_the_register_to_judge() {
        let legacy = CardId::parse("A999123453").expect("legacy");
        assert!(legacy.is_legacy());
        assert_eq!(ScanInput::parse("*A999123453*"), ScanInput::PlainId(legacy));
        assert_eq!(ScanInput::parse("a999 123 453"), ScanInput::PlainId(legacy));
    }

    #[test]
    fn a_short_url_with_the_id_in_it_is_read_as_the_id() {
        let legacy = CardId::parse("A999123453").expect("legacy");
        for url in [
            "https://kaikukortti.fi/k/A999123453",
            "http://kaikukortti.fi/k/a999123453/",
            "HTTPS://example.fi/card?x=1&id=A999123453#top",
        ] {
            assert_eq!(ScanInput::parse(url), ScanInput::PlainId(legacy), "{url}");
        }
        assert_eq!(ScanInput::parse("https://example.fi/"), ScanInput::Unrecognised(Unrecognised::NotACardCode));
        assert_eq!(ScanInput::parse("https://example.fi/A999"), ScanInput::Unrecognised(Unrecognised::NotACardCode));
    }

    #[test]
    fn typos_in_ids_say_what_is_wrong() {
        assert_eq!(
            ScanInput::parse("A9991"),
            ScanInput::Unrecognised(Unrecognised::BadCardId(CardIdError::TooShort(5)))
        );
    }

    #[test]
    fn other_codes_and_empty_or_huge_input_are_unrecognised() {
        assert_eq!(ScanInput::parse("https://example.org/ticket"), ScanInput::Unrecognised(Unrecognised::NotACardCode));
        assert_eq!(
            ScanInput::parse("A99912X"),
            ScanInput::Unrecognised(Unrecognised::BadCardId(CardIdError::TooShort(7)))
        );
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
                ScanInput::PlainId(id) => prop_assert_eq!(CardId::parse(&id.to_string()), Ok(id)),
                ScanInput::Unrecognised(_) => {}
            }
        }
    }
}
