//! The scanner against a real sync server whose per-token rate limit is set very low: its sync
//! waits as each 429's `Retry-After` asks and completes with nothing lost; told to wait longer
//! than it will, it stops with "busy", keeps every unsent redemption and says when to retry.

#[path = "support/server.rs"]
mod server;

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use kaiku::i18n::Lang;
use kaiku::scanner::enroll::enroll;
use kaiku::scanner::log::{Fields, SyncState};
use kaiku::scanner::sync::{SyncClient, SyncError, sync};
use kaiku::scanner::{ScannerStore, SqliteScannerStore};
use kaiku::views::scanner::{SyncFailure, SyncResult, sync_text};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::redemption::{CardFacts, EntryMethod, OfferKind};
use kaiku_core::verdict::{DeviceKnowledge, Moment, Verdict, VerdictCode, decide};
use kaiku_core::{Card, CardId, CardKind, KaikuId, ScanInput, Validity};
use kaiku_sync_server::store::{CardRecord, Store};
use server::{Server, count};

const CARDS: u32 = 12;

fn background() -> Background {
    Background {
        birth_year: 1980,
        gender: Gender::Female,
        mother_tongue: MotherTongue::Finnish,
        life_situations: vec![LifeSituation::Unemployed],
        postal_code: PostalCode::parse("96100").expect("a postal code"),
        minor_children: 0,
        minor_grandchildren: 0,
    }
}

/// A client that sends three redemptions a batch and reads five register records a page, so
/// that one round makes many requests with the one device token.
fn client(address: &str) -> SyncClient {
    let mut c = SyncClient::new(address);
    c.batch_size = 3;
    c.page_limit = Some(5);
    c
}

/// Records one ticket for `card`, judged at the door as the scanner screen would.
fn record(scanner: &SqliteScannerStore, card: CardId) {
    let register = scanner.register();
    let keys = register.key_set().expect("the keys");
    let now = Utc::now();
    let known = DeviceKnowledge {
        keys: &keys,
        register: &*register,
        register_as_of: register.meta.as_of,
        stale_after: TimeDelta::days(3),
    };
    let verdict =
        decide(&ScanInput::PlainId(card), &known, Moment { at: now, today: now.date_naive() }, OfferKind::Ticket);
    let facts = match &verdict {
        Verdict::Valid(a) => Some(CardFacts::from(a)),
        other => panic!("card {card} is not valid at the door: {other:?}"),
    };
    let venue = scanner.enrollment().expect("reads").expect("enrolled").venue;
    let fields = Fields {
        card,
        venue,
        offer: OfferKind::Ticket,
        offer_id: None,
        children: 0,
        group: Vec::new(),
        scanned_at: now,
        entry: EntryMethod::Qr,
        verdict: VerdictCode::Valid,
    };
    scanner.record(fields, facts).expect("recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_sync_waits_as_told_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("server.sqlite");
    // Two requests at once, then one a second, for each token.
    let server = Server::start_with(&db, 0, true, |s| {
        s.token_requests_per_minute = 60;
        s.token_burst = 2;
    })
    .await;
    let region = server.store.create_region("Lapland").await.expect("a region");
    let distributor = server.store.create_distributor(region, "Social services").await.expect("a distributor");
    let venue = server.store.create_venue(Some(region), "Arctic hall").await.expect("a venue");
    let issued = Utc::now().date_naive() - TimeDelta::days(10);
    let mut cards = Vec::new();
    for serial in 1..=CARDS {
        let id = CardId::from(KaikuId::new('A', 100 + serial).expect("a card id"));
        let card = Card::issue(id, CardKind::Personal, region, distributor, issued, Validity::TwelveMonths, 0)
            .expect("the card issues");
        server.store.insert_card(&CardRecord { card, background: Some(background()) }).await.expect("stored");
        cards.push(id);
    }

    // Enrollment reads the register in three pages: past the burst already.
    let code = server.enrollment_code(venue).await;
    let scanner = SqliteScannerStore::open(&dir.path().join("scanner.sqlite")).expect("the scanner database opens");
    enroll(&scanner, &client(&server.address()), &code, "Main door").await.expect("enrolls, waiting when told");
    assert_eq!(scanner.register().cards.len(), CARDS as usize, "the whole register is copied");
    for &card in &cards {
        record(&scanner, card);
    }

    // Told to wait longer than it will: the round stops, says when to try again, keeps all.
    let mut impatient = client(&server.address());
    impatient.max_retry_after = Duration::ZERO;
    let retry_after = match sync(&scanner, &impatient).await {
        Err(SyncError::Busy { retry_after }) => retry_after,
        Ok(report) => panic!("a round of {report:?} never met the limit"),
        Err(e) => panic!("the round failed otherwise: {e}"),
    };
    assert!(retry_after >= 1);
    let pending = scanner.pending_count().expect("count");
    assert!(pending > 0, "the busy round left redemptions to send");
    let sent = u64::try_from(count(&db, "SELECT count(*) FROM redemptions")).expect("a count");
    assert_eq!(pending + sent, u64::from(CARDS), "every redemption is either sent or still pending");
    for lang in [Lang::Fi, Lang::Sv, Lang::En] {
        let last = SyncResult { at: Utc::now(), outcome: Err(SyncFailure::from(SyncError::Busy { retry_after: 90 })) };
        let text = sync_text(lang, Some(&last)).replace(['\u{2068}', '\u{2069}'], "");
        assert!(text.contains("90"), "{lang:?} does not say when to try again: {text}");
    }

    // The patient scanner waits out each Retry-After and sends everything exactly once.
    let report = sync(&scanner, &client(&server.address())).await.expect("the sync completes");
    assert_eq!(report.accepted as u64, pending, "{report:?}");
    assert_eq!(report.rejected, 0, "{report:?}");
    assert_eq!(scanner.pending_count().expect("count"), 0);
    assert_eq!(count(&db, "SELECT count(*) FROM redemptions"), i64::from(CARDS));
    assert_eq!(count(&db, "SELECT count(DISTINCT id) FROM redemptions"), i64::from(CARDS));
    let log = scanner.log().expect("the log");
    assert!(log.iter().all(|l| l.state == SyncState::Accepted), "{log:?}");

    // The limit was in force all along: the token's next request right away is refused.
    let token = scanner.enrollment().expect("reads").and_then(|e| e.token).expect("a token");
    let refused = reqwest::Client::new()
        .get(format!("{}/api/v1/register?cursor=0", server.address()))
        .bearer_auth(token)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(refused.status().as_u16(), 429);
    assert!(refused.headers().contains_key("retry-after"));
}
