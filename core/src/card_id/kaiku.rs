//! Kaiku's own card IDs: one series letter and nine digits, the last a Damm check digit.
//!
//! # The check digit
//! The ten characters are read as ten symbols of the alphabet 0..=9: the series letter
//! stands for its position in [`SERIES_LETTERS`], each digit for itself. The last digit is
//! chosen so that the Damm algorithm (a totally anti-symmetric quasigroup of order 10) over
//! all ten symbols ends in 0. Damm detects every single substituted symbol and every swap of
//! two neighbouring symbols; `tests` proves both exhaustively over a sample of IDs.
//!
//! # Why ten series letters, not 26
//! A single decimal check digit has ten values. With 26 letters, for any fixed digits at
//! least three letters would share a check digit (pigeonhole), so a mistyped letter could
//! go unnoticed. Restricting the series letter to ten (A-H, J, K; `I` is left out because it
//! is read as `1`) makes every single wrong character detectable. A swap of the letter with
//! the first digit is always caught because position 0 must be a letter.
//!
//! The sample printed on today's cardboard cards, `A999123453`, comes from the national
//! register's own numbering; under Kaiku's scheme its check digit would be 9
//! (`A999123459`). Kaiku issues its own series; printed national IDs are [`super::LegacyId`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The letters a card series may start with, in the order that gives their check value.
pub const SERIES_LETTERS: [char; 10] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K'];

/// Characters in a formatted card ID.
pub const CARD_ID_LEN: usize = 10;

/// The largest serial number in a series (eight digits).
pub const MAX_SERIAL: u32 = 99_999_999;

/// The Damm quasigroup of order 10 (weakly totally anti-symmetric).
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

fn damm(symbols: impl IntoIterator<Item = u8>) -> u8 {
    symbols.into_iter().fold(0, |interim, s| DAMM[interim as usize][s as usize])
}

/// A Kaiku card ID, always well formed and with a matching check digit.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KaikuId {
    /// Index into [`SERIES_LETTERS`].
    series: u8,
    /// The eight-digit serial number.
    serial: u32,
}

/// Why some text is not a card ID. The messages are meant for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardIdError {
    #[error("no card ID given")]
    Empty,
    #[error("too short: a card ID has 10 characters, this has {0}")]
    TooShort(usize),
    #[error("too long: a card ID has 10 characters, this has {0}")]
    TooLong(usize),
    #[error("a card ID starts with one of the letters A-H, J or K, not '{0}'")]
    BadSeriesLetter(char),
    #[error("character {position} should be a digit, not '{found}'")]
    NotADigit { position: usize, found: char },
    #[error("check digit does not match: a character is probably mistyped")]
    CheckDigitMismatch,
}

impl KaikuId {
    /// The ID for `serial` in the series that starts with `letter`.
    pub fn new(letter: char, serial: u32) -> Result<Self, CardIdError> {
        let series = series_index(letter.to_ascii_uppercase())?;
        if serial > MAX_SERIAL {
            return Err(CardIdError::TooLong(CARD_ID_LEN + 1));
        }
        Ok(Self { series, serial })
    }

    /// Parses typed or scanned text: lower case, spaces and dashes are accepted.
    pub fn parse(text: &str) -> Result<Self, CardIdError> {
        let mut chars = [0u8; CARD_ID_LEN];
        let mut len = 0usize;
        for c in text.chars().filter(|c| !is_separator(*c)) {
            if len < CARD_ID_LEN {
                chars[len] = ascii_or_marker(c.to_ascii_uppercase(), len)?;
            }
            len += 1;
        }
        match len {
            0 => return Err(CardIdError::Empty),
            n if n < CARD_ID_LEN => return Err(CardIdError::TooShort(n)),
            n if n > CARD_ID_LEN => return Err(CardIdError::TooLong(n)),
            _ => {}
        }
        let series = series_index(chars[0] as char)?;
        let mut symbols = [series; CARD_ID_LEN];
        for (i, &b) in chars.iter().enumerate().skip(1) {
            if !b.is_ascii_digit() {
                return Err(CardIdError::NotADigit { position: i + 1, found: b as char });
            }
            symbols[i] = b - b'0';
        }
        if damm(symbols) != 0 {
            return Err(CardIdError::CheckDigitMismatch);
        }
        let serial = symbols[1..9].iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d));
        Ok(Self { series, serial })
    }

    /// The series letter.
    pub fn letter(&self) -> char {
        SERIES_LETTERS[self.series as usize]
    }

    /// The eight-digit serial number within the series.
    pub fn serial(&self) -> u32 {
        self.serial
    }

    /// The check digit (the last character).
    pub fn check_digit(&self) -> u8 {
        damm(self.payload_symbols())
    }

    /// The next ID in the same series, or `None` after the last serial.
    pub fn next_in_series(&self) -> Option<Self> {
        (self.serial < MAX_SERIAL).then(|| Self { series: self.series, serial: self.serial + 1 })
    }

    /// The ten characters as ASCII bytes.
    pub fn to_ascii(&self) -> [u8; CARD_ID_LEN] {
        let mut out = [0u8; CARD_ID_LEN];
        out[0] = self.letter() as u8;
        let mut rest = self.serial;
        for slot in out[1..9].iter_mut().rev() {
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        out[9] = b'0' + self.check_digit();
        out
    }

    fn payload_symbols(&self) -> [u8; 9] {
        let mut symbols = [0u8; 9];
        symbols[0] = self.series;
        let mut rest = self.serial;
        for slot in symbols[1..].iter_mut().rev() {
            *slot = (rest % 10) as u8;
            rest /= 10;
        }
        symbols
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}')
}

/// Keeps the byte if ASCII; a non-ASCII character is reported where it stands.
fn ascii_or_marker(c: char, position: usize) -> Result<u8, CardIdError> {
    if c.is_ascii() {
        Ok(c as u8)
    } else if position == 0 {
        Err(CardIdError::BadSeriesLetter(c))
    } else {
        Err(CardIdError::NotADigit { position: position + 1, found: c })
    }
}

fn series_index(letter: char) -> Result<u8, CardIdError> {
    SERIES_LETTERS.iter().position(|&l| l == letter).map(|i| i as u8).ok_or(CardIdError::BadSeriesLetter(letter))
}

impl fmt::Display for KaikuId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ascii = self.to_ascii();
        // The bytes are ASCII letters and digits by construction.
        f.write_str(std::str::from_utf8(&ascii).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for KaikuId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KaikuId({self})")
    }
}

impl FromStr for KaikuId {
    type Err = CardIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for KaikuId {
    type Error = CardIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<KaikuId> for String {
    fn from(id: KaikuId) -> Self {
        id.to_string()
    }
}

#[cfg(test)]
#[path = "kaiku_tests.rs"]
mod tests;
