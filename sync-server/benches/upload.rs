//! Upload throughput and wire size of `POST /api/v1/redemptions/batch`, end to end.
//!
//! The real server runs in-process on 127.0.0.1 with a SQLite file on disk; the client is
//! reqwest over loopback, sending zstd-compressed JSON like a scanner would.
//!
//! - run A: one device uploads 100,000 redemptions in batches of 1,000, one batch at a time;
//! - run B: 8 devices upload 100,000 in total at once, each its own batches;
//! - run C: run A's batches again: every outcome must be `duplicate`.
//!
//! Redemptions per second are wall clock over the whole run, including the client's
//! serialisation, compression, the round trip and reading the answers. Bytes per redemption:
//! the compressed request body on the wire, the JSON before compression, and the answer's
//! body on the wire (the server compresses it with zstd too) and as JSON. HTTP headers are
//! not counted. Also shown: the CPU time of the whole process (server and client share the
//! machine) and the bytes written to storage per redemption (database and WAL, from
//! `/proc/self/io`).
//!
//! The bench checks what must hold and exits non-zero otherwise: no request failed, every
//! item of A and B was accepted, every item of C was a duplicate, and the redemptions table
//! holds exactly the distinct redemptions sent.
//!
//! `cargo bench -p kaiku-sync-server --bench upload`. Settings by environment:
//! `KAIKU_BENCH_ZSTD_LEVEL` (client compression level, default 1),
//! `KAIKU_BENCH_SUBSECOND=1` (scan times with milliseconds; by default whole seconds, as in
//! the examples of `docs/sync-protocol.md`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use kaiku_core::card::Validity;
use kaiku_core::ids::{DistributorId, OfferId, RegionId};
use kaiku_core::redemption::{CardFacts, DoorFields, EntryMethod, OfferKind, RedemptionDraft};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::wire::{Outcome, UploadResponse};
use kaiku_core::{Card, CardId, CardKind, KaikuId, Redemption, RevocationReason};
use kaiku_sync_server::clock::SystemClock;
use kaiku_sync_server::startup::{AppState, Application};
use kaiku_sync_server::store::sqlite::SqliteStore;
use kaiku_sync_server::store::{CardRecord, CodeUse, DeviceRecord, NewOffer, Store};
use kaiku_sync_server::{Settings, auth, codes};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};
use serde::Serialize;

const CARDS: u32 = 20_000;
const TOTAL: usize = 100_000;
const BATCH: usize = 1_000;
const PARALLEL_DEVICES: usize = 8;
const DEFAULT_ZSTD_LEVEL: i32 = 1;

/// What the bench targets (from the issue).
const TARGET_PER_SECOND: f64 = 50_000.0;
const TARGET_WIRE_BYTES: f64 = 60.0;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(bench())
}

/// A card the generator can pick, with what the register knows of it.
#[derive(Debug, Clone, Copy)]
struct BenchCard {
    id: CardId,
    kind: CardKind,
    minors: u8,
}

/// A device's token and record.
#[derive(Debug, Clone)]
struct BenchDevice {
    record: DeviceRecord,
    token: String,
}

#[derive(Debug, Clone, Copy)]
struct Offers {
    ticket: OfferId,
    course: OfferId,
}

/// A batch as the client serialises it: the same JSON as `kaiku_core::wire::UploadBatch`.
#[derive(Serialize)]
struct BatchRef<'a> {
    items: &'a [Redemption],
}

/// What a run sent and got back.
#[derive(Debug, Default, Clone, Copy)]
struct Totals {
    items: usize,
    requests: usize,
    failed: usize,
    json_bytes: usize,
    wire_bytes: usize,
    response_wire_bytes: usize,
    response_json_bytes: usize,
    accepted: usize,
    flagged: usize,
    duplicate: usize,
    rejected: usize,
}

impl Totals {
    fn add(&mut self, o: Totals) {
        self.items += o.items;
        self.requests += o.requests;
        self.failed += o.failed;
        self.json_bytes += o.json_bytes;
        self.wire_bytes += o.wire_bytes;
        self.response_wire_bytes += o.response_wire_bytes;
        self.response_json_bytes += o.response_json_bytes;
        self.accepted += o.accepted;
        self.flagged += o.flagged;
        self.duplicate += o.duplicate;
        self.rejected += o.rejected;
    }
}

