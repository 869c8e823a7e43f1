use proptest::prelude::*;

use super::*;
use crate::card_id::{KaikuId, MAX_SERIAL, SERIES_LETTERS};

fn key(id: u16, seed: u8) -> IssuerKey {
    IssuerKey::from_seed(KeyId(id), [seed; 32])
}

fn issued_at() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, 11, 18).and_then(|d| d.and_hms_opt(14, 5, 0)).expect("time").and_utc()
}

/// A version-2 credential: with its issue time.
fn sample(key_id: KeyId) -> Credential {
    Credential {
        key_id,
        card: KaikuId::new('A', 12_345_678).expect("valid"),
        kind: CardKind::Personal,
        valid_until: NaiveDate::from_ymd_opt(2027, 11, 21).expect("date"),
        minors_on_record: 2,
        issued: Some(issued_at()),
    }
}

/// The same card as a version-1 credential, issued before credentials carried the time.
fn sample_v1(key_id: KeyId) -> Credential {
    Credential { issued: None, ..sample(key_id) }
}

/// A version-1 credential as the code before version 2 wrote it, byte by byte.
fn written_by_version_1(c: &Credential, k: &IssuerKey) -> String {
    let digits = c.card.to_string()[1..].parse::<u32>().expect("nine digits");
    let days = u16::try_from((c.valid_until - epoch()).num_days()).expect("in range");
    let mut record = vec![1u8];
    record.extend_from_slice(&k.id().0.to_be_bytes());
    record.push(c.card.to_string().as_bytes()[0]);
    record.extend_from_slice(&digits.to_be_bytes());
    record.push(c.kind.to_byte());
    record.extend_from_slice(&days.to_be_bytes());
    record.push(c.minors_on_record);
    let signature = k.sign(&[&b"kaiku credential v1\0"[..], &record].concat());
    format!("{CREDENTIAL_PREFIX}{}", base45::encode(&[&record[..], &signature.to_bytes()].concat()))
}

fn any_credential() -> impl Strategy<Value = Credential> {
    (0usize..10, 0..=MAX_SERIAL, any::<bool>(), 0u16..=u16::MAX, any::<u8>(), proptest::option::of(any::<u32>()))
        .prop_map(|(s, serial, community, days, minors, minutes)| Credential {
            key_id: KeyId(1),
            card: KaikuId::new(SERIES_LETTERS[s], serial).expect("valid"),
            kind: if community { CardKind::Community } else { CardKind::Personal },
            valid_until: epoch() + Days::new(u64::from(days)),
            minors_on_record: minors,
            issued: minutes.map(|m| DateTime::UNIX_EPOCH + TimeDelta::minutes(i64::from(m))),
        })
}

#[test]
fn an_issued_credential_is_short_alphanumeric_text_that_verifies() {
    let k = key(1, 9);
    let text = sample(k.id()).issue(&k).expect("issues");
    assert_eq!(text.len(), ENCODED_LEN);
    assert_eq!(ENCODED_LEN, 124, "fits a version-5 QR code at medium error correction (154)");
    assert!(text.starts_with(CREDENTIAL_PREFIX));
    assert!(text.bytes().all(|b| base45::ALPHABET.contains(&b)));
    let keys = KeySet::new([k.public()]);
    assert_eq!(Credential::verify(&text, &keys), Ok(sample(k.id())));
}

#[test]
fn a_credential_carries_its_issue_time_to_the_minute() {
    let k = key(1, 9);
    let mut c = sample(k.id());
    c.issued = Some(issued_at() + TimeDelta::seconds(59) + TimeDelta::milliseconds(7));
    let verified = Credential::verify(&c.issue(&k).expect("issues"), &KeySet::new([k.public()])).expect("verifies");
    assert_eq!(verified.issued, Some(issued_at()), "seconds are dropped");
}

#[test]
fn a_version_1_credential_still_verifies_without_an_issue_time() {
    let k = key(1, 9);
    let keys = KeySet::new([k.public()]);
    let old = written_by_version_1(&sample(k.id()), &k);
    assert_eq!(old.len(), ENCODED_LEN_V1);
    assert_eq!(Credential::verify(&old, &keys), Ok(sample_v1(k.id())));
    assert_eq!(sample_v1(k.id()).issue(&k), Ok(old), "issued without a time, it is version 1, as before");
}

