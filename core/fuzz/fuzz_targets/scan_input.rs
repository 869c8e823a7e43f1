//! Whatever a camera or keyboard hands over goes through `ScanInput::parse` and then the
//! door's `decide`, with a small key set and register copy, so credential verification is
//! fuzzed on the way.
//!
//! Two kinds of input:
//! - any bytes, read as lossy UTF-8 text (the normal case);
//! - a first byte of `0xFF` (never the start of UTF-8 text): the rest describes a credential
//!   that is signed here (known or unknown key, any card, kind, date) and then optionally
//!   mutated, so that valid signatures reach the register and date rules too.
//!
//! Besides "never panics", the target checks a few invariants of the verdict.

#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, Days, NaiveDate, TimeDelta, TimeZone, Utc};
use kaiku_core::base45::ALPHABET;
use kaiku_core::card::CardKind;
use kaiku_core::card_id::MAX_SERIAL;
use kaiku_core::credential::{CREDENTIAL_PREFIX, ENCODED_LEN, ENCODED_LEN_V1};
use kaiku_core::redemption::OfferKind;
use kaiku_core::verdict::{DeviceKnowledge, Evidence, Invalid, Moment, RegisterEntry, RegisterStatus, Verdict, decide};
use kaiku_core::{CardId, Credential, CredentialError, IssuerKey, KaikuId, KeyId, KeySet, RevocationReason, ScanInput};
use libfuzzer_sys::fuzz_target;

struct Door {
    /// Keys 1 and 2 are known to the device; key 9 is not.
    issuers: [IssuerKey; 3],
    keys: KeySet,
    register: HashMap<CardId, RegisterEntry>,
    /// The register's card IDs, in a fixed order.
    known_ids: Vec<CardId>,
    moment: Moment,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn door() -> &'static Door {
    static DOOR: OnceLock<Door> = OnceLock::new();
    DOOR.get_or_init(|| {
        let issuers = [
            IssuerKey::from_seed(KeyId(1), [1; 32]),
            IssuerKey::from_seed(KeyId(2), [2; 32]),
            IssuerKey::from_seed(KeyId(9), [9; 32]),
        ];
        let keys = KeySet::new([issuers[0].public(), issuers[1].public()]);
        let entry = |kind, valid_until, status| RegisterEntry { kind, valid_until, minors_on_record: 2, status };
        let revoked = RegisterStatus::Revoked { reason: RevocationReason::Lost, on: date(2026, 10, 1) };
        let register = HashMap::from([
            (id('A', 1), entry(CardKind::Personal, date(2027, 6, 30), RegisterStatus::Active)),
            (id('A', 2), entry(CardKind::Community, date(2027, 6, 30), RegisterStatus::Active)),
            (id('A', 3), entry(CardKind::Personal, date(2027, 6, 30), revoked)),
            (id('A', 4), entry(CardKind::Personal, date(2027, 6, 30), RegisterStatus::Unregistered)),
            (id('A', 5), entry(CardKind::Personal, date(2026, 1, 31), RegisterStatus::Active)),
            (id('K', 99_912_345), entry(CardKind::Personal, date(2026, 11, 21), RegisterStatus::Active)),
            (
                CardId::parse("A999123453").expect("legacy"),
                entry(CardKind::Personal, date(2027, 6, 30), RegisterStatus::Active),
            ),
        ]);
        let mut known_ids: Vec<CardId> = register.keys().copied().collect();
        known_ids.sort();
        let at = Utc.with_ymd_and_hms(2026, 11, 21, 18, 0, 0).single().expect("time");
        Door { issuers, keys, register, known_ids, moment: Moment { at, today: date(2026, 11, 21) } }
    })
}

fn id(letter: char, serial: u32) -> CardId {
    CardId::from(KaikuId::new(letter, serial).expect("valid id"))
}

fuzz_target!(|data: &[u8]| {
    let door = door();
    match data.split_first() {
        Some((0xFF, rest)) => signed(door, rest),
        _ => {
            let offer = if data.len() % 2 == 0 { OfferKind::Ticket } else { OfferKind::CoursePlace };
            check(door, &String::from_utf8_lossy(data), offer, Some(door.moment.at - TimeDelta::hours(3)));
        }
    }
});

