use std::collections::HashMap;

use chrono::TimeZone;

use super::*;
use crate::card_id::KaikuId;
use crate::keys::{IssuerKey, KeyId};

struct Door {
    key: IssuerKey,
    keys: KeySet,
    register: HashMap<CardId, RegisterEntry>,
    as_of: Option<DateTime<Utc>>,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn now() -> Moment {
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 18, 0, 0).single().expect("time");
    Moment { at, today: date(2026, 11, 21) }
}

/// When the door's credentials were issued: three days before the scan.
fn issued() -> DateTime<Utc> {
    now().at - TimeDelta::days(3)
}

fn id(serial: u32) -> CardId {
    CardId::from(KaikuId::new('A', serial).expect("valid"))
}

fn active(kind: CardKind, until: NaiveDate) -> RegisterEntry {
    RegisterEntry { kind, valid_until: until, minors_on_record: 2, status: RegisterStatus::Active }
}

impl Door {
    fn new() -> Self {
        let key = IssuerKey::from_seed(KeyId(1), [1; 32]);
        let keys = KeySet::new([key.public()]);
        let as_of = Some(now().at - TimeDelta::hours(3));
        Self { key, keys, register: HashMap::new(), as_of }
    }

    fn credential(&self, card: CardId, kind: CardKind, until: NaiveDate) -> ScanInput {
        let card = card.kaiku().expect("a mobile card has a Kaiku ID");
        let c = Credential {
            key_id: self.key.id(),
            card,
            kind,
            valid_until: until,
            minors_on_record: 2,
            issued: Some(issued()),
        };
        ScanInput::Credential(c.issue(&self.key).expect("issues"))
    }

    fn decide(&self, scan: &ScanInput, offer: OfferKind) -> Verdict {
        let known = DeviceKnowledge {
            keys: &self.keys,
            register: &self.register,
            register_as_of: self.as_of,
            stale_after: TimeDelta::days(7),
        };
        decide(scan, &known, now(), offer)
    }
}

#[test]
fn a_signed_credential_is_valid_offline_even_without_register_data() {
    let mut door = Door::new();
    door.as_of = None;
    let v = door.decide(&door.credential(id(1), CardKind::Personal, date(2027, 1, 1)), OfferKind::Ticket);
    assert_eq!(
        v,
        Verdict::Valid(Admission {
            card: id(1),
            kind: CardKind::Personal,
            valid_until: date(2027, 1, 1),
            minors_on_record: 2,
            evidence: Evidence::SignedCredential { issued: Some(issued()) },
        })
    );
    assert_eq!(v.signal(), Signal::Admit);
}

#[test]
fn a_version_1_credential_is_valid_without_an_issue_time() {
    let door = Door::new();
    let ScanInput::Credential(v2) = door.credential(id(1), CardKind::Personal, date(2027, 1, 1)) else {
        unreachable!("a credential")
    };
    let c = Credential::verify(&v2, &door.keys).expect("verifies");
    let v1 = Credential { issued: None, ..c }.issue(&door.key).expect("issues");
    let v = door.decide(&ScanInput::Credential(v1), OfferKind::Ticket);
    assert!(
        matches!(v, Verdict::Valid(Admission { evidence: Evidence::SignedCredential { issued: None }, .. })),
        "{v:?}"
    );
}

#[test]
fn an_expired_credential_says_when_it_expired() {
    let door = Door::new();
    let v = door.decide(&door.credential(id(1), CardKind::Personal, date(2026, 11, 20)), OfferKind::Ticket);
    assert_eq!(v, Verdict::Expired { card: id(1), on: date(2026, 11, 20) });
    assert_eq!(v.signal(), Signal::Refuse);
    assert!(v.reason().contains("2026-11-20"), "{}", v.reason());
}

#[test]
fn a_card_is_still_valid_on_its_last_day() {
    let door = Door::new();
    let v = door.decide(&door.credential(id(1), CardKind::Personal, date(2026, 11, 21)), OfferKind::Ticket);
    assert_eq!(v.code(), VerdictCode::Valid);
}

#[test]
fn the_register_wins_over_the_credential() {
    let mut door = Door::new();
    door.register.insert(id(1), active(CardKind::Personal, date(2027, 12, 31)));
    let renewed = door.decide(&door.credential(id(1), CardKind::Personal, date(2026, 1, 1)), OfferKind::Ticket);
    assert!(matches!(renewed, Verdict::Valid(a) if a.valid_until == date(2027, 12, 31)));

    let revoked = RegisterStatus::Revoked { reason: RevocationReason::Stolen, on: date(2026, 10, 1) };
    door.register.insert(id(1), RegisterEntry { status: revoked, ..active(CardKind::Personal, date(2027, 1, 1)) });
    let v = door.decide(&door.credential(id(1), CardKind::Personal, date(2027, 1, 1)), OfferKind::Ticket);
    assert_eq!(v, Verdict::Revoked { card: id(1), reason: RevocationReason::Stolen, on: date(2026, 10, 1) });
}

