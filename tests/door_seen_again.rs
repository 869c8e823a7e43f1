//! The same card again at the door, over a real SQLite scanner store: a card this device
//! recorded a little while ago is pointed out ("seen here 12 minutes ago (14:05)") in Finnish,
//! Swedish and English, and can still be recorded; the caution ends with the device's window
//! (set on the device screen), holds for printed and mobile cards alike, and a mobile card's
//! credential says how old it is. The door's clock is moved with a `DoorClock` in context.

#[path = "support/screen.rs"]
mod screen;

use std::rc::Rc;

use chrono::{DateTime, Local, SubsecRound, TimeDelta, Utc};
use dioxus::prelude::*;
use kaiku::i18n::Lang;
use kaiku::scanner::log::LAST_RECORDED_SQL;
use kaiku::scanner::{Enrollment, Fields, ScannerStore, SqliteScannerStore};
use kaiku::state::{AppState, Boot, Prefs};
use kaiku::storage::{MemoryVault, SharedVault, load};
use kaiku::views::scanner::{
    DOOR_SETTINGS_KEY, DeviceScreen, DoorClock, DoorScreen, DoorSettings, ScannerCtx, StoreProp, VerdictPanel,
};
use kaiku_core::card::CardKind;
use kaiku_core::caution::Caution;
use kaiku_core::credential::Credential;
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::keys::{IssuerKey, KeyId, KeySet, TrustedKeys};
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::{Admission, Evidence, RegisterEntry, RegisterStatus, Verdict, VerdictCode};
use kaiku_core::wire::{Cursor, Offer, RegisterPage, RegisterRecord};
use kaiku_core::{CardId, KaikuId};
use screen::{Screen, text};

fn kaiku(serial: u32) -> CardId {
    CardId::from(KaikuId::new('A', serial).expect("a card id"))
}

/// A card the holder carries as a phone's mobile card, one more, and a printed legacy card.
fn mine() -> CardId {
    kaiku(100_201)
}
fn other() -> CardId {
    kaiku(100_202)
}
fn printed() -> CardId {
    CardId::parse("XY1234567").expect("a legacy ID")
}

fn issuer() -> IssuerKey {
    IssuerKey::from_seed(KeyId(1), [7; 32])
}

/// A scanner store enrolled at a venue, with the three cards in its register copy.
async fn enrolled_store(path: &std::path::Path) -> SqliteScannerStore {
    let s = SqliteScannerStore::open(path).expect("the scanner database opens");
    let keys = KeySet::new([issuer().public()]).records();
    let enrollment = Enrollment {
        device: DeviceId(3),
        token: Some("device-token".into()),
        venue: VenueId(1),
        venue_name: "Arctic hall".into(),
        offers: vec![Offer { id: OfferId(1), name: "Hamlet".into(), kind: OfferKind::Ticket, limit: None }],
    };
    ScannerStore::save_enrollment(&s, &enrollment, &TrustedKeys::enroll(&keys, &[])).await.expect("enrolled");
    let entry = RegisterEntry {
        kind: CardKind::Personal,
        valid_until: Utc::now().date_naive() + TimeDelta::days(200),
        minors_on_record: 0,
        status: RegisterStatus::Active,
    };
    let records = [mine(), other(), printed()].map(|card| RegisterRecord { card, entry }).to_vec();
    let page = RegisterPage {
        snapshot: true,
        records,
        next: Cursor(3),
        more: false,
        as_of: Utc::now(),
        keys,
        endorsements: Vec::new(),
        retirements: Vec::new(),
    };
    ScannerStore::apply_page(&s, &page).await.expect("the register copy is stored");
    s
}

/// The device's vault as a prop, compared by identity.
#[derive(Clone)]
struct VaultProp(SharedVault);

