//! Two server processes on one database: eight scanners upload every batch to both, in random
//! order, while one process is killed (SIGKILL) and started again; a distributor registers cards
//! through both; a scanner pulls register deltas from the two in turn. Afterwards every
//! redemption is stored once, every item got a definite answer, and the scanner's copy is the
//! server's register. Runs on the backend the suite runs on (an SQLite file shared by two
//! processes, or one PostgreSQL schema).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use kaiku_core::background::Gender;
use kaiku_core::verdict::RegisterEntry;
use kaiku_core::wire::{Outcome, RegisterPage, UploadResponse};
use kaiku_core::{Card, CardId, CardKind, Validity};
use kaiku_sync_server::clock::SystemClock;
use kaiku_sync_server::store::{CardRecord, CodeUse, Role};
use kaiku_sync_server::{auth, codes, keys};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Device, background, item};

const SCANNERS: usize = 8;
const BATCHES: usize = 12;
const BATCH: usize = 20;

/// A server process and where it listens.
struct Server {
    child: Child,
    address: String,
}

fn start(db: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaiku-sync-server"))
        .arg("--database")
        .arg(db)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("KAIKU_CONFIG")
        .env("KAIKU_TOKEN_BURST", "1000000")
        .env("KAIKU_PUBLIC_BURST", "1000000")
        .env("KAIKU_REGISTER_PAGE_SIZE", "7")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let stdout = child.stdout.take().expect("its output");
    let (said, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        for line in lines.by_ref().map_while(Result::ok) {
            if let Some(address) = line.split("listening on ").nth(1) {
                let _ = said.send(address.trim().to_owned());
                break;
            }
        }
        // Read to the end, so the server never waits on a full pipe.
        lines.for_each(drop);
    });
    let address = heard.recv_timeout(Duration::from_secs(60)).expect("the server says where it listens");
    Server { child, address }
}

/// The two processes' addresses, as the clients see them while one is restarted.
type Addresses = Arc<RwLock<[String; 2]>>;

/// Sends until one of the servers answers `expected`: a request to a killed process is sent
/// again (to the new one when it is up), with the same `Idempotency-Key` if it has one. Gives up
/// after a minute.
async fn send(client: &reqwest::Client, addresses: &Addresses, first: usize, request: Request<'_>) -> String {
    for attempt in 0..1200 {
        let address = addresses.read().unwrap_or_else(|p| p.into_inner())[(first + attempt) % 2].clone();
        let mut builder = match request.body {
            Some(body) => client.post(format!("{address}{}", request.path)).json(body),
            None => client.get(format!("{address}{}", request.path)),
        };
        if let Some(key) = request.key {
            builder = builder.header("Idempotency-Key", key);
        }
        if let Ok(r) = builder.bearer_auth(request.token).timeout(Duration::from_secs(20)).send().await
            && r.status().as_u16() == request.expected
            && let Ok(text) = r.text().await
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no server answered {} {}", request.expected, request.path);
}

#[derive(Clone, Copy)]
struct Request<'a> {
    path: &'a str,
    token: &'a str,
    body: Option<&'a Value>,
    /// Sent as `Idempotency-Key`: a registration whose answer was lost is not made twice.
    key: Option<&'a str>,
    expected: u16,
}

