//! A venue's console screens driven through the app's router in a VirtualDom with real events
//! (`support/screen.rs`) against a real sync server on 127.0.0.1: events and courses added
//! (a bad daily limit told next to its field), edited and closed; a scanner phone added by the
//! QR code's link, listed with what it sent, and revoked; the uses table against uploads; and
//! the screens' headings in Finnish, Swedish and English.

use std::rc::Rc;
use std::time::Duration;

use chrono::Utc;
use console::{Region, read_qr, tab, text_of};
use dioxus::history::{History, MemoryHistory};
use dioxus::prelude::*;
use kaiku::i18n::Lang;
use kaiku::links::{code_in_link, normalise_code};
use kaiku::scanner::SqliteScannerStore;
use kaiku::scanner::enroll::enroll;
use kaiku::scanner::log::Fields;
use kaiku::scanner::sync::{RetryPolicy, SyncClient, sync};
use kaiku::state::{AppState, Boot, Prefs};
use kaiku::storage::MemoryVault;
use kaiku::views::scanner::{EnrollScreen, ScannerCtx, StoreProp};
use kaiku::views::staff::StaffSession;
use kaiku::views::staff::client::{CardRegistration, NewCard};
use kaiku::views::staff::client_venue::OfferFields;
use kaiku_core::background::{Background, Gender, MotherTongue, PostalCode};
use kaiku_core::ids::{OfferId, VenueId};
use kaiku_core::redemption::{CardFacts, EntryMethod, OfferKind};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::{CardId, CardKind};
use screen::Screen;

#[path = "support/console.rs"]
mod console;
#[path = "support/screen.rs"]
mod screen;
#[path = "support/server.rs"]
mod server;

