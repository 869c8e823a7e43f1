//! The chain of trust between signing keys. A scanner trusts the keys it got at enrollment
//! (its roots, trusted on first use over https) and afterwards only a key that a key it already
//! trusts has endorsed. A retirement, signed by a trusted key, tells scanners to refuse the
//! credentials of a key from a date on.
//!
//! Rules, all pure and order-free within one batch of statements:
//! - An endorsement is accepted when its signer is trusted and was not retired before the batch;
//!   chains (A endorses B, B endorses C) are followed in one batch.
//! - A retirement is accepted when its signer (any trusted key, the retired key itself included)
//!   was not retired before the batch. Of two retirements of one key the earlier date wins, so
//!   replaying an old statement never changes anything and a date can only move earlier.
//! - A key once trusted stays trusted (its credentials are governed by retirements); a statement
//!   naming a trusted key id with another public key is refused.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::{IssuerKey, KeyError, KeyId, KeySet, PublicKey, PublicKeyRecord, from_hex, to_hex};

const ENDORSEMENT_TAG: &[u8] = b"kaiku key endorsement v1\0";
const RETIREMENT_TAG: &[u8] = b"kaiku key retirement v1\0";

/// Key `by` vouches for a new public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Endorsement {
    pub key_id: KeyId,
    /// The new key: 64 hex digits.
    pub public_key: String,
    /// The key that signed this statement.
    pub by: KeyId,
    /// Ed25519 signature, 128 hex digits.
    pub signature: String,
}

/// Key `by` says: credentials signed with `key_id` are refused from `from` on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Retirement {
    pub key_id: KeyId,
    pub from: NaiveDate,
    pub by: KeyId,
    /// Ed25519 signature, 128 hex digits.
    pub signature: String,
}

fn endorsement_message(key: &PublicKey) -> Vec<u8> {
    [ENDORSEMENT_TAG, &key.key_id.0.to_be_bytes(), key.key.as_bytes()].concat()
}

fn retirement_message(key_id: KeyId, from: NaiveDate) -> Vec<u8> {
    [RETIREMENT_TAG, &key_id.0.to_be_bytes(), from.format("%Y-%m-%d").to_string().as_bytes()].concat()
}

fn check(signer: &VerifyingKey, message: &[u8], signature: &str) -> Result<(), Refusal> {
    let bytes = from_hex::<64>(signature).ok_or(Refusal::BadSignature)?;
    // Strict, as credentials are: weak keys and malleable signatures are refused too.
    signer.verify_strict(message, &Signature::from_bytes(&bytes)).map_err(|_| Refusal::BadSignature)
}

impl Endorsement {
    /// `by` endorses `key`.
    pub fn sign(key: &PublicKey, by: &IssuerKey) -> Self {
        let signature = by.sign(&endorsement_message(key));
        let record = PublicKeyRecord::from(*key);
        Self {
            key_id: key.key_id,
            public_key: record.public_key,
            by: by.id(),
            signature: to_hex(&signature.to_bytes()),
        }
    }

    /// The endorsed key, if `signer` (the key named `by`) signed exactly this statement.
    pub fn verify(&self, signer: &VerifyingKey) -> Result<PublicKey, Refusal> {
        let record = PublicKeyRecord { key_id: self.key_id, public_key: self.public_key.clone() };
        let key = PublicKey::try_from(&record).map_err(|_| Refusal::Malformed)?;
        check(signer, &endorsement_message(&key), &self.signature)?;
        Ok(key)
    }
}

impl Retirement {
    pub fn sign(key_id: KeyId, from: NaiveDate, by: &IssuerKey) -> Self {
        let signature = by.sign(&retirement_message(key_id, from));
        Self { key_id, from, by: by.id(), signature: to_hex(&signature.to_bytes()) }
    }

    pub fn verify(&self, signer: &VerifyingKey) -> Result<(), Refusal> {
        check(signer, &retirement_message(self.key_id, self.from), &self.signature)
    }
}

/// Why a key or a retirement was not taken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "why", content = "key")]
pub enum Refusal {
    #[error("no trusted key endorsed it")]
    NotEndorsed,
    #[error("its signature does not match: forged or damaged")]
    BadSignature,
    #[error("it is signed by key {0}, which this device does not trust")]
    UnknownSigner(KeyId),
    #[error("it is signed by key {0}, which is retired")]
    RetiredSigner(KeyId),
    #[error("a trusted key already has this id with another public key")]
    Conflicting,
    #[error("the statement is malformed")]
    Malformed,
}

/// What was refused: the key id a statement was about, and whether it was a key or a retirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    pub key_id: KeyId,
    pub retirement: bool,
    pub why: Refusal,
}

/// A retired key and the day its credentials are refused from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiredKey {
    pub key_id: KeyId,
    pub from: NaiveDate,
}

/// A scanner's trusted keys with the retirements it knows, as kept on the device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredTrust")]
pub struct TrustedKeys {
    pub keys: Vec<PublicKeyRecord>,
    #[serde(default)]
    pub retired: Vec<RetiredKey>,
    /// What the latest batch of statements held that was not taken in.
    #[serde(default)]
    pub refused: Vec<Refused>,
}

