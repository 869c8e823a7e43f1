//! `Credential::verify` on hostile input.
//!
//! The first byte picks how the rest is used:
//! - `0xFF`: the next 16 bytes are a raw credential record (12 when the version byte says 1),
//!   signed here with a real key, so the record parser sees arbitrary fields behind a valid
//!   signature;
//! - `0xFE`: the rest is raw credential bytes, base45-encoded behind `KK1:` (any signature);
//! - anything else: all bytes as lossy UTF-8 text.
//!
//! Whatever verifies must survive a round trip: issued again with its key, it verifies to
//! the same credential.

#![no_main]

use std::sync::OnceLock;

use ed25519_dalek::{Signer, SigningKey};
use kaiku_core::base45;
use kaiku_core::credential::{
    CREDENTIAL_LEN, CREDENTIAL_LEN_V1, CREDENTIAL_PREFIX, RECORD_LEN, RECORD_LEN_V1, VERSION, VERSION_1,
};
use kaiku_core::{Credential, CredentialError, IssuerKey, KeyId, KeySet};
use libfuzzer_sys::fuzz_target;

/// Must match the private tag in `core/src/credential.rs`; a mismatch shows up at once as
/// `BadSignature` in the signed mode.
const DOMAIN_TAG: &[u8] = b"kaiku credential v1\0";

const SEEDS: [(u16, [u8; 32]); 2] = [(1, [1; 32]), (2, [2; 32])];

fn issuers() -> &'static (Vec<IssuerKey>, KeySet) {
    static KEYS: OnceLock<(Vec<IssuerKey>, KeySet)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let issuers: Vec<IssuerKey> = SEEDS.iter().map(|&(id, seed)| IssuerKey::from_seed(KeyId(id), seed)).collect();
        let keys = KeySet::new(issuers.iter().map(IssuerKey::public));
        (issuers, keys)
    })
}

fuzz_target!(|data: &[u8]| {
    let (issuers, keys) = issuers();
    let (text, signed_record) = match data.split_first() {
        Some((0xFF, rest)) => {
            let mut record = vec![0u8; RECORD_LEN];
            for (slot, b) in record.iter_mut().zip(rest) {
                *slot = *b;
            }
            if record[0] == VERSION_1 {
                record.truncate(RECORD_LEN_V1);
            }
            let key_id = u16::from_be_bytes([record[1], record[2]]);
            let seed = SEEDS.iter().find(|(id, _)| *id == key_id).map_or(SEEDS[0].1, |(_, seed)| *seed);
            let signature = SigningKey::from_bytes(&seed).sign(&[DOMAIN_TAG, &record].concat());
            let bytes = [&record[..], &signature.to_bytes()].concat();
            (format!("{CREDENTIAL_PREFIX}{}", base45::encode(&bytes)), Some(record))
        }
        Some((0xFE, rest)) => {
            let text = format!("{CREDENTIAL_PREFIX}{}", base45::encode(rest));
            // The version byte says how long the credential must be.
            let needed = if rest.first() == Some(&VERSION_1) { CREDENTIAL_LEN_V1 } else { CREDENTIAL_LEN };
            match Credential::verify(&text, keys) {
                Err(CredentialError::Truncated(n)) => assert!(n < needed && n == rest.len()),
                Err(CredentialError::TrailingBytes(n)) => assert!(n > needed && n == rest.len()),
                Err(CredentialError::TooLong(_)) => assert!(rest.len() > CREDENTIAL_LEN),
                Err(CredentialError::UnsupportedVersion(v)) => assert!(rest[0] == v && v != VERSION && v != VERSION_1),
                Err(CredentialError::WrongPrefix | CredentialError::BadEncoding(_)) => {
                    panic!("text made by base45::encode behind the prefix was not read back")
                }
                _ => assert_eq!(rest.len(), needed),
            }
            (text, None)
        }
        _ => (String::from_utf8_lossy(data).into_owned(), None),
    };

    let verified = Credential::verify(&text, keys);
    if let Some(record) = signed_record {
        let key_id = KeyId(u16::from_be_bytes([record[1], record[2]]));
        match &verified {
            Err(CredentialError::UnsupportedVersion(v)) => {
                assert!(*v == record[0] && *v != VERSION && *v != VERSION_1)
            }
            Err(CredentialError::UnknownKey(k)) => assert!(*k == key_id && keys.get(key_id).is_none()),
            Err(CredentialError::BadField(_)) => {}
            Ok(c) => assert_eq!(c.key_id, key_id),
            Err(e) => panic!("a correctly signed record was refused: {e}"),
        }
    }
    if let Ok(credential) = verified {
        let issuer = issuers.iter().find(|k| k.id() == credential.key_id).expect("verified with a known key");
        let again = credential.issue(issuer).expect("a verified credential can be issued again");
        assert_eq!(Credential::verify(&again, keys), Ok(credential));
    }
});
