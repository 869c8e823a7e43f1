//! Sync through a scripted faulty proxy between the scanner and the real sync server: requests
//! dropped before they reach the server, answers cut in the head and half way through the
//! body, answers delayed (past the client's request timeout, and until the app gives up), and
//! the server restarted on the same port and file while an upload is under way. Whatever happens, every recorded
//! redemption is stored exactly once, nothing stays pending and nothing is rejected; and each
//! test checks that its faults really happened, so none can pass without them.

#[path = "support/server.rs"]
mod server;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use kaiku::scanner::enroll::enroll;
use kaiku::scanner::log::{Fields, SyncState};
use kaiku::scanner::sync::{RetryPolicy, SyncClient, SyncReport, sync};
use kaiku::scanner::{ScannerStore, SqliteScannerStore};
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::{Card, CardId, CardKind, KaikuId, Validity};
use kaiku_sync_server::store::{CardRecord, Store};
use server::{Server, count, stored_ids};
use tempfile::TempDir;
use uuid::Uuid;

// ----- The proxy -----

/// What the proxy does to one upload request (`POST /api/v1/redemptions/batch`), counted
/// from 0 over all connections. Other requests (the register pulls) pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Pass,
    /// Closes the connection before the request reaches the server.
    Drop,
    /// Lets the server store the batch, then passes only the first bytes of its answer
    /// (fewer than its head) and closes.
    CutAfter(usize),
    /// Lets the server store the batch, then passes the answer's head and half its body and
    /// closes.
    CutHalf,
    /// Holds the whole answer this long, then passes it.
    Delay(Duration),
    /// Holds the answer until [`Proxy::release`], then closes without passing any of it.
    Hold,
}

/// What the proxy saw and did; the tests assert on it.
#[derive(Debug, Default)]
struct Seen {
    /// Connections accepted.
    connections: AtomicUsize,
    /// Upload requests seen (the dropped ones too).
    uploads: AtomicUsize,
    /// Upload requests passed on to the server.
    forwarded: AtomicUsize,
    /// Connections the proxy could not pass on: the server was down.
    refused: AtomicUsize,
    /// Answers cut short.
    cut: AtomicUsize,
    /// Answers being or having been delayed.
    delayed: AtomicUsize,
    /// Answers held until released.
    held: AtomicUsize,
    release: AtomicBool,
    events: Mutex<Vec<String>>,
}

impl Seen {
    fn event(&self, what: String) {
        self.events.lock().expect("the event log").push(what);
    }

    fn n(counter: &AtomicUsize) -> usize {
        counter.load(Ordering::SeqCst)
    }
}

struct Proxy {
    addr: SocketAddr,
    seen: Arc<Seen>,
}

const UPLOAD_HEAD: &[u8] = b"POST /api/v1/redemptions/batch ";

impl Proxy {
    /// A proxy to `upstream` that treats upload request `i` as `script[i]` (then `Pass`).
    fn start(upstream: SocketAddr, script: Vec<Fault>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("the proxy binds");
        let addr = listener.local_addr().expect("an address");
        let seen = Arc::new(Seen::default());
        let script = Arc::new(script);
        let s = seen.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(client) = conn else { continue };
                s.connections.fetch_add(1, Ordering::SeqCst);
                let (s, script) = (s.clone(), script.clone());
                std::thread::spawn(move || connection(client, upstream, &script, &s));
            }
        });
        Self { addr, seen }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Lets a held answer go: its connection is closed unanswered.
    fn release(&self) {
        self.seen.release.store(true, Ordering::SeqCst);
    }

    fn events(&self) -> Vec<String> {
        self.seen.events.lock().expect("the event log").clone()
    }
}

fn close(a: &TcpStream, b: &TcpStream) {
    let _ = a.shutdown(Shutdown::Both);
    let _ = b.shutdown(Shutdown::Both);
}

fn connection(client: TcpStream, upstream: SocketAddr, script: &Arc<Vec<Fault>>, seen: &Arc<Seen>) {
    let Ok(server) = TcpStream::connect(upstream) else {
        seen.refused.fetch_add(1, Ordering::SeqCst);
        seen.event("connection refused upstream: the server is down".into());
        return;
    };
    let (Ok(from_client), Ok(to_server)) = (client.try_clone(), server.try_clone()) else { return };
    // The fault for the answer to the request in flight on this connection.
    let current = Arc::new(Mutex::new(Fault::Pass));
    let (cur, script, s) = (current.clone(), script.clone(), seen.clone());
    std::thread::spawn(move || requests(from_client, to_server, &cur, &script, &s));
    answers(server, client, &current, seen);
}

