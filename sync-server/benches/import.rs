//! Importing a national year of cards: 15,000 rows of a spreadsheet's CSV (printed legacy IDs
//! like `A999123453`, background data, a few revoked cards) into a fresh SQLite file on disk.
//!
//! Timed, each from the file's bytes to the report: a dry run, the real import (one
//! transaction), the same file again (all unchanged), and an update file that renews 1,000
//! cards and revokes 100. The bench checks the counts and exits non-zero when they are wrong
//! or when the real import takes 5 s or more (the target of issue 10).
//!
//! `cargo bench -p kaiku-sync-server --bench import`

use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use chrono::NaiveDate;
use kaiku_sync_server::import::{ImportReport, import_cards_csv};
use kaiku_sync_server::store::Store;
use kaiku_sync_server::store::sqlite::SqliteStore;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const ROWS: usize = 15_000;
const TARGET: Duration = Duration::from_secs(5);

const GENDERS: [&str; 4] = ["female", "male", "other", "not_said"];
const TONGUES: [&str; 6] = ["finnish", "swedish", "russian", "arabic", "somali", "other"];
const SITUATIONS: [&str; 6] = ["unemployed", "student", "pensioner", "long_term_ill", "single_parent", "in_debt"];
const POSTAL: [&str; 5] = ["96100", "96200", "96300", "96400", "96500"];

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::cpu_time;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(bench())
}

/// The cards file: legacy IDs A999000000.., issued during 2025, valid a year; every 150th revoked.
fn cards_csv(renewed: usize, revoked: usize) -> String {
    let mut rng = StdRng::seed_from_u64(2025);
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let mut out = String::from(
        "\u{feff}id;kind;issued_on;valid_until;status;revoked_reason;revoked_on;birth_year;gender;mother_tongue;\
         life_situations;postal_code;minor_children;minor_grandchildren\r\n",
    );
    for i in 0..ROWS {
        let issued = start + chrono::TimeDelta::days(rng.random_range(0..365));
        let years = if i < renewed { 2 } else { 1 };
        let until = issued.checked_add_months(chrono::Months::new(12 * years)).unwrap_or(issued);
        let status = if i % 150 == 0 || (i >= renewed && i < renewed + revoked) {
            format!("revoked;lost;{}", issued + chrono::TimeDelta::days(30))
        } else {
            "active;;".to_owned()
        };
        let situations: Vec<&str> = SITUATIONS.iter().copied().filter(|_| rng.random_bool(0.25)).collect();
        out.push_str(&format!(
            "A999{:06};personal;{};{};{status};{};{};{};{};{};{};{}\r\n",
            i,
            issued.format("%-d.%-m.%Y"),
            until,
            rng.random_range(1935..2009),
            GENDERS[rng.random_range(0..GENDERS.len())],
            TONGUES[rng.random_range(0..TONGUES.len())],
            situations.join("|"),
            POSTAL[rng.random_range(0..POSTAL.len())],
            rng.random_range(0..4),
            rng.random_range(0..2),
        ));
    }
    out
}

async fn timed(store: &SqliteStore, csv: &str, dry_run: bool, what: &str) -> anyhow::Result<(ImportReport, Duration)> {
    let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap_or_default();
    let (started, cpu) = (Instant::now(), cpu_time());
    let report = import_cards_csv(store, kaiku_core::ids::DistributorId(1), csv.as_bytes(), today, dry_run).await?;
    let took = started.elapsed();
    println!(
        "{what:<34} {:>7.0} ms wall, {:>5.0} ms CPU ({:>6.0} rows/s)  new {}, changed {}, unchanged {}, bad {}",
        took.as_secs_f64() * 1000.0,
        cpu_time().saturating_sub(cpu).as_secs_f64() * 1000.0,
        ROWS as f64 / took.as_secs_f64(),
        report.new,
        report.changed,
        report.unchanged,
        report.bad
    );
    Ok((report, took))
}

async fn bench() -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("a temporary folder")?;
    let store = SqliteStore::open(&dir.path().join("import-bench.sqlite"))?;
    let region = store.create_region("Lapland").await?;
    store.create_distributor(region, "Social services").await?;
    let first = cards_csv(0, 0);
    let update = cards_csv(1_000, 100);
    println!("{ROWS} rows, {} KiB of CSV; SQLite file on disk, synchronous=FULL", first.len() / 1024);

    let (dry, _) = timed(&store, &first, true, "dry run (empty register)").await?;
    ensure!(dry.new == ROWS as u64 && dry.bad == 0, "dry run: {dry}");
    let (real, took) = timed(&store, &first, false, "import (one transaction)").await?;
    ensure!(real.applied && real.new == ROWS as u64, "import: {real}");
    let (again, _) = timed(&store, &first, false, "same file again (no change)").await?;
    ensure!(again.unchanged == ROWS as u64 && again.changed == 0, "re-import: {again}");
    // Renewed: the first 1,000; revoked: the next 100, less the one revoked already (1,050).
    let changed = (0..ROWS).filter(|&i| i < 1_000 || (i < 1_100 && i % 150 != 0)).count();
    let (dry_update, _) = timed(&store, &update, true, "update file, dry run").await?;
    ensure!(dry_update.changed == changed as u64, "update dry run: {dry_update}");
    let (updated, _) = timed(&store, &update, false, "update: 1,000 renewed, 100 revoked").await?;
    ensure!(updated.changed == changed as u64 && updated.applied, "update: {updated}");
    let (page, _, _) = store.register_page(kaiku_core::wire::Cursor(ROWS as u64), ROWS).await?;
    ensure!(page.len() == changed, "the register delta after the update holds {} cards", page.len());
    ensure!(took < TARGET, "the import took {took:?}: the target is under {TARGET:?}");
    println!("target: import of {ROWS} rows under {} s: met", TARGET.as_secs());
    Ok(())
}
