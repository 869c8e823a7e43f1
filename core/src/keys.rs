//! Issuer signing keys and the public key sets that scanners verify credentials with.

pub mod chain;

pub use chain::{Endorsement, Refusal, Refused, RetiredKey, Retirement, TrustedKeys};

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

/// Names one issuer key, so that keys can rotate while old credentials stay verifiable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct KeyId(pub u16);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The register's private signing key with its id. Its seed comes from the caller, who owns
/// the randomness (core does no I/O).
pub struct IssuerKey {
    id: KeyId,
    key: SigningKey,
}

impl fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKey").field("id", &self.id).finish_non_exhaustive()
    }
}

impl IssuerKey {
    /// A key from 32 secret random bytes.
    pub fn from_seed(id: KeyId, seed: [u8; 32]) -> Self {
        Self { id, key: SigningKey::from_bytes(&seed) }
    }

    /// The 32 secret bytes, for storing the key.
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The public half, for scanners.
    pub fn public(&self) -> PublicKey {
        PublicKey { key_id: self.id, key: self.key.verifying_key() }
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Signature {
        self.key.sign(message)
    }
}

/// A public key with its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey {
    pub key_id: KeyId,
    pub key: VerifyingKey,
}

/// A public key as it travels: id and 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicKeyRecord {
    pub key_id: KeyId,
    pub public_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("public key {0} is not 64 hex digits")]
    NotHex(KeyId),
    #[error("public key {0} is not a valid Ed25519 point")]
    NotAPoint(KeyId),
}

impl From<PublicKey> for PublicKeyRecord {
    fn from(k: PublicKey) -> Self {
        Self { key_id: k.key_id, public_key: to_hex(k.key.as_bytes()) }
    }
}

impl TryFrom<&PublicKeyRecord> for PublicKey {
    type Error = KeyError;
    fn try_from(r: &PublicKeyRecord) -> Result<Self, Self::Error> {
        let bytes = from_hex::<32>(&r.public_key).ok_or(KeyError::NotHex(r.key_id))?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::NotAPoint(r.key_id))?;
        Ok(Self { key_id: r.key_id, key })
    }
}

/// The public keys a scanner trusts, by id, and the days retired keys' credentials are
/// refused from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeySet {
    keys: BTreeMap<KeyId, VerifyingKey>,
    retired: BTreeMap<KeyId, NaiveDate>,
}

impl KeySet {
    pub fn new(keys: impl IntoIterator<Item = PublicKey>) -> Self {
        Self { keys: keys.into_iter().map(|k| (k.key_id, k.key)).collect(), retired: BTreeMap::new() }
    }

    /// Credentials signed with `id` are refused from `from` on (the earliest date given wins).
    pub fn retire(&mut self, id: KeyId, from: NaiveDate) {
        let day = self.retired.entry(id).or_insert(from);
        *day = (*day).min(from);
    }

    /// The day `id`'s credentials are refused from, if it is retired.
    pub fn retired_from(&self, id: KeyId) -> Option<NaiveDate> {
        self.retired.get(&id).copied()
    }

    /// Builds a set from wire records; any bad record makes the whole set refused.
    pub fn from_records(records: &[PublicKeyRecord]) -> Result<Self, KeyError> {
        let keys = records.iter().map(PublicKey::try_from).collect::<Result<Vec<_>, _>>()?;
        Ok(Self::new(keys))
    }

    pub fn records(&self) -> Vec<PublicKeyRecord> {
        self.keys.iter().map(|(&key_id, &key)| PublicKey { key_id, key }.into()).collect()
    }

    pub fn get(&self, id: KeyId) -> Option<&VerifyingKey> {
        self.keys.get(&id)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Lower-case hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Exactly `N` bytes from hex text, or `None`.
pub fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.as_bytes();
    if text.len() != N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    for (slot, pair) in out.iter_mut().zip(text.chunks(2)) {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        *slot = (hi * 16 + lo) as u8;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_key_records_round_trip() {
        let key = IssuerKey::from_seed(KeyId(7), [3; 32]);
        let set = KeySet::new([key.public()]);
        let again = KeySet::from_records(&set.records()).expect("round trips");
        assert_eq!(again, set);
        assert_eq!(again.get(KeyId(7)), Some(&key.public().key));
    }

    #[test]
    fn malformed_key_records_are_refused_with_the_key_id() {
        let bad = PublicKeyRecord { key_id: KeyId(2), public_key: "zz".into() };
        assert_eq!(KeySet::from_records(&[bad]), Err(KeyError::NotHex(KeyId(2))));
    }

    #[test]
    fn hex_round_trips_and_refuses_wrong_lengths() {
        assert_eq!(to_hex(&[0, 255, 16]), "00ff10");
        assert_eq!(from_hex::<3>("00ff10"), Some([0, 255, 16]));
        assert_eq!(from_hex::<3>("00ff1"), None);
        assert_eq!(from_hex::<1>("g0"), None);
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let key = IssuerKey::from_seed(KeyId(1), [42; 32]);
        assert!(!format!("{key:?}").contains("42"));
    }
}