/// Client to server: spots upload requests and picks their faults.
fn requests(
    mut from_client: TcpStream,
    mut to_server: TcpStream,
    current: &Mutex<Fault>,
    script: &[Fault],
    seen: &Seen,
) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let n = match from_client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        // A head split over two reads is still seen: the window keeps the previous read's tail.
        let mut window = std::mem::take(&mut tail);
        window.extend_from_slice(&buf[..n]);
        let heads = window.windows(UPLOAD_HEAD.len()).filter(|w| *w == UPLOAD_HEAD).count();
        tail = window[window.len().saturating_sub(UPLOAD_HEAD.len() - 1)..].to_vec();
        for _ in 0..heads {
            let i = seen.uploads.fetch_add(1, Ordering::SeqCst);
            let fault = script.get(i).copied().unwrap_or(Fault::Pass);
            seen.event(format!("upload #{i}: {fault:?}"));
            if fault == Fault::Drop {
                close(&from_client, &to_server);
                return;
            }
            seen.forwarded.fetch_add(1, Ordering::SeqCst);
            // Set before the request goes on, so the answer cannot come before it.
            *current.lock().expect("the fault") = fault;
        }
        if to_server.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to_server.shutdown(Shutdown::Write);
}

/// Server to client: passes answers, or spoils the one whose request was picked.
fn answers(mut from_server: TcpStream, mut to_client: TcpStream, current: &Mutex<Fault>, seen: &Seen) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from_server.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let fault = std::mem::replace(&mut *current.lock().expect("the fault"), Fault::Pass);
        let pass = |to: &mut TcpStream, bytes: &[u8]| to.write_all(bytes).and_then(|()| to.flush()).is_ok();
        match fault {
            Fault::Pass | Fault::Drop => {
                if !pass(&mut to_client, &buf[..n]) {
                    break;
                }
            }
            Fault::CutAfter(_) | Fault::CutHalf => {
                // The whole answer first: the server has finished with the batch.
                let answer = whole_answer(&mut from_server, buf[..n].to_vec());
                let (head, body) = head_and_body_len(&answer);
                let keep = match fault {
                    Fault::CutAfter(k) => k.min(head.saturating_sub(1)),
                    _ => head + body / 2,
                };
                seen.cut.fetch_add(1, Ordering::SeqCst);
                seen.event(format!("answer cut after {keep} of {} bytes (head {head}, body {body})", answer.len()));
                pass(&mut to_client, &answer[..keep]);
                close(&to_client, &from_server);
                return;
            }
            Fault::Delay(d) => {
                seen.delayed.fetch_add(1, Ordering::SeqCst);
                let answer = whole_answer(&mut from_server, buf[..n].to_vec());
                seen.event(format!("answer of {} bytes held for {d:?}", answer.len()));
                std::thread::sleep(d);
                if !pass(&mut to_client, &answer) {
                    seen.event("the delayed answer found the client gone".into());
                    close(&to_client, &from_server);
                    return;
                }
            }
            Fault::Hold => {
                seen.held.fetch_add(1, Ordering::SeqCst);
                seen.event("answer held".into());
                let since = Instant::now();
                while !seen.release.load(Ordering::SeqCst) && since.elapsed() < Duration::from_secs(120) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                seen.event("held answer dropped unanswered".into());
                close(&to_client, &from_server);
                return;
            }
        }
    }
    let _ = to_client.shutdown(Shutdown::Write);
}

/// The length of an HTTP answer's head (through the blank line) and of its body so far.
fn head_and_body_len(answer: &[u8]) -> (usize, usize) {
    let head = answer.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4).expect("a whole HTTP head");
    (head, answer.len() - head)
}

/// Reads until the answer that begins with `first` is complete (by its Content-Length, or
/// the last chunk of a chunked body), or the server closes.
fn whole_answer(from_server: &mut TcpStream, first: Vec<u8>) -> Vec<u8> {
    let mut answer = first;
    let mut buf = vec![0u8; 64 * 1024];
    let complete = |a: &[u8]| {
        let Some(head) = a.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4) else { return false };
        let text = String::from_utf8_lossy(&a[..head]).to_ascii_lowercase();
        let length =
            text.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok());
        match length {
            Some(len) => a.len() >= head + len,
            None if text.contains("transfer-encoding: chunked") => a.ends_with(b"0\r\n\r\n"),
            None => false,
        }
    };
    while !complete(&answer) {
        match from_server.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    answer
}