#[derive(Debug, Clone, Copy)]
struct RunResult {
    totals: Totals,
    elapsed: Duration,
    /// Bytes this process wrote to storage during the run (the database and its WAL).
    disk_bytes: u64,
    /// CPU time of the whole process (server and client) during the run.
    cpu_seconds: f64,
}

impl RunResult {
    fn per_second(&self) -> f64 {
        self.totals.items as f64 / self.elapsed.as_secs_f64()
    }

    fn per_item(&self, bytes: usize) -> f64 {
        bytes as f64 / self.totals.items.max(1) as f64
    }
}

async fn bench() -> anyhow::Result<()> {
    let level = match std::env::var("KAIKU_BENCH_ZSTD_LEVEL") {
        Ok(v) => v.parse().context("KAIKU_BENCH_ZSTD_LEVEL must be an integer")?,
        Err(_) => DEFAULT_ZSTD_LEVEL,
    };
    let subsecond = std::env::var("KAIKU_BENCH_SUBSECOND").is_ok_and(|v| v == "1");
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("kaiku-bench.sqlite");

    // The register is built in a file in RAM (/dev/shm, where a fsync costs nothing: 20,000
    // cards one transaction each would wait for 20,000 fsyncs on disk), then copied to the file
    // on disk with the store's backup. Not `:memory:`: the backup reads through a reader
    // connection, which would open an empty database of its own.
    let setup = Instant::now();
    let ram = match tempfile::tempdir_in("/dev/shm") {
        Ok(d) => d,
        Err(_) => tempfile::tempdir()?,
    };
    let store = SqliteStore::open(&ram.path().join("kaiku-bench-setup.sqlite"))?;
    let now = Utc::now();
    let region = store.create_region("Bench region").await?;
    let distributor = store.create_distributor(region, "Bench distributor").await?;
    let venue = store.create_venue(Some(region), "Bench venue").await?;
    let ticket = NewOffer { name: "Concerts".into(), kind: OfferKind::Ticket, limit: None };
    let course = NewOffer { name: "Ceramics course".into(), kind: OfferKind::CoursePlace, limit: Some(12) };
    let offers =
        Offers { ticket: store.create_offer(venue, &ticket).await?, course: store.create_offer(venue, &course).await? };
    let mut rng = StdRng::seed_from_u64(2026);
    let cards = register_cards(&store, &mut rng, region, distributor, now.date_naive()).await?;
    let mut devices = Vec::new();
    for i in 0..=PARALLEL_DEVICES {
        devices.push(enroll(&store, venue, now, &format!("Door {i}")).await?);
    }
    store.backup(&db).await?;
    drop(store);
    drop(ram);
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db)?);
    let settings = Settings { addr: ([127, 0, 0, 1], 0).into(), database: db.clone(), ..Settings::default() };
    let state = AppState { store, clock: Arc::new(SystemClock), settings: Arc::new(settings) };
    let app = Application::build(state).await?;
    let url = format!("http://127.0.0.1:{}/api/v1/redemptions/batch", app.port());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let setup_time = setup.elapsed();

    let start = now - TimeDelta::days(3);
    let gen_started = Instant::now();
    let single = batches(make_redemptions(&mut rng, &devices[0].record, TOTAL, &cards, offers, start, subsecond));
    let per_device = TOTAL / PARALLEL_DEVICES;
    let parallel: Vec<Vec<Vec<Redemption>>> = devices[1..]
        .iter()
        .map(|d| batches(make_redemptions(&mut rng, &d.record, per_device, &cards, offers, start, subsecond)))
        .collect();
    let gen_time = gen_started.elapsed();

    // Automatic decompression off: the bench counts the answer's bytes as they come.
    let client = reqwest::Client::builder().no_gzip().no_zstd().no_brotli().no_deflate().build()?;

    let (t, disk, cpu) = (Instant::now(), disk_written(), cpu_seconds());
    let a = send_batches(&client, &url, &devices[0].token, &single, level).await?;
    let run_a = RunResult {
        totals: a,
        elapsed: t.elapsed(),
        disk_bytes: disk_written() - disk,
        cpu_seconds: cpu_seconds() - cpu,
    };

    let (t, disk, cpu) = (Instant::now(), disk_written(), cpu_seconds());
    let mut tasks = Vec::new();
    for (device, work) in devices[1..].iter().zip(parallel) {
        let (client, url, token) = (client.clone(), url.clone(), device.token.clone());
        tasks.push(tokio::spawn(async move { send_batches(&client, &url, &token, &work, level).await }));
    }
    let mut b = Totals::default();
    for task in tasks {
        b.add(task.await??);
    }
    let run_b = RunResult {
        totals: b,
        elapsed: t.elapsed(),
        disk_bytes: disk_written() - disk,
        cpu_seconds: cpu_seconds() - cpu,
    };

    let (t, disk, cpu) = (Instant::now(), disk_written(), cpu_seconds());
    let c = send_batches(&client, &url, &devices[0].token, &single, level).await?;
    let run_c = RunResult {
        totals: c,
        elapsed: t.elapsed(),
        disk_bytes: disk_written() - disk,
        cpu_seconds: cpu_seconds() - cpu,
    };

    let _ = stop.send(());
    server.await??;

    let distinct = TOTAL + per_device * PARALLEL_DEVICES;
    let check = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let stored: i64 = check.query_row("SELECT COUNT(*) FROM redemptions", [], |r| r.get(0))?;
    let kept_rejected: i64 = check.query_row("SELECT COUNT(*) FROM rejected_items", [], |r| r.get(0))?;
    let page_size: i64 = check.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    let journal: String = check.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;

    println!();
    println!("kaiku-sync-server upload bench ({} CPUs)", std::thread::available_parallelism().map_or(0, |n| n.get()));
    println!(
        "setup {:.1} s ({CARDS} cards, {} devices); data generation {:.1} s (not timed); client zstd level {level}; scan times in {}",
        setup_time.as_secs_f64(),
        devices.len(),
        gen_time.as_secs_f64(),
        if subsecond { "milliseconds" } else { "whole seconds" },
    );
    println!();
    println!(
        "{:<34} {:>7} {:>7} {:>7} {:>9} {:>9} {:>9} {:>10} {:>10} {:>10} {:>8} {:>6}",
        "run",
        "items",
        "secs",
        "cpu s",
        "items/s",
        "wire B/it",
        "json B/it",
        "resp wire",
        "resp json",
        "disk B/it",
        "requests",
        "failed"
    );
    for (name, r) in [
        (format!("A: 1 device, {} x {BATCH}", TOTAL / BATCH), run_a),
        (format!("B: {PARALLEL_DEVICES} devices at once, {} x {BATCH}", TOTAL / BATCH), run_b),
        ("C: A again (all duplicates)".to_owned(), run_c),
    ] {
        println!(
            "{:<34} {:>7} {:>7.2} {:>7.2} {:>9.0} {:>9.1} {:>9.1} {:>10.1} {:>10.1} {:>10.0} {:>8} {:>6}",
            name,
            r.totals.items,
            r.elapsed.as_secs_f64(),
            r.cpu_seconds,
            r.per_second(),
            r.per_item(r.totals.wire_bytes),
            r.per_item(r.totals.json_bytes),
            r.per_item(r.totals.response_wire_bytes),
            r.per_item(r.totals.response_json_bytes),
            r.disk_bytes as f64 / r.totals.items.max(1) as f64,
            r.totals.requests,
            r.totals.failed,
        );
    }
    println!();
    println!(
        "outcomes: A accepted {} (flagged {}), B accepted {} (flagged {}), C duplicate {}; rejected {}",
        run_a.totals.accepted,
        run_a.totals.flagged,
        run_b.totals.accepted,
        run_b.totals.flagged,
        run_c.totals.duplicate,
        run_a.totals.rejected + run_b.totals.rejected + run_c.totals.rejected,
    );
    println!("redemptions table: {stored} rows (expected {distinct}); rejected_items: {kept_rejected}");
    println!("database: page size {page_size}, journal mode {journal}; the server commits with synchronous=FULL");
    for (name, r) in [("A", run_a), ("B", run_b)] {
        let rate = r.per_second();
        let wire = r.per_item(r.totals.wire_bytes);
        println!(
            "target {name}: {rate:.0}/s {} {TARGET_PER_SECOND:.0}/s; {wire:.1} B/redemption {} {TARGET_WIRE_BYTES:.0} B",
            if rate >= TARGET_PER_SECOND { ">=" } else { "< (MISSED)" },
            if wire < TARGET_WIRE_BYTES { "<" } else { ">= (MISSED)" },
        );
    }

    for (name, r) in [("A", run_a), ("B", run_b), ("C", run_c)] {
        ensure!(r.totals.failed == 0, "run {name}: {} requests failed", r.totals.failed);
        ensure!(r.totals.items == TOTAL, "run {name}: {} items answered, expected {TOTAL}", r.totals.items);
    }
    ensure!(run_a.totals.accepted == TOTAL, "run A: {} of {TOTAL} accepted", run_a.totals.accepted);
    ensure!(run_b.totals.accepted == TOTAL, "run B: {} of {TOTAL} accepted", run_b.totals.accepted);
    ensure!(run_c.totals.duplicate == TOTAL, "run C: {} of {TOTAL} duplicate", run_c.totals.duplicate);
    ensure!(stored == i64::try_from(distinct)?, "the redemptions table has {stored} rows, expected {distinct}");
    ensure!(kept_rejected == 0, "{kept_rejected} items were kept as rejected");
    println!("all checks passed");
    Ok(())
}

