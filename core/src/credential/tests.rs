use proptest::prelude::*;

use super::*;
use crate::card_id::{KaikuId, MAX_SERIAL, SERIES_LETTERS};

fn key(id: u16, seed: u8) -> IssuerKey {
    IssuerKey::from_seed(KeyId(id), [seed; 32])
}

fn sample(key_id: KeyId) -> Credential {
    Credential {
        key_id,
        card: KaikuId::new('A', 12_345_678).expect("valid"),
        kind: CardKind::Personal,
        valid_until: NaiveDate::from_ymd_opt(2027, 11, 21).expect("date"),
        minors_on_record: 2,
    }
}

fn any_credential() -> impl Strategy<Value = Credential> {
    (0usize..10, 0..=MAX_SERIAL, any::<bool>(), 0u16..=u16::MAX, any::<u8>()).prop_map(
        |(s, serial, community, days, minors)| Credential {
            key_id: KeyId(1),
            card: KaikuId::new(SERIES_LETTERS[s], serial).expect("valid"),
            kind: if community { CardKind::Community } else { CardKind::Personal },
            valid_until: epoch() + Days::new(u64::from(days)),
            minors_on_record: minors,
        },
    )
}

#[test]
fn an_issued_credential_is_short_alphanumeric_text_that_verifies() {
    let k = key(1, 9);
    let text = sample(k.id()).issue(&k).expect("issues");
    assert_eq!(text.len(), ENCODED_LEN);
    assert!(text.starts_with(CREDENTIAL_PREFIX));
    assert!(text.bytes().all(|b| base45::ALPHABET.contains(&b)));
    let keys = KeySet::new([k.public()]);
    assert_eq!(Credential::verify(&text, &keys), Ok(sample(k.id())));
}

#[test]
fn rotated_keys_verify_old_and_new_credentials() {
    let (old, new) = (key(1, 1), key(2, 2));
    let keys = KeySet::new([old.public(), new.public()]);
    for k in [&old, &new] {
        let text = sample(k.id()).issue(k).expect("issues");
        assert_eq!(Credential::verify(&text, &keys).map(|c| c.key_id), Ok(k.id()));
    }
}

#[test]
fn a_key_the_device_does_not_know_is_named_in_the_error() {
    let k = key(5, 1);
    let text = sample(k.id()).issue(&k).expect("issues");
    let keys = KeySet::new([key(1, 1).public()]);
    assert_eq!(Credential::verify(&text, &keys), Err(CredentialError::UnknownKey(KeyId(5))));
}

#[test]
fn a_forgery_with_another_key_under_a_known_key_id_is_refused() {
    let real = key(1, 1);
    let forger = key(1, 66);
    let text = sample(KeyId(1)).issue(&forger).expect("issues");
    let keys = KeySet::new([real.public()]);
    assert_eq!(Credential::verify(&text, &keys), Err(CredentialError::BadSignature));
}

#[test]
fn malformed_texts_get_typed_errors() {
    let k = key(1, 1);
    let keys = KeySet::new([k.public()]);
    let text = sample(k.id()).issue(&k).expect("issues");
    assert_eq!(Credential::verify("HC1:ABC", &keys), Err(CredentialError::WrongPrefix));
    assert_eq!(Credential::verify(&text[..text.len() - 3], &keys), Err(CredentialError::Truncated(CREDENTIAL_LEN - 2)));
    assert_eq!(
        Credential::verify(&format!("{text}000"), &keys),
        Err(CredentialError::TrailingBytes(CREDENTIAL_LEN + 2))
    );
    assert!(matches!(Credential::verify("KK1:abc", &keys), Err(CredentialError::BadEncoding(_))));
    assert!(matches!(
        Credential::verify(&format!("{text}{}", "0".repeat(1000)), &keys),
        Err(CredentialError::TooLong(_))
    ));
}

#[test]
fn a_credential_of_another_version_is_refused_as_unsupported() {
    let k = key(1, 1);
    let text = sample(k.id()).issue(&k).expect("issues");
    let mut bytes = base45::decode(&text[CREDENTIAL_PREFIX.len()..]).expect("decodes");
    bytes[0] = 2;
    let changed = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&bytes));
    assert_eq!(Credential::verify(&changed, &KeySet::new([k.public()])), Err(CredentialError::UnsupportedVersion(2)));
}

#[test]
fn a_signed_record_with_a_lower_case_series_letter_is_refused() {
    let k = key(1, 1);
    let mut record = sample(k.id()).record(k.id()).expect("record");
    record[3] = b'a';
    let signature = k.sign(&signed_message(&record));
    let text = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&[&record[..], &signature.to_bytes()].concat()));
    assert_eq!(Credential::verify(&text, &KeySet::new([k.public()])), Err(CredentialError::BadField("card id")));
}

#[test]
fn dates_outside_the_record_range_are_refused_when_issuing() {
    let k = key(1, 1);
    let mut c = sample(k.id());
    c.valid_until = NaiveDate::from_ymd_opt(2200, 1, 1).expect("date");
    assert_eq!(c.issue(&k), Err(CredentialError::DateOutOfRange(c.valid_until)));
}

proptest! {
    #[test]
    fn credentials_round_trip(c in any_credential()) {
        let k = key(1, 7);
        let text = c.issue(&k).expect("issues");
        prop_assert_eq!(Credential::verify(&text, &KeySet::new([k.public()])), Ok(c));
    }

    #[test]
    fn any_flipped_bit_is_rejected(c in any_credential(), bit in 0usize..CREDENTIAL_LEN * 8) {
        let k = key(1, 7);
        let text = c.issue(&k).expect("issues");
        let mut bytes = base45::decode(&text[CREDENTIAL_PREFIX.len()..]).expect("decodes");
        bytes[bit / 8] ^= 1 << (bit % 8);
        let changed = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&bytes));
        prop_assert!(Credential::verify(&changed, &KeySet::new([k.public()])).is_err());
    }

    #[test]
    fn any_changed_byte_is_rejected(c in any_credential(), at in 0usize..CREDENTIAL_LEN, delta in 1u8..=255) {
        let k = key(1, 7);
        let text = c.issue(&k).expect("issues");
        let mut bytes = base45::decode(&text[CREDENTIAL_PREFIX.len()..]).expect("decodes");
        bytes[at] = bytes[at].wrapping_add(delta);
        let changed = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&bytes));
        prop_assert!(Credential::verify(&changed, &KeySet::new([k.public()])).is_err());
    }

    #[test]
    fn any_changed_character_is_rejected(c in any_credential(), at in 4usize..ENCODED_LEN, to in 0usize..45) {
        let k = key(1, 7);
        let text = c.issue(&k).expect("issues");
        let mut chars: Vec<u8> = text.into_bytes();
        prop_assume!(chars[at] != base45::ALPHABET[to]);
        chars[at] = base45::ALPHABET[to];
        let changed = String::from_utf8(chars).expect("ascii");
        prop_assert!(Credential::verify(&changed, &KeySet::new([k.public()])).is_err());
    }
}
