//! Base45 (RFC 9285): bytes as text in the QR code's alphanumeric alphabet.
//!
//! Two bytes become three characters, so a QR code in alphanumeric mode (5.5 bits a
//! character) carries the bytes with little overhead.

/// The 45 characters of the QR alphanumeric mode, in value order.
pub const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Base45Error {
    #[error("character '{0}' is not in the base45 alphabet")]
    BadCharacter(char),
    #[error("a base45 text cannot end with a single character")]
    DanglingCharacter,
    #[error("a base45 group encodes a value out of range")]
    OutOfRange,
}

/// Encodes bytes as base45 text.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    let mut push = |v: usize| out.push(ALPHABET[v] as char);
    for pair in bytes.chunks(2) {
        match *pair {
            [a, b] => {
                let n = usize::from(a) * 256 + usize::from(b);
                push(n % 45);
                push(n / 45 % 45);
                push(n / 2025);
            }
            [a] => {
                let n = usize::from(a);
                push(n % 45);
                push(n / 45);
            }
            _ => {}
        }
    }
    out
}

/// Decodes base45 text back to bytes.
pub fn decode(text: &str) -> Result<Vec<u8>, Base45Error> {
    let values: Vec<u32> = text.chars().map(value).collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(values.len() / 3 * 2 + 1);
    for group in values.chunks(3) {
        match *group {
            [c, d, e] => {
                let n = c + d * 45 + e * 2025;
                let n = u16::try_from(n).map_err(|_| Base45Error::OutOfRange)?;
                out.extend_from_slice(&n.to_be_bytes());
            }
            [c, d] => {
                let n = u8::try_from(c + d * 45).map_err(|_| Base45Error::OutOfRange)?;
                out.push(n);
            }
            _ => return Err(Base45Error::DanglingCharacter),
        }
    }
    Ok(out)
}

fn value(c: char) -> Result<u32, Base45Error> {
    ALPHABET.iter().position(|&a| a as char == c).map(|v| v as u32).ok_or(Base45Error::BadCharacter(c))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn matches_the_rfc_examples() {
        assert_eq!(encode(b"AB"), "BB8");
        assert_eq!(encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(decode("QED8WEX0").as_deref(), Ok(&b"ietf!"[..]));
    }

    #[test]
    fn refuses_bad_text() {
        assert_eq!(decode("GGW"), Err(Base45Error::OutOfRange));
        assert_eq!(decode("ab"), Err(Base45Error::BadCharacter('a')));
        assert_eq!(decode("BB8A"), Err(Base45Error::DanglingCharacter));
        assert_eq!(decode("::"), Err(Base45Error::OutOfRange));
    }

    proptest! {
        #[test]
        fn decode_of_encode_gives_the_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(decode(&encode(&bytes)), Ok(bytes));
        }
    }
}
