//! Scanner mode's screens without a browser: the verdict panel rendered with dioxus-ssr in all
//! three languages, and the door driven through a VirtualDom with real events (typing, clicks,
//! form submits; `support/screen.rs`) against a real SQLite scanner store in a temporary folder.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use chrono::{NaiveDate, TimeDelta, Utc};
use dioxus::prelude::*;
use kaiku::i18n::Lang;
use kaiku::links::normalise_code;
use kaiku::scanner::{Enrollment, ScannerStore, SqliteScannerStore, SyncState};
use kaiku::state::{AppState, Boot, Mode, PREFS_KEY, Prefs, use_app};
use kaiku::storage::{MemoryVault, load};
use kaiku::views::scanner::{
    DeviceScreen, DoorScreen, EnrollScreen, HistoryScreen, LiveCheck, ManualEntry, ScannerCtx, Shown, StatusBar,
    StoreProp, VerdictPanel, live_check,
};
use kaiku_core::card::{CardKind, RevocationReason};
use kaiku_core::credential::{Credential, CredentialError};
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::keys::{IssuerKey, KeyId, KeySet};
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::scan::Unrecognised;
use kaiku_core::verdict::{
    Admission, Evidence, Invalid, NotForOffer, RegisterEntry, RegisterStatus, Unverified, Verdict, VerdictCode,
};
use kaiku_core::wire::{Cursor, Offer, RegisterPage, RegisterRecord};
use kaiku_core::{CardId, CardIdError, KaikuId};
use kaiku_sync_server::store::Store;
use screen::{Screen, text};

#[path = "support/screen.rs"]
mod screen;
#[path = "support/server.rs"]
mod server;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a date")
}

fn id(serial: u32) -> CardId {
    CardId::from(KaikuId::new('A', serial).expect("a card id"))
}

/// A card number as the screens write it: `A001 0010 12`.
fn g(card: CardId) -> String {
    kaiku::holder::grouped_id(&card.to_string())
}

// ---------------------------------------------------------------------------------------------
// The verdict panel
// ---------------------------------------------------------------------------------------------

fn render_verdict(verdict: Verdict, lang: Lang) -> String {
    text(&dioxus_ssr::render_element(rsx! { VerdictPanel { verdict, lang } }))
}