impl PartialEq for VaultProp {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
fn AtTheDoor(store: StoreProp, lang: Lang, clock: DoorClock, vault: VaultProp) -> Element {
    use_context_provider(|| clock.clone());
    AppState::provide(Boot {
        vault: vault.0.clone(),
        prefs: Prefs { lang: Some(lang), server: Some("http://127.0.0.1:9".into()), ..Prefs::default() },
        card: None,
        storage_problem: None,
    });
    let ctx = ScannerCtx::provide(store.0.clone());
    rsx! {
        if ctx.is_enrolled() {
            DoorScreen { camera: false }
            DeviceScreen {}
        }
    }
}

struct Scene {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    clock: DoorClock,
    vault: SharedVault,
    s: Screen,
}

async fn scene(lang: Lang) -> Scene {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("scanner.sqlite");
    let store = Rc::new(enrolled_store(&db).await);
    let clock = DoorClock::default();
    let vault: SharedVault = Rc::new(MemoryVault::default());
    let props = AtTheDoorProps { store: StoreProp(store), lang, clock: clock.clone(), vault: VaultProp(vault.clone()) };
    let mut s = Screen::new(VirtualDom::new_with_props(AtTheDoor, props));
    s.until("Arctic hall").await;
    Scene { _dir: dir, db, clock, vault, s }
}

/// Each language's words: let in, recorded, and "seen here 12 minutes ago (TIME)".
struct Words {
    lang: Lang,
    valid: &'static str,
    recorded: &'static str,
    seen_12: &'static str,
}

const WORDS: [Words; 3] = [
    Words {
        lang: Lang::Fi,
        valid: "Kelpaa: päästä sisään",
        recorded: "Kirjattu:",
        seen_12: "Nähty täällä 12 minuuttia sitten (klo TIME): tämä laite kirjasi saman kortin silloin.",
    },
    Words {
        lang: Lang::Sv,
        valid: "Giltigt: släpp in",
        recorded: "Registrerat:",
        seen_12: "Sågs här för 12 minuter sedan (kl. TIME): den här enheten registrerade samma kort då.",
    },
    Words {
        lang: Lang::En,
        valid: "Valid: let in",
        recorded: "Recorded:",
        seen_12: "Seen here 12 minutes ago (TIME): this device recorded the same card then.",
    },
];

/// A moment's clock time as the door writes it in `lang`.
fn clock_time(lang: Lang, at: DateTime<Utc>) -> String {
    let format = if lang == Lang::Fi { "%H.%M" } else { "%H:%M" };
    at.with_timezone(&Local).format(format).to_string()
}

impl Scene {
    fn logged(&self) -> Vec<kaiku::scanner::Logged> {
        SqliteScannerStore::open(&self.db).expect("opens again").log().expect("the log")
    }

    async fn check(&mut self, card: &str, wanted: &str) -> String {
        self.s.type_in("card-input", card);
        self.s.submit("card-form");
        self.s.until(wanted).await
    }

    async fn record(&mut self, recorded: &str) {
        self.s.click("record");
        self.s.until(recorded).await;
    }

