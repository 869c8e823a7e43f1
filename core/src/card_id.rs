//! Card IDs of both kinds: Kaiku's own check-digit series ([`KaikuId`]) and the printed
//! legacy IDs of the national register ([`LegacyId`]), kept apart in [`CardId`].
//!
//! Text is sorted by its form: a valid Kaiku ID is Kaiku; any other "letters then digits"
//! text is legacy. So a Kaiku-looking ID with a wrong check digit (a typo, or a national
//! card like the seeds' `A999123453`) is a legacy ID, which only the register can vouch for.

mod kaiku;
mod legacy;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use kaiku::{CARD_ID_LEN, CardIdError, KaikuId, MAX_SERIAL, SERIES_LETTERS};
pub use legacy::{LEGACY_DIGITS, LEGACY_LETTERS, LEGACY_MAX_LEN, LegacyId, LegacyIdError};

/// A card's ID: Kaiku's own or a printed legacy one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum CardId {
    Kaiku(KaikuId),
    Legacy(LegacyId),
}

impl CardId {
    /// Parses typed or scanned text (case, spaces and dashes are ignored). When the text is
    /// neither kind, the error says what a Kaiku ID needs, which is what people type.
    pub fn parse(text: &str) -> Result<Self, CardIdError> {
        match KaikuId::parse(text) {
            Ok(id) => Ok(Self::Kaiku(id)),
            Err(e) => LegacyId::parse(text).map(Self::Legacy).map_err(|_| e),
        }
    }

    /// The Kaiku ID, if this is one.
    pub fn kaiku(&self) -> Option<KaikuId> {
        match self {
            Self::Kaiku(id) => Some(*id),
            Self::Legacy(_) => None,
        }
    }

    pub fn is_legacy(&self) -> bool {
        matches!(self, Self::Legacy(_))
    }

    /// Every other ID one typing slip away, sorted: one character replaced, two neighbours
    /// swapped, one character left out or one added. For "did you mean …?" hints.
    pub fn one_slip_away(&self) -> Vec<CardId> {
        const DIGITS: &[u8] = b"0123456789";
        const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let alphabet = |c: u8| if c.is_ascii_digit() { DIGITS } else { LETTERS };
        let text = self.to_string().into_bytes();
        let n = text.len();
        let mut variants: Vec<Vec<u8>> = Vec::new();
        for i in 0..n {
            for &c in alphabet(text[i]).iter().filter(|&&c| c != text[i]) {
                let mut t = text.clone();
                t[i] = c;
                variants.push(t);
            }
            if i + 1 < n && text[i] != text[i + 1] {
                let mut t = text.clone();
                t.swap(i, i + 1);
                variants.push(t);
            }
            let mut t = text.clone();
            t.remove(i);
            variants.push(t);
        }
        for i in 0..=n {
            for &c in DIGITS.iter().chain(LETTERS) {
                let mut t = text.clone();
                t.insert(i, c);
                variants.push(t);
            }
        }
        let mut out: Vec<CardId> = variants
            .iter()
            .filter_map(|t| std::str::from_utf8(t).ok().and_then(|s| Self::parse(s).ok()))
            .filter(|id| id != self)
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}')
}

impl From<KaikuId> for CardId {
    fn from(id: KaikuId) -> Self {
        Self::Kaiku(id)
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Kaiku(id) => id.fmt(f),
            Self::Legacy(id) => id.fmt(f),
        }
    }
}

impl fmt::Debug for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Kaiku(id) => write!(f, "CardId({id})"),
            Self::Legacy(id) => write!(f, "CardId(legacy {id})"),
        }
    }
}

impl FromStr for CardId {
    type Err = CardIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for CardId {
    type Error = CardIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CardId> for String {
    fn from(id: CardId) -> Self {
        id.to_string()
    }
}

/// On the wire a card ID is its canonical text: a Kaiku ID (`A999123459`) or a printed legacy ID (`A999123453`).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for CardId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A card ID in canonical form (upper case, no spaces or dashes). Either a Kaiku ID: one of \
                 the series letters A-H, J or K, eight digits of serial number and a Damm check digit; or a \
                 printed legacy ID of the national register: 1-3 letters then 5-12 digits, admitted only \
                 when the register holds it. Input is normalised before it is checked.",
            ))
            .min_length(Some(6))
            .max_length(Some(LEGACY_MAX_LEN))
            .pattern(Some("^[A-Z]{1,3}[0-9]{5,12}$"))
            .examples(["A999123459", "A999123453"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for CardId {}

#[cfg(test)]
mod tests;
