//! Printed legacy cards at the door's screens: the verdict panel for a printed ID the register
//! does not hold (with and without "did you mean"), in Finnish, Swedish and English; the live
//! check while such an ID is typed; and the door against a real SQLite scanner store, where a
//! typing slip is refused and the suggested card checked with one tap.

#[path = "support/screen.rs"]
mod screen;

use std::rc::Rc;

use chrono::{TimeDelta, Utc};
use dioxus::prelude::*;
use kaiku::i18n::Lang;
use kaiku::scanner::{Enrollment, ScannerStore, SqliteScannerStore};
use kaiku::state::{AppState, Boot, Prefs};
use kaiku::storage::MemoryVault;
use kaiku::views::scanner::{DoorScreen, LiveCheck, ScannerCtx, StoreProp, VerdictPanel, live_check};
use kaiku_core::CardId;
use kaiku_core::card::CardKind;
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::keys::{IssuerKey, KeyId, KeySet};
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::{RegisterEntry, RegisterStatus, Verdict};
use kaiku_core::wire::{Cursor, Offer, RegisterPage, RegisterRecord};
use screen::{Screen, text};

const SAMPLE: &str = "A999123453";

fn card(text: &str) -> CardId {
    CardId::parse(text).expect("a card ID")
}

fn render(verdict: Verdict, lang: Lang) -> String {
    text(&dioxus_ssr::render_element(rsx! { VerdictPanel { verdict, lang } }))
}

/// (language, "not valid", "not registered" line, "did you mean" line) as staff read them.
const WORDS: [(Lang, &str, &str, &str); 3] = [
    (
        Lang::Fi,
        "Ei kelpaa: ei maksutonta sisäänpääsyä",
        "Ei rekisteröity: pyydä kortin haltijaa ottamaan yhteyttä paikkaan, josta hän sai kortin.",
        "Tarkoititko A999123453? Tarkista kortissa oleva numero.",
    ),
    (
        Lang::Sv,
        "Inte giltigt: inget fritt inträde",
        "Inte registrerat: be innehavaren kontakta stället där hen fick kortet.",
        "Menade du A999123453? Kontrollera numret på kortet.",
    ),
    (
        Lang::En,
        "Not valid: no free entry",
        "Not registered: ask the holder to contact the place that gave the card.",
        "Did you mean A999123453? Check the number on the card.",
    ),
];