/// Registers the cards through the store: 2% community cards, personal cards with 0-3
/// minors on record, every 250th card revoked (its uploads are accepted with a flag).
async fn register_cards(
    store: &SqliteStore,
    rng: &mut StdRng,
    region: RegionId,
    distributor: DistributorId,
    today: NaiveDate,
) -> anyhow::Result<Vec<BenchCard>> {
    let mut cards = Vec::with_capacity(CARDS as usize);
    for serial in 0..CARDS {
        let id = CardId::from(KaikuId::new('A', 1_000_000 + serial)?);
        let kind = if serial % 50 == 49 { CardKind::Community } else { CardKind::Personal };
        let minors = match (kind, rng.random_range(0..10)) {
            (CardKind::Community, _) | (_, 0..6) => 0,
            (_, 6..8) => 1,
            (_, 8) => 2,
            _ => 3,
        };
        let issued = today - TimeDelta::days(rng.random_range(10..300));
        let mut card = Card::issue(id, kind, region, distributor, issued, Validity::TwelveMonths, minors)?;
        if serial % 250 == 17 {
            card.revoke(RevocationReason::Lost, today - TimeDelta::days(5))?;
        }
        store.insert_card(&CardRecord { card, background: None }).await?;
        cards.push(BenchCard { id, kind, minors });
    }
    Ok(cards)
}

