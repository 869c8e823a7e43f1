//! Upload throughput and wire size of `POST /api/v1/redemptions/batch`, end to end.
//!
//! The real server runs in-process on 127.0.0.1 with a SQLite file on disk; the client is
//! reqwest over loopback, sending zstd-compressed JSON like a scanner would.
//!
//! - run A: one device uploads 100,000 redemptions in batches of 1,000, one batch at a time;
//! - run B: 8 devices upload 100,000 in total at once, each its own batches, all from the same
//!   20,000 cards in the same three days as A (so a large share of uses are pairs to check);
//! - run C: run A's batches again: every outcome must be `duplicate`;
//! - run D: 8 devices at once, two at venues of each of 4 regions, each drawing from its own
//!   region's 5,000 cards, over three days of their own.
//!
//! Each run is timed until the uploads are answered and until the projector has caught up
//! (everything derived from them written: statistics rows, uses to check, the console's
//! counters); redemptions per second count the latter, the target's figure. Wall clock over the
//! whole run, including the client's serialisation, compression, the round trip and reading the
//! answers. Bytes per redemption: the compressed request body on the wire, the JSON before
//! compression, and the answer's body on the wire (the server compresses it with zstd too) and as
//! JSON. HTTP headers are not counted. Also shown: the CPU time of the whole process (server and
//! client share the machine), the bytes written to storage per redemption (database and WAL,
//! from `/proc/self/io`), the pairs of uses to check each run made (and their share of its uses),
//! and the items whose answer carried a flag.
//!
//! The bench checks what must hold and exits non-zero otherwise: no request failed, every
//! item of A, B and D was accepted, every item of C was a duplicate, the redemptions table
//! holds exactly the distinct redemptions sent, and the projector has done every one.
//!
//! `cargo bench -p kaiku-sync-server --bench upload`. Settings by environment:
//! `KAIKU_BENCH_ZSTD_LEVEL` (client compression level, default 1),
//! `KAIKU_BENCH_SUBSECOND=1` (scan times with milliseconds; by default whole seconds, as in
//! the examples of `docs/sync-protocol.md`).

#[path = "support/upload_data.rs"]
mod data;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use chrono::{TimeDelta, Utc};
use data::{BenchDevice, batches, make_redemptions};
use kaiku_core::Redemption;
use kaiku_core::wire::{Outcome, UploadResponse};
use kaiku_sync_server::Settings;
use kaiku_sync_server::clock::SystemClock;
use kaiku_sync_server::startup::{AppState, Application};
use kaiku_sync_server::store::Store;
use kaiku_sync_server::store::sqlite::SqliteStore;
use rand::SeedableRng;
use rand::rngs::StdRng;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};
use rusqlite::Connection;
use serde::Serialize;

const CARDS: u32 = 20_000;
const REGIONS: u32 = 4;
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
    /// Until the last answer.
    answered: Duration,
    /// Until the projector had done every redemption stored.
    projected: Duration,
    /// Bytes this process wrote to storage during the run (the database and its WAL).
    disk_bytes: u64,
    /// CPU time of the whole process (server and client) during the run.
    cpu_seconds: f64,
    /// Pairs of uses to check the run made.
    pairs: i64,
}

impl RunResult {
    fn rate(&self, d: Duration) -> f64 {
        self.totals.items as f64 / d.as_secs_f64()
    }

    fn per_second(&self) -> f64 {
        self.rate(self.projected)
    }

    fn per_item(&self, bytes: usize) -> f64 {
        bytes as f64 / self.totals.items.max(1) as f64
    }
}

/// Runs `uploads`, then catches the projector up, timing both.
async fn timed(
    store: &SqliteStore,
    db: &Connection,
    uploads: impl Future<Output = anyhow::Result<Totals>>,
) -> anyhow::Result<RunResult> {
    let pairs = || db.query_row("SELECT count(*) FROM flagged_uses", [], |r| r.get::<_, i64>(0));
    let (t, disk, cpu, pairs_before) = (Instant::now(), disk_written(), cpu_seconds(), pairs()?);
    let totals = uploads.await?;
    let answered = t.elapsed();
    store.catch_up().await?;
    let projected = t.elapsed();
    Ok(RunResult {
        totals,
        answered,
        projected,
        disk_bytes: disk_written() - disk,
        cpu_seconds: cpu_seconds() - cpu,
        pairs: pairs()? - pairs_before,
    })
}

