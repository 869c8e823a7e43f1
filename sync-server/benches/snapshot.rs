//! The register copy a scanner downloads when it starts from nothing: every page of
//! `GET /register` from cursor 0, as the scanner's sync asks for them (`app/scanner/sync.rs`),
//! over real HTTP on 127.0.0.1 from the demo database on disk (the dashboard bench's, made
//! once and kept in the temporary folder).
//!
//! Timed: the whole snapshot uncompressed, gzip'd and zstd'd (the server compresses what the
//! client accepts), with its pages, bytes on the wire and the CPU time it took; and the store
//! call alone for the same pages (no JSON, no HTTP). The best of `--runs` passes.
//!
//! `cargo bench -p kaiku-sync-server --bench snapshot -- --cards 5000000 --redemptions 10000000`
//! (`--runs N`, or `--database FILE` for another register file; `--postgres` for the national
//! bench's PostgreSQL register of that size, made by `--bench national` first)

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::ensure;
use chrono::{Datelike, TimeDelta};
use kaiku_core::wire::{Cursor, RegisterPage};
use kaiku_sync_server::clock::{Clock, SystemClock};
use kaiku_sync_server::startup::{AppState, Application};
use kaiku_sync_server::store::{CodeUse, Store};
use kaiku_sync_server::{Settings, auth, codes};

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::cpu_time;

#[path = "support/demo_db.rs"]
mod demo_db;

// Only starts the cluster here: making the register is the national bench's.
#[allow(dead_code)]
#[path = "support/national_db.rs"]
mod national_db;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(bench())
}

/// What one download of the whole snapshot took.
struct Pass {
    took: Duration,
    cpu: Duration,
    records: usize,
    bytes: usize,
    /// The cursor each page was asked with.
    cursors: Vec<u64>,
}

/// One page, with `encoding` accepted: its body as sent.
async fn page(http: &reqwest::Client, base: &str, token: &str, cursor: u64, encoding: &str) -> anyhow::Result<Vec<u8>> {
    let response = http
        .get(format!("{base}/register?cursor={cursor}"))
        .bearer_auth(token)
        .header("accept-encoding", encoding)
        .send()
        .await?;
    let status = response.status();
    let sent_as = response.headers().get("content-encoding").map(|v| v.to_str().unwrap_or("?").to_owned());
    let body = response.bytes().await?;
    ensure!(status.is_success(), "the page after {cursor} answered {status}");
    ensure!(sent_as.as_deref().unwrap_or("identity") == encoding, "asked for {encoding}, got {sent_as:?}");
    Ok(body.to_vec())
}

