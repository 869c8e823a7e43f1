//! Printed legacy IDs: the national register's own numbering on the cardboard cards already
//! in people's pockets (the seeds' sample is `A999123453`).
//!
//! Their form is 1-3 letters then 5-12 digits, with no check digit that Kaiku knows, so a
//! legacy ID is only ever admitted when the (imported) register holds it. Text that is a
//! valid Kaiku ID is never a legacy ID: the two sets are disjoint, so one text names one card.

use std::fmt;

use super::kaiku::KaikuId;

/// Fewest and most letters in front.
pub const LEGACY_LETTERS: std::ops::RangeInclusive<usize> = 1..=3;
/// Fewest and most digits after the letters.
pub const LEGACY_DIGITS: std::ops::RangeInclusive<usize> = 5..=12;
/// Most characters in a legacy ID.
pub const LEGACY_MAX_LEN: usize = 15;

const DIGIT_BITS: u32 = 40;
const COUNT_BITS: u32 = 4;
const LETTER_BITS: u32 = 5;

/// A printed legacy card ID, normalised (upper case, no separators).
///
/// Packed into 59 bits (three 5-bit letters, the digit count and the digits' value), so it
/// is `Copy` and a register copy can keep it in one `u64`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LegacyId(u64);

/// Why some text is not a legacy ID. The messages are meant for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LegacyIdError {
    #[error("a printed card ID starts with 1-3 letters followed by 5-12 digits")]
    Form,
    #[error("this is a Kaiku card ID, not a printed legacy one")]
    IsKaikuId,
}

impl LegacyId {
    /// Parses typed or scanned text: lower case, spaces and dashes are accepted.
    pub fn parse(text: &str) -> Result<Self, LegacyIdError> {
        let mut letters = 0u64;
        let mut letter_count = 0usize;
        let mut digits = 0u64;
        let mut digit_count = 0usize;
        for c in text.chars().filter(|c| !super::is_separator(*c)) {
            let c = c.to_ascii_uppercase();
            if c.is_ascii_uppercase() && digit_count == 0 {
                letter_count += 1;
                if letter_count > *LEGACY_LETTERS.end() {
                    return Err(LegacyIdError::Form);
                }
                letters = letters << LETTER_BITS | u64::from(c as u8 - b'A' + 1);
            } else if c.is_ascii_digit() && letter_count > 0 {
                digit_count += 1;
                if digit_count > *LEGACY_DIGITS.end() {
                    return Err(LegacyIdError::Form);
                }
                digits = digits * 10 + u64::from(c as u8 - b'0');
            } else {
                return Err(LegacyIdError::Form);
            }
        }
        if !LEGACY_LETTERS.contains(&letter_count) || !LEGACY_DIGITS.contains(&digit_count) {
            return Err(LegacyIdError::Form);
        }
        // Left-align the letters so that the packed order is the text order for equal lengths.
        letters <<= LETTER_BITS * (3 - letter_count as u32);
        let id = Self(letters << (DIGIT_BITS + COUNT_BITS) | (digit_count as u64) << DIGIT_BITS | digits);
        if KaikuId::parse(&id.to_string()).is_ok() {
            return Err(LegacyIdError::IsKaikuId);
        }
        Ok(id)
    }

    /// The 59-bit packed form, for compact storage.
    pub fn packed(self) -> u64 {
        self.0
    }

    /// The ID a packed form stands for; `None` for bits no legacy ID packs to.
    pub fn from_packed(bits: u64) -> Option<Self> {
        // Checked on the bits, so a phone decodes a million-card copy without text round trips.
        if bits >> (DIGIT_BITS + COUNT_BITS + 3 * LETTER_BITS) != 0 {
            return None;
        }
        let id = Self(bits);
        let fields: Vec<u64> =
            (0..3).rev().map(|i| (bits >> (DIGIT_BITS + COUNT_BITS + LETTER_BITS * i)) & 0x1f).collect();
        let letters = fields.iter().take_while(|&&v| v != 0).count();
        let well_formed = LEGACY_LETTERS.contains(&letters)
            && fields[..letters].iter().all(|v| (1..=26).contains(v))
            && fields[letters..].iter().all(|&v| v == 0)
            && LEGACY_DIGITS.contains(&id.digit_count())
            && id.digits() < 10u64.pow(id.digit_count() as u32);
        // Only one letter and nine digits can also be a Kaiku ID: that case alone needs the text.
        let kaiku_shaped = letters == 1 && id.digit_count() == 9;
        (well_formed && !(kaiku_shaped && KaikuId::parse(&id.to_string()).is_ok())).then_some(id)
    }

