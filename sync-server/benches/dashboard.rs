//! The coordinator's dashboard against a big region: 100,000 cards and 1,000,000 redemptions
//! (the demo command's generator, `demo --cards 100000 --redemptions 1000000`), served over
//! real HTTP on 127.0.0.1 from a SQLite file on disk.
//!
//! Timed, each as the dashboard asks for it with the coordinator's token: this year's
//! statistics (with uses per month), the cross-tabulation, the statistics as CSV, and the
//! statistics narrowed to one venue and to one distributor; with `--national`, also the year's
//! statistics and cross-tab for the whole country with the administrator's token. Median and
//! 95th percentile of `--runs` requests (15) after one to warm up, and the CPU time a request
//! took (the machine may be shared); the targets are under 500 ms a region's request (issue 9)
//! and under 1 s the country's (issue 12). The database is made once and kept in the
//! temporary folder, keyed by its size, year and schema (`support/demo_db.rs`).
//!
//! `cargo bench -p kaiku-sync-server --bench dashboard` (`-- --cards N --redemptions M` for
//! another size, `--national`, `--runs N`, `--only national` for the requests so named)

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::ensure;
use chrono::Datelike;
use kaiku_core::ids::RegionId;
use kaiku_sync_server::clock::{Clock, SystemClock};
use kaiku_sync_server::startup::{AppState, Application};
use kaiku_sync_server::store::sqlite::SqliteStore;
use kaiku_sync_server::store::{Role, Store};
use kaiku_sync_server::{Settings, auth, codes};

/// A region's request (issue 9).
const TARGET: Duration = Duration::from_millis(500);
/// The whole country's, for the administrator (issue 12).
const NATIONAL_TARGET: Duration = Duration::from_millis(1000);

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::cpu_time;

#[path = "support/demo_db.rs"]
mod demo_db;

fn main() -> anyhow::Result<()> {
    // RUST_LOG=info shows the store's own timings (the sums built afresh, for one).
    let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(bench())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn bench() -> anyhow::Result<()> {
    let size = demo_db::size(100_000, 1_000_000);
    let runs = demo_db::arg("--runs", 15).max(1);
    let year = SystemClock.now().year();
    let db = demo_db::database(size, year).await?;
    // Opening applies any migration the cached database has not seen (timed: it runs once).
    let opened = Instant::now();
    let store = Arc::new(SqliteStore::open(&db)?);
    println!("opened (and migrated) in {:.1} s", opened.elapsed().as_secs_f64());
    let secret = codes::new_secret();
    let id = store.create_user(Role::Coordinator(RegionId(1)), "bench", &codes::hash(&secret)).await?;
    let token = auth::user_token(id, &secret);
    let id = store.create_user(Role::Admin, "bench admin", &codes::hash(&secret)).await?;
    let admin = auth::user_token(id, &secret);
    let settings = Settings { addr: ([127, 0, 0, 1], 0).into(), database: db.clone(), ..Settings::default() };
    let state = AppState { store, clock: Arc::new(SystemClock), settings: Arc::new(settings) };
    let app = Application::build(state).await?;
    let base = format!("http://127.0.0.1:{}/api/v1", app.port());
    tokio::spawn(app.run_until(std::future::pending::<()>()));
    let http = reqwest::Client::new();

    // The coordinator's region first; with `--national`, the administrator's whole country too.
    let mut requests = vec![
        ("the year's statistics", format!("/statistics?year={year}"), &token, TARGET),
        ("cross-tab (age band x gender)", format!("/statistics/cross-tab?year={year}"), &token, TARGET),
        ("the year's statistics as CSV", format!("/statistics?year={year}&format=csv"), &token, TARGET),
        ("one venue's year", format!("/statistics?year={year}&venue=1"), &token, TARGET),
        ("one venue's month", format!("/statistics?from={year}-06-01&to={year}-06-30&venue=1"), &token, TARGET),
        ("one distributor's year", format!("/statistics?year={year}&distributor=1"), &token, TARGET),
    ];
    if demo_db::flag("--national") {
        requests.extend([
            ("national: the year's statistics", format!("/statistics?year={year}"), &admin, NATIONAL_TARGET),
            ("national: cross-tab", format!("/statistics/cross-tab?year={year}"), &admin, NATIONAL_TARGET),
        ]);
    }
    // `--only national`: just the requests whose name starts so (a big register takes long).
    let args: Vec<String> = std::env::args().collect();
    if let Some(only) = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)) {
        requests.retain(|(what, ..)| what.starts_with(only.as_str()));
    }
    println!("{} cards, {} redemptions; {runs} requests each after one to warm up", size.cards, size.redemptions);
    let mut missed = Vec::new();
    for (what, path, token, target) in &requests {
        let mut times = Vec::with_capacity(runs);
        let mut bytes = 0;
        let mut cpu = Duration::ZERO;
        for run in 0..=runs {
            let cpu_before = cpu_time();
            let started = Instant::now();
            let response = http.get(format!("{base}{path}")).bearer_auth(token).send().await?;
            let status = response.status();
            let body = response.bytes().await?;
            let took = started.elapsed();
            ensure!(status.is_success(), "{path} answered {status}: {}", String::from_utf8_lossy(&body));
            bytes = body.len();
            if run == 0 {
                // The first request also brings the kept sums up to date (built afresh once).
                println!("{what:<32} first request {:>8.1} ms", took.as_secs_f64() * 1000.0);
            } else {
                times.push(took);
                cpu += cpu_time().saturating_sub(cpu_before);
            }
        }
        times.sort();
        let (median, p95) = (percentile(&times, 0.5), percentile(&times, 0.95));
        println!(
            "{what:<32} median {:>6.1} ms, p95 {:>6.1} ms, CPU {:>5.0} ms a request ({bytes} bytes)  GET {path}",
            median.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0,
            cpu.as_secs_f64() * 1000.0 / runs as f64
        );
        if median >= *target {
            missed.push((*what, target.as_millis()));
        }
    }
    ensure!(missed.is_empty(), "over the target (ms) at the median: {missed:?}");
    println!(
        "targets: a region's request under {} ms, the country's under {} ms at the median: met",
        TARGET.as_millis(),
        NATIONAL_TARGET.as_millis()
    );
    Ok(())
}
