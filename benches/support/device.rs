//! The scanner device's part of the benchmarks: scan -> durably recorded latency on the real
//! SQLite log, a register copy of 1,000,000 cards (size, lookup, a 1,000-change delta), and
//! copies mixing printed legacy IDs with Kaiku IDs (size, lookup, decode).
//! Run by `cargo bench -p kaiku --bench scan` (after the decoders) and `--bench device` (alone);
//! `KAIKU_BENCH_PART=register-mix cargo bench -p kaiku --bench device` runs the mixed copies only.

use std::time::{Duration, Instant};

use crate::frames::{Distortion, card_frame};
use chrono::{NaiveDate, TimeDelta, Utc};
use kaiku::camera::{Frame, scan_frame};
use kaiku::codes::qr_svg;
use kaiku::scanner::compact::CompactRegister;
use kaiku::scanner::store::knowledge;
use kaiku::scanner::{Enrollment, Fields, ScannerStore, SqliteScannerStore};
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::redemption::CardFacts;
use kaiku_core::verdict::{DeviceKnowledge, Moment, RegisterEntry, RegisterLookup, RegisterStatus, decide};
use kaiku_core::wire::{Cursor, RegisterPage, RegisterRecord};
use kaiku_core::{
    CardId, CardKind, Credential, IssuerKey, KaikuId, KeyId, KeySet, OfferKind, RevocationReason, ScanInput, Verdict,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const CARDS: u32 = 1_000_000;
const PAGE: u32 = 10_000;
const RECORDS: usize = 500;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted.get(((sorted.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(f64::NAN)
}

fn summary(label: &str, mut v: Vec<f64>) {
    v.sort_by(f64::total_cmp);
    println!(
        "{label:<44} n={:<5} median {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
        v.len(),
        percentile(&v, 0.5),
        percentile(&v, 0.99),
        v.last().copied().unwrap_or(f64::NAN)
    );
}

/// A deterministic spread of card serials in series A (a stride with a little jitter).
fn serial(i: u32) -> u32 {
    i * 97 + (i.wrapping_mul(2_654_435_761) >> 27)
}

fn entry(i: u32, until: NaiveDate) -> RegisterEntry {
    let status = if i.is_multiple_of(200) {
        RegisterStatus::Revoked { reason: RevocationReason::Lost, on: until - TimeDelta::days(100) }
    } else {
        RegisterStatus::Active
    };
    RegisterEntry {
        kind: if i.is_multiple_of(50) { CardKind::Community } else { CardKind::Personal },
        valid_until: until - TimeDelta::days(i64::from(i % 365)),
        minors_on_record: u8::try_from(i % 4).unwrap_or(0),
        status,
    }
}

fn page(records: Vec<RegisterRecord>, snapshot: bool, more: bool, next: u64) -> RegisterPage {
    RegisterPage {
        snapshot,
        records,
        next: Cursor(next),
        more,
        as_of: Utc::now(),
        keys: Vec::new(),
        endorsements: Vec::new(),
        retirements: Vec::new(),
    }
}

fn register_bench(
    rt: &tokio::runtime::Runtime,
    scanner: &SqliteScannerStore,
    path: &std::path::Path,
    until: NaiveDate,
) -> Result<()> {
    let start = Instant::now();
    for p in 0..CARDS / PAGE {
        let records = (p * PAGE..(p + 1) * PAGE)
            .map(|i| Ok(RegisterRecord { card: CardId::from(KaikuId::new('A', serial(i))?), entry: entry(i, until) }))
            .collect::<Result<Vec<_>>>()?;
        rt.block_on(scanner.apply_page(&page(records, p == 0, p + 1 < CARDS / PAGE, u64::from(p + 1))))?;
    }
    let snapshot = start.elapsed();
    let blob = scanner.register().cards.encode().len();
    let wal = std::fs::metadata(path.with_extension("sqlite-wal")).map(|m| m.len()).unwrap_or(0);
    println!("register copy of {} cards", scanner.register().cards.len());
    println!("  snapshot of {} pages applied and saved in {:.0} ms", CARDS / PAGE, ms(snapshot));
    println!(
        "  stored: {:.2} MB ({blob} B, {:.2} B/card); in memory {:.2} MB; database file {:.2} MB + WAL {:.2} MB",
        blob as f64 / 1e6,
        blob as f64 / f64::from(CARDS),
        f64::from(CARDS) * 8.0 / 1e6,
        std::fs::metadata(path)?.len() as f64 / 1e6,
        wal as f64 / 1e6
    );
    let probes: Vec<CardId> = (0..200_000u32)
        .map(|i| {
            KaikuId::new('A', if i % 2 == 0 { serial(i * 5 % CARDS) } else { serial(i * 5 % CARDS) + 1 })
                .map(CardId::from)
        })
        .collect::<std::result::Result<_, _>>()?;
    let start = Instant::now();
    let register = scanner.register();
    let found = probes.iter().filter(|c| register.lookup(c).is_some()).count();
    let per = start.elapsed().as_secs_f64() * 1e9 / probes.len() as f64;
    println!("  lookup: {per:.0} ns each over {} probes ({found} found)", probes.len());
    let keys = register.key_set()?;
    let known = knowledge(&register, &keys);
    let now = Utc::now();
    let moment = Moment { at: now, today: now.date_naive() };
    let start = Instant::now();
    for c in probes.iter().take(100_000) {
        std::hint::black_box(decide(&ScanInput::PlainId(*c), &known, moment, OfferKind::Ticket));
    }
    println!("  verdict for a typed ID: {:.0} ns each", start.elapsed().as_secs_f64() * 1e9 / 100_000.0);
    let mut deltas = Vec::new();
    for round in 0..10u32 {
        // 1,000 changes: 400 renewals, 100 revocations, 500 new cards.
        let mut records = Vec::with_capacity(1_000);
        for j in 0..500 {
            let i = (round * 7_919 + j * 1_999) % CARDS;
            let mut e = entry(i + 1, until + TimeDelta::days(365));
            if j.is_multiple_of(5) {
                e.status = RegisterStatus::Revoked { reason: RevocationReason::Stolen, on: until };
            }
            records.push(RegisterRecord { card: CardId::from(KaikuId::new('A', serial(i))?), entry: e });
            let new = CardId::from(KaikuId::new('B', round * 1_000 + j)?);
            records.push(RegisterRecord { card: new, entry: entry(j, until) });
        }
        let start = Instant::now();
        rt.block_on(scanner.apply_page(&page(records, false, false, u64::from(1_000 + round))))?;
        deltas.push(ms(start.elapsed()));
    }
    summary("  delta of 1,000 changes, applied + saved", deltas);
    println!("  cards after the deltas: {}", scanner.register().cards.len());
    Ok(())
}

fn enroll(rt: &tokio::runtime::Runtime, scanner: &SqliteScannerStore, key: &IssuerKey) -> Result<()> {
    let e = Enrollment {
        device: DeviceId(1),
        token: Some("kd1.bench".into()),
        venue: VenueId(1),
        venue_name: "Bench hall".into(),
        offers: Vec::new(),
    };
    let keys = kaiku_core::KeySet::new([key.public()]).records();
    rt.block_on(scanner.save_enrollment(&e, &kaiku_core::keys::TrustedKeys::enroll(&keys, &[])))?;
    Ok(())
}

fn record_bench(scanner: &SqliteScannerStore, key: &IssuerKey, until: NaiveDate) -> Result<()> {
    let mut frames = Vec::new();
    for s in 0..8u32 {
        let card = KaikuId::new('A', serial(s * 3 + 1))?;
        let text = Credential {
            key_id: key.id(),
            card,
            kind: CardKind::Personal,
            valid_until: until,
            minors_on_record: 2,
            issued: None,
        }
        .issue(key)?;
        let d = Distortion { rotate: 5.0 * s as f32, blur: 0.5, noise: 4.0, ..Distortion::default() };
        let img = card_frame(&qr_svg(&text)?, 420.0, 1280, 720, &d, u64::from(s));
        frames.push(Frame::new(img.luma, 1280, 720)?);
    }
    let register = scanner.register();
    let keys = register.key_set()?;
    let (mut whole, mut commit, mut unread) = (Vec::new(), Vec::new(), 0);
    for i in 0..RECORDS {
        let start = Instant::now();
        let Some(scan) = scan_frame(&frames[i % frames.len()]) else {
            unread += 1;
            continue;
        };
        let now = Utc::now();
        let verdict = decide(
            &scan.input,
            &knowledge(&register, &keys),
            Moment { at: now, today: now.date_naive() },
            OfferKind::Ticket,
        );
        let Verdict::Valid(a) = &verdict else { return Err(format!("not valid: {verdict:?}").into()) };
        let fields = Fields {
            card: a.card,
            venue: VenueId(1),
            offer: OfferKind::Ticket,
            offer_id: None,
            children: a.minors_on_record.min(1),
            group: Vec::new(),
            scanned_at: now,
            entry: scan.method,
            verdict: verdict.code(),
        };
        let before_commit = Instant::now();
        scanner.record(fields, Some(CardFacts::from(a)))?;
        commit.push(ms(before_commit.elapsed()));
        whole.push(ms(start.elapsed()));
    }
    println!("scan -> durably recorded (1280x720 QR frame, rxing, decide, SQLite WAL + synchronous=FULL):");
    summary("  frame -> verdict -> committed", whole);
    summary("  the commit alone", commit);
    println!("  frames unread: {unread} of {RECORDS}; pending now {}", scanner.pending_count()?);
    Ok(())
}

/// The `i`th printed legacy ID of a national-register-like numbering: mostly one letter and nine
/// digits like the seeds' `A999123453`, every fifth two letters and seven digits; skipping the
/// texts that are valid Kaiku IDs (those are Kaiku's, never legacy).
fn legacy_id(i: u32) -> CardId {
    let letters = ["A", "B", "C", "KU", "ES"][(i % 5) as usize];
    let mut n = u64::from(serial(i / 5));
    loop {
        let text = if letters.len() == 1 { format!("{letters}{:09}", n) } else { format!("{letters}{:07}", n) };
        match CardId::parse(&text) {
            Ok(id) if id.is_legacy() => return id,
            _ => n += 1,
        }
    }
}

/// A register copy of `kaiku` Kaiku cards and `legacy` printed legacy cards, as sync builds it.
fn mixed_copy(kaiku: u32, legacy: u32, until: NaiveDate) -> Result<CompactRegister> {
    let mut copy = CompactRegister::default();
    let mut records = Vec::with_capacity(PAGE as usize);
    let kaiku_ids = (0..kaiku).map(|i| KaikuId::new('A', serial(i)).map(|id| (i, CardId::from(id))));
    for item in kaiku_ids.chain((0..legacy).map(|i| Ok((i, legacy_id(i))))) {
        let (i, card) = item?;
        records.push(RegisterRecord { card, entry: entry(i, until) });
        if records.len() == PAGE as usize {
            copy.apply(&records);
            records.clear();
        }
    }
    copy.apply(&records);
    Ok(copy)
}

fn lookup_ns(copy: &CompactRegister, probes: &[CardId]) -> (f64, usize) {
    let start = Instant::now();
    let found = probes.iter().filter(|c| copy.lookup(c).is_some()).count();
    (start.elapsed().as_secs_f64() * 1e9 / probes.len() as f64, found)
}

/// Size, lookup and decode of copies holding printed legacy IDs beside Kaiku IDs.
fn mixed_register_bench(until: NaiveDate) -> Result<()> {
    println!("register copies with printed legacy IDs (in memory: 8 B a Kaiku card, 12 B a legacy card):");
    for (kaiku, legacy) in [(CARDS, 15_000), (0, 15_000), (0, CARDS)] {
        let copy = mixed_copy(kaiku, legacy, until)?;
        let cards = copy.len();
        let (mut encode, mut decode, mut bytes) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..5 {
            let start = Instant::now();
            bytes = copy.encode();
            encode.push(ms(start.elapsed()));
            let start = Instant::now();
            let back = CompactRegister::decode(&bytes)?;
            decode.push(ms(start.elapsed()));
            if back.len() != cards {
                return Err("decode lost cards".into());
            }
        }
        println!(
            "  {kaiku} Kaiku + {legacy} legacy = {cards} cards: stored {:.2} MB ({} B, {:.2} B/card), in memory {:.2} MB",
            bytes.len() as f64 / 1e6,
            bytes.len(),
            bytes.len() as f64 / cards as f64,
            (f64::from(kaiku) * 8.0 + f64::from(legacy) * 12.0) / 1e6
        );
        summary("    encode", encode);
        summary("    decode", decode);
        // Half the probes are cards in the copy, half their neighbours that are not.
        let kaiku_probes: Vec<CardId> = (0..200_000u32)
            .map(|i| KaikuId::new('A', serial(i * 5 % CARDS) + i % 2).map(CardId::from))
            .collect::<std::result::Result<_, _>>()?;
        let legacy_probes: Vec<CardId> =
            (0..200_000u32).map(|i| legacy_id(i % legacy.max(1) + if i % 2 == 1 { legacy } else { 0 })).collect();
        let (k_ns, k_found) = lookup_ns(&copy, &kaiku_probes);
        let (l_ns, l_found) = lookup_ns(&copy, &legacy_probes);
        println!("    lookup of a Kaiku ID:  {k_ns:>5.0} ns each ({k_found} of {} found)", kaiku_probes.len());
        println!("    lookup of a legacy ID: {l_ns:>5.0} ns each ({l_found} of {} found)", legacy_probes.len());
        // A typed legacy ID not in the copy searches its one-slip neighbours for "did you mean".
        let keys = KeySet::new([]);
        let now = Utc::now();
        let known = DeviceKnowledge {
            keys: &keys,
            register: &copy,
            register_as_of: Some(now),
            stale_after: TimeDelta::days(3),
        };
        let misses: Vec<&CardId> = legacy_probes.iter().skip(1).step_by(2).take(2_000).collect();
        let start = Instant::now();
        for c in &misses {
            let v = decide(
                &ScanInput::PlainId(**c),
                &known,
                Moment { at: now, today: now.date_naive() },
                OfferKind::Ticket,
            );
            std::hint::black_box(v);
        }
        let us = start.elapsed().as_secs_f64() * 1e6 / misses.len() as f64;
        println!("    verdict for a legacy ID not in the copy (did-you-mean search): {us:.1} µs each");
    }
    Ok(())
}

/// Runs the device benchmarks and prints their figures.
pub fn run() -> Result<()> {
    let until = NaiveDate::from_ymd_opt(2027, 10, 31).ok_or("date")?;
    if std::env::var("KAIKU_BENCH_PART").as_deref() == Ok("register-mix") {
        return mixed_register_bench(until);
    }
    let rt = tokio::runtime::Builder::new_current_thread().build()?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("scanner.sqlite");
    let scanner = SqliteScannerStore::open(&path)?;
    let key = IssuerKey::from_seed(KeyId(1), [9; 32]);
    enroll(&rt, &scanner, &key)?;
    register_bench(&rt, &scanner, &path, until)?;
    record_bench(&scanner, &key, until)?;
    mixed_register_bench(until)?;
    Ok(())
}
