//! The scanner engine against the real sync server on loopback: enrollment, 1,000 redemptions
//! recorded with the server down, exactly-once upload, idempotent re-sync, kept rejections.

#[path = "support/server.rs"]
mod server;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Datelike, NaiveDate, TimeDelta, Utc};
use kaiku::scanner::enroll::{enroll, unenroll};
use kaiku::scanner::log::{Fields, Logged, SyncState};
use kaiku::scanner::sync::{RetryPolicy, SyncClient, sync};
use kaiku::scanner::{ScannerStore, SqliteScannerStore};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use kaiku_core::redemption::{CardFacts, EntryMethod, OfferKind};
use kaiku_core::verdict::{DeviceKnowledge, Moment, Verdict, VerdictCode, decide};
use kaiku_core::{Card, CardId, CardKind, KaikuId, ScanInput, Validity};
use kaiku_sync_server::disclosure::{Audience, PublishedStatistics, publish_statistics};
use kaiku_sync_server::stats::{Frequency, Statistics, UseCounts};
use kaiku_sync_server::store::sqlite::SqliteStore;
use kaiku_sync_server::store::{CardRecord, Role, Store};
use server::{Server, count, stored_ids};
use tempfile::TempDir;

fn background(minors: u8) -> Background {
    Background {
        birth_year: 1980,
        gender: Gender::Female,
        mother_tongue: MotherTongue::Finnish,
        life_situations: vec![LifeSituation::Unemployed],
        postal_code: PostalCode::parse("96100").expect("a postal code"),
        minor_children: minors,
        minor_grandchildren: 0,
    }
}

/// The server's cards: personal cards with two children on record, one with none, and
/// community cards.
struct Cards {
    personal: Vec<CardId>,
    childless: CardId,
    community: Vec<CardId>,
}

async fn seed(store: &SqliteStore) -> (RegionId, VenueId, Cards) {
    let region: RegionId = store.create_region("Lapland").await.expect("a region");
    let distributor: DistributorId = store.create_distributor(region, "Social services").await.expect("a distributor");
    let venue = store.create_venue(Some(region), "Arctic hall").await.expect("a venue");
    let issued = Utc::now().date_naive() - TimeDelta::days(10);
    let mut serial = 100;
    let mut card = async |kind: CardKind, minors: u8| {
        serial += 1;
        let id = CardId::from(KaikuId::new('A', serial).expect("a card id"));
        let c = Card::issue(id, kind, region, distributor, issued, Validity::TwelveMonths, minors).expect("issues");
        let background = (kind == CardKind::Personal).then(|| background(minors));
        store.insert_card(&CardRecord { card: c, background }).await.expect("the card is stored");
        id
    };
    let mut personal = Vec::new();
    for _ in 0..20 {
        personal.push(card(CardKind::Personal, 2).await);
    }
    let childless = card(CardKind::Personal, 0).await;
    let mut community = Vec::new();
    for _ in 0..3 {
        community.push(card(CardKind::Community, 0).await);
    }
    (region, venue, Cards { personal, childless, community })
}

fn fast_client(address: &str) -> SyncClient {
    let mut c = SyncClient::new(address).with_retry(RetryPolicy {
        attempts: 3,
        first_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    });
    c.page_limit = Some(7);
    c
}

/// Decides at the door for a plain ID, as the scanner screen would, and gives the facts.
fn door(scanner: &SqliteScannerStore, card: CardId, offer: OfferKind) -> (VerdictCode, Option<CardFacts>) {
    let register = scanner.register();
    let keys = register.key_set().expect("the keys");
    let now = Utc::now();
    let known = DeviceKnowledge {
        keys: &keys,
        register: &*register,
        register_as_of: register.meta.as_of,
        stale_after: TimeDelta::days(3),
    };
    let v = decide(&ScanInput::PlainId(card), &known, Moment { at: now, today: now.date_naive() }, offer);
    let facts = match &v {
        Verdict::Valid(a) => Some(CardFacts::from(a)),
        _ => None,
    };
    (v.code(), facts)
}

fn fields(
    venue: VenueId,
    card: CardId,
    offer: OfferKind,
    children: u8,
    group: Vec<CardId>,
    verdict: VerdictCode,
) -> Fields {
    Fields {
        card,
        venue,
        offer,
        offer_id: None,
        children,
        group,
        scanned_at: Utc::now(),
        entry: EntryMethod::Qr,
        verdict,
    }
}

