//! A phone whose clock runs ahead: the real sync server keeps its redemption (nothing is lost)
//! and flags it `clock_ahead`; the scanner's status bar then tells staff, in each language, to
//! set the phone's time, until a later sync stores redemptions without that flag.

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
use kaiku::scanner::{Fields, ScannerStore, SqliteScannerStore, SyncState};
use kaiku::state::{AppState, Boot, Prefs};
use kaiku::storage::MemoryVault;
use kaiku::views::scanner::{ScannerCtx, StatusBar, StoreProp, clock_ahead_text};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::ids::VenueId;
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::{Card, CardId, CardKind, KaikuId, Validity};
use kaiku_sync_server::store::{CardRecord, Store};
use screen::Screen;
use server::{Server, stored_ids};

/// A venue with one personal card, and a scanner enrolled there.
async fn enrolled(server: &Server, dir: &std::path::Path) -> (SqliteScannerStore, VenueId, CardId) {
    let store = &server.store;
    let region = store.create_region("Lapland").await.expect("a region");
    let distributor = store.create_distributor(region, "Social services").await.expect("a distributor");
    let venue = store.create_venue(Some(region), "Arctic hall").await.expect("a venue");
    let card = CardId::from(KaikuId::new('A', 101).expect("a card id"));
    let issued = Utc::now().date_naive() - TimeDelta::days(10);
    let c =
        Card::issue(card, CardKind::Personal, region, distributor, issued, Validity::TwelveMonths, 0).expect("issues");
    let background = Background {
        birth_year: 1980,
        gender: Gender::Female,
        mother_tongue: MotherTongue::Finnish,
        life_situations: vec![LifeSituation::Unemployed],
        postal_code: PostalCode::parse("96100").expect("a postal code"),
        minor_children: 0,
        minor_grandchildren: 0,
    };
    store.insert_card(&CardRecord { card: c, background: Some(background) }).await.expect("the card is stored");
    let client = SyncClient::new(&server.address()).with_retry(RetryPolicy {
        attempts: 3,
        first_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    });
    let scanner = SqliteScannerStore::open(&dir.join("scanner.sqlite")).expect("the scanner database opens");
    enroll(&scanner, &client, &server.enrollment_code(venue).await, "Main door").await.expect("enrolls");
    (scanner, venue, card)
}

fn fields(venue: VenueId, card: CardId, scanned_at: chrono::DateTime<Utc>) -> Fields {
    Fields {
        card,
        venue,
        offer: OfferKind::Ticket,
        offer_id: None,
        children: 0,
        group: vec![],
        scanned_at,
        entry: EntryMethod::Qr,
        verdict: VerdictCode::Valid,
    }
}

#[component]
fn Status(store: StoreProp, lang: Lang, server: String) -> Element {
    AppState::provide(Boot {
        vault: Rc::new(MemoryVault::default()),
        prefs: Prefs { lang: Some(lang), server: Some(server), ..Prefs::default() },
        card: None,
        storage_problem: None,
    });
    ScannerCtx::provide(store.0.clone());
    rsx! { StatusBar {} }
}

/// Lets tasks run until the screen no longer shows `gone`, or fails after 20 s.
async fn until_gone(s: &mut Screen, gone: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        let html = s.html();
        if !html.contains(gone) {
            return html;
        }
        let _ = tokio::time::timeout(Duration::from_millis(25), s.vdom.wait_for_work()).await;
        s.vdom.render_immediate(&mut s.dom);
    }
    panic!("the screen still shows {gone:?}:\n{}", s.html());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_time_ahead_of_the_server_is_kept_and_staff_are_told_to_set_the_phone_clock() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("server.sqlite");
    let mut server = Server::start(&db, 0, true).await;
    let (scanner, venue, card) = enrolled(&server, dir.path()).await;
    // The phone thinks it is an hour and a half later than it is.
    let ahead = scanner
        .record(fields(venue, card, Utc::now() + TimeDelta::minutes(90) + TimeDelta::seconds(30)), None)
        .expect("recorded");
    let store = Rc::new(scanner);
    let props = StatusProps { store: StoreProp(store.clone()), lang: Lang::En, server: server.address() };
    let mut s = Screen::new(VirtualDom::new_with_props(Status, props));
    s.until("1 redemption waiting").await;

    s.click("sync-now");
    let html = s.until("clock is about").await;
    let minutes = (89..=90)
        .find(|m| html.contains(&format!("This phone's clock is about {m} minutes ahead: set the time")))
        .unwrap_or_else(|| panic!("no clock notice of about 90 minutes:\n{html}"));
    assert!(html.contains("Synced at"), "the sync itself went through: {html}");
    assert_eq!(stored_ids(&db).get(&ahead.id), Some(&1), "the server stored the redemption once");
    let logged =
        SqliteScannerStore::open(&dir.path().join("scanner.sqlite")).expect("opens again").log().expect("the log");
    assert_eq!(logged[0].state, SyncState::Accepted, "nothing waits or is refused on the phone");

    // The same notice in Finnish and Swedish reads naturally.
    assert_eq!(
        clock_ahead_text(Lang::Fi, minutes).replace(['\u{2068}', '\u{2069}'], ""),
        format!("Tämän puhelimen kello on noin {minutes} minuuttia edellä: aseta oikea aika puhelimen asetuksista.")
    );
    assert_eq!(
        clock_ahead_text(Lang::Sv, minutes).replace(['\u{2068}', '\u{2069}'], ""),
        format!("Telefonens klocka går ungefär {minutes} minuter före: ställ in rätt tid i telefonens inställningar.")
    );

    // A round with nothing to send cannot tell: the notice stays.
    s.click("sync-now");
    until_gone(&mut s, ": 1 sent").await;
    let html = s.until("Synced at").await;
    assert!(html.contains(&format!("about {minutes} minutes ahead")), "{html}");

    // Once the clock is set, the next stored redemption carries no flag and the notice goes.
    let later = ScannerStore::record(&*store, fields(venue, card, Utc::now()), None).await.expect("recorded");
    s.click("sync-now");
    until_gone(&mut s, "clock is about").await;
    s.until(": 1 sent").await;
    assert_eq!(stored_ids(&db).get(&later.id), Some(&1), "the later redemption is stored too");
    server.shut_down().await;
}
