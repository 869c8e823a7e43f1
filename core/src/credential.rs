//! The signed mobile credential that the holder's app shows as a QR code.
//!
//! Layout of the signed record (big-endian), version 2 (16 bytes):
//! `version u8 | key id u16 | series letter u8 | nine digits u32 | kind u8 |
//! valid until: days since 1970-01-01 u16 | minors on record u8 |
//! issued: minutes since 1970-01-01T00:00Z u32`.
//! Version 1 (12 bytes) is the same without the issue time; it still verifies.
//! A 64-byte Ed25519 signature over a domain tag and the record follows. The 80 bytes (76 for
//! version 1) are base45-encoded behind [`CREDENTIAL_PREFIX`]: 4 + 120 characters (4 + 114),
//! all in the QR alphanumeric alphabet.

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use ed25519_dalek::Signature;

use crate::base45::{self, Base45Error};
use crate::card::CardKind;
use crate::card_id::{CARD_ID_LEN, KaikuId};
use crate::keys::{IssuerKey, KeyId, KeySet};

/// Text in front of every credential, whatever its record version.
pub const CREDENTIAL_PREFIX: &str = "KK1:";
/// The record version this code writes when the issue time is known.
pub const VERSION: u8 = 2;
/// The first record version, without an issue time: still read.
pub const VERSION_1: u8 = 1;
/// Bytes in a version-1 signed record.
pub const RECORD_LEN_V1: usize = 12;
/// Bytes in the signed record.
pub const RECORD_LEN: usize = RECORD_LEN_V1 + 4;
/// Bytes in the signature after the record.
pub const SIGNATURE_LEN: usize = 64;
/// Bytes in a whole version-1 credential (record and signature).
pub const CREDENTIAL_LEN_V1: usize = RECORD_LEN_V1 + SIGNATURE_LEN;
/// Bytes in the whole credential (record and signature).
pub const CREDENTIAL_LEN: usize = RECORD_LEN + SIGNATURE_LEN;
/// Characters in an encoded credential, prefix included: the longest a credential can be.
pub const ENCODED_LEN: usize = CREDENTIAL_PREFIX.len() + CREDENTIAL_LEN / 2 * 3;
/// Characters in an encoded version-1 credential, prefix included.
pub const ENCODED_LEN_V1: usize = CREDENTIAL_PREFIX.len() + CREDENTIAL_LEN_V1 / 2 * 3;

const DOMAIN_TAG: &[u8] = b"kaiku credential v1\0";

/// What a verified credential says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    pub key_id: KeyId,
    pub card: KaikuId,
    pub kind: CardKind,
    pub valid_until: NaiveDate,
    pub minors_on_record: u8,
    /// When the server signed it, to the minute (version 2); `None` for a version-1 credential.
    /// Issuing with `Some` writes version 2, with `None` version 1.
    pub issued: Option<DateTime<Utc>>,
}