/// Signs a credential described by `b`, mutates it as `b` says, and checks the verdict.
fn signed(door: &Door, b: &[u8]) {
    let byte = |i: usize| b.get(i).copied().unwrap_or(0);
    let issuer = &door.issuers[usize::from(byte(0)) % 3];
    let card = if byte(1) & 0x80 != 0 {
        door.known_ids[usize::from(byte(1)) % door.known_ids.len()]
    } else {
        let serial = u32::from_be_bytes([byte(2), byte(3), byte(4), byte(5)]) % (MAX_SERIAL + 1);
        id(kaiku_core::card_id::SERIES_LETTERS[usize::from(byte(1)) % 10], serial)
    };
    let kind = if byte(6) % 2 == 0 { CardKind::Personal } else { CardKind::Community };
    let days = u16::from_be_bytes([byte(7), byte(8)]);
    let valid_until = date(1970, 1, 1).checked_add_days(Days::new(u64::from(days))).expect("u16 days fit");
    let Some(kaiku) = card.kaiku() else { return };
    let credential =
        Credential { key_id: issuer.id(), card: kaiku, kind, valid_until, minors_on_record: byte(9), issued: None };
    let offer = if byte(10) & 1 == 0 { OfferKind::Ticket } else { OfferKind::CoursePlace };
    let as_of = match byte(10) >> 1 & 3 {
        0 => None,
        1 => Some(door.moment.at - TimeDelta::days(10)),
        _ => Some(door.moment.at - TimeDelta::hours(3)),
    };
    let text = credential.issue(issuer).expect("any u16 day count can be issued");
    assert_eq!(text.len(), ENCODED_LEN_V1);

    let mutations = b.get(11..).unwrap_or_default();
    if mutations.len() < 2 {
        // Untouched: a known key always verifies, to exactly what was signed.
        assert_eq!(ScanInput::parse(&text), ScanInput::Credential(text.clone()));
        let verified = Credential::verify(&text, &door.keys);
        let verdict = check(door, &text, offer, as_of);
        if issuer.id() == KeyId(9) {
            assert_eq!(verified, Err(CredentialError::UnknownKey(KeyId(9))));
            assert!(matches!(verdict, Verdict::Invalid(Invalid::Credential(CredentialError::UnknownKey(_)))));
        } else {
            assert_eq!(verified, Ok(credential));
            assert!(!matches!(verdict, Verdict::Invalid(_)), "{verdict:?}");
        }
        // The plain ID of the same card, as typed, goes through the register path.
        let typed = card.to_string().to_lowercase();
        check(door, &format!(" {}-{} ", &typed[..5], &typed[5..]), offer, as_of);
        return;
    }
    let mut bytes = text.into_bytes();
    for pair in mutations.chunks_exact(2) {
        let at = usize::from(pair[0]) % bytes.len();
        bytes[at] = if pair[1] < 0x80 { ALPHABET[usize::from(pair[1]) % ALPHABET.len()] } else { pair[1] };
    }
    check(door, &String::from_utf8_lossy(&bytes), offer, as_of);
}

/// Parses and decides, checking what must always hold. Returns the verdict.
fn check(door: &Door, text: &str, offer: OfferKind, as_of: Option<DateTime<Utc>>) -> Verdict {
    let scan = ScanInput::parse(text);
    match &scan {
        ScanInput::Credential(c) => assert!(c.starts_with(CREDENTIAL_PREFIX) && c.len() <= ENCODED_LEN + 3),
        ScanInput::PlainId(card) => assert_eq!(CardId::parse(&card.to_string()), Ok(*card)),
        ScanInput::Unrecognised(why) => assert!(!why.to_string().is_empty()),
    }
    let known = DeviceKnowledge {
        keys: &door.keys,
        register: &door.register,
        register_as_of: as_of,
        stale_after: TimeDelta::days(7),
    };
    let verdict = decide(&scan, &known, door.moment, offer);

    assert!(!verdict.reason().is_empty());
    assert_eq!(verdict.card().is_none(), matches!(verdict, Verdict::Invalid(_)), "{verdict:?}");
    if matches!(scan, ScanInput::Unrecognised(_)) {
        assert!(matches!(verdict, Verdict::Invalid(Invalid::Unrecognised(_))));
    }
    if let (ScanInput::PlainId(card), Some(named)) = (&scan, verdict.card()) {
        assert_eq!(*card, named);
    }
    if let Verdict::Valid(a) = &verdict {
        assert!(a.valid_until >= door.moment.today, "admitted after its last day: {a:?}");
        assert!(!(a.kind == CardKind::Community && offer == OfferKind::CoursePlace));
        match &scan {
            ScanInput::Credential(_) => assert!(matches!(a.evidence, Evidence::SignedCredential { .. })),
            _ => assert!(matches!(a.evidence, Evidence::Register { .. })),
        }
    }
    // A legacy ID is admitted only from the register (or flagged when there is no copy).
    if let (ScanInput::PlainId(card @ CardId::Legacy(_)), Some(_)) = (&scan, as_of) {
        if !door.register.contains_key(card) {
            assert!(matches!(verdict, Verdict::NotRegistered { .. }), "{verdict:?}");
        }
    }
    // The register wins over the credential; a plain ID uses the register when there is a copy.
    let register_used = matches!(scan, ScanInput::Credential(_)) || as_of.is_some();
    if let (Some(card), true) = (verdict.card(), register_used) {
        if let Some(entry) = door.register.get(&card) {
            match entry.status {
                RegisterStatus::Revoked { .. } => assert!(matches!(verdict, Verdict::Revoked { .. }), "{verdict:?}"),
                RegisterStatus::Unregistered => assert!(matches!(verdict, Verdict::NotRegistered { .. })),
                RegisterStatus::Active if entry.valid_until < door.moment.today => {
                    assert_eq!(verdict, Verdict::Expired { card, on: entry.valid_until })
                }
                RegisterStatus::Active => {}
            }
        }
    }
    verdict
}
