//! Criterion benchmarks of the door's hot path: scan-input parsing, credential
//! verification, and the whole verdict. Run: `cargo bench -p kaiku-core --bench core`.

use std::collections::HashMap;
use std::hint::black_box;

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kaiku_core::card::CardKind;
use kaiku_core::redemption::OfferKind;
use kaiku_core::verdict::{Moment, RegisterEntry, RegisterStatus, decide};
use kaiku_core::{CardId, Credential, DeviceKnowledge, IssuerKey, KaikuId, KeyId, KeySet, ScanInput};

fn sample_credential(key: &IssuerKey) -> String {
    Credential {
        key_id: key.id(),
        card: KaikuId::new('A', 12_345_678).expect("valid"),
        kind: CardKind::Personal,
        valid_until: NaiveDate::from_ymd_opt(2027, 6, 30).expect("date"),
        minors_on_record: 2,
        issued: None,
    }
    .issue(key)
    .expect("issues")
}

fn benches(c: &mut Criterion) {
    let key = IssuerKey::from_seed(KeyId(1), [7; 32]);
    let keys = KeySet::new([key.public()]);
    let text = sample_credential(&key);
    let plain = CardId::from(KaikuId::new('B', 4_242).expect("valid")).to_string();

    c.bench_function("credential_verify", |b| b.iter(|| Credential::verify(black_box(&text), &keys)));
    c.bench_function("scan_parse_credential", |b| b.iter(|| ScanInput::parse(black_box(&text))));
    c.bench_function("scan_parse_plain_id", |b| b.iter(|| ScanInput::parse(black_box(&plain))));
    c.bench_function("scan_parse_garbage", |b| b.iter(|| ScanInput::parse(black_box("https://example.org/x?y=1"))));

    let register: HashMap<CardId, RegisterEntry> = (0..100_000u32)
        .map(|i| {
            let entry = RegisterEntry {
                kind: CardKind::Personal,
                valid_until: NaiveDate::from_ymd_opt(2027, 1, 1).expect("date"),
                minors_on_record: 1,
                status: RegisterStatus::Active,
            };
            (CardId::from(KaikuId::new('B', i).expect("valid")), entry)
        })
        .collect();
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).single().expect("time");
    let known = DeviceKnowledge {
        keys: &keys,
        register: &register,
        register_as_of: Some(now),
        stale_after: TimeDelta::days(7),
    };
    let moment = Moment { at: now, today: now.date_naive() };
    c.bench_function("verdict_credential", |b| {
        b.iter(|| decide(&ScanInput::parse(black_box(&text)), &known, moment, OfferKind::Ticket))
    });
    c.bench_function("verdict_plain_id_100k_register", |b| {
        b.iter(|| decide(&ScanInput::parse(black_box(&plain)), &known, moment, OfferKind::Ticket))
    });
}

criterion_group!(core_benches, benches);
criterion_main!(core_benches);
