//! The signed mobile credential that the holder's app shows as a QR code.
//!
//! Layout of the signed record (12 bytes, big-endian):
//! `version u8 | key id u16 | series letter u8 | nine digits u32 | kind u8 |
//! valid until: days since 1970-01-01 u16 | minors on record u8`,
//! followed by a 64-byte Ed25519 signature over a domain tag and the record.
//! The 76 bytes are base45-encoded behind [`CREDENTIAL_PREFIX`]: 4 + 114 characters, all
//! in the QR alphanumeric alphabet.

use chrono::{Days, NaiveDate};
use ed25519_dalek::Signature;

use crate::base45::{self, Base45Error};
use crate::card::CardKind;
use crate::card_id::{CARD_ID_LEN, KaikuId};
use crate::keys::{IssuerKey, KeyId, KeySet};

/// Text in front of every version-1 credential.
pub const CREDENTIAL_PREFIX: &str = "KK1:";
/// The record version this code writes and reads.
pub const VERSION: u8 = 1;
/// Bytes in the signed record.
pub const RECORD_LEN: usize = 12;
/// Bytes in the whole credential (record and signature).
pub const CREDENTIAL_LEN: usize = RECORD_LEN + 64;
/// Characters in an encoded credential, prefix included.
pub const ENCODED_LEN: usize = CREDENTIAL_PREFIX.len() + CREDENTIAL_LEN / 2 * 3;

const DOMAIN_TAG: &[u8] = b"kaiku credential v1\0";

/// What a verified credential says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    pub key_id: KeyId,
    pub card: KaikuId,
    pub kind: CardKind,
    pub valid_until: NaiveDate,
    pub minors_on_record: u8,
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
    #[error("credential is cut short: {0} bytes where {CREDENTIAL_LEN} are needed")]
    Truncated(usize),
    #[error("credential has {0} bytes, more than the {CREDENTIAL_LEN} of a credential")]
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
}

impl Credential {
    /// Signs the credential and encodes it for a QR code.
    pub fn issue(&self, key: &IssuerKey) -> Result<String, CredentialError> {
        let record = self.record(key.id())?;
        let signature = key.sign(&signed_message(&record));
        let mut bytes = Vec::with_capacity(CREDENTIAL_LEN);
        bytes.extend_from_slice(&record);
        bytes.extend_from_slice(&signature.to_bytes());
        Ok(format!("{CREDENTIAL_PREFIX}{}", base45::encode(&bytes)))
    }

    /// Decodes the text and checks its signature against `keys`.
    pub fn verify(text: &str, keys: &KeySet) -> Result<Self, CredentialError> {
        let bytes = decode_bytes(text)?;
        let (record, signature) = bytes.split_at(RECORD_LEN);
        if record[0] != VERSION {
            return Err(CredentialError::UnsupportedVersion(record[0]));
        }
        let key_id = KeyId(u16::from_be_bytes([record[1], record[2]]));
        let key = keys.get(key_id).ok_or(CredentialError::UnknownKey(key_id))?;
        let signature = Signature::from_slice(signature).map_err(|_| CredentialError::BadSignature)?;
        key.verify_strict(&signed_message(record), &signature).map_err(|_| CredentialError::BadSignature)?;
        parse_record(key_id, record)
    }

    fn record(&self, key_id: KeyId) -> Result<[u8; RECORD_LEN], CredentialError> {
        let days = self.valid_until.signed_duration_since(epoch()).num_days();
        let days = u16::try_from(days).map_err(|_| CredentialError::DateOutOfRange(self.valid_until))?;
        let ascii = self.card.to_ascii();
        let digits = ascii[1..CARD_ID_LEN].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        let mut r = [0u8; RECORD_LEN];
        r[0] = VERSION;
        r[1..3].copy_from_slice(&key_id.0.to_be_bytes());
        r[3] = ascii[0];
        r[4..8].copy_from_slice(&digits.to_be_bytes());
        r[8] = self.kind.to_byte();
        r[9..11].copy_from_slice(&days.to_be_bytes());
        r[11] = self.minors_on_record;
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
    match bytes.len() {
        n if n < CREDENTIAL_LEN => Err(CredentialError::Truncated(n)),
        n if n > CREDENTIAL_LEN => Err(CredentialError::TrailingBytes(n)),
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
    Ok(Credential { key_id, card, kind, valid_until, minors_on_record: r[11] })
}

#[cfg(test)]
mod tests;
