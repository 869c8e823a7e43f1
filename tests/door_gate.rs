//! Gate mode and undo at the door, against the real sync server: a device enrolled with a
//! one-time code, gate mode switched on on its device screen, cards typed at the door as a
//! keyboard-wedge reader types them. A plain card is recorded with no tap; a card with children
//! on record, a community card and a card seen here a moment ago stop for staff; an undone
//! record and its correction both reach the server, and the statistics count neither.

#[path = "support/screen.rs"]
mod screen;
#[path = "support/server.rs"]
mod server;

use std::rc::Rc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use dioxus::prelude::*;
use kaiku::i18n::Lang;
use kaiku::scanner::enroll::enroll;
use kaiku::scanner::sync::{RetryPolicy, SyncClient};
use kaiku::scanner::{Logged, SqliteScannerStore, SyncState};
use kaiku::state::{AppState, Boot, Prefs};
use kaiku::storage::MemoryVault;
use kaiku::views::scanner::{DeviceScreen, DoorScreen, ScannerCtx, StatusBar, StoreProp};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::ids::{RegionId, VenueId};
use kaiku_core::{Card, CardId, CardKind, KaikuId, Validity};
use kaiku_sync_server::stats::Statistics;
use kaiku_sync_server::store::{CardRecord, Role, Store};
use screen::Screen;
use server::{Server, stored_ids};

struct Cards {
    plain: CardId,
    other_plain: CardId,
    parent: CardId,
    community: CardId,
}

/// The server's cards: two personal ones with no children on record, one with two, a community card.
async fn seed(server: &Server) -> (RegionId, VenueId, Cards) {
    let store = &server.store;
    let region = store.create_region("Lapland").await.expect("a region");
    let distributor = store.create_distributor(region, "Social services").await.expect("a distributor");
    let venue = store.create_venue(Some(region), "Arctic hall").await.expect("a venue");
    let issued = Utc::now().date_naive() - TimeDelta::days(10);
    let mut serial = 300;
    let mut card = async |kind: CardKind, minors: u8| {
        serial += 1;
        let id = CardId::from(KaikuId::new('A', serial).expect("a card id"));
        let c = Card::issue(id, kind, region, distributor, issued, Validity::TwelveMonths, minors).expect("issues");
        let background = (kind == CardKind::Personal).then(|| Background {
            birth_year: 1980,
            gender: Gender::Female,
            mother_tongue: MotherTongue::Finnish,
            life_situations: vec![LifeSituation::Unemployed],
            postal_code: PostalCode::parse("96100").expect("a postal code"),
            minor_children: minors,
            minor_grandchildren: 0,
        });
        store.insert_card(&CardRecord { card: c, background }).await.expect("the card is stored");
        id
    };
    let cards = Cards {
        plain: card(CardKind::Personal, 0).await,
        other_plain: card(CardKind::Personal, 0).await,
        parent: card(CardKind::Personal, 2).await,
        community: card(CardKind::Community, 0).await,
    };
    (region, venue, cards)
}

#[component]
fn AtTheGate(store: StoreProp, server: String) -> Element {
    AppState::provide(Boot {
        vault: Rc::new(MemoryVault::default()),
        prefs: Prefs { lang: Some(Lang::En), server: Some(server), ..Prefs::default() },
        card: None,
        storage_problem: None,
    });
    let ctx = ScannerCtx::provide(store.0.clone());
    rsx! {
        StatusBar {}
        if ctx.is_enrolled() {
            DoorScreen { camera: false }
            DeviceScreen {}
        }
    }
}

struct Gate {
    _dir: tempfile::TempDir,
    server_db: std::path::PathBuf,
    server: Server,
    region: RegionId,
    cards: Cards,
    store: Rc<SqliteScannerStore>,
    s: Screen,
}

