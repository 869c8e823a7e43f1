//! Secrets: bearer tokens (256 random bits, stored as SHA-256) and one-time codes that a
//! person types (60 random bits in Crockford base32, `ABCD-EFGH-JKMN`).

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Crockford's base32: no I, L, O or U, so codes survive being read aloud and typed.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// SHA-256 of a secret, as stored.
pub fn hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Compares a presented secret with a stored hash in constant time.
pub fn matches(secret: &str, stored: &[u8]) -> bool {
    hash(secret).ct_eq(stored).into()
}

/// A fresh token secret: 32 random bytes as hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    kaiku_core::keys::to_hex(&bytes)
}

/// A fresh one-time code, e.g. `7K2M-QX4P-9RTB`.
pub fn new_one_time_code() -> String {
    let mut rng = rand::rng();
    let chars: Vec<u8> = (0..12).map(|_| CROCKFORD[(rng.next_u32() % 32) as usize]).collect();
    let s = String::from_utf8_lossy(&chars).into_owned();
    format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..12])
}

/// A typed one-time code in its canonical form: upper case, no separators, the letters a
/// person confuses mapped as Crockford says (O->0, I and L->1).
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .take(64)
        .collect()
}

/// The stored hash of a typed one-time code.
pub fn code_hash(typed: &str) -> [u8; 32] {
    hash(&normalise_code(typed))
}

/// An SVG QR code of `text`, for codes shown on a screen or printed.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_time_codes_are_typed_forgivingly() {
        let code = new_one_time_code();
        assert_eq!(code.len(), 14);
        assert_eq!(code_hash(&code.to_lowercase().replace('-', " ")), code_hash(&code));
        assert_eq!(normalise_code("o1l-i"), "0111");
    }

    #[test]
    fn secrets_are_random_and_compare_by_hash() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert!(matches(&a, &hash(&a)));
        assert!(!matches(&b, &hash(&a)));
    }

    #[test]
    fn codes_render_as_svg_qr() {
        let svg = qr_svg("7K2M-QX4P-9RTB").expect("renders");
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"));
    }
}