/// Each device sends its batches at the same time as the others.
async fn at_once(
    client: &reqwest::Client,
    url: &str,
    work: Vec<(BenchDevice, Vec<Vec<Redemption>>)>,
    level: i32,
) -> anyhow::Result<Totals> {
    let mut tasks = Vec::new();
    for (device, batches) in work {
        let (client, url) = (client.clone(), url.to_owned());
        tasks.push(tokio::spawn(async move { send_batches(&client, &url, &device.token, &batches, level).await }));
    }
    let mut totals = Totals::default();
    for task in tasks {
        totals.add(task.await??);
    }
    Ok(totals)
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
    let register = data::register(&store, CARDS, REGIONS, PARALLEL_DEVICES + 1, now.date_naive()).await?;
    store.backup(&db).await?;
    drop(store);
    drop(ram);
    let sqlite = Arc::new(SqliteStore::open(&db)?);
    let store: Arc<dyn Store> = sqlite.clone();
    let settings = Settings { addr: ([127, 0, 0, 1], 0).into(), database: db.clone(), ..Settings::default() };
    let state = AppState { store, clock: Arc::new(SystemClock), settings: Arc::new(settings) };
    let app = Application::build(state).await?;
    let url = format!("http://127.0.0.1:{}/api/v1/redemptions/batch", app.port());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let setup_time = setup.elapsed();

    let mut rng = StdRng::seed_from_u64(2026);
    let start = now - TimeDelta::days(3);
    let gen_started = Instant::now();
    let devices = &register.devices;
    let single = batches(make_redemptions(&mut rng, &devices[0], TOTAL, &register.cards, start, subsecond), BATCH);
    let per_device = TOTAL / PARALLEL_DEVICES;
    let parallel: Vec<(BenchDevice, Vec<Vec<Redemption>>)> = devices[1..]
        .iter()
        .map(|d| {
            let made = make_redemptions(&mut rng, d, per_device, &register.cards, start, subsecond);
            (d.clone(), batches(made, BATCH))
        })
        .collect();
    // Three days before A's and B's, so that D's pairs are its own.
    let regional: Vec<(BenchDevice, Vec<Vec<Redemption>>)> = register
        .regional
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let region = register.cards[i / 2 * 50].region;
            let pool: Vec<_> = register.cards.iter().copied().filter(|c| c.region == region).collect();
            let made = make_redemptions(&mut rng, d, per_device, &pool, start - TimeDelta::days(3), subsecond);
            (d.clone(), batches(made, BATCH))
        })
        .collect();
    let gen_time = gen_started.elapsed();

    // Automatic decompression off: the bench counts the answer's bytes as they come.
    let client = reqwest::Client::builder().no_gzip().no_zstd().no_brotli().no_deflate().build()?;
    let check = Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let token = devices[0].token.clone();
    let run_a = timed(&sqlite, &check, send_batches(&client, &url, &token, &single, level)).await?;
    let run_b = timed(&sqlite, &check, at_once(&client, &url, parallel, level)).await?;
    let run_c = timed(&sqlite, &check, send_batches(&client, &url, &token, &single, level)).await?;
    let run_d = timed(&sqlite, &check, at_once(&client, &url, regional, level)).await?;

    let _ = stop.send(());
    server.await??;

    let distinct = TOTAL + 2 * per_device * PARALLEL_DEVICES;
    let stored: i64 = check.query_row("SELECT COUNT(*) FROM redemptions", [], |r| r.get(0))?;
    let derived: i64 = check.query_row("SELECT COUNT(*) FROM use_facts", [], |r| r.get(0))?;
    let behind: i64 =
        check.query_row("SELECT (SELECT max(rowid) FROM redemptions) - (SELECT through FROM projection)", [], |r| {
            r.get(0)
        })?;
    let kept_rejected: i64 = check.query_row("SELECT COUNT(*) FROM rejected_items", [], |r| r.get(0))?;
    let page_size: i64 = check.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    let journal: String = check.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    let runs = [
        (format!("A: 1 device, {} x {BATCH}", TOTAL / BATCH), run_a),
        (format!("B: {PARALLEL_DEVICES} devices at once, {} x {BATCH}", TOTAL / BATCH), run_b),
        ("C: A again (all duplicates)".to_owned(), run_c),
        (format!("D: {PARALLEL_DEVICES} devices, own region's cards"), run_d),
    ];

    println!();
    println!("kaiku-sync-server upload bench ({} CPUs)", std::thread::available_parallelism().map_or(0, |n| n.get()));
    println!(
        "setup {:.1} s ({CARDS} cards in {REGIONS} regions, {} devices); data generation {:.1} s (not timed); \
         client zstd level {level}; scan times in {}",
        setup_time.as_secs_f64(),
        register.devices.len() + register.regional.len(),
        gen_time.as_secs_f64(),
        if subsecond { "milliseconds" } else { "whole seconds" },
    );
    println!();
    println!(
        "{:<34} {:>7} {:>8} {:>8} {:>7} {:>10} {:>10} {:>9} {:>9} {:>10} {:>10} {:>10} {:>8} {:>6}",
        "run",
        "items",
        "answ s",
        "proj s",
        "cpu s",
        "answered/s",
        "items/s",
        "wire B/it",
        "json B/it",
        "resp wire",
        "resp json",
        "disk B/it",
        "requests",
        "failed"
    );
    for (name, r) in &runs {
        println!(
            "{:<34} {:>7} {:>8.2} {:>8.2} {:>7.2} {:>10.0} {:>10.0} {:>9.1} {:>9.1} {:>10.1} {:>10.1} {:>10.0} {:>8} {:>6}",
            name,
            r.totals.items,
            r.answered.as_secs_f64(),
            r.projected.as_secs_f64(),
            r.cpu_seconds,
            r.rate(r.answered),
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
    println!("(items/s: until the projector had caught up; answered/s: until the last answer)");
    println!();
    for (name, r) in [("A", run_a), ("B", run_b), ("D", run_d)] {
        println!(
            "run {name}: uses to check {} pairs ({:.2} per 100 uses); answers with a flag {} ({:.1}%)",
            r.pairs,
            100.0 * r.pairs as f64 / r.totals.items.max(1) as f64,
            r.totals.flagged,
            100.0 * r.totals.flagged as f64 / r.totals.items.max(1) as f64,
        );
    }
    println!(
        "outcomes: accepted A {}, B {}, D {}; C duplicate {}; rejected {}",
        run_a.totals.accepted,
        run_b.totals.accepted,
        run_d.totals.accepted,
        run_c.totals.duplicate,
        runs.iter().map(|(_, r)| r.totals.rejected).sum::<usize>(),
    );
    println!(
        "redemptions table: {stored} rows (expected {distinct}), {derived} projected, {behind} behind; \
         rejected_items: {kept_rejected}"
    );
    println!("database: page size {page_size}, journal mode {journal}; the server commits with synchronous=FULL");
    for (name, r) in [("A", run_a), ("B", run_b), ("D", run_d)] {
        let rate = r.per_second();
        let wire = r.per_item(r.totals.wire_bytes);
        println!(
            "target {name}: {rate:.0}/s {} {TARGET_PER_SECOND:.0}/s; {wire:.1} B/redemption {} {TARGET_WIRE_BYTES:.0} B",
            if rate >= TARGET_PER_SECOND { ">=" } else { "< (MISSED)" },
            if wire < TARGET_WIRE_BYTES { "<" } else { ">= (MISSED)" },
        );
    }

    for (name, r) in &runs {
        ensure!(r.totals.failed == 0, "run {name}: {} requests failed", r.totals.failed);
        ensure!(r.totals.items == TOTAL, "run {name}: {} items answered, expected {TOTAL}", r.totals.items);
    }
    for (name, r) in [("A", run_a), ("B", run_b), ("D", run_d)] {
        ensure!(r.totals.accepted == TOTAL, "run {name}: {} of {TOTAL} accepted", r.totals.accepted);
    }
    ensure!(run_c.totals.duplicate == TOTAL, "run C: {} of {TOTAL} duplicate", run_c.totals.duplicate);
    ensure!(stored == i64::try_from(distinct)?, "the redemptions table has {stored} rows, expected {distinct}");
    ensure!(derived == stored && behind == 0, "the projector left {behind} rows; {derived} of {stored} projected");
    ensure!(kept_rejected == 0, "{kept_rejected} items were kept as rejected");
    println!("all checks passed");
    Ok(())
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
