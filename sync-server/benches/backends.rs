//! Ingest through the store on both backends in one run: 100,000 redemptions by one device
//! (batches of 1,000, one at a time), 100,000 by 8 devices at once, and the first run's batches
//! again (all duplicates). Store level: `Store::upload` directly, without HTTP and JSON (the
//! `upload` bench measures those, on SQLite), so the two backends are compared on storage alone.
//! Each run is timed until what is derived after the uploads (SQLite's projector, PostgreSQL's
//! uses to check) has caught up: a reader of uses to check waits for it.
//!
//! SQLite: a file on disk (synchronous FULL). PostgreSQL: the server in KAIKU_TEST_POSTGRES, a
//! schema of its own; for a durable server beside SQLite's FULL sync:
//! `KAIKU_POSTGRES_DURABLE=1 tools/with-postgres cargo bench -p kaiku-sync-server --bench backends`
//! (without PostgreSQL only SQLite is measured). Exits non-zero when an outcome is wrong.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, ensure};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::ids::{DeviceId, DistributorId, RegionId, VenueId};
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::wire::Outcome;
use kaiku_core::{Card, CardId, CardKind, KaikuId, Redemption, Validity};
use kaiku_sync_server::export::{DUMP_FORMAT, DUMP_VERSION, DumpCard, DumpDevice, DumpRegion, RegisterDump};
use kaiku_sync_server::stats::Scope;
use kaiku_sync_server::store::flags::FlagFilter;
use kaiku_sync_server::store::{DateRange, DeviceRecord, DistributorInfo, IncomingItem, Store, VenueInfo};
use kaiku_sync_server::upload::UploadRules;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const CARDS: u32 = 20_000;
const TOTAL: usize = 100_000;
const BATCH: usize = 1_000;
const DEVICES: u32 = 8;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let dir = tempfile::tempdir()?;
        let mut databases = vec![("SQLite", dir.path().join("bench.sqlite"))];
        match std::env::var("KAIKU_TEST_POSTGRES").ok().filter(|s| !s.is_empty()) {
            Some(server) => databases.push(("PostgreSQL", postgres_schema(&server).await?)),
            None => println!("PostgreSQL not measured: run under tools/with-postgres"),
        }
        println!(
            "{:<11} {:>24} {:>24} {:>24}",
            "backend", "1 device (red./s)", "8 devices (red./s)", "again: duplicates/s"
        );
        for (name, database) in databases {
            let (one, eight, again) = bench(&database).await.with_context(|| name.to_owned())?;
            println!("{name:<11} {one:>24.0} {eight:>24.0} {again:>24.0}");
        }
        Ok(())
    })
}

/// A new schema on the PostgreSQL server, as a database setting.
async fn postgres_schema(server: &str) -> anyhow::Result<PathBuf> {
    let schema = format!("bench_{}", uuid::Uuid::now_v7().simple());
    let (client, connection) = tokio_postgres::connect(server, tokio_postgres::NoTls).await?;
    let running = tokio::spawn(connection);
    client.batch_execute(&format!("CREATE SCHEMA {schema}")).await?;
    drop(client);
    let _ = running.await;
    let joiner = if server.contains('?') { '&' } else { '?' };
    Ok(PathBuf::from(format!("{server}{joiner}options=-csearch_path%3D{schema}")))
}