#[test]
fn a_printed_card_not_in_the_register_is_refused_with_whom_to_ask() {
    let stranger = card("XY1234567");
    for (lang, refuse, not_registered, did_you_mean) in WORDS {
        let html = render(Verdict::NotRegistered { card: stranger, did_you_mean: None }, lang);
        assert!(html.contains(r#"class="verdict verdict-refuse""#), "{lang:?}: red, never admitted\n{html}");
        assert!(html.contains(r#"aria-hidden="true">✕</span>"#), "{lang:?}: the refuse icon\n{html}");
        assert!(html.contains(refuse), "{lang:?}: {refuse:?}\n{html}");
        assert!(html.contains(not_registered), "{lang:?}: {not_registered:?}\n{html}");
        assert!(html.contains("XY12 3456 7"), "{lang:?}: the card number\n{html}");
        assert!(!html.contains(&did_you_mean[..12]), "{lang:?}: nothing to suggest\n{html}");
    }
}

#[test]
fn a_slip_of_a_registered_printed_card_suggests_it_and_is_refused() {
    let slip = card("A999123463");
    let verdict = Verdict::NotRegistered { card: slip, did_you_mean: Some(card(SAMPLE)) };
    for (lang, refuse, not_registered, did_you_mean) in WORDS {
        let html = render(verdict.clone(), lang);
        assert!(html.contains(r#"class="verdict verdict-refuse""#), "{lang:?}\n{html}");
        assert!(html.contains(refuse), "{lang:?}: {refuse:?}\n{html}");
        assert!(html.contains(did_you_mean), "{lang:?}: {did_you_mean:?}\n{html}");
        assert!(html.contains(not_registered), "{lang:?}: {not_registered:?}\n{html}");
        assert!(html.contains("A999 1234 63"), "{lang:?}: the number as typed\n{html}");
        assert!(!html.contains("check-suggested"), "{lang:?}: no button without a handler\n{html}");
    }
}

#[test]
fn the_live_check_takes_printed_card_numbers_in_each_language() {
    let cases: [(&str, LiveCheck, bool, [&str; 3]); 6] = [
        (
            "A999 1234 53",
            LiveCheck::NotKaiku(card(SAMPLE)),
            false,
            [
                "Ei Kaiku-numero (tarkistusnumero): haetaan painetun kortin numerona.",
                "Inget Kaiku-nummer (kontrollsiffran): söks som tryckt kort.",
                "Not a Kaiku number (check digit): looked up as a printed card.",
            ],
        ),
        (
            "xy-123 4567",
            LiveCheck::Printed(card("XY1234567")),
            false,
            [
                "Painetun kortin numero: tarkistetaan rekisteristä.",
                "Tryckt kortnummer: kontrolleras i registret.",
                "Printed card number: looked up in the register.",
            ],
        ),
        (
            "a12345",
            LiveCheck::PrintedOrKeepTyping { typed: 6 },
            false,
            [
                "Painetun kortin numero, tai jatka: 6/10 merkkiä.",
                "Ett tryckt kortnummer, eller fortsätt: 6 av 10 tecken.",
                "A printed card's number, or keep typing: 6 of 10.",
            ],
        ),
        (
            "ABCD123",
            LiveCheck::NotADigit { position: 4, found: 'D' },
            true,
            [
                "Merkin 4 pitää olla numero, ei ”D”.",
                "Tecken 4 ska vara en siffra, inte ”D”.",
                "Character 4 should be a digit, not “D”.",
            ],
        ),
        (
            "XY1234567890123",
            LiveCheck::TooLong { typed: 15 },
            true,
            [
                "Liian pitkä kortin numeroksi (15 merkkiä).",
                "För långt för ett kortnummer (15 tecken).",
                "Too long for a card number (15 characters).",
            ],
        ),
        (
            "1A",
            LiveCheck::BadLetter('1'),
            true,
            [
                "Kortin numero alkaa kirjaimella, ei ”1”.",
                "Ett kortnummer börjar med en bokstav, inte ”1”.",
                "A card number starts with a letter, not “1”.",
            ],
        ),
    ];
    for (typed, expected, problem, words) in cases {
        let check = live_check(typed);
        assert_eq!(check, expected, "{typed:?}");
        assert_eq!(check.is_problem(), problem, "{typed:?}");
        for (lang, words) in [Lang::Fi, Lang::Sv, Lang::En].into_iter().zip(words) {
            assert_eq!(check.text(lang), words, "{typed:?} in {lang:?}");
        }
    }
    assert_eq!(live_check("A123B45"), LiveCheck::NotADigit { position: 5, found: 'B' }, "a letter after digits");
    assert_eq!(live_check("XY12"), LiveCheck::KeepTyping { typed: 4 });
}

/// A scanner store enrolled at a venue, whose register copy holds the imported sample card.
async fn store_with_the_sample(path: &std::path::Path) -> SqliteScannerStore {
    let s = SqliteScannerStore::open(path).expect("the scanner database opens");
    let keys = KeySet::new([IssuerKey::from_seed(KeyId(1), [7; 32]).public()]).records();
    let enrollment = Enrollment {
        device: DeviceId(3),
        token: Some("device-token".into()),
        venue: VenueId(1),
        venue_name: "Arctic hall".into(),
        offers: vec![Offer { id: OfferId(1), name: "Hamlet".into(), kind: OfferKind::Ticket, limit: None }],
    };
    ScannerStore::save_enrollment(&s, &enrollment, &kaiku_core::keys::TrustedKeys::enroll(&keys, &[]))
        .await
        .expect("enrolled");
    let entry = RegisterEntry {
        kind: CardKind::Personal,
        valid_until: Utc::now().date_naive() + TimeDelta::days(200),
        minors_on_record: 1,
        status: RegisterStatus::Active,
    };
    let records = vec![RegisterRecord { card: card(SAMPLE), entry }];
    let page = RegisterPage {
        snapshot: true,
        records,
        next: Cursor(1),
        more: false,
        as_of: Utc::now(),
        keys,
        endorsements: Vec::new(),
        retirements: Vec::new(),
    };
    ScannerStore::apply_page(&s, &page).await.expect("the register copy is stored");
    s
}

#[component]
fn Door(store: StoreProp) -> Element {
    AppState::provide(Boot {
        vault: Rc::new(MemoryVault::default()),
        prefs: Prefs { lang: Some(Lang::En), server: Some("http://127.0.0.1:9".into()), ..Prefs::default() },
        card: None,
        storage_problem: None,
    });
    ScannerCtx::provide(store.0.clone());
    rsx! {
        DoorScreen { camera: false }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn at_the_door_a_slip_is_refused_and_the_suggested_card_checked_with_one_tap() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("scanner.sqlite");
    let store = Rc::new(store_with_the_sample(&db).await);
    let mut s = Screen::new(VirtualDom::new_with_props(Door, DoorProps { store: StoreProp(store) }));
    s.until("Arctic hall").await;

    s.type_in("card-input", "A999 1234 63");
    assert!(s.html().contains("Not a Kaiku number (check digit)"), "{}", s.html());
    s.submit("card-form");
    let html = s.until("Did you mean A999123453? Check the number on the card.").await;
    assert!(html.contains("Not valid: no free entry"), "{html}");
    assert!(!html.contains(r#"id="record""#), "a slip can never be recorded: {html}");
    assert!(html.contains("Check A999123453 instead"), "{html}");

    // Staff compare with the card and check the suggested number: the usual verdict for it.
    s.click("check-suggested");
    let html = s.until("Valid: let in").await;
    assert!(html.contains("Card A999 1234 53"), "{html}");
    s.click("record");
    s.until("Recorded: A999 1234 53").await;
    let log = SqliteScannerStore::open(&db).expect("opens again").log().expect("the log");
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].redemption.card, log[0].redemption.entry), (card(SAMPLE), EntryMethod::Typed));

    // A printed card nobody imported: refused, with whom to ask.
    s.type_in("card-input", "xy 123 4567");
    s.submit("card-form");
    let html = s.until("ask the holder to contact the place that gave the card").await;
    assert!(html.contains("Not valid: no free entry"), "{html}");
    assert!(!html.contains("check-suggested"), "{html}");
}