/// Pulls register pages from the two servers in turn, from `cursor` until no more.
async fn pull(
    client: &reqwest::Client,
    addresses: &Addresses,
    token: &str,
    copy: &mut HashMap<CardId, RegisterEntry>,
    cursor: &mut u64,
    turn: &mut usize,
) {
    loop {
        let path =
            if *cursor == 0 { "/api/v1/register".to_owned() } else { format!("/api/v1/register?cursor={cursor}") };
        let request = Request { path: &path, token, body: None, key: None, expected: 200 };
        let page: RegisterPage = serde_json::from_str(&send(client, addresses, *turn, request).await).expect("a page");
        *turn += 1;
        if page.snapshot {
            copy.clear();
        }
        copy.extend(page.records.into_iter().map(|r| (r.card, r.entry)));
        *cursor = page.next.0;
        if !page.more {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_store_every_redemption_once_through_a_kill_and_miss_no_register_change() {
    let dir = tempfile::tempdir().expect("a folder");
    let db = crate::backend::new_database(dir.path()).await;
    let store = kaiku_sync_server::store::open(&db).await.expect("the database opens");
    keys::add(store.as_ref(), &SystemClock, true).await.expect("a signing key");
    let region = store.create_region("Kainuu").await.expect("a region");
    let distributor = store.create_distributor(region, "Kunta").await.expect("a distributor");
    let venue = store.create_venue(Some(region), "Kirjasto").await.expect("a venue");
    let secret = codes::new_secret();
    let user = store.create_user(Role::Distributor(distributor), "d", &codes::hash(&secret)).await.expect("a user");
    let distributor_token = auth::user_token(user, &secret);
    let today = Utc::now().date_naive();
    let mut cards = Vec::new();
    for serial in 1..=40 {
        let id = CardId::from(kaiku_core::KaikuId::new('B', serial).expect("an id"));
        let card = Card::issue(
            id,
            CardKind::Personal,
            region,
            distributor,
            today - TimeDelta::days(10),
            Validity::TwelveMonths,
            0,
        )
        .expect("a card");
        store
            .insert_card(&CardRecord { card, background: Some(background(1980, Gender::Female, 0)) })
            .await
            .expect("stored");
        cards.push(id);
    }
    let mut scanners = Vec::new();
    for _ in 0..SCANNERS {
        let code = codes::new_one_time_code();
        let hash = codes::code_hash(&code);
        store.create_enrollment_code(venue, &hash, Utc::now() + TimeDelta::hours(1)).await.expect("a code");
        let secret = codes::new_secret();
        let used = store.enroll_device(&hash, Utc::now(), "scanner", &codes::hash(&secret)).await.expect("enrolls");
        let CodeUse::Taken(record) = used else { panic!("enrollment failed: {used:?}") };
        scanners.push(Arc::new(Device::new(record, &secret)));
    }

    let mut servers = [start(&db), start(&db)];
    let addresses: Addresses = Arc::new(RwLock::new([servers[0].address.clone(), servers[1].address.clone()]));
    let client = reqwest::Client::new();
    let sent_batches = Arc::new(AtomicUsize::new(0));
    let mut uploads = Vec::new();
    for scanner in &scanners {
        let (scanner, cards, client, addresses, sent) =
            (scanner.clone(), cards.clone(), client.clone(), addresses.clone(), sent_batches.clone());
        uploads.push(tokio::spawn(async move {
            let mut answers: HashMap<Uuid, Vec<Outcome>> = HashMap::new();
            for b in 0..BATCHES {
                let at = Utc::now() - TimeDelta::minutes(30);
                let batch: Vec<Value> = (0..BATCH)
                    .map(|i| {
                        item(&scanner.ticket(cards[(b * BATCH + i) % cards.len()], at + TimeDelta::seconds(i as i64)))
                    })
                    .collect();
                let body = json!({ "items": batch });
                let first = usize::from(rand::random::<bool>());
                for side in [first, first + 1] {
                    let request = Request {
                        path: "/api/v1/redemptions/batch",
                        token: &scanner.token,
                        body: Some(&body),
                        key: None,
                        expected: 200,
                    };
                    let answer: UploadResponse = serde_json::from_str(&send(&client, &addresses, side, request).await)
                        .expect("an upload answer");
                    for o in answer.outcomes {
                        answers.entry(o.id.expect("each item has an id")).or_default().push(o.outcome);
                    }
                }
                sent.fetch_add(1, Ordering::Relaxed);
            }
            answers
        }));
    }
    let registering = Arc::new(AtomicBool::new(true));
    let writer = {
        let (client, addresses, registering, token) =
            (client.clone(), addresses.clone(), registering.clone(), distributor_token.clone());
        tokio::spawn(async move {
            let body = json!({ "kind": "community" });
            for i in 0..30 {
                let key = Uuid::now_v7().to_string();
                let request =
                    Request { path: "/api/v1/cards", token: &token, body: Some(&body), key: Some(&key), expected: 201 };
                send(&client, &addresses, i, request).await;
            }
            registering.store(false, Ordering::Relaxed);
        })
    };
    let puller = {
        let (client, addresses, registering, token) =
            (client.clone(), addresses.clone(), registering.clone(), scanners[0].token.clone());
        tokio::spawn(async move {
            let (mut copy, mut cursor, mut turn) = (HashMap::new(), 0, 0);
            while registering.load(Ordering::Relaxed) {
                pull(&client, &addresses, &token, &mut copy, &mut cursor, &mut turn).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (copy, cursor, turn)
        })
    };

    // A quarter of the way through, the first process is killed and started again.
    while sent_batches.load(Ordering::Relaxed) < SCANNERS * BATCHES / 4 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    servers[0].child.kill().expect("SIGKILL");
    servers[0].child.wait().expect("the killed process is gone");
    let db_again = db.clone();
    servers[0] = tokio::task::spawn_blocking(move || start(&db_again)).await.expect("starts again");
    addresses.write().unwrap_or_else(|p| p.into_inner())[0] = servers[0].address.clone();

    let mut answers: HashMap<Uuid, Vec<Outcome>> = HashMap::new();
    for upload in uploads {
        answers.extend(upload.await.expect("a scanner finishes"));
    }
    writer.await.expect("the distributor finishes");
    let (mut copy, mut cursor, mut turn) = puller.await.expect("the puller finishes");
    pull(&client, &addresses, &scanners[0].token, &mut copy, &mut cursor, &mut turn).await;
    let (mut full, mut from_scratch, mut other_turn) = (HashMap::new(), 0, 1);
    pull(&client, &addresses, &scanners[0].token, &mut full, &mut from_scratch, &mut other_turn).await;
    for server in &mut servers {
        let _ = server.child.kill();
        let _ = server.child.wait();
    }

    assert_eq!(answers.len(), SCANNERS * BATCHES * BATCH, "every item was answered");
    for (id, outcomes) in &answers {
        assert!(
            outcomes.iter().all(|o| matches!(o, Outcome::Accepted { .. } | Outcome::Duplicate)),
            "{id}: {outcomes:?}"
        );
    }
    let stored = crate::backend::count(&db, "SELECT count(*) FROM redemptions");
    assert_eq!(stored, (SCANNERS * BATCHES * BATCH) as i64, "every redemption is stored once");
    let ids: HashSet<&Uuid> = answers.keys().collect();
    assert_eq!(ids.len() as i64, stored);
    let registered = crate::backend::count(&db, "SELECT count(*) FROM cards");
    assert_eq!(registered, 40 + 30, "each registration made one card, however often it was sent");
    assert_eq!(full.len(), 40 + 30, "the seeded cards and those the distributor registered");
    assert_eq!(copy, full, "the copy pulled from both in turn is the register (no change skipped)");
    assert!(turn > 2, "the copy was pulled from both servers in turn");
}