/// Redemptions per second of the three runs.
async fn bench(database: &std::path::Path) -> anyhow::Result<(f64, f64, f64)> {
    let store = kaiku_sync_server::store::open(database).await?;
    let today = Utc::now().date_naive();
    let cards: Vec<CardId> =
        (0..CARDS).map(|serial| KaikuId::new('B', serial).map(CardId::from)).collect::<Result<_, _>>()?;
    let started = Instant::now();
    let devices = seed(store.as_ref(), &cards, today).await?;
    println!("  a register of {CARDS} cards imported (register.json) in {:.1} s", started.elapsed().as_secs_f64());
    let mut rng = StdRng::seed_from_u64(2026);
    let rules = UploadRules { late_after: TimeDelta::days(10_000), ..UploadRules::default() };

    let first: Vec<Vec<Redemption>> =
        scans(&mut rng, &cards, &devices[0], TOTAL, 0).chunks(BATCH).map(<[_]>::to_vec).collect();
    let started = Instant::now();
    for batch in &first {
        let outcomes = upload(store.as_ref(), &devices[0], batch.clone(), rules).await?;
        ensure!(outcomes.iter().all(|o| matches!(o, Outcome::Accepted { .. })), "run A: not all accepted");
    }
    caught_up(store.as_ref(), today).await?;
    let one = TOTAL as f64 / started.elapsed().as_secs_f64();

    let per_device = TOTAL / DEVICES as usize;
    let mut tasks = Vec::new();
    let started = Instant::now();
    for device in &devices {
        let (store, device) = (store.clone(), device.clone());
        let items = scans(&mut rng, &cards, &device, per_device, TOTAL as u64);
        tasks.push(tokio::spawn(async move {
            for batch in items.chunks(BATCH) {
                let outcomes = upload(store.as_ref(), &device, batch.to_vec(), rules).await?;
                ensure!(outcomes.iter().all(|o| matches!(o, Outcome::Accepted { .. })), "run B: not all accepted");
            }
            Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    caught_up(store.as_ref(), today).await?;
    let eight = TOTAL as f64 / started.elapsed().as_secs_f64();

    let started = Instant::now();
    for batch in &first {
        let outcomes = upload(store.as_ref(), &devices[0], batch.clone(), rules).await?;
        ensure!(outcomes.iter().all(|o| matches!(o, Outcome::Duplicate)), "run C: not all duplicates");
    }
    let again = TOTAL as f64 / started.elapsed().as_secs_f64();

    let range = DateRange { from: today - TimeDelta::days(40), to: today };
    let stored = store.statistics(Scope::All, range).await?.all.uses;
    ensure!(stored == 2 * TOTAL as u64, "the register holds {stored} uses, not {}", 2 * TOTAL);
    Ok((one, eight, again))
}

/// Reads uses to check, which first derives whatever the uploads left to derive.
async fn caught_up(store: &dyn Store, today: NaiveDate) -> anyhow::Result<()> {
    let filter = FlagFilter { scope: Scope::All, from: today - TimeDelta::days(40), to: today, offset: 0, limit: 1 };
    store.flagged_uses(filter).await?;
    Ok(())
}

async fn upload(
    store: &dyn Store,
    device: &DeviceRecord,
    batch: Vec<Redemption>,
    rules: UploadRules,
) -> anyhow::Result<Vec<Outcome>> {
    let items = batch.into_iter().map(IncomingItem::Readable).collect();
    Ok(store.upload(device, items, Utc::now(), rules).await?.into_iter().map(|o| o.outcome).collect())
}

/// One region, distributor and venue, the devices and the cards, put in as a dump.
async fn seed(store: &dyn Store, ids: &[CardId], today: NaiveDate) -> anyhow::Result<Vec<DeviceRecord>> {
    let (region, distributor, venue) = (RegionId(1), DistributorId(1), VenueId(1));
    let background = Background {
        birth_year: 1980,
        gender: Gender::Female,
        mother_tongue: MotherTongue::Finnish,
        life_situations: vec![LifeSituation::Unemployed],
        postal_code: PostalCode::parse("96100")?,
        minor_children: 0,
        minor_grandchildren: 0,
    };
    let mut cards = Vec::new();
    for &id in ids {
        let issued = today - TimeDelta::days(100);
        let card = Card::issue(id, CardKind::Personal, region, distributor, issued, Validity::TwelveMonths, 0)?;
        cards.push(DumpCard { card, background: Some(background.clone()) });
    }
    let now: DateTime<Utc> = Utc::now();
    let devices: Vec<DumpDevice> = (1..=DEVICES)
        .map(|d| DumpDevice { id: DeviceId(d), venue, label: format!("scanner {d}"), enrolled_at: now })
        .collect();
    store
        .import_dump(RegisterDump {
            format: DUMP_FORMAT.into(),
            version: DUMP_VERSION,
            exported_at: now,
            region: None,
            from: None,
            to: None,
            regions: vec![DumpRegion { id: region, name: "Bench".into() }],
            distributors: vec![DistributorInfo { id: distributor, region, name: "Bench".into() }],
            venues: vec![VenueInfo { id: venue, region: Some(region), name: "Bench".into() }],
            offers: Vec::new(),
            devices: devices.clone(),
            cards,
            redemptions: Vec::new(),
        })
        .await?;
    // Uploads through the store do not check tokens: the records are what a handler passes.
    Ok(devices
        .into_iter()
        .map(|d| DeviceRecord {
            id: d.id,
            venue: d.venue,
            label: d.label,
            secret_hash: Vec::new(),
            enrolled_at: d.enrolled_at,
            revoked: false,
        })
        .collect())
}

/// `n` one-adult tickets of random cards by `device`, scanned in the last 30 days.
fn scans(rng: &mut StdRng, cards: &[CardId], device: &DeviceRecord, n: usize, first_seq: u64) -> Vec<Redemption> {
    let now = Utc::now();
    (0..n)
        .map(|i| Redemption {
            id: uuid::Uuid::now_v7(),
            device: device.id,
            seq: first_seq + i as u64 + 1,
            card: cards[rng.random_range(0..cards.len())],
            venue: device.venue,
            offer: OfferKind::Ticket,
            offer_id: None,
            adults: 1,
            children: 0,
            group: Vec::new(),
            scanned_at: now - TimeDelta::seconds(rng.random_range(60..30 * 86_400)),
            entry: EntryMethod::Qr,
            verdict: VerdictCode::Valid,
            undoes: None,
        })
        .collect()
}