// ----- The scene -----

struct Scene {
    _dir: TempDir,
    db: std::path::PathBuf,
    server: Server,
    scanner: SqliteScannerStore,
    /// The recorded redemptions' ids, in order.
    ids: Vec<Uuid>,
}

/// A server with a venue and a community card, a scanner enrolled there directly (not through
/// the proxy), and `n` one-adult-one-child group tickets recorded on it.
async fn scene(n: usize) -> Scene {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("server.sqlite");
    let server = Server::start(&db, 0, true).await;
    let store = server.store.clone();
    let region = store.create_region("Lapland").await.expect("a region");
    let distributor = store.create_distributor(region, "Social services").await.expect("a distributor");
    let venue = store.create_venue(Some(region), "Arctic hall").await.expect("a venue");
    let card = CardId::from(KaikuId::new('A', 77).expect("a card id"));
    let issued = Utc::now().date_naive() - TimeDelta::days(3);
    let c =
        Card::issue(card, CardKind::Community, region, distributor, issued, Validity::TwelveMonths, 0).expect("issues");
    store.insert_card(&CardRecord { card: c, background: None }).await.expect("stored");
    let code = server.enrollment_code(venue).await;

    let scanner = SqliteScannerStore::open(&dir.path().join("scanner.sqlite")).expect("opens");
    enroll(&scanner, &SyncClient::new(&server.address()), &code, "Gate").await.expect("enrolls");
    let members = [CardId::from(KaikuId::new('A', 78).expect("id")), CardId::from(KaikuId::new('A', 79).expect("id"))];
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
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
        ids.push(scanner.record(f, None).expect("recorded").id);
    }
    Scene { _dir: dir, db, server, scanner, ids }
}

fn client(base: &str, attempts: u32, batch_size: usize) -> SyncClient {
    let mut c = SyncClient::new(base).with_retry(RetryPolicy {
        attempts,
        first_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(100),
    });
    c.batch_size = batch_size;
    c
}

/// The server holds each recorded redemption exactly once and nothing else, the device has
/// nothing pending and nothing rejected, and the log says which were answered duplicate: those
/// with sequence numbers in `duplicates`.
fn assert_exactly_once(s: &Scene, duplicates: &[std::ops::RangeInclusive<u64>]) {
    let stored = stored_ids(&s.db);
    assert_eq!(stored.len(), s.ids.len(), "as many rows as recorded redemptions");
    for id in &s.ids {
        assert_eq!(stored.get(id), Some(&1), "{id} is stored once");
    }
    assert_eq!(count(&s.db, "SELECT count(*) FROM redemptions"), i64::try_from(s.ids.len()).expect("a count"));
    assert_eq!(count(&s.db, "SELECT count(*) FROM rejected_items"), 0, "the server rejected nothing");
    let log = s.scanner.log().expect("the log");
    assert_eq!(log.iter().map(|l| l.redemption.id).collect::<Vec<_>>(), s.ids, "the log is whole");
    for l in &log {
        let dup = duplicates.iter().any(|r| r.contains(&l.redemption.seq));
        let want = if dup { SyncState::Duplicate } else { SyncState::Accepted };
        assert_eq!(l.state, want, "seq {}", l.redemption.seq);
    }
    assert_eq!(s.scanner.pending_count().expect("pending"), 0);
    assert!(!log.iter().any(|l| matches!(l.state, SyncState::Rejected { .. })), "nothing rejected");
    assert_eq!(s.scanner.status(Utc::now()).expect("status").pending, 0);
}