#[test]
fn a_plain_id_in_the_register_copy_is_valid_with_the_register_as_evidence() {
    let mut door = Door::new();
    door.register.insert(id(2), active(CardKind::Personal, date(2027, 1, 1)));
    let v = door.decide(&ScanInput::PlainId(id(2)), OfferKind::CoursePlace);
    assert!(matches!(v, Verdict::Valid(Admission { evidence: Evidence::Register { .. }, .. })), "{v:?}");
}

#[test]
fn a_plain_id_missing_from_the_register_copy_is_admitted_and_flagged() {
    let door = Door::new();
    let v = door.decide(&ScanInput::PlainId(id(3)), OfferKind::Ticket);
    let as_of = door.as_of.expect("has copy");
    assert_eq!(v, Verdict::ValidUnverified { card: id(3), why: Unverified::NotInRegisterCopy { as_of } });
    assert_eq!(v.signal(), Signal::AdmitFlagged);

    let mut fresh = Door::new();
    fresh.as_of = None;
    assert_eq!(
        fresh.decide(&ScanInput::PlainId(id(3)), OfferKind::Ticket),
        Verdict::ValidUnverified { card: id(3), why: Unverified::NoRegisterCopy }
    );
}

#[test]
fn a_stale_register_copy_only_flags_a_plain_id() {
    let mut door = Door::new();
    door.as_of = Some(now().at - TimeDelta::days(8));
    door.register.insert(id(2), active(CardKind::Personal, date(2027, 1, 1)));
    let v = door.decide(&ScanInput::PlainId(id(2)), OfferKind::Ticket);
    assert!(matches!(v, Verdict::ValidUnverified { why: Unverified::RegisterCopyStale { .. }, .. }), "{v:?}");
}

#[test]
fn an_unregistered_card_is_refused() {
    let mut door = Door::new();
    door.register.insert(
        id(4),
        RegisterEntry { status: RegisterStatus::Unregistered, ..active(CardKind::Personal, date(2027, 1, 1)) },
    );
    let v = door.decide(&ScanInput::PlainId(id(4)), OfferKind::Ticket);
    assert_eq!(v, Verdict::NotRegistered { card: id(4), did_you_mean: None });
    assert_eq!(v.signal(), Signal::Refuse);
}

#[test]
fn a_community_card_is_not_for_course_places() {
    let door = Door::new();
    let scan = door.credential(id(5), CardKind::Community, date(2027, 1, 1));
    assert_eq!(
        door.decide(&scan, OfferKind::CoursePlace),
        Verdict::NotForOffer { card: id(5), why: NotForOffer::CommunityCardCoursePlace }
    );
    assert_eq!(door.decide(&scan, OfferKind::Ticket).code(), VerdictCode::Valid);
}

#[test]
fn garbage_bad_check_digits_and_forged_credentials_are_invalid_with_a_reason() {
    let door = Door::new();
    let garbage = door.decide(&ScanInput::parse("hello"), OfferKind::Ticket);
    assert_eq!(garbage, Verdict::Invalid(Invalid::Unrecognised(Unrecognised::NotACardCode)));
    let short = door.decide(&ScanInput::parse("A9991"), OfferKind::Ticket);
    assert!(short.reason().contains("too short"), "{}", short.reason());

    let forger = IssuerKey::from_seed(KeyId(1), [9; 32]);
    let c = Credential {
        key_id: KeyId(1),
        card: KaikuId::new('A', 1).expect("valid"),
        kind: CardKind::Personal,
        valid_until: date(2027, 1, 1),
        minors_on_record: 0,
        issued: None,
    };
    let forged = door.decide(&ScanInput::Credential(c.issue(&forger).expect("issues")), OfferKind::Ticket);
    assert_eq!(forged, Verdict::Invalid(Invalid::Credential(CredentialError::BadSignature)));

    let other = IssuerKey::from_seed(KeyId(9), [9; 32]);
    let unknown = door.decide(&ScanInput::Credential(c.issue(&other).expect("issues")), OfferKind::Ticket);
    assert_eq!(unknown, Verdict::Invalid(Invalid::Credential(CredentialError::UnknownKey(KeyId(9)))));
    assert_eq!(unknown.card(), None);
}

#[test]
fn every_verdict_code_has_a_distinct_stable_key() {
    let codes = [
        VerdictCode::Valid,
        VerdictCode::ValidUnverified,
        VerdictCode::Expired,
        VerdictCode::Revoked,
        VerdictCode::NotRegistered,
        VerdictCode::NotForOffer,
        VerdictCode::Invalid,
    ];
    let keys: std::collections::HashSet<_> = codes.iter().map(|c| c.as_str()).collect();
    assert_eq!(keys.len(), codes.len());
    for c in codes {
        assert_eq!(serde_json::to_value(c).expect("ser"), serde_json::json!(c.as_str()));
    }
}