    async fn set_window(&mut self, typed: &str, wanted: &str) -> String {
        self.s.type_in("seen-window", typed);
        self.s.submit("seen-window-form");
        self.s.until(wanted).await
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_card_recorded_here_twelve_minutes_ago_is_pointed_out_in_each_language_and_still_recorded() {
    for w in WORDS {
        let mut sc = scene(w.lang).await;
        let html = sc.check(&mine().to_string(), w.valid).await;
        assert!(!html.contains("verdict-caution"), "{:?}: nothing to point out the first time: {html}", w.lang);
        sc.record(w.recorded).await;
        let first = sc.logged()[0].redemption.scanned_at;

        sc.clock.advance(TimeDelta::minutes(12));
        let seen = w.seen_12.replace("TIME", &clock_time(w.lang, first));
        let html = sc.check(&mine().to_string(), &seen).await;
        assert!(html.contains(w.valid), "{:?}: a caution, never a refusal: {html}", w.lang);
        assert!(html.contains(r#"class="verdict-caution""#), "{:?}: marked as a caution: {html}", w.lang);
        assert!(html.contains(r#"id="record""#), "{:?}: it can still be recorded: {html}", w.lang);
        sc.record(w.recorded).await;
        let log = sc.logged();
        assert_eq!(log.len(), 2, "{:?}: recorded twice", w.lang);
        assert_eq!(log[1].redemption.card, mine());
        assert_eq!(log[1].redemption.verdict, VerdictCode::Valid, "the verdict recorded is the card's own");
        assert!(log[1].redemption.scanned_at - first >= TimeDelta::minutes(12), "at the door's time");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_caution_is_for_the_same_card_only_and_ends_with_the_window() {
    let mut sc = scene(Lang::En).await;
    sc.check(&mine().to_string(), "Valid: let in").await;
    sc.record("Recorded:").await;

    sc.clock.advance(TimeDelta::minutes(12));
    let html = sc.check(&other().to_string(), "Valid: let in").await;
    assert!(!html.contains("Seen here"), "another card is not seen here: {html}");
    sc.s.click("next-person");
    sc.check(&mine().to_string(), "Seen here 12 minutes ago").await;
    sc.s.click("next-person");

    // Thirty minutes after the record (the default window), the card is new again.
    sc.clock.advance(TimeDelta::minutes(18));
    let html = sc.check(&mine().to_string(), "Valid: let in").await;
    assert!(!html.contains("Seen here"), "after the window: {html}");
    assert!(!html.contains("verdict-caution"), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_printed_card_and_a_mobile_card_are_seen_here_alike() {
    let mut sc = scene(Lang::En).await;
    sc.check("XY 123 4567", "Valid: let in").await;
    sc.record("Recorded: XY12 3456 7").await;
    sc.clock.advance(TimeDelta::minutes(5));
    sc.check("xy1234567", "Seen here 5 minutes ago").await;
    sc.s.click("next-person");

    // The holder's printed ID typed first, then the phone's code: the same card.
    sc.check(&mine().to_string(), "Valid: let in").await;
    sc.record("Recorded:").await;
    sc.clock.advance(TimeDelta::minutes(1));
    let code = Credential {
        key_id: KeyId(1),
        card: mine().kaiku().expect("a Kaiku ID"),
        kind: CardKind::Personal,
        valid_until: Utc::now().date_naive() + TimeDelta::days(200),
        minors_on_record: 0,
        issued: Some(sc.clock.now() - TimeDelta::days(3)),
    }
    .issue(&issuer())
    .expect("signed");
    let html = sc.check(&code, "Seen here a minute ago").await;
    assert!(html.contains("Checked from the signed mobile card."), "{html}");
    assert!(html.contains("The mobile card's code was created 3 days ago."), "{html}");
}

fn mobile(issued: Option<DateTime<Utc>>) -> String {
    Credential {
        key_id: KeyId(1),
        card: other().kaiku().expect("a Kaiku ID"),
        kind: CardKind::Personal,
        valid_until: Utc::now().date_naive() + TimeDelta::days(200),
        minors_on_record: 0,
        issued,
    }
    .issue(&issuer())
    .expect("signed")
}

#[tokio::test(flavor = "current_thread")]
async fn a_mobile_card_says_how_old_its_code_is_and_an_old_one_is_a_caution() {
    let mut sc = scene(Lang::En).await;
    let html = sc.check(&mobile(Some(Utc::now() - TimeDelta::hours(5))), "Valid: let in").await;
    assert!(html.contains("The mobile card's code was created 5 hours ago."), "{html}");
    assert!(!html.contains("verdict-caution"), "{html}");
    sc.s.click("next-person");

    let html = sc.check(&mobile(Some(Utc::now() - TimeDelta::days(9))), "Valid: let in").await;
    assert!(
        html.contains("⚠</span> The mobile card's code was created 9 days ago: the app renews it whenever"),
        "an old code is a caution: {html}"
    );
    assert!(html.contains(r#"id="record""#), "and can still be recorded: {html}");
    sc.s.click("next-person");

    // A version-1 code carries no issue time: nothing is said of its age.
    let html = sc.check(&mobile(None), "Valid: let in").await;
    assert!(!html.contains("code was created"), "{html}");
}

#[test]
fn the_credential_age_and_the_caution_read_naturally_in_finnish_and_swedish() {
    let now = Utc::now();
    let admitted = |issued| {
        Verdict::Valid(Admission {
            card: other(),
            kind: CardKind::Personal,
            valid_until: now.date_naive() + TimeDelta::days(200),
            minors_on_record: 0,
            evidence: Evidence::SignedCredential { issued: Some(issued) },
        })
    };
    let render = |verdict: Verdict, lang: Lang, cautions: Vec<Caution>| {
        text(&dioxus_ssr::render_element(rsx! { VerdictPanel { verdict, lang, cautions, at: Some(now) } }))
    };
    let fresh = admitted(now - TimeDelta::days(3));
    assert!(render(fresh.clone(), Lang::Fi, vec![]).contains("Mobiilikortin koodi on luotu 3 päivää sitten."));
    assert!(render(fresh, Lang::Sv, vec![]).contains("Mobilkortets kod skapades för 3 dagar sedan."));

    let issued = now - TimeDelta::days(9);
    let old = vec![Caution::OldCredential { issued, age: TimeDelta::days(9) }];
    let fi = render(admitted(issued), Lang::Fi, old.clone());
    assert!(fi.contains("Mobiilikortin koodi on luotu 9 päivää sitten: sovellus uusii sen"), "{fi}");
    assert!(!fi.contains("on luotu 9 päivää sitten.</li>"), "said once, as the caution: {fi}");
    let sv = render(admitted(issued), Lang::Sv, old);
    assert!(sv.contains("Mobilkortets kod skapades för 9 dagar sedan: appen förnyar den"), "{sv}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_warning_time_is_set_on_the_device_screen_and_bad_input_is_said_next_to_the_field() {
    let mut sc = scene(Lang::En).await;
    let html = sc.s.html();
    assert!(html.contains(r#"<label for="seen-window">Warning time (minutes)</label>"#), "{html}");
    assert!(html.contains(r#"value="30""#), "the default is 30 minutes: {html}");

    let html = sc.set_window("half an hour", "Write the time in whole minutes, for example 30.").await;
    assert!(html.contains(r#"aria-describedby="seen-window-hint seen-window-error""#), "{html}");
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    sc.set_window("2000", "At most 1440 minutes (a day).").await;
    assert_eq!(load::<DoorSettings>(sc.vault.as_ref(), DOOR_SETTINGS_KEY).await, Ok(None), "nothing saved");

    sc.set_window(" 5 ", "Saved: the door warns when the same card was recorded within 5 minutes.").await;
    let kept = load::<DoorSettings>(sc.vault.as_ref(), DOOR_SETTINGS_KEY).await.expect("reads");
    assert_eq!(kept, Some(DoorSettings { seen_window_minutes: 5, gate: false }), "kept on the device");

    sc.check(&mine().to_string(), "Valid: let in").await;
    sc.record("Recorded:").await;
    sc.clock.advance(TimeDelta::minutes(3));
    sc.check(&mine().to_string(), "Seen here 3 minutes ago").await;
    sc.s.click("next-person");
    sc.clock.advance(TimeDelta::minutes(3));
    let html = sc.check(&mine().to_string(), "Valid: let in").await;
    assert!(!html.contains("Seen here"), "six minutes is outside a five-minute window: {html}");
    sc.s.click("next-person");

    sc.set_window("0", "Saved: the warning is off.").await;
    sc.check(&mine().to_string(), "Valid: let in").await;
    sc.record("Recorded:").await;
    let html = sc.check(&mine().to_string(), "Valid: let in").await;
    assert!(!html.contains("Seen here"), "off: {html}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_store_answers_when_a_card_was_last_recorded_from_an_index() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("scanner.sqlite");
    let s = enrolled_store(&db).await;
    // Whole seconds: the log keeps scan times to the microsecond.
    let start = Utc::now().trunc_subsecs(0) - TimeDelta::hours(2);
    for (card, minutes) in [(mine(), 0), (other(), 10), (mine(), 40), (printed(), 50), (other(), 20)] {
        let fields = Fields {
            card,
            venue: VenueId(1),
            offer: OfferKind::Ticket,
            offer_id: Some(OfferId(1)),
            children: 0,
            group: Vec::new(),
            scanned_at: start + TimeDelta::minutes(minutes),
            entry: EntryMethod::Typed,
            verdict: VerdictCode::Valid,
        };
        s.record(fields, None).expect("recorded");
    }
    let last = async |s: &SqliteScannerStore, card| ScannerStore::last_recorded(s, card).await.expect("answers");
    assert_eq!(last(&s, mine()).await, Some(start + TimeDelta::minutes(40)));
    assert_eq!(last(&s, other()).await, Some(start + TimeDelta::minutes(20)), "the latest scan, not the last row");
    assert_eq!(last(&s, printed()).await, Some(start + TimeDelta::minutes(50)));
    assert_eq!(last(&s, kaiku(100_299)).await, None);

    let conn = rusqlite::Connection::open(&db).expect("opens");
    let plan: Vec<String> = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {LAST_RECORDED_SQL}"))
        .and_then(|mut st| st.query_map(["A"], |r| r.get::<_, String>(3))?.collect())
        .expect("a plan");
    assert!(plan.iter().any(|step| step.contains("USING COVERING INDEX redemptions_card")), "{plan:?}");
}
