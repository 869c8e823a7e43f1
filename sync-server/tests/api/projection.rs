//! What is derived from uploads after they are stored (on SQLite everything, by the
//! projector; on PostgreSQL the search for uses to check, after the upload's commit): a process
//! killed after its uploads were stored but before anything was derived from them loses
//! nothing. Another process stores the uploads (its store derives nothing by itself), prints
//! once they are committed and is killed; the server opened again on the database answers
//! statistics, uses to check and the console's counters with them, and takes each use once.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::TimeDelta;
use kaiku_core::CardId;
use kaiku_core::ids::DeviceId;
use kaiku_core::wire::Outcome;
use kaiku_sync_server::store::flags::FlaggedUse;
use kaiku_sync_server::store::postgres::PgStore;
use kaiku_sync_server::store::sqlite::SqliteStore;
use kaiku_sync_server::store::{DeviceActivity, IncomingItem, Listed, Store, VenueUses, is_postgres};
use kaiku_sync_server::upload::UploadRules;

use crate::helpers::{Device, date, item, noon, spawn_app, start_time};

/// Set in the environment of the child process that uploads and waits to be killed.
const CHILD_DB: &str = "KAIKU_PROJECTION_CRASH_DB";

/// The scans both processes make: each device's ticket for `card`, ten minutes apart.
fn scans(devices: &[Device], card: CardId) -> Vec<Vec<kaiku_core::Redemption>> {
    let at = noon(date(2026, 6, 14));
    devices.iter().enumerate().map(|(i, d)| vec![d.ticket(card, at + TimeDelta::minutes(10 * i as i64))]).collect()
}