async fn wait_until(what: &str, done: impl Fn() -> bool) {
    let since = Instant::now();
    while !done() {
        assert!(since.elapsed() < Duration::from_secs(60), "waited a minute for: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

// ----- The tests -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_cut_and_delayed_answers_still_give_exactly_once() {
    let mut s = scene(500).await;
    let upstream: SocketAddr = ([127, 0, 0, 1], s.server.port).into();
    // Five batches of 100; upload request by upload request:
    let proxy = Proxy::start(
        upstream,
        vec![
            Fault::Drop,                              // #0 batch 1 never reaches the server,
            Fault::Pass,                              // #1 batch 1 again: accepted.
            Fault::CutAfter(40),                      // #2 batch 2 stored, its answer cut in the status line,
            Fault::Pass,                              // #3 batch 2 again: duplicate.
            Fault::CutHalf,                           // #4 batch 3 stored, its answer cut half way through the body,
            Fault::Delay(Duration::from_millis(400)), // #5 batch 3 again, slowly: duplicate.
            Fault::Pass,                              // #6 batch 4: accepted.
            Fault::Pass,                              // #7 batch 5: accepted.
        ],
    );
    let client = client(&proxy.url(), 3, 100);
    let started = Instant::now();
    let report = sync(&s.scanner, &client).await.expect("syncs despite the faults");
    eprintln!("through the faulty proxy in {:?}: {report:?}\n{:#?}", started.elapsed(), proxy.events());

    let seen = &proxy.seen;
    assert_eq!(Seen::n(&seen.uploads), 8, "every fault cost exactly one retry");
    assert_eq!(Seen::n(&seen.forwarded), 7, "the dropped request never reached the server");
    assert_eq!(Seen::n(&seen.cut), 2, "two answers were cut");
    assert_eq!(Seen::n(&seen.delayed), 1, "one answer was delayed");
    assert!(Seen::n(&seen.connections) >= 3, "each spoiled connection was closed: new ones were made");
    assert_eq!(
        report,
        SyncReport {
            batches: 5,
            accepted: 300,
            duplicate: 200,
            rejected: 0,
            register_pages: report.register_pages,
            clock_ahead: None,
        },
        "the two batches whose answers were cut were stored once and answered duplicate the second time"
    );
    assert!(report.register_pages >= 1, "the register pull went through the proxy too");
    assert_exactly_once(&s, &[101..=300]);
    s.server.shut_down().await;
}

/// The app gives up on a sync whose answer is slow (the staff leave the screen, the phone
/// suspends the app): the batch is stored but the device never heard so. The next round sends
/// it again and the server answers duplicate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_given_up_on_a_delayed_answer_is_stored_once_by_the_next_round() {
    let mut s = scene(200).await;
    let upstream: SocketAddr = ([127, 0, 0, 1], s.server.port).into();
    let proxy = Proxy::start(upstream, vec![Fault::Delay(Duration::from_secs(30))]);
    let client = client(&proxy.url(), 3, 100);
    let seen = proxy.seen.clone();
    // The app's patience: it gives up once the first answer is being held back.
    tokio::select! {
        r = sync(&s.scanner, &client) => panic!("the sync finished though its answer is held: {r:?}"),
        () = wait_until("the first answer is delayed", || Seen::n(&seen.delayed) == 1) => {}
    }
    assert_eq!(count(&s.db, "SELECT count(*) FROM redemptions"), 100, "the first batch was stored");
    assert_eq!(s.scanner.pending_count().expect("pending"), 200, "but the device has not heard so");

    let report = sync(&s.scanner, &client).await.expect("the next round syncs");
    eprintln!("after giving up: {report:?}\n{:#?}", proxy.events());
    assert_eq!((report.batches, report.accepted, report.duplicate, report.rejected), (2, 100, 100, 0), "{report:?}");
    assert_eq!(Seen::n(&seen.uploads), 3, "the first batch went twice, the second once");
    assert_exactly_once(&s, &[1..=100]);
    s.server.shut_down().await;
}

/// 3,000 redemptions in batches of 1,000. The second batch is stored but its answer is held
/// while the server stops; the client then retries against the stopped server (the proxy
/// cannot reach it) until it is started again on the same port over the same file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restarted_during_upload_loses_nothing_and_stores_each_once() {
    let mut s = scene(3000).await;
    let port = s.server.port;
    let proxy = Proxy::start(([127, 0, 0, 1], port).into(), vec![Fault::Pass, Fault::Hold]);
    let client = client(&proxy.url(), 40, 1000);
    let seen = proxy.seen.clone();
    let db = s.db.clone();
    let started = Instant::now();
    let server = &mut s.server;
    let restart = async {
        wait_until("the second batch's answer is held", || Seen::n(&seen.held) == 1).await;
        assert_eq!(count(&db, "SELECT count(*) FROM redemptions"), 2000, "two batches stored before the stop");
        server.shut_down().await;
        proxy.release();
        wait_until("the client retried against the stopped server", || Seen::n(&seen.refused) >= 2).await;
        *server = Server::start(&db, port, false).await;
    };
    let (report, ()) = tokio::join!(sync(&s.scanner, &client), restart);
    let report = report.expect("syncs across the restart");
    eprintln!("across the restart in {:?}: {report:?}\n{:#?}", started.elapsed(), proxy.events());

    assert_eq!(Seen::n(&seen.held), 1);
    assert!(Seen::n(&seen.refused) >= 2, "the client kept retrying while the server was down");
    assert_eq!(Seen::n(&seen.uploads), 4, "batch 1, batch 2, batch 2 again after the restart, batch 3");
    assert_eq!(Seen::n(&seen.forwarded), 4);
    assert_eq!((report.batches, report.accepted, report.duplicate, report.rejected), (3, 2000, 1000, 0), "{report:?}");
    assert_exactly_once(&s, &[1001..=2000]);
    s.server.shut_down().await;
}

