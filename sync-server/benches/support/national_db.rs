//! A national register on a throwaway PostgreSQL for the `national` bench: a cluster of its own
//! (Debian's `postgresql` binaries, as `tools/with-postgres` starts one) whose data folder is
//! kept in the temporary folder, keyed by size and generator, so the data are made once.
//!
//! The data follow the demo generator's distributions (`src/demo.rs`) over 19 regions by
//! population, each with the demo's 8 distributors and 6 venues: cards issued over 540 days
//! (every 16th a community card, every 40th revoked after two months, background data drawn
//! as the demo draws it), uses over the 365 days of one calendar year (more on weekends,
//! fewer in summer, one card in eight a regular), made in the database by `national.sql`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail, ensure};
use chrono::NaiveDate;
use kaiku_core::{CardId, KaikuId};

/// Bumped when `national.sql` changes what it makes.
const GENERATOR: u32 = 1;

/// A running cluster, stopped when dropped.
pub struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    pub url: String,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_owner(&self.bin.join("pg_ctl"), &["-D", path(&self.data), "-m", "fast", "stop"]);
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// Runs a PostgreSQL program as the cluster's owner (the `postgres` user when run as root).
fn as_owner(program: &Path, args: &[&str]) -> anyhow::Result<()> {
    let status = if is_root() {
        Command::new("runuser").args(["-u", "postgres", "--", path(program)]).args(args).status()
    } else {
        Command::new(program).args(args).status()
    }
    .with_context(|| format!("running {}", program.display()))?;
    ensure!(status.success(), "{} {args:?} failed", program.display());
    Ok(())
}

fn binaries() -> anyhow::Result<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .context("PostgreSQL is not installed: run ./kaiku setup")?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").exists())
        .collect();
    found.sort_by_key(|b| b.parent().and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok()).unwrap_or(0));
    found.pop().context("no initdb under /usr/lib/postgresql")
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The folder of a register of this size.
pub fn folder(cards: usize, uses: usize) -> PathBuf {
    std::env::temp_dir().join(format!("kaiku-national-pg-{cards}-{uses}-g{GENERATOR}"))
}

/// Starts the cluster in `dir` (made by `initdb` if it has none yet).
pub fn start(dir: &Path) -> anyhow::Result<Cluster> {
    let bin = binaries()?;
    let data = dir.join("data");
    if !data.exists() {
        std::fs::create_dir_all(dir)?;
        if is_root() {
            ensure!(Command::new("chown").args(["postgres:", path(dir)]).status()?.success(), "chown failed");
        }
        as_owner(
            &bin.join("initdb"),
            &["-D", path(&data), "-U", "kaiku", "--auth=trust", "--no-locale", "-E", "UTF8"],
        )?;
    }
    let port = free_port()?;
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c fsync=off -c synchronous_commit=off",
        path(dir)
    );
    let log = dir.join("server.log");
    as_owner(&bin.join("pg_ctl"), &["-D", path(&data), "-l", path(&log), "-w", "-o", &options, "start"])?;
    Ok(Cluster { bin, data, url: format!("postgres://kaiku@127.0.0.1:{port}/postgres") })
}

/// Fills the empty register at `url` (its schema made by the store) with `cards` cards and
/// `uses` uses in the calendar year before `today`'s.
pub async fn generate(url: &str, cards: usize, uses: usize, year: i32) -> anyhow::Result<()> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let running = tokio::spawn(connection);
    let started = Instant::now();
    // The card IDs as Kaiku numbers them, check digit included, oldest first.
    client.batch_execute("CREATE UNLOGGED TABLE bench_ids (k bigint PRIMARY KEY, id text)").await?;
    let insert = client.prepare("INSERT INTO bench_ids SELECT * FROM unnest($1::bigint[], $2::text[])").await?;
    for first in (0..cards).step_by(100_000) {
        let ks: Vec<i64> = (first..cards.min(first + 100_000)).map(|k| k as i64).collect();
        let ids = ks
            .iter()
            .map(|k| Ok(CardId::from(KaikuId::new('A', 10_000 + u32::try_from(*k)?)?).to_string()))
            .collect::<anyhow::Result<Vec<String>>>()?;
        client.execute(&insert, &[&ks, &ids]).await?;
    }
    let today = NaiveDate::from_ymd_opt(year + 1, 1, 1).context("a year")?;
    let sql = include_str!("national.sql")
        .replace("{cards}", &cards.to_string())
        .replace("{uses}", &uses.to_string())
        .replace("{today}", &today.to_string());
    client.batch_execute(&sql).await.context("generating the register")?;
    client.batch_execute("VACUUM ANALYZE").await?;
    let made: i64 = client.query_one("SELECT count(*) FROM redemptions", &[]).await?.get(0);
    if made != uses as i64 {
        bail!("made {made} uses, not {uses}");
    }
    println!("made {cards} cards and {uses} uses in {:.0} s", started.elapsed().as_secs_f64());
    drop(client);
    let _ = running.await;
    Ok(())
}
