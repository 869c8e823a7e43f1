//! Sync through a faulty proxy: the first connection is dropped, the second has its answer
//! cut half way after the server stored the batch; the retries still store everything once.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use kaiku::scanner::Scanner;
use kaiku::scanner::log::{Fields, SyncState};
use kaiku::scanner::sync::{RetryPolicy, SyncClient};
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::{Card, CardId, CardKind, Validity};
use kaiku_sync_server::Settings;
use kaiku_sync_server::clock::SystemClock;
use kaiku_sync_server::startup::{AppState, Application};
use kaiku_sync_server::store::sqlite::SqliteStore;
use kaiku_sync_server::store::{CardRecord, Store};
use kaiku_sync_server::{codes, keys};

/// A TCP proxy to `upstream` that drops its first connection and cuts the answer on its
/// second after `cut` bytes. Returns its address and the count of connections seen.
fn faulty_proxy(upstream: SocketAddr, cut: u64) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("the proxy binds");
    let addr = listener.local_addr().expect("an address");
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(client) = conn else { continue };
            match counter.fetch_add(1, Ordering::SeqCst) {
                0 => drop(client),
                1 => {
                    std::thread::spawn(move || pipe(client, upstream, Some(cut)));
                }
                _ => {
                    std::thread::spawn(move || pipe(client, upstream, None));
                }
            }
        }
    });
    (addr, seen)
}

fn pipe(client: TcpStream, upstream: SocketAddr, cut: Option<u64>) {
    let Ok(server) = TcpStream::connect(upstream) else { return };
    let (Ok(mut from_client), Ok(mut to_server)) = (client.try_clone(), server.try_clone()) else { return };
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_client, &mut to_server);
        let _ = to_server.shutdown(Shutdown::Write);
    });
    let (mut from_server, mut to_client) = (server, client);
    match cut {
        Some(n) => {
            let _ = std::io::copy(&mut (&mut from_server).take(n), &mut to_client);
            let _ = to_client.flush();
            let _ = to_client.shutdown(Shutdown::Both);
            let _ = from_server.shutdown(Shutdown::Both);
        }
        None => {
            let _ = std::io::copy(&mut from_server, &mut to_client);
            let _ = to_client.shutdown(Shutdown::Write);
        }
    }
}

fn count(db: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("the server database opens read-only");
    conn.query_row(sql, [], |r| r.get(0)).expect("the count runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_and_cut_connections_still_give_exactly_once() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("server.sqlite");
    let settings = Settings { addr: ([127, 0, 0, 1], 0).into(), database: db.clone(), ..Settings::default() };
    let store = Arc::new(SqliteStore::open(&db).expect("the database opens"));
    keys::add(store.as_ref(), &SystemClock, true).await.expect("a signing key");
    let region = store.create_region("Lapland").await.expect("a region");
    let distributor = store.create_distributor(region, "Social services").await.expect("a distributor");
    let venue = store.create_venue(Some(region), "Arctic hall").await.expect("a venue");
    let card = CardId::new('A', 77).expect("a card id");
    let issued = Utc::now().date_naive() - TimeDelta::days(3);
    let c =
        Card::issue(card, CardKind::Community, region, distributor, issued, Validity::TwelveMonths, 0).expect("issues");
    store.insert_card(&CardRecord { card: c, background: None }).await.expect("stored");
    let code = codes::new_one_time_code();
    store
        .create_enrollment_code(venue, &codes::code_hash(&code), Utc::now() + TimeDelta::hours(1))
        .await
        .expect("a code");
    let state = AppState { store: store.clone(), clock: Arc::new(SystemClock), settings: Arc::new(settings) };
    let app = Application::build(state).await.expect("the server binds");
    let upstream: SocketAddr = ([127, 0, 0, 1], app.port()).into();
    let server = tokio::spawn(app.run_until(std::future::pending::<()>()));

    let mut scanner = Scanner::open(&dir.path().join("scanner.sqlite")).expect("opens");
    let direct = format!("http://{upstream}");
    scanner.enroll(&SyncClient::new(&direct), &code, "Gate").await.expect("enrolls");
    let members = [CardId::new('A', 78).expect("id"), CardId::new('A', 79).expect("id")];
    for _ in 0..300 {
        let f = Fields {
            card,
            venue,
            offer: OfferKind::Ticket,
            offer_id: None,
            children: 1,
            group: members.to_vec(),
            scanned_at: Utc::now(),
            entry: EntryMethod::Barcode,
            verdict: VerdictCode::Valid,
        };
        scanner.record(f, None).expect("recorded");
    }

    let (proxy, seen) = faulty_proxy(upstream, 40);
    let mut client = SyncClient::new(&format!("http://{proxy}")).with_retry(RetryPolicy {
        attempts: 5,
        first_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
    });
    client.batch_size = 100;
    let report = scanner.sync(&client).await.expect("syncs despite the faults");
    eprintln!("through the faulty proxy: {report:?}, {} connections", seen.load(Ordering::SeqCst));
    assert!(seen.load(Ordering::SeqCst) >= 3, "the faulty connections were used");
    assert_eq!(report.accepted + report.duplicate, 300, "{report:?}");
    assert_eq!(report.duplicate, 100, "the batch whose answer was cut was stored once and answered duplicate");
    assert_eq!(report.rejected, 0, "{report:?}");
    assert_eq!(count(&db, "SELECT count(*) FROM redemptions"), 300);
    assert_eq!(count(&db, "SELECT count(DISTINCT id) FROM redemptions"), 300);
    let log = scanner.log.all().expect("the log");
    assert!(log.iter().all(|l| matches!(l.state, SyncState::Accepted | SyncState::Duplicate)));
    assert_eq!(scanner.status(Utc::now()).expect("status").pending, 0);
    server.abort();
}
