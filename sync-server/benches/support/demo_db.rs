//! The demo database the dashboard and snapshot benches read: made once with the demo
//! command's generator and kept in the temporary folder, keyed by its size, year and schema.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use kaiku_sync_server::clock::SystemClock;
use kaiku_sync_server::demo::{DemoSize, populate_sized};
use kaiku_sync_server::store::sqlite::SqliteStore;

/// `--name N` from the command line, else `default`.
pub fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Whether `--flag` is on the command line.
#[allow(dead_code)] // Not every bench takes a flag.
pub fn flag(name: &str) -> bool {
    std::env::args().any(|a| a == name)
}

/// `--cards N --redemptions M`, with the defaults given.
pub fn size(cards: usize, redemptions: usize) -> DemoSize {
    DemoSize { cards: arg("--cards", cards), redemptions: arg("--redemptions", redemptions) }
}

/// The demo database of `size`, made unless a finished one is in the temporary folder.
pub async fn database(size: DemoSize, year: i32) -> anyhow::Result<PathBuf> {
    let schema = env!("CARGO_PKG_VERSION");
    let dir = std::env::temp_dir()
        .join(format!("kaiku-dashboard-bench-{}-{}-{year}-{schema}-m6", size.cards, size.redemptions));
    let db = dir.join("demo.sqlite");
    let done = dir.join("done");
    if done.exists() {
        println!("reusing {}", db.display());
        return Ok(db);
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).context("the cache folder")?;
    let store = SqliteStore::open(&db)?;
    let started = Instant::now();
    let made = populate_sized(&store, &SystemClock, 2026, size).await?;
    store.catch_up().await?;
    println!(
        "made {} cards and {} redemptions in {:.1} s: {}",
        made.cards,
        made.redemptions,
        started.elapsed().as_secs_f64(),
        db.display()
    );
    std::fs::write(&done, "")?;
    Ok(db)
}