struct Scene {
    _dir: TempDir,
    db: PathBuf,
    server: Server,
    scanner: SqliteScannerStore,
    region: RegionId,
    venue: VenueId,
    cards: Cards,
}

async fn enrolled_scene() -> Scene {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("server.sqlite");
    let server = Server::start(&db, 0, true).await;
    let (region, venue, cards) = seed(&server.store).await;
    let code = server.enrollment_code(venue).await;
    let scanner = SqliteScannerStore::open(&dir.path().join("scanner.sqlite")).expect("the scanner database opens");
    let enrolled = enroll(&scanner, &fast_client(&server.address()), &code, "Main door").await.expect("enrolls");
    assert_eq!(enrolled.venue, venue);
    assert_eq!(enrolled.venue_name, "Arctic hall");
    let meta = scanner.register().meta.clone();
    assert!(meta.as_of.is_some(), "the first register pull is complete");
    assert!(!meta.keys.is_empty(), "keys are stored");
    assert_eq!(scanner.register().cards.len(), 24, "all seeded cards are in the copy");
    Scene { _dir: dir, db, server, scanner, region, venue, cards }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_redemptions_recorded_offline_reach_the_server_exactly_once() {
    let mut s = enrolled_scene().await;
    let port = s.server.port;
    s.server.shut_down().await;

    // The network is cut: the door goes on.
    let mut ids = Vec::new();
    for i in 0..1000usize {
        let p = s.cards.personal[i % s.cards.personal.len()];
        let (card, offer, children, group) = match i % 4 {
            0 => (p, OfferKind::Ticket, 1 + u8::from(i % 8 == 0), vec![]),
            1 => (p, OfferKind::CoursePlace, 0, vec![]),
            2 => {
                let q = s.cards.personal[(i + 1) % s.cards.personal.len()];
                (s.cards.community[i % s.cards.community.len()], OfferKind::Ticket, 1, vec![p, q])
            }
            _ => (p, OfferKind::Ticket, 0, vec![]),
        };
        let (verdict, facts) = door(&s.scanner, card, offer);
        assert_eq!(verdict, VerdictCode::Valid, "card {card} at the door");
        let r = s.scanner.record(fields(s.venue, card, offer, children, group, verdict), facts).expect("recorded");
        ids.push(r.id);
    }
    let client = fast_client(&format!("http://127.0.0.1:{port}"));
    let status = s.scanner.status(Utc::now()).expect("status");
    assert_eq!(status.pending, 1000);
    assert!(status.register_age.is_some_and(|a| a >= TimeDelta::zero()));
    assert!(sync(&s.scanner, &client).await.is_err(), "no server: the sync fails and nothing is lost");
    assert_eq!(s.scanner.pending_count().expect("count"), 1000);

    // The network returns: the server starts again on the same database file and port.
    s.server = Server::start(&s.db, port, false).await;
    let report = sync(&s.scanner, &client).await.expect("syncs");
    assert_eq!(report.accepted, 1000, "{report:?}");
    assert_eq!((report.duplicate, report.rejected), (0, 0), "{report:?}");
    assert_eq!(count(&s.db, "SELECT count(*) FROM redemptions"), 1000);
    assert_eq!(count(&s.db, "SELECT count(DISTINCT id) FROM redemptions"), 1000);
    let log = s.scanner.log().expect("the log");
    assert_eq!(log.len(), 1000);
    assert!(log.iter().all(|l| l.state == SyncState::Accepted));
    let seqs: Vec<u64> = log.iter().map(|l| l.redemption.seq).collect();
    assert_eq!(seqs, (1..=1000).collect::<Vec<_>>(), "sequence numbers without gaps");
    assert_eq!(log.iter().map(|l| l.redemption.id).collect::<Vec<_>>(), ids);
    let today = ScannerStore::today(&s.scanner, Utc::now().fixed_offset()).await.expect("today");
    assert_eq!(today.redemptions.len(), 1000);
    let courses = today.by_offer.iter().find(|c| c.offer == OfferKind::CoursePlace).expect("course places");
    assert_eq!(courses.redemptions, 250);

    // (b) Syncing again sends nothing and stores nothing twice.
    let again = sync(&s.scanner, &client).await.expect("syncs again");
    assert_eq!(again.batches, 0);
    assert_eq!(count(&s.db, "SELECT count(*) FROM redemptions"), 1000);

    // (c) The statistics count them: every scope that sees this venue's uses gives the
    // figures worked out from what the door recorded.
    let community: HashSet<CardId> = s.cards.community.iter().copied().collect();
    let expected = UseFigures::of(&log, &community);
    assert_eq!(expected.all.uses, 1000);
    assert_eq!((expected.course_places, expected.community.uses), (250, 250), "the mix the door recorded");
    let first = log.iter().map(|l| l.redemption.scanned_at.date_naive()).min().expect("a first day");
    let last = log.iter().map(|l| l.redemption.scanned_at.date_naive()).max().expect("a last day");
    let period = format!("from={first}&to={last}");
    let admin = s.server.user_token(Role::Admin).await;
    let coordinator = s.server.user_token(Role::Coordinator(s.region)).await;
    let venue_user = s.server.user_token(Role::Venue(s.venue)).await;
    let address = s.server.address();
    for (who, scope) in
        [("the administrator", String::new()), ("the administrator, for the venue", format!("&venue={}", s.venue))]
    {
        let stats: Statistics = statistics(&address, &admin, &format!("{period}{scope}")).await;
        assert_eq!(UseFigures::from(&stats), expected, "{who}");
        assert!(stats.per_venue.iter().all(|v| v.name == "Arctic hall"), "{who}: {:?}", stats.per_venue);
    }
    // Below administrator the period is whole months and every count is published rounded to 5:
    // exactly what the administrator's figures of the same months and scope become.
    let months = format!(
        "from={}&to={}",
        first.with_day(1).expect("a first day"),
        (last.with_day(1).expect("a first day") + chrono::Months::new(1)).pred_opt().expect("a last day")
    );
    for (who, token, scope) in [
        ("the region's coordinator", &coordinator, format!("&region={}", s.region)),
        ("the venue", &venue_user, format!("&venue={}", s.venue)),
    ] {
        let exact: Statistics = statistics(&address, &admin, &format!("{months}{scope}")).await;
        assert_eq!(UseFigures::from(&exact), expected, "{who}: the months hold only the door's uses");
        let seen: PublishedStatistics = statistics(&address, token, &months).await;
        assert_eq!(seen, publish_statistics(exact, Audience::Protected), "{who}");
        assert_eq!(seen.all.uses, kaiku_sync_server::disclosure::Count::Number(1000), "{who}");
    }
    let after = last + TimeDelta::days(1);
    let empty: Statistics = statistics(&address, &admin, &format!("from={after}&to={after}")).await;
    assert_eq!(empty.all, UseCounts::default(), "the period filters: a later day has no uses");
    s.server.shut_down().await;
}

/// The use figures of `/statistics`, which the recorded redemptions determine.
#[derive(Debug, PartialEq)]
struct UseFigures {
    all: UseCounts,
    community: UseCounts,
    course_places: u64,
    /// (venue, uses), most first.
    per_venue: Vec<(u32, u64)>,
    cards_used: u64,
    frequency: Frequency,
}

impl UseFigures {
    /// Works the figures out from the device's log.
    fn of(log: &[Logged], community_cards: &HashSet<CardId>) -> Self {
        let add = |c: &mut UseCounts, r: &kaiku_core::Redemption| {
            c.uses += 1;
            c.adults += u64::from(r.adults);
            c.children += u64::from(r.children);
        };
        let (mut all, mut community, mut course_places) = (UseCounts::default(), UseCounts::default(), 0);
        let mut venues: BTreeMap<u32, u64> = BTreeMap::new();
        let mut per_card: BTreeMap<CardId, u64> = BTreeMap::new();
        for r in log.iter().map(|l| &l.redemption) {
            add(&mut all, r);
            if community_cards.contains(&r.card) {
                add(&mut community, r);
            }
            course_places += u64::from(r.offer == OfferKind::CoursePlace);
            *venues.entry(r.venue.0).or_default() += 1;
            *per_card.entry(r.card).or_default() += 1;
        }
        let mut per_venue: Vec<(u32, u64)> = venues.into_iter().collect();
        per_venue.sort_by_key(|&(id, n)| (std::cmp::Reverse(n), id));
        let mut frequency = Frequency::default();
        for &n in per_card.values() {
            match n {
                1 => frequency.once += 1,
                2 => frequency.twice += 1,
                3..=5 => frequency.three_to_five += 1,
                _ => frequency.more_than_five += 1,
            }
        }
        let cards_used = per_card.len() as u64;
        Self { all, community, course_places, per_venue, cards_used, frequency }
    }
}

impl From<&Statistics> for UseFigures {
    fn from(s: &Statistics) -> Self {
        Self {
            all: s.all,
            community: s.community,
            course_places: s.course_places,
            per_venue: s.per_venue.iter().map(|v| (v.id, v.count)).collect(),
            cards_used: s.cards_used,
            frequency: s.frequency,
        }
    }
}

/// `GET /api/v1/statistics?{query}` over HTTP with a user's token.
async fn statistics<T: serde::de::DeserializeOwned>(address: &str, token: &str, query: &str) -> T {
    let reply = reqwest::Client::new()
        .get(format!("{address}/api/v1/statistics?{query}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("the server answers");
    let status = reply.status();
    let text = reply.text().await.expect("a body");
    assert_eq!(status, 200, "statistics?{query}: {text}");
    serde_json::from_str(&text).expect("the statistics JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_redemption_stays_in_the_log_with_its_reason() {
    let mut s = enrolled_scene().await;
    let client = fast_client(&s.server.address());
    // Admitted unverified with two children: the register knows the card has none.
    let bad = s
        .scanner
        .record(fields(s.venue, s.cards.childless, OfferKind::Ticket, 2, vec![], VerdictCode::ValidUnverified), None)
        .expect("recorded");
    let good = s
        .scanner
        .record(fields(s.venue, s.cards.personal[0], OfferKind::Ticket, 0, vec![], VerdictCode::Valid), None)
        .expect("recorded");
    let report = sync(&s.scanner, &client).await.expect("syncs");
    assert_eq!((report.accepted, report.rejected), (1, 1), "{report:?}");
    let rejected = s.scanner.rejected().await.expect("rejected");
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].redemption, bad, "the redemption itself is unchanged");
    let SyncState::Rejected { reason } = &rejected[0].state else { panic!("not rejected: {rejected:?}") };
    assert!(!reason.is_empty());
    let all = s.scanner.log().expect("all");
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].redemption, good);
    // Not sent again, and still there.
    assert_eq!(sync(&s.scanner, &client).await.expect("syncs").batches, 0);
    assert_eq!(s.scanner.rejected().await.expect("rejected").len(), 1);
    s.server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unenrolling_never_loses_unsynced_redemptions() {
    let mut s = enrolled_scene().await;
    s.scanner
        .record(fields(s.venue, s.cards.personal[1], OfferKind::Ticket, 0, vec![], VerdictCode::Valid), None)
        .expect("recorded");
    assert!(unenroll(&s.scanner, false).await.is_err(), "refused while a redemption waits");
    unenroll(&s.scanner, true).await.expect("un-enrolls, keeping the log");
    assert_eq!(s.scanner.pending_count().expect("count"), 1);
    assert!(s.scanner.enrollment().expect("reads").is_some_and(|e| e.token.is_none()));
    assert!(
        s.scanner
            .record(fields(s.venue, s.cards.personal[1], OfferKind::Ticket, 0, vec![], VerdictCode::Valid), None)
            .is_err(),
        "an un-enrolled device records nothing"
    );
    s.server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_was_recorded_before_a_forced_unenroll_is_sent_after_enrolling_again() {
    let mut s = enrolled_scene().await;
    let old = s.scanner.enrollment().expect("reads").expect("enrolled").device;
    let record = |s: &mut Scene, i: usize| {
        let f = fields(s.venue, s.cards.personal[i], OfferKind::Ticket, 0, vec![], VerdictCode::Valid);
        s.scanner.record(f, None).expect("recorded")
    };
    let before: Vec<_> = (0..3).map(|i| record(&mut s, i)).collect();
    unenroll(&s.scanner, true).await.expect("un-enrolls, keeping the log");
    let code = s.server.enrollment_code(s.venue).await;
    let client = fast_client(&s.server.address());
    let again = enroll(&s.scanner, &client, &code, "Main door, again").await.expect("enrolls again");
    assert_ne!(again.device, old, "a new enrollment is a new device");
    // The enrollment's first round sent them with the earlier device's token.
    assert_eq!(s.scanner.pending_count().expect("count"), 0, "the earlier device's redemptions went first");
    let after: Vec<_> = (3..5).map(|i| record(&mut s, i)).collect();
    assert!(before.iter().all(|r| r.device == old) && after.iter().all(|r| r.device == again.device));
    let report = sync(&s.scanner, &client).await.expect("syncs");
    assert_eq!((report.accepted, report.rejected), (2, 0), "then the new device's, with its own token");
    let stored = stored_ids(&s.db);
    assert!(before.iter().chain(&after).all(|r| stored.get(&r.id) == Some(&1)), "all five on the server, once each");
    assert_eq!(s.scanner.pending_count().expect("count"), 0);
    s.server.shut_down().await;
}

#[tokio::test]
async fn sequence_numbers_continue_across_restarts() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("scanner.sqlite");
    let venue = VenueId(1);
    let device = kaiku_core::ids::DeviceId(7);
    let card = CardId::from(KaikuId::new('A', 5).expect("a card id"));
    let day = NaiveDate::from_ymd_opt(2026, 6, 15).and_then(|d| d.and_hms_opt(12, 0, 0)).expect("a time").and_utc();
    let f = || Fields { scanned_at: day, ..fields(venue, card, OfferKind::Ticket, 0, vec![], VerdictCode::Valid) };
    for expected in 1..=3u64 {
        let scanner = SqliteScannerStore::open(&path).expect("opens");
        assert_eq!(scanner.append(device, f(), None).await.expect("recorded").seq, expected);
    }
    let scanner = SqliteScannerStore::open(&path).expect("opens");
    assert_eq!(scanner.pending(10).await.expect("pending").len(), 3);
}

/// Set in the environment of the child process that records until it is killed.
const CHILD_DB: &str = "KAIKU_SCANNER_CRASH_DB";

/// The child of the crash test: records one-adult tickets in a loop, printing each id only
/// after its commit. Does nothing when run as an ordinary test.
#[test]
fn crash_child() {
    let Ok(db) = std::env::var(CHILD_DB) else { return };
    let venue = VenueId(std::env::var("KAIKU_SCANNER_CRASH_VENUE").expect("venue").parse().expect("a venue id"));
    let card = CardId::parse(&std::env::var("KAIKU_SCANNER_CRASH_CARD").expect("card")).expect("a card id");
    let scanner = SqliteScannerStore::open(Path::new(&db)).expect("the scanner database opens");
    loop {
        let r = scanner
            .record(fields(venue, card, OfferKind::Ticket, 0, vec![], VerdictCode::Valid), None)
            .expect("recorded");
        println!("recorded {}", r.id);
    }
}

fn random_below(n: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new().build_hasher().finish() % n.max(1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_redemption_reported_recorded_survives_sigkill_and_reaches_the_server_once() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    let mut s = enrolled_scene().await;
    let scanner_db = s._dir.path().join("scanner.sqlite");
    let exe = std::env::current_exe().expect("the test binary");
    let mut reported = Vec::new();
    for _ in 0..6 {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_DB, &scanner_db)
            .env("KAIKU_SCANNER_CRASH_VENUE", s.venue.0.to_string())
            .env("KAIKU_SCANNER_CRASH_CARD", s.cards.personal[2].to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the child starts");
        let out = child.stdout.take().expect("the child's stdout");
        let reader = std::thread::spawn(move || {
            std::io::BufReader::new(out)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("recorded ").and_then(|id| id.trim().parse::<uuid::Uuid>().ok()))
                .collect::<Vec<_>>()
        });
        tokio::time::sleep(Duration::from_millis(150 + random_below(400))).await;
        child.kill().expect("SIGKILL");
        child.wait().expect("the child is reaped");
        let ids = reader.join().expect("the reader ends");
        reported.extend(ids);
    }
    assert!(!reported.is_empty(), "the child recorded something before it was killed");

    // After the restarts: the log is whole, and one sync takes everything to the server once.
    let scanner = SqliteScannerStore::open(&scanner_db).expect("opens after the crashes");
    let log = scanner.log().expect("the log");
    let seqs: Vec<u64> = log.iter().map(|l| l.redemption.seq).collect();
    assert_eq!(seqs, (1..=log.len() as u64).collect::<Vec<_>>(), "no gap and no reuse of a sequence number");
    let in_log: std::collections::HashSet<_> = log.iter().map(|l| l.redemption.id).collect();
    for id in &reported {
        assert!(in_log.contains(id), "{id} was reported recorded but is not in the log");
    }
    eprintln!("crash test: {} reported recorded over 6 kills, {} in the log", reported.len(), log.len());
    let report = sync(&scanner, &fast_client(&s.server.address())).await.expect("syncs");
    assert_eq!(report.accepted, log.len(), "{report:?}");
    let total = count(&s.db, "SELECT count(*) FROM redemptions");
    assert_eq!(total, i64::try_from(log.len()).expect("a count"));
    assert_eq!(count(&s.db, "SELECT count(DISTINCT id) FROM redemptions"), total, "none twice");
    for id in &reported {
        let n = count(
            &s.db,
            &format!(
                "SELECT count(*) FROM redemptions WHERE hex(id) = '{}' OR id = '{id}'",
                id.simple().to_string().to_uppercase()
            ),
        );
        assert_eq!(n, 1, "{id} on the server {n} times");
    }
    s.server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_pulls_register_deltas_and_revocations() {
    let mut s = enrolled_scene().await;
    let client = fast_client(&s.server.address());
    let before = s.scanner.register().meta.clone();
    let lost = s.cards.personal[3];
    let mut record = s.server.store.card(lost).await.expect("reads").expect("the card exists");
    record.card.revoke(kaiku_core::RevocationReason::Lost, Utc::now().date_naive()).expect("revokes");
    s.server.store.update_card(&record.card).await.expect("stored");
    assert_eq!(door(&s.scanner, lost, OfferKind::Ticket).0, VerdictCode::Valid, "not yet known on the device");

    let report = sync(&s.scanner, &client).await.expect("syncs");
    assert!(report.register_pages >= 1);
    let after = s.scanner.register().meta.clone();
    assert!(after.cursor > before.cursor, "the cursor moved: {before:?} -> {after:?}");
    assert!(after.as_of > before.as_of);
    assert_eq!(s.scanner.register().cards.len(), 24, "a delta changes, never duplicates");
    assert_eq!(door(&s.scanner, lost, OfferKind::Ticket).0, VerdictCode::Revoked);
    assert_eq!(door(&s.scanner, s.cards.personal[4], OfferKind::Ticket).0, VerdictCode::Valid);
    assert_eq!(
        door(&s.scanner, s.cards.community[0], OfferKind::CoursePlace).0,
        VerdictCode::NotForOffer,
        "the copy keeps the card kind"
    );
    s.server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_started_while_the_server_is_down_retries_until_it_is_back() {
    let mut s = enrolled_scene().await;
    for i in 0..50 {
        s.scanner
            .record(fields(s.venue, s.cards.personal[i % 5], OfferKind::Ticket, 0, vec![], VerdictCode::Valid), None)
            .expect("recorded");
    }
    let port = s.server.port;
    s.server.shut_down().await;
    let db = s.db.clone();
    let back = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        Server::start(&db, port, false).await
    });
    let client = SyncClient::new(&format!("http://127.0.0.1:{port}")).with_retry(RetryPolicy {
        attempts: 12,
        first_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
    });
    let report = sync(&s.scanner, &client).await.expect("syncs once the server is back");
    assert_eq!(report.accepted, 50, "{report:?}");
    assert_eq!(count(&s.db, "SELECT count(*) FROM redemptions"), 50);
    s.server = back.await.expect("the server starts again");
    s.server.shut_down().await;
}

#[test]
fn backoff_grows_and_stays_bounded() {
    let p = RetryPolicy { attempts: 10, first_delay: Duration::from_millis(100), max_delay: Duration::from_secs(2) };
    for n in 1..20 {
        let d = p.delay(n);
        assert!(d <= Duration::from_secs(2), "try {n}: {d:?}");
    }
    assert!(p.delay(1) <= Duration::from_millis(100));
    assert!(p.delay(8) >= Duration::from_secs(1), "half the cap at least: {:?}", p.delay(8));
}