/// An enrolled door at the real server, gate mode switched on and the offer (a ticket) chosen.
async fn gate() -> Gate {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let server_db = dir.path().join("server.sqlite");
    let server = Server::start(&server_db, 0, true).await;
    let (region, venue, cards) = seed(&server).await;
    let code = server.enrollment_code(venue).await;
    let client = SyncClient::new(&server.address()).with_retry(RetryPolicy {
        attempts: 3,
        first_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    });
    let store = Rc::new(SqliteScannerStore::open(&dir.path().join("scanner.sqlite")).expect("the scanner opens"));
    enroll(&*store, &client, &code, "Festival gate").await.expect("enrolls");
    let props = AtTheGateProps { store: StoreProp(store.clone()), server: server.address() };
    let mut s = Screen::new(VirtualDom::new_with_props(AtTheGate, props));
    s.until("Gate mode is off").await;
    s.click("gate-mode");
    let html = s.until("Gate mode is on on this device.").await;
    assert!(html.contains(r#"aria-pressed="true""#), "{html}");
    assert!(html.contains("gate mode</span>"), "the door says it is in gate mode: {html}");
    Gate { _dir: dir, server_db, server, region, cards, store, s }
}

impl Gate {
    async fn log(&self) -> Vec<Logged> {
        self.store.log().expect("the log")
    }

    async fn scan(&mut self, card: CardId, wanted: &str) -> String {
        self.s.type_in("card-input", &card.to_string());
        self.s.submit("card-form");
        self.s.until(wanted).await
    }
}

fn g(card: CardId) -> String {
    kaiku::holder::grouped_id(&card.to_string())
}

#[tokio::test(flavor = "current_thread")]
async fn gate_mode_records_a_plain_card_with_no_tap_and_stops_for_anything_to_choose() {
    let mut gt = gate().await;
    let c = &gt.cards;
    let (plain, parent, community) = (c.plain, c.parent, c.community);

    // The venue lists no events: until staff choose ticket or course place, nothing is automatic.
    let html = gt.scan(plain, "Valid: let in").await;
    assert!(html.contains(r#"id="record""#), "it waits for the tap: {html}");
    assert!(gt.log().await.is_empty());
    gt.s.click("next-person");
    gt.s.until("Gate mode records at once only when the event or course is chosen").await;
    gt.s.choose("offer", "kind-ticket");

    let html = gt.scan(plain, &format!("Recorded: {} · 1 adult · Ticket", g(plain))).await;
    assert!(html.contains("door-done door-done-gate"), "the big confirmation: {html}");
    assert!(!html.contains(r#"id="record""#), "no button to tap: {html}");
    assert!(html.contains(r#"id="card-input""#), "ready for the next person: {html}");
    let log = gt.log().await;
    assert_eq!(log.len(), 1, "recorded with no tap");
    assert_eq!((log[0].redemption.card, log[0].redemption.adults, log[0].redemption.children), (plain, 1, 0));

    // Children on record: staff choose how many.
    let html = gt.scan(parent, "At most 2: the children on record.").await;
    assert!(html.contains(r#"id="record""#) && html.contains(r#"id="children-more""#), "{html}");
    assert_eq!(gt.log().await.len(), 1, "a card with children waits");
    gt.s.click("next-person");

    // A community card needs its group members.
    let html = gt.scan(community, "A community card needs at least one group member").await;
    assert!(html.contains(r#"id="add-member""#), "{html}");
    assert_eq!(gt.log().await.len(), 1, "a community card waits");
    gt.s.click("next-person");

    // The same plain card again a moment later: staff look first.
    let html = gt.scan(plain, "Seen here").await;
    assert!(html.contains(r#"id="record""#), "it waits for the tap: {html}");
    assert_eq!(gt.log().await.len(), 1, "seen here waits");
    gt.server.shut_down().await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_undone_record_and_its_correction_reach_the_server_and_count_nowhere() {
    let mut gt = gate().await;
    gt.s.choose("offer", "kind-ticket");
    let (plain, other) = (gt.cards.plain, gt.cards.other_plain);
    gt.scan(plain, &format!("Recorded: {}", g(plain))).await;
    gt.scan(other, &format!("Recorded: {}", g(other))).await;
    let html = gt.s.html();
    assert!(html.contains(r#"id="undo""#) && html.contains(">Undo ("), "an undo with its seconds: {html}");

    gt.s.click("undo");
    let html = gt.s.until(&format!("Undone: {} · 1 adult · Ticket.", g(other))).await;
    assert!(!html.contains(r#"id="undo""#), "undone once: {html}");
    let log = gt.log().await;
    assert_eq!(log.len(), 3, "the record stays and its correction is added: {log:?}");
    let undone = log.iter().find(|l| l.redemption.card == other && l.redemption.undoes.is_none()).expect("the record");
    let correction = log.iter().find(|l| l.redemption.undoes.is_some()).expect("the correction");
    assert_eq!(correction.redemption.undoes, Some(undone.redemption.id));
    assert!(correction.redemption.seq > undone.redemption.seq, "a new entry at the end of the log");

    gt.s.click("sync-now");
    gt.s.until("All redemptions sent").await;
    assert!(gt.log().await.iter().all(|l| l.state == SyncState::Accepted), "{:?}", gt.log().await);
    let on_server = stored_ids(&gt.server_db);
    for l in &log {
        assert_eq!(on_server.get(&l.redemption.id), Some(&1), "{:?} is on the server once", l.redemption);
    }

    // The statistics count the one record that stands: not the undone one, not its correction.
    let admin = gt.server.user_token(Role::Admin).await;
    let today = Utc::now().date_naive();
    let (from, to) = (today - TimeDelta::days(1), today + TimeDelta::days(1));
    let reply = reqwest::Client::new()
        .get(format!("{}/api/v1/statistics?from={from}&to={to}&region={}", gt.server.address(), gt.region))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(reply.status(), 200);
    let stats: Statistics = reply.json().await.expect("the statistics JSON");
    assert_eq!((stats.all.uses, stats.all.adults, stats.cards_used), (1, 1, 1), "{stats:?}");
    gt.server.shut_down().await;
}