async fn enroll(
    store: &SqliteStore,
    venue: kaiku_core::ids::VenueId,
    now: DateTime<Utc>,
    label: &str,
) -> anyhow::Result<BenchDevice> {
    let code = codes::new_one_time_code();
    store.create_enrollment_code(venue, &codes::code_hash(&code), now + TimeDelta::hours(1)).await?;
    let secret = codes::new_secret();
    match store.enroll_device(&codes::code_hash(&code), now, label, &codes::hash(&secret)).await? {
        CodeUse::Taken(record) => Ok(BenchDevice { token: auth::device_token(record.id, &secret), record }),
        other => bail!("enrollment failed: {other:?}"),
    }
}

/// `count` redemptions of one device, seq 1.., scan times rising over about three days from
/// `start`, the id a UUIDv7 of the scan time (the device makes it when it records the scan).
/// About 20% with children, 10% course places, 2% community cards with 1-4 group members.
fn make_redemptions(
    rng: &mut StdRng,
    device: &DeviceRecord,
    count: usize,
    cards: &[BenchCard],
    offers: Offers,
    start: DateTime<Utc>,
    subsecond: bool,
) -> Vec<Redemption> {
    let personal: Vec<&BenchCard> = cards.iter().filter(|c| c.kind == CardKind::Personal).collect();
    let with_minors: Vec<&BenchCard> = personal.iter().copied().filter(|c| c.minors > 0).collect();
    let community: Vec<&BenchCard> = cards.iter().filter(|c| c.kind == CardKind::Community).collect();
    // Spread over about three days whatever the count.
    let mean_gap_ms = (3 * 24 * 3_600_000 / count.max(1)) as i64;
    let mut at = start;
    let mut out = Vec::with_capacity(count);
    for seq in 1..=count as u64 {
        at += TimeDelta::milliseconds(rng.random_range(0..2 * mean_gap_ms));
        let scanned_at = if subsecond { at } else { DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at) };
        let mut random = [0u8; 10];
        rng.fill(&mut random);
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        let id = uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid();
        let roll = rng.random_range(0..100);
        let (card, offer, children, group) = match roll {
            0..2 => {
                let card = community[rng.random_range(0..community.len())];
                let mut group: Vec<CardId> = Vec::new();
                while group.len() < rng.random_range(1..=4) {
                    let member = personal[rng.random_range(0..personal.len())].id;
                    if !group.contains(&member) {
                        group.push(member);
                    }
                }
                (card, OfferKind::Ticket, rng.random_range(0..3u8), group)
            }
            2..12 => (personal[rng.random_range(0..personal.len())], OfferKind::CoursePlace, 0, vec![]),
            12..32 => {
                let card = with_minors[rng.random_range(0..with_minors.len())];
                (card, OfferKind::Ticket, rng.random_range(1..=card.minors), vec![])
            }
            _ => (personal[rng.random_range(0..personal.len())], OfferKind::Ticket, 0, vec![]),
        };
        let draft = RedemptionDraft {
            id,
            device: device.id,
            seq,
            door: DoorFields {
                card: card.id,
                venue: device.venue,
                offer,
                offer_id: Some(match offer {
                    OfferKind::Ticket => offers.ticket,
                    OfferKind::CoursePlace => offers.course,
                }),
                children,
                group,
                scanned_at,
                entry: match rng.random_range(0..10) {
                    0..7 => EntryMethod::Qr,
                    7..9 => EntryMethod::Barcode,
                    _ => EntryMethod::Typed,
                },
                verdict: if rng.random_bool(0.9) { VerdictCode::Valid } else { VerdictCode::ValidUnverified },
            },
        };
        let facts = CardFacts { kind: card.kind, minors_on_record: card.minors };
        out.push(Redemption::new(draft, Some(facts)).expect("the generator keeps the card's rules"));
    }
    out
}