/// Reads both the old stored form (a plain list of keys, all trusted) and the new one.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredTrust {
    Old(Vec<PublicKeyRecord>),
    New {
        keys: Vec<PublicKeyRecord>,
        #[serde(default)]
        retired: Vec<RetiredKey>,
        #[serde(default)]
        refused: Vec<Refused>,
    },
}

impl From<StoredTrust> for TrustedKeys {
    fn from(s: StoredTrust) -> Self {
        match s {
            StoredTrust::Old(keys) => Self { keys, ..Self::default() },
            StoredTrust::New { keys, retired, refused } => Self { keys, retired, refused },
        }
    }
}

impl TrustedKeys {
    /// The keys a device gets at enrollment become its roots; malformed ones are left out. The
    /// enrollment answer's retirements are checked against these roots.
    pub fn enroll(keys: &[PublicKeyRecord], retirements: &[Retirement]) -> Self {
        let mut trust = Self::default();
        for r in keys {
            match PublicKey::try_from(r) {
                Ok(_) if trust.keys.iter().all(|k| k.key_id != r.key_id) => trust.keys.push(r.clone()),
                Ok(_) => trust.refused.push(Refused { key_id: r.key_id, retirement: false, why: Refusal::Conflicting }),
                Err(_) => trust.refused.push(Refused { key_id: r.key_id, retirement: false, why: Refusal::Malformed }),
            }
        }
        let roots = trust.learn(&[], &[], retirements);
        Self { refused: [trust.refused, roots.refused].concat(), ..roots }
    }

    /// The trust after a batch of statements (a register page's `keys`, `endorsements` and
    /// `retirements`). Keys listed without an endorsement that leads to a trusted key are refused.
    pub fn learn(&self, listed: &[PublicKeyRecord], endorsements: &[Endorsement], retirements: &[Retirement]) -> Self {
        let mut trusted: BTreeMap<KeyId, VerifyingKey> =
            self.keys.iter().filter_map(|r| PublicKey::try_from(r).ok()).map(|k| (k.key_id, k.key)).collect();
        let retired_before: BTreeSet<KeyId> = self.retired.iter().map(|r| r.key_id).collect();
        let mut added = Vec::new();
        let mut failed: BTreeMap<KeyId, Refusal> = BTreeMap::new();
        // Rounds until nothing new: a chain's links may come in any order.
        loop {
            let mut progress = false;
            for e in endorsements {
                let why = match (trusted.get(&e.key_id), trusted.get(&e.by)) {
                    (Some(have), _) => match same_key(e.key_id, &e.public_key, have) {
                        true => continue,
                        false => Refusal::Conflicting,
                    },
                    (None, None) => Refusal::UnknownSigner(e.by),
                    (None, Some(_)) if retired_before.contains(&e.by) => Refusal::RetiredSigner(e.by),
                    (None, Some(signer)) => match e.verify(signer) {
                        Ok(key) => {
                            trusted.insert(key.key_id, key.key);
                            added.push(PublicKeyRecord::from(key));
                            failed.remove(&key.key_id);
                            progress = true;
                            continue;
                        }
                        Err(why) => why,
                    },
                };
                failed.entry(e.key_id).or_insert(why);
            }
            if !progress {
                break;
            }
        }
        for r in listed {
            let why = match trusted.get(&r.key_id) {
                Some(have) if same_key(r.key_id, &r.public_key, have) => continue,
                Some(_) => Refusal::Conflicting,
                None => Refusal::NotEndorsed,
            };
            failed.entry(r.key_id).or_insert(why);
        }
        let mut refused: Vec<Refused> =
            failed.into_iter().map(|(key_id, why)| Refused { key_id, retirement: false, why }).collect();
        let mut retired: BTreeMap<KeyId, NaiveDate> = self.retired.iter().map(|r| (r.key_id, r.from)).collect();
        for r in retirements {
            if retired.get(&r.key_id).is_some_and(|&from| from <= r.from) {
                continue; // Known already, as early or earlier: a replay changes nothing.
            }
            let outcome = match trusted.get(&r.by) {
                None => Err(Refusal::UnknownSigner(r.by)),
                Some(_) if retired_before.contains(&r.by) => Err(Refusal::RetiredSigner(r.by)),
                Some(signer) => r.verify(signer),
            };
            match outcome {
                Ok(()) => {
                    retired.insert(r.key_id, r.from);
                }
                Err(why) => refused.push(Refused { key_id: r.key_id, retirement: true, why }),
            }
        }
        Self {
            keys: [self.keys.clone(), added].concat(),
            retired: retired.into_iter().map(|(key_id, from)| RetiredKey { key_id, from }).collect(),
            refused,
        }
    }

    /// The keys credentials are verified with, and the retirements they are judged by.
    pub fn key_set(&self) -> Result<KeySet, KeyError> {
        let mut set = KeySet::from_records(&self.keys)?;
        for r in &self.retired {
            set.retire(r.key_id, r.from);
        }
        Ok(set)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

fn same_key(key_id: KeyId, hex: &str, have: &VerifyingKey) -> bool {
    PublicKey::try_from(&PublicKeyRecord { key_id, public_key: hex.to_owned() }).is_ok_and(|k| k.key == *have)
}

#[cfg(test)]
mod tests;