    fn letters(self) -> impl Iterator<Item = char> {
        let all = self.0 >> (DIGIT_BITS + COUNT_BITS);
        (0..3).rev().filter_map(move |i| {
            let v = (all >> (LETTER_BITS * i)) & 0x1f;
            (1..=26).contains(&v).then(|| (b'A' + v as u8 - 1) as char)
        })
    }

    fn digit_count(self) -> usize {
        ((self.0 >> DIGIT_BITS) & ((1 << COUNT_BITS) - 1)) as usize
    }

    fn digits(self) -> u64 {
        self.0 & ((1 << DIGIT_BITS) - 1)
    }
}

impl fmt::Display for LegacyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.letters() {
            write!(f, "{c}")?;
        }
        write!(f, "{:0width$}", self.digits(), width = self.digit_count())
    }
}

impl fmt::Debug for LegacyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LegacyId({self})")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_seed_sample_is_a_legacy_id_in_any_case_and_spacing() {
        let id = LegacyId::parse("A999123453").expect("the printed sample");
        assert_eq!(id.to_string(), "A999123453");
        assert_eq!(LegacyId::parse("a 999-123 453"), Ok(id));
        assert_eq!(LegacyId::from_packed(id.packed()), Some(id));
    }

    #[test]
    fn leading_zeros_and_letter_counts_are_kept() {
        for text in ["AB00012", "XYZ000000000001", "Q12345", "ZZZ999999999999"] {
            let id = LegacyId::parse(text).expect(text);
            assert_eq!(id.to_string(), text);
        }
        assert_ne!(LegacyId::parse("A012345"), LegacyId::parse("A12345"));
    }

    #[test]
    fn other_shapes_are_refused() {
        for text in ["", "A1234", "1234567", "ABCD12345", "A1234567890123", "A12345B", "Ä12345", "A12 34X5"] {
            assert_eq!(LegacyId::parse(text), Err(LegacyIdError::Form), "{text:?}");
        }
        assert_eq!(LegacyId::parse("A999123459"), Err(LegacyIdError::IsKaikuId));
    }

    #[test]
    fn bits_that_no_id_packs_to_are_refused() {
        assert_eq!(LegacyId::from_packed(0), None);
        assert_eq!(LegacyId::from_packed(u64::MAX), None);
        let sample = LegacyId::parse("AB123456").expect("legacy").packed();
        let too_many_digits_for_the_count = sample | 999_999_999;
        assert_eq!(LegacyId::from_packed(too_many_digits_for_the_count), None);
        let gap_in_letters = sample & !(0x1f << (DIGIT_BITS + COUNT_BITS + 2 * LETTER_BITS));
        assert_eq!(LegacyId::from_packed(gap_in_letters), None);
        let kaiku = LegacyId(LegacyId::parse("A999123453").expect("legacy").packed() - 3 + 9);
        assert_eq!(kaiku.to_string(), "A999123459");
        assert_eq!(LegacyId::from_packed(kaiku.packed()), None, "a valid Kaiku ID is never legacy");
    }

    proptest! {
        #[test]
        fn parse_of_display_is_the_same_id(letters in "[A-Z]{1,3}", digits in "[0-9]{5,12}") {
            let text = format!("{letters}{digits}");
            if let Ok(id) = LegacyId::parse(&text) {
                prop_assert_eq!(id.to_string(), text);
                prop_assert_eq!(LegacyId::from_packed(id.packed()), Some(id));
            } else {
                prop_assert!(KaikuId::parse(&text).is_ok());
            }
        }

        #[test]
        fn from_packed_accepts_exactly_what_parse_makes(bits in 0u64..(1 << 59)) {
            let by_bits = LegacyId::from_packed(bits);
            let by_text = LegacyId::parse(&LegacyId(bits).to_string()).ok().filter(|id| id.0 == bits);
            prop_assert_eq!(by_bits, by_text);
        }

        #[test]
        fn any_text_parses_without_panicking(text in "\\PC{0,40}") {
            let _ = LegacyId::parse(&text);
        }
    }
}
