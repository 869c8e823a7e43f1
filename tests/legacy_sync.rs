//! Printed legacy cards from the scanner to the statistics: cards of the national register's own
//! numbering imported on the real sync server (through its store), reach the device's register
//! copy, are admitted offline, sync exactly once, and are counted in `/api/v1/statistics`, as
//! JSON and as CSV.

#[path = "support/server.rs"]
mod server;

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use kaiku::scanner::enroll::enroll;
use kaiku::scanner::log::{Fields, SyncState};
use kaiku::scanner::sync::{RetryPolicy, SyncClient, sync};
use kaiku::scanner::{ScannerStore, SqliteScannerStore};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::ids::VenueId;
use kaiku_core::redemption::{CardFacts, EntryMethod, OfferKind};
use kaiku_core::verdict::{DeviceKnowledge, Moment, Verdict, decide};
use kaiku_core::{Card, CardId, CardKind, ScanInput, Validity};
use kaiku_sync_server::stats::{Frequency, Statistics, UseCounts};
use kaiku_sync_server::store::{CardRecord, Role, Store};
use server::{Server, count, stored_ids};

/// The seeds' printed sample, and another printed card of a different form.
const SAMPLE: &str = "A999123453";
const OTHER: &str = "KU00012345";

fn legacy(text: &str) -> CardId {
    let id = CardId::parse(text).expect("a card ID");
    assert!(id.is_legacy(), "{text} is the national register's numbering");
    id
}

fn client(address: &str) -> SyncClient {
    SyncClient::new(address).with_retry(RetryPolicy {
        attempts: 3,
        first_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    })
}

/// What the door decides for a typed printed ID from the device's own copy.
fn at_the_door(scanner: &SqliteScannerStore, text: &str, offer: OfferKind) -> (Verdict, Option<CardFacts>) {
    let register = scanner.register();
    let keys = register.key_set().expect("the keys");
    let now = Utc::now();
    let known = DeviceKnowledge {
        keys: &keys,
        register: &*register,
        register_as_of: register.meta.as_of,
        stale_after: TimeDelta::days(3),
    };
    let v = decide(&ScanInput::parse(text), &known, Moment { at: now, today: now.date_naive() }, offer);
    let facts = match &v {
        Verdict::Valid(a) => Some(CardFacts::from(a)),
        _ => None,
    };
    (v, facts)
}