/// Every page from cursor 0 as a scanner reads them, uncompressed, following `next`.
async fn download(http: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<Pass> {
    let (cpu_before, started) = (cpu_time(), Instant::now());
    let (mut cursor, mut records, mut bytes, mut cursors) = (0, 0, 0, Vec::new());
    loop {
        let body = page(http, base, token, cursor, "identity").await?;
        cursors.push(cursor);
        bytes += body.len();
        let page: RegisterPage = serde_json::from_slice(&body)?;
        records += page.records.len();
        if !page.more {
            break;
        }
        cursor = page.next.0;
    }
    Ok(Pass { took: started.elapsed(), cpu: cpu_time().saturating_sub(cpu_before), records, bytes, cursors })
}

/// The same pages again, compressed as `encoding` (not decoded here: the scanner does that).
async fn download_compressed(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    cursors: &[u64],
    encoding: &str,
) -> anyhow::Result<Pass> {
    let (cpu_before, started) = (cpu_time(), Instant::now());
    let mut bytes = 0;
    for cursor in cursors {
        bytes += page(http, base, token, *cursor, encoding).await?.len();
    }
    Ok(Pass { took: started.elapsed(), cpu: cpu_time().saturating_sub(cpu_before), records: 0, bytes, cursors: vec![] })
}

/// The store's pages alone, as the route asks for them: time, records.
async fn store_pages(store: &dyn Store, limit: usize) -> anyhow::Result<(Duration, Duration, usize, usize)> {
    let (cpu_before, started) = (cpu_time(), Instant::now());
    let (mut cursor, mut records, mut pages) = (Cursor(0), 0, 0);
    loop {
        let (page, next, more) = store.register_page(cursor, limit).await?;
        records += page.len();
        pages += 1;
        if !more {
            break;
        }
        cursor = next;
    }
    Ok((started.elapsed(), cpu_time().saturating_sub(cpu_before), pages, records))
}

/// A device enrolled at the first venue, and its token.
async fn device_token(store: &dyn Store) -> anyhow::Result<String> {
    let now = SystemClock.now();
    let code = codes::new_one_time_code();
    let venue = kaiku_core::ids::VenueId(1);
    store.create_enrollment_code(venue, &codes::code_hash(&code), now + TimeDelta::hours(1)).await?;
    let secret = codes::new_secret();
    match store.enroll_device(&codes::code_hash(&code), now, "snapshot bench", &codes::hash(&secret)).await? {
        CodeUse::Taken(device) => Ok(auth::device_token(device.id, &secret)),
        other => anyhow::bail!("enrollment failed: {other:?}"),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}

async fn bench() -> anyhow::Result<()> {
    let size = demo_db::size(5_000_000, 10_000_000);
    let runs = demo_db::arg("--runs", 3).max(1);
    // `--database FILE`: any register file instead of the demo (it is not changed but for one
    // enrolled device).
    let args: Vec<String> = std::env::args().collect();
    let mut cluster = None;
    let db: std::path::PathBuf = match args.iter().position(|a| a == "--database").and_then(|i| args.get(i + 1)) {
        Some(path) => path.into(),
        None if demo_db::flag("--postgres") => {
            let dir = national_db::folder(size.cards, size.redemptions);
            ensure!(dir.join("done").exists(), "no national register of this size: run `--bench national` first");
            let started = national_db::start(&dir)?;
            let url = started.url.clone().into();
            cluster = Some(started);
            url
        }
        None => demo_db::database(size, SystemClock.now().year()).await?,
    };
    let store = kaiku_sync_server::store::open(&db).await?;
    let token = device_token(store.as_ref()).await?;
    let settings = Settings { addr: ([127, 0, 0, 1], 0).into(), database: db.clone(), ..Settings::default() };
    let limit = settings.register_page_size;
    let state = AppState { store: store.clone(), clock: Arc::new(SystemClock), settings: Arc::new(settings) };
    let app = Application::build(state).await?;
    let base = format!("http://127.0.0.1:{}/api/v1", app.port());
    tokio::spawn(app.run_until(std::future::pending::<()>()));
    // No decoding on our side: the bytes counted are the bytes sent.
    let http = reqwest::Client::builder().no_gzip().no_zstd().build()?;

    println!("register snapshot of {}; pages of {limit}; best of {runs}", db.display());
    let mut best: Option<Pass> = None;
    let mut best_store: Option<(Duration, Duration, usize, usize)> = None;
    let mut compressed: Vec<(&str, Pass)> = Vec::new();
    for _ in 0..runs {
        let s = store_pages(store.as_ref(), limit).await?;
        if best_store.as_ref().is_none_or(|b| s.0 < b.0) {
            best_store = Some(s);
        }
        let pass = download(&http, &base, &token).await?;
        for encoding in ["gzip", "zstd"] {
            let c = download_compressed(&http, &base, &token, &pass.cursors, encoding).await?;
            match compressed.iter_mut().find(|(e, _)| *e == encoding) {
                Some((_, b)) if b.took <= c.took => {}
                Some(slot) => slot.1 = c,
                None => compressed.push((encoding, c)),
            }
        }
        if best.as_ref().is_none_or(|b| pass.took < b.took) {
            best = Some(pass);
        }
    }
    let (pass, (s_took, s_cpu, s_pages, s_records)) = (best.expect("one run"), best_store.expect("one run"));
    ensure!(pass.records == s_records, "HTTP gave {} records, the store {s_records}", pass.records);
    println!(
        "store calls alone     {:>8.0} ms, CPU {:>6.0} ms: {s_pages} pages, {s_records} records",
        ms(s_took),
        ms(s_cpu)
    );
    println!(
        "over HTTP, identity   {:>8.0} ms, CPU {:>6.0} ms: {} pages, {:.1} MB ({:.1} bytes a card)",
        ms(pass.took),
        ms(pass.cpu),
        pass.cursors.len(),
        mb(pass.bytes),
        pass.bytes as f64 / pass.records.max(1) as f64
    );
    for (encoding, c) in &compressed {
        println!(
            "over HTTP, {encoding:<9}  {:>8.0} ms, CPU {:>6.0} ms: {:.1} MB ({:.1} bytes a card)",
            ms(c.took),
            ms(c.cpu),
            mb(c.bytes),
            c.bytes as f64 / pass.records.max(1) as f64
        );
    }
    // The store lets go of the cluster before it is stopped.
    drop(store);
    drop(cluster);
    Ok(())
}