/// The client's own request timeout (`SyncClient::with_timeout`) gives up on an answer the
/// proxy holds far longer; the server had already stored the batch, so the retry is answered
/// duplicate and the next batch goes on as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_delayed_past_the_request_timeout_is_retried_and_stored_once() {
    let mut s = scene(200).await;
    let upstream: SocketAddr = ([127, 0, 0, 1], s.server.port).into();
    let proxy = Proxy::start(upstream, vec![Fault::Delay(Duration::from_secs(30))]);
    let timeout = Duration::from_secs(3);
    let client = client(&proxy.url(), 3, 100).with_timeout(timeout);
    let started = Instant::now();
    let report = sync(&s.scanner, &client).await.expect("syncs after the timeout");
    let took = started.elapsed();
    eprintln!("past the timeout in {took:?}: {report:?}\n{:#?}", proxy.events());
    assert_eq!(Seen::n(&proxy.seen.delayed), 1);
    assert!(took >= timeout && took < Duration::from_secs(30), "the client gave up on its own: {took:?}");
    assert_eq!(Seen::n(&proxy.seen.uploads), 3, "the first batch was sent again after the timeout");
    assert_eq!((report.batches, report.accepted, report.duplicate, report.rejected), (2, 100, 100, 0), "{report:?}");
    assert_exactly_once(&s, &[1..=100]);
    s.server.shut_down().await;
}

/// The door records while a sync waits on the network: the first batch's answer is held by the
/// proxy, and three more tickets are recorded (and durable) before it is let go. They take the
/// next sequence numbers with no gap, and the same round sends them after the first batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_door_records_while_an_upload_waits_and_the_same_round_sends_it() {
    let mut s = scene(100).await;
    let upstream: SocketAddr = ([127, 0, 0, 1], s.server.port).into();
    let proxy = Proxy::start(upstream, vec![Fault::Hold]);
    let client = client(&proxy.url(), 3, 100);
    let seen = proxy.seen.clone();
    let first = s.scanner.log().expect("the log")[0].redemption.clone();
    let ticket = || Fields {
        card: first.card,
        venue: first.venue,
        offer: first.offer,
        offer_id: None,
        children: first.children,
        group: first.group.clone(),
        scanned_at: Utc::now(),
        entry: EntryMethod::Barcode,
        verdict: VerdictCode::Valid,
    };
    let finished = AtomicBool::new(false);
    let round = async {
        let report = sync(&s.scanner, &client).await;
        finished.store(true, Ordering::SeqCst);
        report
    };
    let door = async {
        wait_until("the first batch's answer is held", || Seen::n(&seen.held) == 1).await;
        let mut recorded = Vec::new();
        for _ in 0..3 {
            recorded.push(ScannerStore::record(&s.scanner, ticket(), None).await.expect("recorded during the upload"));
        }
        assert!(!finished.load(Ordering::SeqCst), "the sync still waits on its held answer");
        proxy.release();
        recorded
    };
    let (report, recorded) = tokio::join!(round, door);
    let report = report.expect("the round syncs after the held answer");
    eprintln!("recording during an upload: {report:?}\n{:#?}", proxy.events());
    assert_eq!(recorded.iter().map(|r| r.seq).collect::<Vec<_>>(), [101, 102, 103], "no gap, no repeat");
    assert_eq!((report.batches, report.accepted, report.duplicate, report.rejected), (2, 3, 100, 0), "{report:?}");
    s.ids.extend(recorded.iter().map(|r| r.id));
    assert_exactly_once(&s, &[1..=100]);
    s.server.shut_down().await;
}