async fn get(address: &str, token: &str, path: &str) -> String {
    let reply =
        reqwest::Client::new().get(format!("{address}{path}")).bearer_auth(token).send().await.expect("an answer");
    let status = reply.status();
    let text = reply.text().await.expect("a body");
    assert_eq!(status, 200, "{path}: {text}");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn printed_cards_redeemed_offline_sync_once_and_count_in_the_statistics_and_csv() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("server.sqlite");
    let mut server = Server::start(&db, 0, true).await;
    let store = &server.store;
    let region = store.create_region("Lapland").await.expect("a region");
    let distributor = store.create_distributor(region, "Social services").await.expect("a distributor");
    let venue: VenueId = store.create_venue(Some(region), "Arctic hall").await.expect("a venue");
    let issued = Utc::now().date_naive() - TimeDelta::days(30);
    for text in [SAMPLE, OTHER] {
        let card =
            Card::issue(legacy(text), CardKind::Personal, region, distributor, issued, Validity::TwelveMonths, 2)
                .expect("issues");
        let background = Background {
            birth_year: 1975,
            gender: Gender::Male,
            mother_tongue: MotherTongue::Swedish,
            life_situations: vec![LifeSituation::Pensioner],
            postal_code: PostalCode::parse("96100").expect("a postal code"),
            minor_children: 0,
            minor_grandchildren: 2,
        };
        store.insert_card(&CardRecord { card, background: Some(background) }).await.expect("imported");
    }

    // The device enrolls and pulls the register: both printed cards are in its copy.
    let code = server.enrollment_code(venue).await;
    let scanner = SqliteScannerStore::open(&dir.path().join("scanner.sqlite")).expect("the scanner database opens");
    enroll(&scanner, &client(&server.address()), &code, "Main door").await.expect("enrolls");
    assert_eq!(scanner.register().cards.len(), 2);
    assert!(scanner.register().cards.get(&legacy(SAMPLE)).is_some(), "the sample is in the copy");

    // Offline: 7 uses of the sample (2 course places, 3 tickets with a grandchild), 4 of the other.
    let port = server.port;
    server.shut_down().await;
    let mut ids = Vec::new();
    for i in 0..11 {
        let (typed, offer, children) = match i {
            0..=1 => ("a999 1234 53", OfferKind::CoursePlace, 0),
            2..=4 => (SAMPLE, OfferKind::Ticket, 1),
            5..=6 => (SAMPLE, OfferKind::Ticket, 0),
            _ => ("ku-00012345", OfferKind::Ticket, 0),
        };
        let (verdict, facts) = at_the_door(&scanner, typed, offer);
        let Verdict::Valid(admission) = &verdict else { panic!("{typed} refused: {verdict:?}") };
        let fields = Fields {
            card: admission.card,
            venue,
            offer,
            offer_id: None,
            children,
            group: vec![],
            scanned_at: Utc::now(),
            entry: EntryMethod::Typed,
            verdict: verdict.code(),
        };
        ids.push(scanner.record(fields, facts).expect("recorded").id);
    }
    let address = format!("http://127.0.0.1:{port}");
    assert!(sync(&scanner, &client(&address)).await.is_err(), "no server: nothing is lost");
    assert_eq!(scanner.pending_count().expect("a count"), 11);

    // Back online: each redemption is stored once, as the printed ID's text.
    server = Server::start(&db, port, false).await;
    let report = sync(&scanner, &client(&address)).await.expect("syncs");
    assert_eq!((report.accepted, report.duplicate, report.rejected), (11, 0, 0), "{report:?}");
    let stored = stored_ids(&db);
    assert_eq!(stored.len(), 11);
    assert!(ids.iter().all(|id| stored.get(id) == Some(&1)), "each id exactly once");
    assert_eq!(count(&db, "SELECT count(*) FROM redemptions WHERE card_id = 'A999123453'"), 7);
    assert_eq!(count(&db, "SELECT count(*) FROM redemptions WHERE card_id = 'KU00012345'"), 4);
    assert!(scanner.log().expect("the log").iter().all(|l| l.state == SyncState::Accepted));
    let again = sync(&scanner, &client(&address)).await.expect("syncs again");
    assert_eq!((again.batches, again.accepted, again.duplicate), (0, 0, 0), "nothing is sent twice");
    assert_eq!(count(&db, "SELECT count(*) FROM redemptions"), 11);

    // The statistics count them, over HTTP, as JSON and as CSV.
    let today = Utc::now().date_naive();
    let period = format!("from={}&to={}", today - TimeDelta::days(1), today + TimeDelta::days(1));
    let admin = server.user_token(Role::Admin).await;
    let json = get(&server.address(), &admin, &format!("/api/v1/statistics?{period}")).await;
    let stats: Statistics = serde_json::from_str(&json).expect("the statistics JSON");
    assert_eq!(stats.all, UseCounts { uses: 11, adults: 11, children: 3 });
    assert_eq!((stats.course_places, stats.cards_used), (2, 2));
    assert_eq!(stats.frequency, Frequency { once: 0, twice: 0, three_to_five: 1, more_than_five: 1 });
    assert_eq!(stats.per_venue.iter().map(|v| (v.name.as_str(), v.count)).collect::<Vec<_>>(), [("Arctic hall", 11)]);
    let csv = get(&server.address(), &admin, &format!("/api/v1/statistics?{period}&format=csv")).await;
    for row in [
        "all,uses,11",
        "all,adults,11",
        "all,children,3",
        "all,course_places,2",
        "cards,used,2",
        "uses_per_venue,Arctic hall,11",
        "cards_by_uses,3-5,1",
        "cards_by_uses,>5,1",
    ] {
        assert!(csv.lines().any(|l| l == row), "CSV row {row:?} in:\n{csv}");
    }
    server.shut_down().await;
}