#[test]
fn a_changed_issue_time_breaks_the_signature() {
    let k = key(1, 9);
    let text = sample(k.id()).issue(&k).expect("issues");
    let keys = KeySet::new([k.public()]);
    let mut bytes = base45::decode(&text[CREDENTIAL_PREFIX.len()..]).expect("decodes");
    // Made a day younger: minutes since 1970 are the record's last four bytes.
    let at = RECORD_LEN_V1..RECORD_LEN;
    let minutes = u32::from_be_bytes(bytes[at.clone()].try_into().expect("four bytes")) + 24 * 60;
    bytes[at].copy_from_slice(&minutes.to_be_bytes());
    let younger = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&bytes));
    assert_eq!(Credential::verify(&younger, &keys), Err(CredentialError::BadSignature));
}

#[test]
fn an_issue_time_cut_off_or_added_does_not_verify() {
    let k = key(1, 9);
    let keys = KeySet::new([k.public()]);
    // A version-2 record without its time, signature kept: too short for version 2.
    let v2 = base45::decode(&sample(k.id()).issue(&k).expect("issues")[CREDENTIAL_PREFIX.len()..]).expect("decodes");
    let cut = [&v2[..RECORD_LEN_V1], &v2[RECORD_LEN..]].concat();
    let cut = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&cut));
    assert_eq!(Credential::verify(&cut, &keys), Err(CredentialError::Truncated(CREDENTIAL_LEN_V1)));
    // ...and relabelled version 1, the signature does not match.
    let mut relabelled = [&v2[..RECORD_LEN_V1], &v2[RECORD_LEN..]].concat();
    relabelled[0] = VERSION_1;
    let relabelled = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&relabelled));
    assert_eq!(Credential::verify(&relabelled, &keys), Err(CredentialError::BadSignature));
    // A version-1 credential relabelled version 2 with a time added does not match either.
    let v1 = base45::decode(&written_by_version_1(&sample(k.id()), &k)[CREDENTIAL_PREFIX.len()..]).expect("decodes");
    let mut added = [&v1[..RECORD_LEN_V1], &[0, 0x1c, 0x10, 0x20][..], &v1[RECORD_LEN_V1..]].concat();
    added[0] = VERSION;
    let added = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&added));
    assert_eq!(Credential::verify(&added, &keys), Err(CredentialError::BadSignature));
}

#[test]
fn issue_times_outside_the_record_range_are_refused_when_issuing() {
    let k = key(1, 1);
    let mut c = sample(k.id());
    let before_1970 = DateTime::UNIX_EPOCH - TimeDelta::minutes(1);
    c.issued = Some(before_1970);
    assert_eq!(c.issue(&k), Err(CredentialError::IssuedOutOfRange(before_1970)));
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
    bytes[0] = 3;
    let changed = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&bytes));
    assert_eq!(Credential::verify(&changed, &KeySet::new([k.public()])), Err(CredentialError::UnsupportedVersion(3)));
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
        let bit = bit % (bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);
        let changed = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&bytes));
        prop_assert!(Credential::verify(&changed, &KeySet::new([k.public()])).is_err());
    }

    #[test]
    fn any_changed_byte_is_rejected(c in any_credential(), at in 0usize..CREDENTIAL_LEN, delta in 1u8..=255) {
        let k = key(1, 7);
        let text = c.issue(&k).expect("issues");
        let mut bytes = base45::decode(&text[CREDENTIAL_PREFIX.len()..]).expect("decodes");
        let at = at % bytes.len();
        bytes[at] = bytes[at].wrapping_add(delta);
        let changed = format!("{CREDENTIAL_PREFIX}{}", base45::encode(&bytes));
        prop_assert!(Credential::verify(&changed, &KeySet::new([k.public()])).is_err());
    }

    #[test]
    fn any_changed_character_is_rejected(c in any_credential(), at in 4usize..ENCODED_LEN, to in 0usize..45) {
        let k = key(1, 7);
        let text = c.issue(&k).expect("issues");
        let mut chars: Vec<u8> = text.into_bytes();
        let at = 4 + (at - 4) % (chars.len() - 4);
        prop_assume!(chars[at] != base45::ALPHABET[to]);
        chars[at] = base45::ALPHABET[to];
        let changed = String::from_utf8(chars).expect("ascii");
        prop_assert!(Credential::verify(&changed, &KeySet::new([k.public()])).is_err());
    }
}