/// Why a credential text was refused. Messages are for venue staff and logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("not a Kaiku credential: it does not start with {CREDENTIAL_PREFIX}")]
    WrongPrefix,
    #[error("credential text has {0} characters, more than a credential can have")]
    TooLong(usize),
    #[error("credential is not valid base45: {0}")]
    BadEncoding(#[from] Base45Error),
    #[error("credential is cut short: {0} bytes are too few for its version")]
    Truncated(usize),
    #[error("credential has {0} bytes, more than a credential of its version has")]
    TrailingBytes(usize),
    #[error("credential version {0} is not supported by this app")]
    UnsupportedVersion(u8),
    #[error("credential was signed with key {0}, which this device does not know")]
    UnknownKey(KeyId),
    #[error("credential signature does not match: the code was changed or forged")]
    BadSignature,
    #[error("credential holds a malformed field: {0}")]
    BadField(&'static str),
    #[error("valid-until date {0} cannot be written in a credential")]
    DateOutOfRange(NaiveDate),
    #[error("issue time {0} cannot be written in a credential")]
    IssuedOutOfRange(DateTime<Utc>),
}

impl Credential {
    /// Signs the credential and encodes it for a QR code: version 2 with the issue time
    /// (to the minute), or version 1 when `issued` is `None`.
    pub fn issue(&self, key: &IssuerKey) -> Result<String, CredentialError> {
        let record = self.record(key.id())?;
        let signature = key.sign(&signed_message(&record));
        let mut bytes = Vec::with_capacity(record.len() + SIGNATURE_LEN);
        bytes.extend_from_slice(&record);
        bytes.extend_from_slice(&signature.to_bytes());
        Ok(format!("{CREDENTIAL_PREFIX}{}", base45::encode(&bytes)))
    }

    /// Decodes the text and checks its signature against `keys`.
    pub fn verify(text: &str, keys: &KeySet) -> Result<Self, CredentialError> {
        let bytes = decode_bytes(text)?;
        let (record, signature) = bytes.split_at(bytes.len() - SIGNATURE_LEN);
        let key_id = KeyId(u16::from_be_bytes([record[1], record[2]]));
        let key = keys.get(key_id).ok_or(CredentialError::UnknownKey(key_id))?;
        let signature = Signature::from_slice(signature).map_err(|_| CredentialError::BadSignature)?;
        key.verify_strict(&signed_message(record), &signature).map_err(|_| CredentialError::BadSignature)?;
        parse_record(key_id, record)
    }

    fn record(&self, key_id: KeyId) -> Result<Vec<u8>, CredentialError> {
        let days = self.valid_until.signed_duration_since(epoch()).num_days();
        let days = u16::try_from(days).map_err(|_| CredentialError::DateOutOfRange(self.valid_until))?;
        let ascii = self.card.to_ascii();
        let digits = ascii[1..CARD_ID_LEN].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        let mut r = Vec::with_capacity(RECORD_LEN);
        r.push(if self.issued.is_some() { VERSION } else { VERSION_1 });
        r.extend_from_slice(&key_id.0.to_be_bytes());
        r.push(ascii[0]);
        r.extend_from_slice(&digits.to_be_bytes());
        r.push(self.kind.to_byte());
        r.extend_from_slice(&days.to_be_bytes());
        r.push(self.minors_on_record);
        if let Some(issued) = self.issued {
            let minutes = (issued - DateTime::UNIX_EPOCH).num_minutes();
            let minutes = u32::try_from(minutes).map_err(|_| CredentialError::IssuedOutOfRange(issued))?;
            r.extend_from_slice(&minutes.to_be_bytes());
        }
        Ok(r)
    }
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn signed_message(record: &[u8]) -> Vec<u8> {
    [DOMAIN_TAG, record].concat()
}

fn decode_bytes(text: &str) -> Result<Vec<u8>, CredentialError> {
    let body = text.strip_prefix(CREDENTIAL_PREFIX).ok_or(CredentialError::WrongPrefix)?;
    if text.len() > ENCODED_LEN + 3 {
        return Err(CredentialError::TooLong(text.chars().count()));
    }
    let bytes = base45::decode(body)?;
    // The version byte says how long the record is.
    let needed = match bytes.first() {
        None => return Err(CredentialError::Truncated(0)),
        Some(&VERSION_1) => CREDENTIAL_LEN_V1,
        Some(&VERSION) => CREDENTIAL_LEN,
        Some(&other) => return Err(CredentialError::UnsupportedVersion(other)),
    };
    match bytes.len() {
        n if n < needed => Err(CredentialError::Truncated(n)),
        n if n > needed => Err(CredentialError::TrailingBytes(n)),
        _ => Ok(bytes),
    }
}

fn parse_record(key_id: KeyId, r: &[u8]) -> Result<Credential, CredentialError> {
    let digits = u32::from_be_bytes([r[4], r[5], r[6], r[7]]);
    if digits > 999_999_999 {
        return Err(CredentialError::BadField("card id"));
    }
    // Only the canonical upper-case letter: one card has exactly one signed form.
    if !r[3].is_ascii_uppercase() {
        return Err(CredentialError::BadField("card id"));
    }
    let card =
        KaikuId::parse(&format!("{}{digits:09}", r[3] as char)).map_err(|_| CredentialError::BadField("card id"))?;
    let kind = CardKind::from_byte(r[8]).ok_or(CredentialError::BadField("card kind"))?;
    let days = u16::from_be_bytes([r[9], r[10]]);
    let valid_until =
        epoch().checked_add_days(Days::new(u64::from(days))).ok_or(CredentialError::BadField("valid until"))?;
    let issued = match r.get(RECORD_LEN_V1..) {
        Some([a, b, c, d]) => {
            let minutes = u32::from_be_bytes([*a, *b, *c, *d]);
            Some(DateTime::UNIX_EPOCH + TimeDelta::minutes(i64::from(minutes)))
        }
        _ => None,
    };
    Ok(Credential { key_id, card, kind, valid_until, minors_on_record: r[11], issued })
}

#[cfg(test)]
mod tests;