fn legacy(text: &str) -> CardId {
    let id = CardId::parse(text).expect("a legacy ID");
    assert!(id.is_legacy(), "{text} should be legacy");
    id
}

#[test]
fn an_imported_legacy_card_gets_the_usual_verdicts_from_the_register() {
    let mut door = Door::new();
    let sample = legacy("A999123453");
    door.register.insert(sample, active(CardKind::Personal, date(2027, 3, 1)));
    let v = door.decide(&ScanInput::parse("*A999123453*"), OfferKind::Ticket);
    assert!(matches!(v, Verdict::Valid(Admission { card, minors_on_record: 2, .. }) if card == sample), "{v:?}");

    let expired = legacy("XY123456");
    door.register.insert(expired, active(CardKind::Personal, date(2026, 1, 1)));
    let v = door.decide(&ScanInput::parse("xy 123 456"), OfferKind::Ticket);
    assert_eq!(v, Verdict::Expired { card: expired, on: date(2026, 1, 1) });

    let revoked = legacy("XY123999");
    let on = date(2026, 5, 1);
    let mut entry = active(CardKind::Personal, date(2027, 1, 1));
    entry.status = RegisterStatus::Revoked { reason: RevocationReason::Lost, on };
    door.register.insert(revoked, entry);
    let v = door.decide(&ScanInput::PlainId(revoked), OfferKind::Ticket);
    assert_eq!(v, Verdict::Revoked { card: revoked, reason: RevocationReason::Lost, on });
}

#[test]
fn a_legacy_id_the_register_does_not_hold_is_not_registered_never_invalid() {
    let door = Door::new();
    let v = door.decide(&ScanInput::parse("A999123453"), OfferKind::Ticket);
    assert_eq!(v, Verdict::NotRegistered { card: legacy("A999123453"), did_you_mean: None });
    assert_eq!(v.signal(), Signal::Refuse);
    assert!(v.reason().contains("contact the place that gave the card"), "{}", v.reason());
}

#[test]
fn a_typo_of_a_registered_id_suggests_it_and_does_not_admit_it() {
    let mut door = Door::new();
    let sample = legacy("A999123453");
    door.register.insert(sample, active(CardKind::Personal, date(2027, 3, 1)));
    let v = door.decide(&ScanInput::parse("A999123463"), OfferKind::Ticket);
    assert_eq!(v, Verdict::NotRegistered { card: legacy("A999123463"), did_you_mean: Some(sample) });
    assert!(v.reason().contains("did you mean A999123453"), "{}", v.reason());

    // A Kaiku ID with a wrong check digit reads as legacy and points back to the Kaiku card.
    let kaiku = id(1_000);
    door.register.insert(kaiku, active(CardKind::Personal, date(2027, 3, 1)));
    let mut typed = kaiku.to_string().into_bytes();
    typed[9] = if typed[9] == b'0' { b'1' } else { b'0' };
    let typed = std::str::from_utf8(&typed).expect("ascii");
    let v = door.decide(&ScanInput::parse(typed), OfferKind::Ticket);
    assert!(matches!(v, Verdict::NotRegistered { did_you_mean: Some(c), .. } if c == kaiku), "{v:?}");
}

#[test]
fn a_slip_that_makes_a_valid_kaiku_id_is_not_admitted_either() {
    let mut door = Door::new();
    let sample = legacy("A999123453");
    door.register.insert(sample, active(CardKind::Personal, date(2027, 3, 1)));
    // The sample's last digit mistyped as Kaiku's own check digit for that serial.
    let slip = CardId::parse("A999123459").expect("an ID");
    assert!(!slip.is_legacy());
    let v = door.decide(&ScanInput::PlainId(slip), OfferKind::Ticket);
    assert_eq!(v, Verdict::NotRegistered { card: slip, did_you_mean: Some(sample) });
    assert_eq!(v.signal(), Signal::Refuse);
}

#[test]
fn a_legacy_id_on_a_device_without_register_data_is_admitted_and_flagged() {
    let mut door = Door::new();
    door.as_of = None;
    let v = door.decide(&ScanInput::parse("A999123453"), OfferKind::Ticket);
    assert_eq!(v, Verdict::ValidUnverified { card: legacy("A999123453"), why: Unverified::NoRegisterCopy });
}

#[test]
fn a_retired_keys_credential_is_refused_from_the_retirement_day_and_admitted_before_it() {
    let mut door = Door::new();
    let card = door.credential(id(31), CardKind::Personal, date(2027, 6, 30));
    door.keys.retire(KeyId(1), date(2026, 11, 22));
    assert_eq!(door.decide(&card, OfferKind::Ticket).code(), VerdictCode::Valid, "the day before");
    door.keys.retire(KeyId(1), now().today);
    let verdict = door.decide(&card, OfferKind::Ticket);
    assert_eq!(verdict, Verdict::Invalid(Invalid::RetiredKey { key: KeyId(1), from: now().today }));
    assert!(verdict.reason().contains("key 1"), "{}", verdict.reason());
}