/// The child: stores each device's scans through a store without a projector, says so once
/// they are committed, then waits. Does nothing when run as an ordinary test.
#[tokio::test]
async fn crash_child() {
    let Ok(db) = std::env::var(CHILD_DB) else { return };
    let store: Box<dyn Store> = if is_postgres(Path::new(&db)) {
        Box::new(PgStore::open_leaving_flag_checks(&db).await.expect("the database opens"))
    } else {
        Box::new(SqliteStore::open_without_projector(Path::new(&db)).expect("the database opens"))
    };
    let card = CardId::parse(&std::env::var("KAIKU_PROJECTION_CRASH_CARD").expect("a card")).expect("a card id");
    let mut devices = Vec::new();
    for id in std::env::var("KAIKU_PROJECTION_CRASH_DEVICES").expect("devices").split(',') {
        let id = DeviceId(id.parse().expect("a device id"));
        devices.push(Device::new(store.device(id).await.expect("reads").expect("enrolled"), ""));
    }
    for (device, items) in devices.iter().zip(scans(&devices, card)) {
        let sent: Vec<String> = items.iter().map(|r| item(r).to_string()).collect();
        let items = items.into_iter().map(IncomingItem::Readable).collect();
        let outcomes = store.upload(&device.record, items, start_time(), UploadRules::default()).await.expect("stored");
        assert!(outcomes.iter().all(|o| matches!(o.outcome, Outcome::Accepted { .. })), "{outcomes:?}");
        for json in sent {
            println!("item {} {json}", device.id);
        }
    }
    println!("stored");
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

#[tokio::test]
async fn a_process_killed_between_its_uploads_and_their_projection_loses_nothing() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let (hall, theatre) = (app.venue(Some(region), "Swimming hall").await, app.venue(Some(region), "Theatre").await);
    let (hall_door, theatre_door) = (app.device(hall).await, app.device(theatre).await);
    let card = app.personal_card(distributor, date(2026, 1, 10), 0).await;

    let exe = std::env::current_exe().expect("the test binary");
    let mut child = Command::new(&exe)
        .args(["--exact", "projection::crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_DB, &app.settings.database)
        .env("KAIKU_PROJECTION_CRASH_CARD", card.id.to_string())
        .env("KAIKU_PROJECTION_CRASH_DEVICES", format!("{},{}", hall_door.id, theatre_door.id))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the child starts");
    let out = child.stdout.take().expect("the child's stdout");
    let mut sent: Vec<(u32, serde_json::Value)> = Vec::new();
    let mut stored = false;
    // The test harness may print its own words at the start of the first line.
    for line in BufReader::new(out).lines().map_while(Result::ok) {
        if line.ends_with("stored") {
            stored = true;
            break;
        }
        if let Some((device, json)) = line.find("item ").and_then(|at| line[at + 5..].split_once(' ')) {
            sent.push((device.parse().expect("a device"), serde_json::from_str(json).expect("an item")));
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("the child is reaped");
    assert!(stored && sent.len() == 2, "the child stored its uploads before it was killed: {sent:?}");

    // Straight from the database (no store catching up): both redemptions are there, what is
    // derived after the upload is not yet.
    let count = |sql: &str| crate::backend::count(&app.settings.database, sql);
    assert_eq!(count("SELECT count(*) FROM redemptions"), 2);
    assert_eq!(count("SELECT count(*) FROM flagged_uses"), 0, "the child was killed before any was flagged");
    if app.on_postgres() {
        assert_eq!(count("SELECT count(*) FROM flag_checks"), 2, "each upload left its search for uses to check");
    } else {
        assert_eq!(count("SELECT count(*) FROM use_facts"), 0, "the child was killed before any projection");
        assert_eq!(count("SELECT (SELECT max(rowid) FROM redemptions) - (SELECT through FROM projection)"), 2);
    }

    let app = app.restart().await;
    let stats = app.get("/api/v1/statistics?from=2026-06-01&to=2026-06-30", Some(&app.admin)).await;
    assert_eq!(stats.status, 200, "{}", stats.text);
    assert_eq!(stats.value()["all"]["uses"], 2, "{}", stats.text);
    assert_eq!(stats.value()["flagged_uses"], 1, "{}", stats.text);
    let flags: Listed<FlaggedUse> =
        app.get("/api/v1/flagged-uses?from=2026-06-14&to=2026-06-14", Some(&app.admin)).await.json();
    assert_eq!(flags.total, 1);
    assert_eq!((flags.items[0].first.device, flags.items[0].second.device), (hall_door.id, theatre_door.id));
    let uses: VenueUses = app.get(&format!("/api/v1/venues/{hall}/uses?day=2026-06-14"), Some(&app.admin)).await.json();
    assert_eq!(uses.uses, 1);
    let devices: Vec<DeviceActivity> =
        app.get(&format!("/api/v1/venues/{theatre}/devices"), Some(&app.admin)).await.json();
    assert_eq!((devices[0].redemptions, devices[0].last_sync), (1, Some(start_time())));

    // Each device sends its scans again, not knowing they arrived: duplicates, counted once.
    for (device, json) in &sent {
        let door = if *device == hall_door.id.0 { &hall_door } else { &theatre_door };
        let outcomes = app.upload_ok(door, std::slice::from_ref(json)).await;
        assert!(matches!(outcomes[0].outcome, Outcome::Duplicate), "{outcomes:?}");
    }
    let stats = app.get("/api/v1/statistics?from=2026-06-01&to=2026-06-30", Some(&app.admin)).await;
    assert_eq!((stats.value()["all"]["uses"].clone(), stats.value()["flagged_uses"].clone()), (2.into(), 1.into()));
    assert_eq!(app.count("SELECT count(*) FROM flagged_uses"), 1);
    if app.on_postgres() {
        assert_eq!(app.count("SELECT count(*) FROM flag_checks"), 0);
    } else {
        assert_eq!(app.count("SELECT count(*) FROM use_facts"), 2);
        assert_eq!(app.count("SELECT (SELECT max(rowid) FROM redemptions) - (SELECT through FROM projection)"), 0);
    }
}