/// Bytes this process has written to storage so far (Linux `/proc/self/io`; 0 elsewhere).
fn disk_written() -> u64 {
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    io.lines().find_map(|l| l.strip_prefix("write_bytes: ")).and_then(|n| n.trim().parse().ok()).unwrap_or(0)
}

/// CPU seconds (user and system) this process has used so far (Linux `/proc/self/stat`,
/// in clock ticks of 10 ms; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may contain spaces.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the line: 11 and 12 counted from the state (field 3).
    (ticks(11) + ticks(12)) as f64 / 100.0
}

fn batches(items: Vec<Redemption>) -> Vec<Vec<Redemption>> {
    items.chunks(BATCH).map(<[Redemption]>::to_vec).collect()
}

/// Sends `batches` one after another as a device would, checking each answer.
async fn send_batches(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    batches: &[Vec<Redemption>],
    level: i32,
) -> anyhow::Result<Totals> {
    let mut t = Totals::default();
    for batch in batches {
        let json = serde_json::to_vec(&BatchRef { items: batch })?;
        let body = zstd::bulk::compress(&json, level)?;
        t.json_bytes += json.len();
        t.wire_bytes += body.len();
        t.requests += 1;
        let response = client
            .post(url)
            .bearer_auth(token)
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "zstd")
            .header(ACCEPT_ENCODING, "zstd")
            .body(body)
            .send()
            .await;
        let response = match response {
            Ok(r) if r.status().is_success() => r,
            Ok(r) => {
                t.failed += 1;
                eprintln!("upload failed: {} {}", r.status(), r.text().await.unwrap_or_default());
                continue;
            }
            Err(e) => {
                t.failed += 1;
                eprintln!("upload failed: {e}");
                continue;
            }
        };
        let zstd_answer = response.headers().get(CONTENT_ENCODING).is_some_and(|v| v == "zstd");
        let raw = response.bytes().await?;
        t.response_wire_bytes += raw.len();
        let answer = if zstd_answer { zstd::stream::decode_all(&raw[..])? } else { raw.to_vec() };
        t.response_json_bytes += answer.len();
        let answer: UploadResponse = serde_json::from_slice(&answer)?;
        ensure!(answer.outcomes.len() == batch.len(), "{} outcomes for {} items", answer.outcomes.len(), batch.len());
        for (i, (o, r)) in answer.outcomes.iter().zip(batch).enumerate() {
            ensure!(o.index as usize == i && o.id == Some(r.id), "outcome {i} names another item: {o:?}");
            match &o.outcome {
                Outcome::Accepted { flags } => {
                    t.accepted += 1;
                    t.flagged += usize::from(!flags.is_empty());
                }
                Outcome::Duplicate => t.duplicate += 1,
                Outcome::Rejected { reason } => {
                    t.rejected += 1;
                    if t.rejected <= 3 {
                        eprintln!("rejected {}: {reason}", r.id);
                    }
                }
            }
        }
        t.items += batch.len();
    }
    Ok(t)
}