struct Case {
    verdict: Verdict,
    class: &'static str,
    icon: &'static str,
    /// (fi, sv, en) fragments of the reason.
    reason: [&'static str; 3],
}

fn cases() -> Vec<Case> {
    let card = id(100_101);
    let as_of = Utc::now() - TimeDelta::days(5);
    let admit = |kind, evidence| {
        Verdict::Valid(Admission { card, kind, valid_until: d(2027, 6, 30), minors_on_record: 2, evidence })
    };
    vec![
        Case {
            verdict: admit(CardKind::Personal, Evidence::SignedCredential { issued: None }),
            class: "verdict verdict-admit",
            icon: "✓",
            reason: ["Voimassa 30.6.2027 asti", "Giltigt till 2027-06-30", "Valid until 30 June 2027"],
        },
        Case {
            verdict: admit(CardKind::Community, Evidence::Register { as_of }),
            class: "verdict verdict-admit",
            icon: "✓",
            reason: ["Yhteisökortti", "Gemenskapskort", "Community card"],
        },
        Case {
            verdict: Verdict::ValidUnverified { card, why: Unverified::NoRegisterCopy },
            class: "verdict verdict-flagged",
            icon: "!",
            reason: [
                "Laitteessa ei ole vielä rekisteritietoja",
                "Enheten har inga registeruppgifter ännu",
                "This device has no register data yet",
            ],
        },
        Case {
            verdict: Verdict::ValidUnverified { card, why: Unverified::NotInRegisterCopy { as_of } },
            class: "verdict verdict-flagged",
            icon: "!",
            reason: [
                "Korttia ei ole laitteen rekisteritiedoissa",
                "Kortet finns inte i enhetens registeruppgifter",
                "The card is not in this device's register data",
            ],
        },
        Case {
            verdict: Verdict::ValidUnverified { card, why: Unverified::RegisterCopyStale { as_of } },
            class: "verdict verdict-flagged",
            icon: "!",
            reason: [
                "Laitteen rekisteritiedot ovat vanhoja",
                "Registeruppgifterna i enheten är gamla",
                "The register data on this device is old",
            ],
        },
        Case {
            verdict: Verdict::Expired { card, on: d(2026, 10, 31) },
            class: "verdict verdict-refuse",
            icon: "✕",
            reason: ["Vanhentunut 31.10.2026", "Gick ut 2026-10-31", "Expired on 31 October 2026"],
        },
        Case {
            verdict: Verdict::Revoked { card, reason: RevocationReason::Stolen, on: d(2026, 9, 2) },
            class: "verdict verdict-refuse",
            icon: "✕",
            reason: [
                "Peruttu 2.9.2026: ilmoitettu varastetuksi",
                "Annullerat 2026-09-02: anmält stulet",
                "Cancelled on 2 September 2026: reported stolen",
            ],
        },
        Case {
            verdict: Verdict::NotRegistered { card, did_you_mean: None },
            class: "verdict verdict-refuse",
            icon: "✕",
            reason: ["Korttia ei ole rekisteröity", "Kortet är inte registrerat", "This card is not registered"],
        },
        Case {
            verdict: Verdict::NotForOffer { card, why: NotForOffer::CommunityCardCoursePlace },
            class: "verdict verdict-refuse",
            icon: "✕",
            reason: [
                "Yhteisökortilla ei saa kurssipaikkoja",
                "Ett gemenskapskort gäller inte kursplatser",
                "A community card is not for course places",
            ],
        },
        Case {
            verdict: Verdict::Invalid(Invalid::Unrecognised(Unrecognised::NotACardCode)),
            class: "verdict verdict-refuse",
            icon: "✕",
            reason: [
                "Tämä ei ole Kaikukortin koodi",
                "Det här är ingen kod för Kaikukortet",
                "This is not a Culture for All card code",
            ],
        },
        Case {
            verdict: Verdict::Invalid(Invalid::Unrecognised(Unrecognised::BadCardId(CardIdError::CheckDigitMismatch))),
            class: "verdict verdict-refuse",
            icon: "✕",
            reason: ["tarkistusnumero ei täsmää", "kontrollsiffran stämmer inte", "the check digit does not match"],
        },
        Case {
            verdict: Verdict::Invalid(Invalid::Credential(CredentialError::BadSignature)),
            class: "verdict verdict-refuse",
            icon: "✕",
            reason: [
                "Mobiilikortin allekirjoitus ei täsmää",
                "Mobilkortets signatur stämmer inte",
                "The signature of the mobile card does not match",
            ],
        },
        Case {
            verdict: Verdict::Invalid(Invalid::Credential(CredentialError::UnknownKey(KeyId(9)))),
            class: "verdict verdict-refuse",
            icon: "✕",
            reason: [
                "avaimella, jota laite ei tunne",
                "en nyckel som enheten inte känner till",
                "a key this device does not know",
            ],
        },
    ]
}

#[test]
fn the_verdict_says_yes_flagged_or_no_with_colour_icon_words_and_reason_in_each_language() {
    let words = [
        (Lang::Fi, ["Kelpaa: päästä sisään", "Päästä sisään: ei varmistettu", "Ei kelpaa: ei maksutonta sisäänpääsyä"]),
        (Lang::Sv, ["Giltigt: släpp in", "Släpp in: inte verifierat", "Inte giltigt: inget fritt inträde"]),
        (Lang::En, ["Valid: let in", "Let in: not verified", "Not valid: no free entry"]),
    ];
    for (li, (lang, [yes, flagged, no])) in words.into_iter().enumerate() {
        for case in cases() {
            let html = render_verdict(case.verdict.clone(), lang);
            let head = match case.class {
                "verdict verdict-admit" => yes,
                "verdict verdict-flagged" => flagged,
                _ => no,
            };
            let what = format!("{lang:?} {:?}", case.verdict);
            assert!(html.contains(&format!(r#"class="{}""#, case.class)), "{what}: class\n{html}");
            assert!(html.contains(r#"role="alert""#), "{what}: announced at once");
            assert!(html.contains(r#"aria-live="assertive""#), "{what}: assertive");
            assert!(html.contains(&format!(r#"lang="{}""#, lang.code())), "{what}: in the staff member's language");
            assert!(html.contains(&format!(r#"aria-hidden="true">{}</span>"#, case.icon)), "{what}: icon\n{html}");
            assert!(html.contains(head), "{what}: words {head:?}\n{html}");
            assert!(html.contains(case.reason[li]), "{what}: reason {:?}\n{html}", case.reason[li]);
            if let Some(card) = case.verdict.card() {
                assert!(html.contains(&g(card)), "{what}: the card number, grouped\n{html}");
            }
        }
    }
}

#[test]
fn a_valid_personal_card_shows_its_children_on_record() {
    let html = render_verdict(cases()[0].verdict.clone(), Lang::En);
    assert!(html.contains("Tickets for 2 children on record"), "{html}");
    assert!(html.contains("Checked from the signed mobile card."), "{html}");
}

// ---------------------------------------------------------------------------------------------
// Pure rules of the screens
// ---------------------------------------------------------------------------------------------

#[test]
fn the_live_check_tells_keep_typing_from_printed_from_complete() {
    let good = id(99_912_345).to_string();
    assert_eq!(good, "A999123459");
    assert_eq!(live_check(""), LiveCheck::Empty);
    assert_eq!(live_check("a99 91"), LiveCheck::KeepTyping { typed: 5 });
    // A wrong check digit makes it a printed card's number (the seeds' sample is one).
    let sample = CardId::parse("A999123453").expect("a card ID");
    assert_eq!(live_check("A999 1234 53"), LiveCheck::NotKaiku(sample));
    assert_eq!(live_check("a999-1234-59"), LiveCheck::Complete(id(99_912_345)));
    assert_eq!(live_check("199"), LiveCheck::BadLetter('1'));
    assert_eq!(live_check("A99x"), LiveCheck::NotADigit { position: 4, found: 'X' });
    let printed = CardId::parse("A9991234590").expect("a card ID");
    assert_eq!(live_check("A9991234590"), LiveCheck::Printed(printed), "11 characters: a printed card");
    assert_eq!(live_check("A9991234590123"), LiveCheck::TooLong { typed: 14 });
    assert_eq!(live_check("KK1:ABC"), LiveCheck::Credential);
}

#[test]
fn enrollment_codes_are_read_as_crockford_base32() {
    assert_eq!(normalise_code(" 7k2m-qx4p 9rtb ").as_deref(), Ok("7K2MQX4P9RTB"));
    assert_eq!(normalise_code("7K2M-QX4P-9RTO").as_deref(), Ok("7K2MQX4P9RT0"), "O is read as zero");
    assert!(normalise_code("7K2M-QX4P-9RTU").is_err(), "U is not in the alphabet");
    assert!(normalise_code("7K2M").is_err(), "too short");
    assert!(normalise_code("  ").is_err(), "empty");
}

#[test]
fn children_are_limited_by_the_card_and_the_offer() {
    let shown = |verdict| Shown {
        input: kaiku_core::ScanInput::PlainId(id(100_101)),
        verdict,
        entry: EntryMethod::Typed,
        at: Utc::now(),
        cautions: vec![],
    };
    let personal = shown(cases()[0].verdict.clone());
    assert_eq!(personal.choices(OfferKind::Ticket).children, 2);
    assert_eq!(personal.choices(OfferKind::CoursePlace).children, 0, "no children with a course place");
    assert_eq!(shown(cases()[5].verdict.clone()).choices(OfferKind::Ticket).children, 0, "nothing for a refused card");
    let community = shown(cases()[1].verdict.clone()).choices(OfferKind::Ticket);
    assert!(community.group && community.group_needed, "a community card brings its group");
}

// ---------------------------------------------------------------------------------------------
// Manual entry
// ---------------------------------------------------------------------------------------------

thread_local! {
    static SUBMITTED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

#[component]
fn TypingOnly(lang: Lang) -> Element {
    rsx! {
        ManualEntry {
            lang,
            id: "card",
            label: "Card number",
            button: "Check",
            on_submit: move |t: String| SUBMITTED.with(|s| s.borrow_mut().push(t)),
        }
    }
}

#[test]
fn typing_a_wrong_check_digit_says_it_is_looked_up_as_a_printed_card() {
    let mut s = Screen::new(VirtualDom::new_with_props(TypingOnly, TypingOnlyProps { lang: Lang::En }));
    assert!(s.html().contains("A letter and nine digits"), "a hint before typing");
    s.type_in("card-input", "A999 1");
    assert!(s.html().contains("Keep typing: 5 of 10 characters."), "{}", s.html());
    // Six characters may already be a whole printed card's number (1-3 letters, 5-12 digits).
    s.type_in("card-input", "A999 12");
    assert!(s.html().contains("A printed card's number, or keep typing: 6 of 10."), "{}", s.html());
    s.type_in("card-input", "A999 1234 53");
    let html = s.html();
    assert!(html.contains("Not a Kaiku number (check digit): looked up as a printed card."), "{html}");
    assert!(html.contains(r#"aria-invalid="false""#), "not an error: printed cards have no Kaiku check digit: {html}");
    assert!(html.contains("live-check-note"), "{html}");
    s.type_in("card-input", "A99x");
    assert!(s.html().contains(r#"aria-invalid="true""#), "a letter among the digits is: {}", s.html());
    s.type_in("card-input", "a999 1234 59");
    let html = s.html();
    assert!(html.contains("Complete, valid card number."), "{html}");
    assert!(html.contains(r#"aria-invalid="false""#));
    s.submit("card-form");
    assert_eq!(SUBMITTED.with(|v| v.borrow().clone()), vec!["a999 1234 59".to_owned()]);
    let html = s.html();
    assert!(html.contains("A letter and nine digits"), "ready for the next card: {html}");
    assert!(!html.contains("value="), "the field is not bound, so fast keyboard-wedge readers lose nothing: {html}");

    let mut fi = Screen::new(VirtualDom::new_with_props(TypingOnly, TypingOnlyProps { lang: Lang::Fi }));
    fi.type_in("card-input", "A999123453");
    assert!(
        fi.html().contains("Ei Kaiku-numero (tarkistusnumero): haetaan painetun kortin numerona."),
        "{}",
        fi.html()
    );
    let mut sv = Screen::new(VirtualDom::new_with_props(TypingOnly, TypingOnlyProps { lang: Lang::Sv }));
    sv.type_in("card-input", "A999123453");
    assert!(sv.html().contains("Inget Kaiku-nummer (kontrollsiffran): söks som tryckt kort."), "{}", sv.html());
}

// ---------------------------------------------------------------------------------------------
// The door against a real SQLite scanner store
// ---------------------------------------------------------------------------------------------

struct Cards {
    /// Personal, two (grand)children on record.
    parent: CardId,
    /// Personal, none on record.
    single: CardId,
    community: CardId,
    friend: CardId,
    expired: CardId,
    revoked: CardId,
}

fn cards() -> Cards {
    Cards {
        parent: id(100_101),
        single: id(100_102),
        community: id(100_103),
        friend: id(100_104),
        expired: id(100_105),
        revoked: id(100_106),
    }
}

fn issuer() -> IssuerKey {
    IssuerKey::from_seed(KeyId(1), [7; 32])
}

fn enrollment() -> Enrollment {
    Enrollment {
        device: DeviceId(3),
        token: Some("device-token".into()),
        venue: VenueId(1),
        venue_name: "Arctic hall".into(),
        offers: vec![
            Offer { id: OfferId(1), name: "Hamlet".into(), kind: OfferKind::Ticket, limit: Some(50) },
            Offer { id: OfferId(2), name: "Pottery course".into(), kind: OfferKind::CoursePlace, limit: None },
        ],
    }
}

/// A scanner store on `path`, enrolled and with a register copy, written through the store trait
/// as enrollment and the first sync would write it.
async fn enrolled_store(path: &Path) -> SqliteScannerStore {
    let s = SqliteScannerStore::open(path).expect("the scanner database opens");
    let keys = KeySet::new([issuer().public()]).records();
    ScannerStore::save_enrollment(&s, &enrollment(), &kaiku_core::keys::TrustedKeys::enroll(&keys, &[]))
        .await
        .expect("enrolled");
    let c = cards();
    let today = Utc::now().date_naive();
    let entry = |kind, days: i64, minors, status| RegisterEntry {
        kind,
        valid_until: today + TimeDelta::days(days),
        minors_on_record: minors,
        status,
    };
    let active = RegisterStatus::Active;
    let records = vec![
        RegisterRecord { card: c.parent, entry: entry(CardKind::Personal, 300, 2, active) },
        RegisterRecord { card: c.single, entry: entry(CardKind::Personal, 300, 0, active) },
        RegisterRecord { card: c.community, entry: entry(CardKind::Community, 300, 0, active) },
        RegisterRecord { card: c.friend, entry: entry(CardKind::Personal, 200, 0, active) },
        RegisterRecord { card: c.expired, entry: entry(CardKind::Personal, -3, 0, active) },
        RegisterRecord {
            card: c.revoked,
            entry: entry(
                CardKind::Personal,
                300,
                1,
                RegisterStatus::Revoked { reason: RevocationReason::Lost, on: today - TimeDelta::days(10) },
            ),
        },
    ];
    let page = RegisterPage {
        snapshot: true,
        records,
        next: Cursor(6),
        more: false,
        as_of: Utc::now(),
        keys,
        endorsements: Vec::new(),
        retirements: Vec::new(),
    };
    ScannerStore::apply_page(&s, &page).await.expect("the register copy is stored");
    s
}

fn boot(lang: Lang) -> Boot {
    Boot {
        vault: Rc::new(MemoryVault::default()),
        // A closed port: a sync started after a record fails at once, as with no network.
        prefs: Prefs { lang: Some(lang), server: Some("http://127.0.0.1:9".into()), ..Prefs::default() },
        card: None,
        storage_problem: None,
    }
}

/// The door as the scanner layout shows it, without the router and with the camera off.
#[component]
fn AtTheDoor(store: StoreProp, lang: Lang) -> Element {
    AppState::provide(boot(lang));
    let ctx = ScannerCtx::provide(store.0.clone());
    rsx! {
        StatusBar {}
        if ctx.is_enrolled() {
            DoorScreen { camera: false }
        } else if *ctx.loaded.read() {
            EnrollScreen {}
        }
        HistoryScreen {}
        DeviceScreen {}
    }
}

struct Scene {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    s: Screen,
}

async fn scene_with(
    store: SqliteScannerStore,
    dir: tempfile::TempDir,
    db: std::path::PathBuf,
    lang: Lang,
    ready: &str,
) -> Scene {
    let store = Rc::new(store);
    let mut s = Screen::new(VirtualDom::new_with_props(AtTheDoor, AtTheDoorProps { store: StoreProp(store), lang }));
    s.until(ready).await;
    Scene { _dir: dir, db, s }
}

async fn scene(lang: Lang) -> Scene {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("scanner.sqlite");
    let store = enrolled_store(&db).await;
    scene_with(store, dir, db, lang, "Arctic hall").await
}

impl Scene {
    /// The log as a fresh connection reads it from the file: what is durably there.
    fn logged(&self) -> Vec<kaiku::scanner::Logged> {
        SqliteScannerStore::open(&self.db).expect("opens again").log().expect("the log")
    }

    async fn check(&mut self, card: &str, wanted: &str) -> String {
        self.s.type_in("card-input", card);
        self.s.submit("card-form");
        self.s.until(wanted).await
    }
}

#[tokio::test(flavor = "current_thread")]
async fn one_tap_records_one_ticket_durably_and_the_door_is_ready_for_the_next_card() {
    let c = cards();
    let mut sc = scene(Lang::En).await;
    let html = sc.s.html();
    assert!(html.contains("All redemptions sent"), "{html}");
    assert!(html.contains("Register data updated just now"), "{html}");
    assert!(html.contains("Nothing recorded today yet."), "{html}");

    let html = sc.check(&c.single.to_string(), "Valid: let in").await;
    assert!(html.contains("Record 1 ticket"), "{html}");
    assert!(html.contains("1 adult · Hamlet · Ticket"), "the common case is visible on the button's line: {html}");
    assert!(sc.logged().is_empty(), "nothing is recorded before the tap");

    sc.s.click("record");
    let html = sc.s.until(&format!("Recorded: {} · 1 adult · Hamlet · Ticket", g(c.single))).await;
    assert!(!html.contains("Valid: let in"), "back to scanning at once: {html}");
    let log = sc.logged();
    assert_eq!(log.len(), 1, "in the log, durably");
    let r = &log[0].redemption;
    assert_eq!((r.card, r.adults, r.children), (c.single, 1, 0));
    assert_eq!((r.offer, r.offer_id), (OfferKind::Ticket, Some(OfferId(1))));
    assert_eq!((r.entry, r.verdict, r.venue), (EntryMethod::Typed, VerdictCode::Valid, VenueId(1)));
    assert_eq!(log[0].state, SyncState::Pending);

    // The status bar and today's list follow.
    let html = sc.s.until("1 redemption waiting to be sent").await;
    assert!(html.contains("Hamlet · Ticket</span>: <span>1 redemption, 1 person"), "{html}");
    assert!(html.contains("Waiting to be sent"), "{html}");
    // A sync after the record finds no server: it says so, and nothing is lost.
    let html = sc.s.until("Sync failed at").await;
    assert!(html.contains("no network. Recording goes on"), "{html}");
    assert_eq!(sc.logged().len(), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn children_are_capped_at_the_minors_on_record_and_recorded() {
    let c = cards();
    let mut sc = scene(Lang::En).await;
    sc.check(&c.parent.to_string(), "Valid: let in").await;
    assert!(sc.s.html().contains("At most 2: the children on record."));
    for _ in 0..3 {
        sc.s.click("children-more");
    }
    let html = sc.s.html();
    assert!(html.contains(r#"id="children-count""#) && html.contains(">2</output>"), "capped at 2: {html}");
    assert!(html.contains("Record 3 tickets"), "{html}");
    assert!(html.contains("1 adult, 2 children · Hamlet · Ticket"), "{html}");
    sc.s.click("record");
    sc.s.until(&format!("Recorded: {} · 1 adult, 2 children", g(c.parent))).await;
    let r = &sc.logged()[0].redemption;
    assert_eq!((r.adults, r.children), (1, 2));

    // A card with no children on record gets no stepper.
    let html = sc.check(&c.single.to_string(), "Valid: let in").await;
    assert!(html.contains("No children's tickets on record"), "{html}");
    assert!(!html.contains(r#"id="children-more""#), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_course_place_has_no_children_and_is_not_for_a_community_card() {
    let c = cards();
    let mut sc = scene(Lang::En).await;
    sc.s.choose("offer", "offer-2");
    let html = sc.check(&c.community.to_string(), "Not valid: no free entry").await;
    assert!(html.contains("A community card is not for course places."), "{html}");
    assert!(!html.contains(r#"id="record""#), "nothing to record: {html}");

    let html = sc.check(&c.parent.to_string(), "Valid: let in").await;
    assert!(html.contains("Record 1 course place"), "{html}");
    assert!(html.contains("No children's tickets with a course place."), "{html}");
    assert!(!html.contains(r#"id="children-more""#), "{html}");
    sc.s.click("record");
    sc.s.until("Recorded:").await;
    let r = &sc.logged()[0].redemption;
    assert_eq!((r.offer, r.offer_id, r.children), (OfferKind::CoursePlace, Some(OfferId(2)), 0));
}

#[tokio::test(flavor = "current_thread")]
async fn a_community_card_records_its_group_members_own_cards_each_checked() {
    let c = cards();
    let mut sc = scene(Lang::En).await;
    let html = sc.check(&c.community.to_string(), "Valid: let in").await;
    assert!(html.contains("A community card needs at least one group member with their own card."), "{html}");
    // Forced past the disabled button, the store refuses and says why; nothing is lost.
    sc.s.click("record");
    let html = sc.s.until("Not recorded:").await;
    assert!(html.contains("Valid: let in"), "the verdict stays for a second try: {html}");
    assert!(sc.logged().is_empty());

    sc.s.click("add-member");
    let member = async |s: &mut Screen, card: CardId, wanted: &str| {
        s.type_in("member-input", &card.to_string());
        s.submit("member-form");
        s.until(wanted).await
    };
    member(&mut sc.s, c.community, &format!("{} is a community card: each member needs", g(c.community))).await;
    member(&mut sc.s, c.expired, &format!("{} not accepted: Expired on", g(c.expired))).await;
    let html = member(&mut sc.s, c.friend, &format!("Added {}.", g(c.friend))).await;
    assert!(html.contains("Record 2 tickets"), "{html}");
    member(&mut sc.s, c.friend, &format!("{} is already in the group.", g(c.friend))).await;
    sc.s.click("member-done");
    sc.s.click("record");
    sc.s.until(&format!("Recorded: {} · 2 adults", g(c.community))).await;
    let log = sc.logged();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].redemption.adults, log[0].redemption.group.clone()), (2, vec![c.friend]));
}

#[tokio::test(flavor = "current_thread")]
async fn refused_cards_cannot_be_recorded_and_mobile_cards_are_verified() {
    let c = cards();
    let mut sc = scene(Lang::En).await;
    let html = sc.check(&c.expired.to_string(), "Not valid: no free entry").await;
    assert!(html.contains("Expired on"), "{html}");
    assert!(!html.contains(r#"id="record""#));
    sc.s.click("next-person");
    assert!(!sc.s.html().contains("Not valid"), "dismissed");

    let html = sc.check(&c.revoked.to_string(), "Not valid: no free entry").await;
    assert!(html.contains(": reported lost."), "{html}");
    // Not in this device's register copy: a printed card nobody imported, never admitted.
    let html = sc.check("A999123453", "Not valid: no free entry").await;
    assert!(html.contains("ask the holder to contact the place that gave the card"), "{html}");

    let today = Utc::now().date_naive();
    let mobile = Credential {
        key_id: KeyId(1),
        card: c.parent.kaiku().expect("a mobile card has a Kaiku ID"),
        kind: CardKind::Personal,
        valid_until: today + TimeDelta::days(300),
        minors_on_record: 2,
        issued: None,
    };
    let good = mobile.issue(&issuer()).expect("signed");
    let html = sc.check(&good, "Valid: let in").await;
    assert!(html.contains("Checked from the signed mobile card."), "{html}");
    sc.s.click("next-person");
    let forged = mobile.issue(&IssuerKey::from_seed(KeyId(1), [8; 32])).expect("signed by someone else");
    let html = sc.check(&forged, "Not valid: no free entry").await;
    assert!(html.contains("The signature of the mobile card does not match"), "{html}");
    assert!(sc.logged().is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn the_door_speaks_finnish_and_swedish() {
    let c = cards();
    let mut fi = scene(Lang::Fi).await;
    let html = fi.check(&c.single.to_string(), "Kelpaa: päästä sisään").await;
    assert!(html.contains("Kirjaa 1 lippu"), "{html}");
    fi.s.click("record");
    fi.s.until(&format!("Kirjattu: {} · 1 aikuinen · Hamlet · Lippu", g(c.single))).await;
    fi.s.until("1 käyttökerta odottaa lähetystä").await;

    let mut sv = scene(Lang::Sv).await;
    let html = sv.check(&c.single.to_string(), "Giltigt: släpp in").await;
    assert!(html.contains("Registrera 1 biljett"), "{html}");
    sv.s.click("record");
    sv.s.until(&format!("Registrerat: {} · 1 vuxen · Hamlet · Biljett", g(c.single))).await;
}

#[tokio::test(flavor = "current_thread")]
async fn un_enrolling_with_unsent_redemptions_asks_first_and_keeps_the_log() {
    let c = cards();
    let mut sc = scene(Lang::En).await;
    sc.check(&c.single.to_string(), "Valid: let in").await;
    sc.s.click("record");
    sc.s.until("Recorded:").await;
    sc.s.click("unenroll");
    sc.s.until("1 redemption has not been sent yet. Sync first.").await;
    assert!(
        SqliteScannerStore::open(&sc.db).expect("opens").enrollment().expect("reads").is_some_and(|e| e.is_active())
    );
    sc.s.click("unenroll-keep");
    let html = sc.s.until("This device is no longer a scanner. Its log is kept.").await;
    assert!(html.contains("Make this device a scanner"), "enrollment is offered again: {html}");
    let again = SqliteScannerStore::open(&sc.db).expect("opens");
    assert!(again.enrollment().expect("reads").is_some_and(|e| !e.is_active()), "the token is gone");
    assert_eq!(sc.logged().len(), 1, "the log stays");
}

#[tokio::test(flavor = "current_thread")]
async fn enrollment_says_what_is_wrong_with_a_code_or_the_network() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("scanner.sqlite");
    let store = SqliteScannerStore::open(&db).expect("opens");
    let mut sc = scene_with(store, dir, db, Lang::En, "Make this device a scanner").await;
    sc.s.type_in("enroll-code", "7K2M");
    sc.s.submit("enroll-form");
    sc.s.until("An enrollment code has 12 characters; this has 4.").await;
    sc.s.type_in("enroll-code", "7k2m qx4p 9rtb");
    sc.s.submit("enroll-form");
    sc.s.until("No network connection.").await;
}

#[tokio::test(flavor = "current_thread")]
async fn enrollment_refuses_a_plain_http_server_next_to_the_field() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("scanner.sqlite");
    let store = SqliteScannerStore::open(&db).expect("opens");
    let mut sc = scene_with(store, dir, db, Lang::Fi, "Ota laite käyttöön lukijana").await;
    sc.s.type_in("enroll-server", "http://kaiku.example.fi");
    sc.s.type_in("enroll-code", "7k2m qx4p 9rtb");
    sc.s.submit("enroll-form");
    let html = sc.s.until("Käytä osoitetta, joka alkaa https://.").await;
    assert!(html.contains(r#"id="enroll-server-error""#), "next to the server field: {html}");
    assert!(html.contains(r#"aria-invalid="true""#) && html.contains("<details class=\"advanced\" open"), "{html}");
    assert!(!html.contains("Ei verkkoyhteyttä"), "nothing was sent: {html}");
    assert!(SqliteScannerStore::open(&sc.db).expect("opens").enrollment().expect("reads").is_none());
}

#[tokio::test(flavor = "current_thread")]
async fn scanning_the_code_without_a_camera_says_so_and_typing_still_works() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("scanner.sqlite");
    let store = SqliteScannerStore::open(&db).expect("opens");
    let mut sc = scene_with(store, dir, db, Lang::En, "Make this device a scanner").await;
    let html = sc.s.html();
    assert!(html.contains(r#"id="enroll-scan""#) && html.contains(">Scan the code</button>"), "{html}");
    // No camera on this machine: the screen says what is wrong and how to go on.
    sc.s.click("enroll-scan");
    let html = sc.s.until("the code in the Enrollment code field.").await;
    assert!(html.contains(r#"id="enroll-camera-state" class="camera-state camera-failed" role="status""#), "{html}");
    assert!(html.contains(">Scan the code</button>"), "the camera can be tried again: {html}");
    assert!(!html.contains(r#"id="enroll-scan-cancel""#), "no camera to stop: {html}");
    // Typing is still there.
    sc.s.type_in("enroll-code", "7k2m qx4p 9rtb");
    sc.s.submit("enroll-form");
    sc.s.until("No network connection.").await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_scan_button_speaks_finnish_and_swedish() {
    for (lang, title, button) in [
        (Lang::Fi, "Ota laite käyttöön lukijana", ">Lue koodi kameralla</button>"),
        (Lang::Sv, "Ta enheten i bruk som läsare", ">Läs koden med kameran</button>"),
    ] {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = dir.path().join("scanner.sqlite");
        let store = SqliteScannerStore::open(&db).expect("opens");
        let sc = scene_with(store, dir, db, lang, title).await;
        assert!(sc.s.html().contains(button), "{lang:?}: {}", sc.s.html());
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_one_time_code_enrolls_the_device_once_and_shows_the_venue() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let srv = server::Server::start(&dir.path().join("server.sqlite"), 0, true).await;
    let region = srv.store.create_region("Lapland").await.expect("a region");
    let venue = srv.store.create_venue(Some(region), "Arctic hall").await.expect("a venue");
    let code = srv.enrollment_code(venue).await;

    let db = dir.path().join("scanner.sqlite");
    let store = SqliteScannerStore::open(&db).expect("opens");
    let mut sc = scene_with(store, dir, db, Lang::En, "Make this device a scanner").await;
    sc.s.type_in("enroll-server", &srv.address());
    sc.s.type_in("enroll-code", "0000-0000-0000");
    sc.s.submit("enroll-form");
    sc.s.until("No such enrollment code. Check it and type it again.").await;
    // Typed as a person would: lower case, spaces instead of dashes.
    sc.s.type_in("enroll-code", &code.to_lowercase().replace('-', " "));
    sc.s.submit("enroll-form");
    let html = sc.s.until("This device now scans cards for Arctic hall.").await;
    assert!(html.contains("Venue: Arctic hall"), "{html}");
    assert!(html.contains("Register data updated just now"), "the first download is done: {html}");
    let e = SqliteScannerStore::open(&sc.db).expect("opens").enrollment().expect("reads").expect("enrolled");
    assert_eq!((e.venue, e.venue_name.as_str(), e.is_active()), (venue, "Arctic hall", true));

    // The same code on a second device is used up.
    let other = tempfile::tempdir().expect("a temporary folder");
    let db2 = other.path().join("scanner.sqlite");
    let mut second =
        scene_with(SqliteScannerStore::open(&db2).expect("opens"), other, db2, Lang::Fi, "Ota laite käyttöön lukijana")
            .await;
    second.s.type_in("enroll-server", &srv.address());
    second.s.type_in("enroll-code", &code);
    second.s.submit("enroll-form");
    second.s.until("Koodi on jo käytetty tai vanhentunut.").await;
}

#[tokio::test(flavor = "current_thread")]
async fn what_the_server_refused_is_listed_with_its_reason() {
    let c = cards();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("scanner.sqlite");
    let store = enrolled_store(&db).await;
    let fields = kaiku::scanner::Fields {
        card: c.single,
        venue: VenueId(1),
        offer: OfferKind::Ticket,
        offer_id: Some(OfferId(1)),
        children: 0,
        group: vec![],
        scanned_at: Utc::now(),
        entry: EntryMethod::Qr,
        verdict: VerdictCode::ValidUnverified,
    };
    let r = store.record(fields, None).expect("recorded");
    let refusal = kaiku_core::wire::ItemOutcome {
        index: 0,
        id: Some(r.id),
        outcome: kaiku_core::wire::Outcome::Rejected { reason: "card A001 revoked before the scan".into() },
    };
    ScannerStore::mark(&store, std::slice::from_ref(&r), &[refusal]).await.expect("marked");
    let sc = scene_with(store, dir, db, Lang::En, "1 redemption needs attention").await;
    let html = sc.s.html();
    assert!(html.contains("The server refused these. They stay on this device."), "{html}");
    assert!(html.contains("Refused by the server: card A001 revoked before the scan"), "{html}");
    assert!(html.contains("Let in unverified at the door."), "today's list says it was not verified: {html}");
    assert!(html.contains("redemption state-rejected"), "{html}");
}

// ---------------------------------------------------------------------------------------------
// A choice followed at once by leaving the screen is still kept
// ---------------------------------------------------------------------------------------------

/// A button that chooses scanner mode and leaves its screen in the same click, as "Scan cards"
/// does on the start screen.
#[component]
fn ChooseAndLeave(vault: VaultProp) -> Element {
    AppState::provide(Boot { vault: vault.0.clone(), prefs: Prefs::default(), card: None, storage_problem: None });
    let mut here = use_signal(|| true);
    rsx! {
        if here() {
            ChoiceButton { on_left: move |_| here.set(false) }
        } else {
            p { "left" }
        }
    }
}

#[component]
fn ChoiceButton(on_left: EventHandler<()>) -> Element {
    let app = use_app();
    rsx! {
        button {
            id: "choose",
            onclick: move |_| {
                app.update_prefs(|p| p.mode = Some(Mode::Scanner));
                on_left.call(());
            },
            "Scan cards"
        }
    }
}

#[derive(Clone)]
struct VaultProp(Rc<MemoryVault>);

impl PartialEq for VaultProp {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_mode_chosen_just_before_the_screen_goes_is_remembered() {
    let vault = Rc::new(MemoryVault::default());
    let mut s = Screen::new(VirtualDom::new_with_props(
        ChooseAndLeave,
        ChooseAndLeaveProps { vault: VaultProp(vault.clone()) },
    ));
    s.click("choose");
    s.until("left").await;
    for _ in 0..40 {
        if load::<Prefs>(vault.as_ref(), PREFS_KEY).await.expect("the vault reads").is_some() {
            break;
        }
        let _ = tokio::time::timeout(Duration::from_millis(25), s.vdom.wait_for_work()).await;
        s.vdom.render_immediate(&mut s.dom);
    }
    let prefs: Option<Prefs> = load(vault.as_ref(), PREFS_KEY).await.expect("the vault reads");
    assert_eq!(prefs.and_then(|p| p.mode), Some(Mode::Scanner), "the choice reached the device's storage");
}