#[tokio::test(flavor = "current_thread")]
async fn a_bad_daily_limit_is_told_next_to_its_field_then_the_event_is_saved_edited_and_closed() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let (venue, session) = region.venue_user(&vault, "korundi.liput").await;
    let mut s = tab(Lang::Fi, &region, &vault, "/staff");
    s.until("Kohde: Korundi").await;
    s.click("go-venue-offers");
    s.until("Tapahtumia tai kursseja ei ole vielä.").await;
    s.click("add-offer");
    s.until("offer-form").await;
    s.type_in("offer-name", "Akvarellikurssi");
    s.choose("kind-course", "on");
    let range = "Päiväraja on 1–100 000 paikkaa. Jätä kenttä tyhjäksi, jos rajaa ei ole. \
                 Tapahtuman tai kurssin voi lopettaa sulkemalla sen.";
    for (typed, words) in [
        ("-1", range),
        ("0", range),
        (
            "kymmenen",
            "Kirjoita maksuttomien paikkojen määrä numeroina, esimerkiksi 20, tai jätä kenttä tyhjäksi, jos rajaa ei ole.",
        ),
    ] {
        s.type_in("offer-limit", typed);
        s.submit("offer-form");
        let html = s.html();
        assert_eq!(text_of(&html, "offer-limit-error"), words, "{typed}");
        assert!(html.contains(&format!(r#"value="{typed}""#)), "what was typed stays: {html}");
        assert!(html.contains(r#"value="Akvarellikurssi""#), "the name stays: {html}");
        assert!(html.contains(r#"id="kind-course" type="radio" name="kind" checked"#), "the kind stays: {html}");
        assert_eq!(text_of(&html, "offer-name-error"), "", "the name is fine");
    }
    // Let any stray request land before looking.
    let _ = tokio::time::timeout(Duration::from_millis(200), s.vdom.wait_for_work()).await;
    assert!(session.api().venue_offers(venue).await.expect("lists").is_empty(), "nothing was sent");

    s.type_in("offer-limit", "12");
    s.submit("offer-form");
    s.until("12 maksutonta paikkaa päivässä").await;
    let offers = session.api().venue_offers(venue).await.expect("lists");
    assert_eq!(offers.len(), 1);
    let id = offers[0].id;
    assert_eq!(
        (offers[0].name.as_str(), offers[0].kind, offers[0].limit),
        ("Akvarellikurssi", OfferKind::CoursePlace, Some(12))
    );

    // Edit: no limit any more.
    s.click(&format!("edit-{id}"));
    s.until(r#"value="12""#).await;
    s.type_in("offer-limit", "");
    s.submit("offer-form");
    s.until("Ei päivärajaa").await;
    assert_eq!(session.api().venue_offers(venue).await.expect("lists")[0].limit, None);

    // Close, asked first; cancelling keeps it open.
    s.click(&format!("close-{id}"));
    s.until("Suljetaanko ”Akvarellikurssi”?").await;
    s.click(&format!("close-{id}-no"));
    assert!(!s.html().contains("Suljetaanko"), "the question is gone");
    assert!(session.api().venue_offers(venue).await.expect("lists")[0].closed_at.is_none());
    s.click(&format!("close-{id}"));
    s.until("Suljetaanko").await;
    s.click(&format!("close-{id}-yes"));
    let html = s.until("”Akvarellikurssi” on suljettu.").await;
    assert!(text_of(&html, &format!("offer-{id}-state")).starts_with("Suljettu "), "{html}");
    assert!(!html.contains(&format!(r#"id="edit-{id}""#)), "a closed one is not edited: {html}");
    assert!(session.api().venue_offers(venue).await.expect("lists")[0].closed_at.is_some());
}

/// The scanner's enrollment screen on a phone that opened `path`, the QR code's link.
#[component]
fn PhoneOpened(store: StoreProp, server: String, path: String) -> Element {
    use_hook(|| provide_context(Rc::new(MemoryHistory::with_initial_path(path.clone())) as Rc<dyn History>));
    // As the app does: the router drops the link's query, so the screen reads it from here.
    use_hook(|| provide_context(kaiku::parts::OpenedAt(path.clone())));
    AppState::provide(Boot {
        vault: Rc::new(MemoryVault::default()),
        prefs: Prefs { lang: Some(Lang::En), server: Some(server.clone()), ..Prefs::default() },
        card: None,
        storage_problem: None,
    });
    let ctx = ScannerCtx::provide(store.0.clone());
    rsx! {
        if ctx.is_enrolled() {
            p { id: "enrolled", "Enrolled" }
        } else if *ctx.loaded.read() {
            EnrollScreen {}
        }
    }
}

fn client(address: &str) -> SyncClient {
    let once =
        RetryPolicy { attempts: 1, first_delay: Duration::from_millis(10), max_delay: Duration::from_millis(10) };
    SyncClient::new(address).with_retry(once)
}

/// A personal card with two children on record, handed out through the distributor's API.
async fn family_card(region: &Region) -> CardId {
    let vault = MemoryVault::default();
    let distributor: StaffSession = region.signed_in(&vault, "jakaja").await;
    let background = Background {
        birth_year: 1984,
        gender: Gender::NotSaid,
        mother_tongue: MotherTongue::Finnish,
        life_situations: vec![],
        postal_code: PostalCode::parse("96100").expect("a postal code"),
        minor_children: 2,
        minor_grandchildren: 0,
    };
    let card = NewCard { kind: CardKind::Personal, background: Some(background) };
    distributor.api().register_card(&CardRegistration::new(card)).await.expect("registered").card.id
}

/// Records one use at the door and sends it, as the scanner does.
async fn record(
    scanner: &SqliteScannerStore,
    address: &str,
    venue: VenueId,
    offer: (OfferId, OfferKind),
    card: CardId,
    children: u8,
) {
    let fields = Fields {
        card,
        venue,
        offer: offer.1,
        offer_id: Some(offer.0),
        children,
        group: Vec::new(),
        scanned_at: Utc::now(),
        entry: EntryMethod::Qr,
        verdict: VerdictCode::Valid,
    };
    scanner.record(fields, Some(CardFacts { kind: CardKind::Personal, minors_on_record: 2 })).expect("recorded");
    let report = sync(scanner, &client(address)).await.expect("synced");
    assert_eq!(report.accepted, 1, "{report:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_phone_enrolls_by_the_qr_codes_link_shows_what_it_sent_and_is_revoked() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let (venue, session) = region.venue_user(&vault, "korundi.ovi").await;
    let matinee = OfferFields { name: "Matinee".into(), kind: OfferKind::Ticket, limit: None };
    let matinee = session.api().add_offer(venue, &matinee).await.expect("added");
    let mut s = tab(Lang::En, &region, &vault, "/staff");
    s.until("Add a scanner phone").await;
    s.click("go-add-scanner");
    s.until("Create an enrollment code").await;
    s.click("create-code");
    let html = s.until(r#"id="enrollment-link""#).await;
    let code = text_of(&html, "enrollment-code");
    let link = text_of(&html, "enrollment-link");
    assert_eq!(link, format!("{}/scan?enroll={code}", region.address), "{html}");
    let svg = &html[html.find("<svg").expect("a QR code")..];
    assert_eq!(read_qr(&svg[..svg.find("</svg>").expect("its end") + 6]), link, "the QR code holds the link");

    // The phone's camera app opens the link: the scanner's enrollment has the code filled in.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("scanner.sqlite");
    let store = Rc::new(SqliteScannerStore::open(&db).expect("opens"));
    let path = link.strip_prefix(&region.address).expect("the server's own link").to_owned();
    let props = PhoneOpenedProps { store: StoreProp(store), server: region.address.clone(), path };
    let mut phone = Screen::new(VirtualDom::new_with_props(PhoneOpened, props));
    let html = phone.until("enroll-form").await;
    assert!(html.contains(&format!(r#"value="{code}""#)), "the code is filled in: {html}");
    assert_eq!(code_in_link(&link).map(|c| normalise_code(&code) == Ok(c)), Some(true));
    phone.type_in("enroll-label", "Main door");
    phone.submit("enroll-form");
    phone.until(r#"id="enrolled""#).await;
    drop(phone);
    let scanner = SqliteScannerStore::open(&db).expect("opens");
    let device = scanner.enrollment().expect("reads").expect("enrolled").device;
    let card = family_card(&region).await;
    record(&scanner, &region.address, venue, (matinee, OfferKind::Ticket), card, 2).await;
    record(&scanner, &region.address, venue, (matinee, OfferKind::Ticket), card, 0).await;

    s.click("go-devices-after");
    let html = s.until("Main door").await;
    assert_eq!(text_of(&html, &format!("device-{device}-sent")), "2", "{html}");
    assert!(text_of(&html, &format!("device-{device}-sync")).contains(" at "), "a last sync time: {html}");
    s.click(&format!("revoke-{device}"));
    s.until("Revoke “Main door”?").await;
    s.click(&format!("revoke-{device}-yes"));
    let html = s.until("“Main door” is revoked.").await;
    assert!(html.contains(&format!(r#"id="device-{device}-revoked""#)), "marked: {html}");
    assert!(!html.contains(&format!(r#"id="revoke-{device}""#)), "nothing more to revoke: {html}");
    let refused = sync(&scanner, &client(&region.address)).await.expect_err("a revoked device no longer syncs");
    assert!(refused.to_string().contains("401"), "{refused}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_uses_table_shows_the_uploaded_uses_per_event_and_course() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let (venue, session) = region.venue_user(&vault, "korundi.kassa").await;
    let api = session.api();
    let show = OfferFields { name: "Matinee".into(), kind: OfferKind::Ticket, limit: Some(50) };
    let show = api.add_offer(venue, &show).await.expect("added");
    let course = OfferFields { name: "Watercolour course".into(), kind: OfferKind::CoursePlace, limit: None };
    let course = api.add_offer(venue, &course).await.expect("added");
    let code = api.enrollment_code(venue).await.expect("a code").code;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let scanner = SqliteScannerStore::open(&dir.path().join("scanner.sqlite")).expect("opens");
    enroll(&scanner, &client(&region.address), &code, "Box office").await.expect("enrolled");
    let card = family_card(&region).await;
    record(&scanner, &region.address, venue, (show, OfferKind::Ticket), card, 2).await;
    record(&scanner, &region.address, venue, (show, OfferKind::Ticket), card, 1).await;
    record(&scanner, &region.address, venue, (course, OfferKind::CoursePlace), card, 0).await;

    let mut s = tab(Lang::En, &region, &vault, "/staff");
    s.until("Uses").await;
    s.click("go-venue-uses");
    let html = s.until(r#"id="uses-month""#).await;
    assert!(html.contains(r#"<caption id="uses-today-caption">Today, "#), "{html}");
    for table in ["uses-today", "uses-month"] {
        let figures: Vec<String> =
            ["adults", "children", "total"].iter().map(|f| text_of(&html, &format!("{table}-{f}"))).collect();
        assert_eq!(figures, ["3", "3", "6"], "{table}: {html}");
    }
    assert!(html.contains(r#"<th scope="row">Matinee</th><td>2</td><td>3</td><td>5</td>"#), "{html}");
    assert!(html.contains(r#"<th scope="row">Watercolour course</th><td>1</td><td>0</td><td>1</td>"#), "{html}");
    assert!(html.contains(r#"<th scope="col">Adults</th>"#), "header cells: {html}");
}

/// Each venue screen opened in `lang` shows its heading in that language.
async fn headings_in(lang: Lang, headings: [&str; 5]) {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let (venue, _) = region.venue_user(&vault, &format!("korundi-{}", lang.code())).await;
    let paths = ["offers", "offers/new", "scanner", "devices", "uses"];
    for (path, heading) in paths.iter().zip(headings) {
        let mut s = tab(lang, &region, &vault, &format!("/staff/venue/{venue}/{path}"));
        s.until(&format!("<h1>{heading}</h1>")).await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_venue_screens_speak_finnish() {
    headings_in(
        Lang::Fi,
        [
            "Tapahtumat ja kurssit",
            "Lisää tapahtuma tai kurssi",
            "Lisää lukijapuhelin",
            "Lukijalaitteet",
            "Käyttökerrat",
        ],
    )
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_venue_screens_speak_swedish() {
    headings_in(
        Lang::Sv,
        [
            "Evenemang och kurser",
            "Lägg till ett evenemang eller en kurs",
            "Lägg till en läsartelefon",
            "Läsarenheter",
            "Användningar",
        ],
    )
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_venue_screens_speak_english() {
    headings_in(
        Lang::En,
        ["Events and courses", "Add an event or course", "Add a scanner phone", "Scanner devices", "Uses"],
    )
    .await;
}
