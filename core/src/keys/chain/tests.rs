use proptest::prelude::*;

use super::*;

fn key(id: u16) -> IssuerKey {
    IssuerKey::from_seed(KeyId(id), [id as u8; 32])
}

fn record(id: u16) -> PublicKeyRecord {
    key(id).public().into()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn endorse(new: u16, by: u16) -> Endorsement {
    Endorsement::sign(&key(new).public(), &key(by))
}

/// A device enrolled when only key 1 existed.
fn enrolled() -> TrustedKeys {
    TrustedKeys::enroll(&[record(1)], &[])
}

fn ids(t: &TrustedKeys) -> Vec<u16> {
    t.keys.iter().map(|r| r.key_id.0).collect()
}

#[test]
fn the_keys_of_the_enrollment_answer_are_the_roots() {
    let t = TrustedKeys::enroll(&[record(1), record(2)], &[]);
    assert_eq!(ids(&t), [1, 2]);
    assert!(t.refused.is_empty());
}

#[test]
fn a_key_endorsed_by_a_trusted_key_is_taken_in() {
    let t = enrolled().learn(&[record(1), record(2)], &[endorse(2, 1)], &[]);
    assert_eq!(ids(&t), [1, 2]);
    assert!(t.refused.is_empty());
    assert!(t.key_set().expect("keys").get(KeyId(2)).is_some());
}

#[test]
fn a_listed_key_without_an_endorsement_is_refused_and_the_trusted_set_kept() {
    let t = enrolled().learn(&[record(1), record(9)], &[], &[]);
    assert_eq!(ids(&t), [1]);
    assert_eq!(t.refused, [Refused { key_id: KeyId(9), retirement: false, why: Refusal::NotEndorsed }]);
}

#[test]
fn a_forged_endorsement_is_refused() {
    // Key 9 signs its own endorsement but claims key 1 signed it.
    let forged = Endorsement { by: KeyId(1), ..endorse(9, 9) };
    let t = enrolled().learn(&[record(9)], &[forged], &[]);
    assert_eq!(ids(&t), [1]);
    assert_eq!(t.refused[0].why, Refusal::BadSignature);
}

#[test]
fn an_endorsement_of_another_public_key_under_the_signed_id_is_refused() {
    let mut e = endorse(2, 1);
    e.public_key = record(9).public_key;
    let t = enrolled().learn(&[], &[e], &[]);
    assert_eq!(ids(&t), [1]);
    assert_eq!(t.refused[0].why, Refusal::BadSignature);
}

#[test]
fn an_endorsement_by_an_unknown_key_is_refused() {
    let t = enrolled().learn(&[], &[endorse(3, 2)], &[]);
    assert_eq!(ids(&t), [1]);
    assert_eq!(t.refused, [Refused { key_id: KeyId(3), retirement: false, why: Refusal::UnknownSigner(KeyId(2)) }]);
}

#[test]
fn a_chain_is_followed_whatever_the_order_of_its_links() {
    let in_order = enrolled().learn(&[], &[endorse(2, 1), endorse(3, 2)], &[]);
    let reversed = enrolled().learn(&[], &[endorse(3, 2), endorse(2, 1)], &[]);
    assert_eq!(ids(&in_order), [1, 2, 3]);
    assert_eq!(in_order.key_set(), reversed.key_set());
    assert!(reversed.refused.is_empty(), "a link seen before its signer is not refused: {:?}", reversed.refused);
}

#[test]
fn a_trusted_id_under_another_public_key_is_refused() {
    let other = PublicKeyRecord { key_id: KeyId(1), public_key: record(9).public_key };
    let t = enrolled().learn(&[other], &[], &[]);
    assert_eq!(t.key_set().expect("keys").get(KeyId(1)), Some(&key(1).public().key));
    assert_eq!(t.refused[0].why, Refusal::Conflicting);
}

#[test]
fn a_retirement_by_a_trusted_key_is_kept_and_shapes_the_key_set() {
    let t = enrolled().learn(&[], &[endorse(2, 1)], &[]).learn(
        &[],
        &[],
        &[Retirement::sign(KeyId(1), date(2027, 1, 1), &key(2))],
    );
    assert_eq!(t.retired, [RetiredKey { key_id: KeyId(1), from: date(2027, 1, 1) }]);
    assert_eq!(t.key_set().expect("keys").retired_from(KeyId(1)), Some(date(2027, 1, 1)));
}

#[test]
fn a_retirement_signed_by_an_untrusted_key_or_forged_is_refused() {
    let by_stranger = Retirement::sign(KeyId(1), date(2027, 1, 1), &key(9));
    let forged = Retirement { from: date(2026, 1, 1), ..Retirement::sign(KeyId(1), date(2027, 1, 1), &key(1)) };
    let t = enrolled().learn(&[], &[], &[by_stranger, forged]);
    assert!(t.retired.is_empty());
    let why: Vec<_> = t.refused.iter().map(|r| (r.retirement, r.why)).collect();
    assert_eq!(why, [(true, Refusal::UnknownSigner(KeyId(9))), (true, Refusal::BadSignature)]);
}

#[test]
fn replaying_old_statements_changes_nothing() {
    let early = Retirement::sign(KeyId(1), date(2027, 1, 1), &key(2));
    let later = Retirement::sign(KeyId(1), date(2027, 6, 1), &key(2));
    let once = enrolled().learn(&[record(2)], &[endorse(2, 1)], std::slice::from_ref(&early));
    let again = once.learn(&[record(2)], &[endorse(2, 1)], &[later, early]);
    assert_eq!(again, once);
    assert!(again.refused.is_empty(), "{:?}", again.refused);
}

#[test]
fn a_retired_key_endorses_nothing_new() {
    let t = enrolled().learn(&[], &[endorse(2, 1)], &[Retirement::sign(KeyId(1), date(2030, 1, 1), &key(2))]).learn(
        &[],
        &[endorse(9, 1)],
        &[],
    );
    assert_eq!(ids(&t), [1, 2]);
    assert_eq!(t.refused[0].why, Refusal::RetiredSigner(KeyId(1)));
}

#[test]
fn a_device_offline_through_a_rotation_follows_it_in_one_batch() {
    // Key 2 was endorsed by key 1, then retired key 1: all in the same register page.
    let t = enrolled().learn(
        &[record(1), record(2)],
        &[endorse(2, 1)],
        &[Retirement::sign(KeyId(1), date(2027, 1, 1), &key(2))],
    );
    assert_eq!(ids(&t), [1, 2]);
    assert_eq!(t.key_set().expect("keys").retired_from(KeyId(1)), Some(date(2027, 1, 1)));
}

#[test]
fn an_enrollment_answer_brings_its_retirements() {
    let t = TrustedKeys::enroll(&[record(1), record(2)], &[Retirement::sign(KeyId(1), date(2027, 1, 1), &key(2))]);
    assert_eq!(t.retired.len(), 1);
}

#[test]
fn the_old_stored_form_is_read_as_roots() {
    let old = serde_json::to_string(&vec![record(1), record(2)]).expect("ser");
    let t: TrustedKeys = serde_json::from_str(&old).expect("reads the old form");
    assert_eq!(ids(&t), [1, 2]);
    let again: TrustedKeys = serde_json::from_str(&serde_json::to_string(&t).expect("ser")).expect("de");
    assert_eq!(again, t);
}

proptest! {
    // Signing is slow in a debug build: fewer cases than the default 256.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_signature_but_the_trusted_keys_own_adds_a_key(
        bytes in proptest::collection::vec(any::<u8>(), 64),
        by in 1u16..4,
    ) {
        let e = Endorsement { signature: to_hex(&bytes), by: KeyId(by), ..endorse(9, 1) };
        let t = enrolled().learn(&[record(9)], &[e], &[]);
        prop_assert_eq!(ids(&t), vec![1]);
    }

    #[test]
    fn the_order_of_a_batch_never_matters(order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle()) {
        let all = [endorse(2, 1), endorse(3, 2), endorse(4, 3), endorse(9, 8)];
        let batch: Vec<_> = order.iter().map(|&i| all[i].clone()).collect();
        let t = enrolled().learn(&[], &batch, &[]);
        prop_assert_eq!(t.key_set().expect("keys"), enrolled().learn(&[], &all, &[]).key_set().expect("keys"));
        prop_assert_eq!(t.refused.len(), 1);
    }
}
