//! The card screen rendered without a browser (dioxus-ssr), in all three languages.

#[path = "support/server.rs"]
mod server;

use std::rc::Rc;
use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use dioxus::dioxus_core::NoOpMutations;
use dioxus::prelude::*;
use kaiku::components::CardFace;
use kaiku::holder::{CARD_KEY, HeldCard};
use kaiku::i18n::Lang;
use kaiku::state::{AppState, Boot, Prefs};
use kaiku::storage::{MemoryVault, load, save};
use kaiku::views::CardScreen;
use kaiku_core::wire::{CardState, CardSummary};
use kaiku_core::{CardId, CardKind, Credential, IssuerKey};
use kaiku_sync_server::store::Store as _;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn held(kind: CardKind, until: NaiveDate, status: CardState, name: Option<&str>) -> HeldCard {
    HeldCard {
        credential: "KK1:TEST CREDENTIAL".into(),
        summary: CardSummary {
            card: CardId::parse("A000100009").expect("valid"),
            kind,
            valid_until: until,
            minors_on_record: 2,
            organisation: (kind == CardKind::Community).then(|| "Setlementti ry".to_owned()),
            status,
        },
        holder_name: name.map(str::to_owned),
        status_checked_at: Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).single().expect("time"),
        refresh_secret: None,
    }
}

fn render(card: HeldCard, lang: Lang, today: NaiveDate) -> String {
    dioxus_ssr::render_element(rsx! { CardFace { card, lang, today } })
}

fn valid_card() -> HeldCard {
    held(CardKind::Personal, d(2027, 6, 30), CardState::Valid { until: d(2027, 6, 30) }, Some("Maija Meikäläinen"))
}

#[test]
fn the_card_shows_its_facts_in_finnish_swedish_and_english() {
    let today = d(2026, 11, 21);
    let expected = [
        (
            Lang::Fi,
            ["Kaikukortti", "Henkilökohtainen kortti", "Voimassa 30.6.2027 asti", "Lipun saa 2 lasta", "Kortin numero"],
        ),
        (
            Lang::Sv,
            [
                "Kaikukort",
                "Personligt kort",
                "Giltigt till 2027-06-30",
                "Biljetter för 2 barn registrerade",
                "Kortnummer",
            ],
        ),
        (
            Lang::En,
            [
                "Culture for All card",
                "Personal card",
                "Valid until 30 June 2027",
                "Tickets for 2 children on record",
                "Card number",
            ],
        ),
    ];
    for (lang, texts) in expected {
        let html = render(valid_card(), lang, today);
        for text in texts {
            assert!(html.contains(text), "{lang:?}: missing {text:?}");
        }
        assert!(html.contains("A000 1000 09"), "{lang:?}: the ID in large digits");
        assert!(html.contains("Maija Meikäläinen"), "{lang:?}: the holder's name");
        assert!(html.contains(&format!(r#"lang="{}""#, lang.code())));
        assert!(!html.contains("notice"), "{lang:?}: no warning on a card valid for months");
    }
}

#[test]
fn both_codes_are_labelled_for_screen_readers_in_each_language() {
    let labels = [
        (Lang::Fi, "Kortin A000100009 QR-koodi ovella luettavaksi", "Kortin numeron A000100009 viivakoodi"),
        (Lang::Sv, "QR-kod för kort A000100009 att läsas vid dörren", "Streckkod för kortnummer A000100009"),
        (Lang::En, "QR code of card A000100009 for the door scanner", "Barcode of card number A000100009"),
    ];
    for (lang, qr, bar) in labels {
        let html = render(valid_card(), lang, d(2026, 11, 21));
        assert!(html.contains(&format!(r#"role="img" aria-label="{qr}""#)), "{lang:?}: {html}");
        assert!(html.contains(&format!(r#"role="img" aria-label="{bar}""#)), "{lang:?}");
        assert_eq!(html.matches("<svg").count(), 2, "{lang:?}: a QR code and a barcode");
    }
}

#[test]
fn a_card_expiring_within_thirty_days_warns_with_what_to_do() {
    let card = held(CardKind::Personal, d(2026, 12, 1), CardState::Valid { until: d(2026, 12, 1) }, None);
    let cases = [
        (Lang::Fi, "Korttisi vanhenee 10 päivän päästä. Uusi se siellä, mistä sait kortin."),
        (Lang::Sv, "Ditt kort går ut om 10 dagar. Förnya det där du fick kortet."),
        (Lang::En, "Your card expires in 10 days. Renew it where you got your card."),
    ];
    for (lang, text) in cases {
        let html = render(card.clone(), lang, d(2026, 11, 21));
        assert!(html.contains(text), "{lang:?}: {html}");
        assert!(html.contains(r#"role="alert""#), "{lang:?}: the warning is announced");
    }
}

#[test]
fn an_expired_card_says_when_and_where_to_renew() {
    let card = held(CardKind::Personal, d(2026, 11, 1), CardState::Expired { on: d(2026, 11, 1) }, None);
    let cases = [
        (Lang::Fi, "Korttisi vanheni 1.11.2026. Sen voi uusia siellä, mistä sait kortin."),
        (Lang::Sv, "Ditt kort gick ut 2026-11-01. Det kan förnyas där du fick kortet."),
        (Lang::En, "Your card expired on 1 November 2026. It can be renewed where you got your card."),
    ];
    for (lang, text) in cases {
        assert!(render(card.clone(), lang, d(2026, 11, 21)).contains(text), "{lang:?}");
    }
}

#[test]
fn a_revoked_card_says_it_was_cancelled() {
    let card = held(CardKind::Personal, d(2027, 6, 30), CardState::Revoked { on: d(2026, 10, 2) }, None);
    let html = render(card, Lang::En, d(2026, 11, 21));
    assert!(html.contains("This card was cancelled on 2 October 2026."), "{html}");
}

#[test]
fn a_community_card_names_its_organisation() {
    let card = held(CardKind::Community, d(2027, 6, 30), CardState::Valid { until: d(2027, 6, 30) }, None);
    assert!(render(card.clone(), Lang::Fi, d(2026, 11, 21)).contains("Yhteisökortti: Setlementti ry"));
    assert!(render(card, Lang::Sv, d(2026, 11, 21)).contains("Gemenskapskort: Setlementti ry"));
}

#[test]
fn the_card_is_alive_with_a_moving_band_and_the_time() {
    let html = render(valid_card(), Lang::En, d(2026, 11, 21));
    assert!(html.contains("live-band"), "a moving element");
    assert!(html.contains("Live card, time now "), "the current time");
}

/// A credential the real server signed for card A000100009, which its register does not hold.
async fn credential_of_a_card_not_in_the_register(server: &server::Server) -> String {
    let key = server.store.signing_keys().await.expect("the keys").into_iter().next().expect("a signing key");
    let key = IssuerKey::from_seed(key.id, key.seed);
    let card = valid_card().summary;
    Credential {
        key_id: key.id(),
        card: card.card.kaiku().expect("a mobile card has a Kaiku ID"),
        kind: card.kind,
        valid_until: card.valid_until,
        minors_on_record: card.minors_on_record,
        issued: None,
    }
    .issue(&key)
    .expect("signed")
}

/// The held card as a prop.
#[derive(Clone, PartialEq)]
struct HeldCardProp(HeldCard);

/// The phone's vault as a prop, compared by identity.
#[derive(Clone)]
struct VaultProp(Rc<MemoryVault>);

impl PartialEq for VaultProp {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
fn HolderApp(lang: Lang, server: String, vault: VaultProp, card: HeldCardProp) -> Element {
    AppState::provide(Boot {
        vault: vault.0,
        prefs: Prefs { lang: Some(lang), server: Some(server), ..Prefs::default() },
        card: Some(card.0),
        storage_problem: None,
    });
    rsx! { CardScreen {} }
}

#[tokio::test(flavor = "current_thread")]
async fn a_card_the_register_no_longer_knows_says_whom_to_contact_and_stays() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut register = server::Server::start(&dir.path().join("server.sqlite"), 0, true).await;
    let server = register.address();
    let card = HeldCard { credential: credential_of_a_card_not_in_the_register(&register).await, ..valid_card() };
    let cases = [
        (Lang::Fi, "Korttia ei enää löydy korttirekisteristä", "Ota yhteyttä sinne, mistä sait kortin"),
        (Lang::Sv, "Kortet finns inte längre i kortregistret", "Kontakta stället där du fick kortet"),
        (Lang::En, "This card is no longer in the card register", "Contact the place where you got your card"),
    ];
    for (lang, what, whom) in cases {
        let vault = Rc::new(MemoryVault::default());
        let html = card_screen_until(lang, &server, vault.clone(), &card, what).await;
        assert!(html.contains(what) && html.contains(whom), "{lang:?}: {html}");
        assert!(html.contains(r#"class="notice notice-bad" role="alert""#), "{lang:?}: announced: {html}");
        assert!(html.contains("A000 1000 09"), "{lang:?}: the card is still shown");
        assert!(!html.contains("No network"), "{lang:?}: not mistaken for being offline");
        let kept: Option<HeldCard> = load(vault.as_ref(), CARD_KEY).await.expect("the vault reads");
        assert_eq!(kept, Some(card.clone()), "{lang:?}: the card stays on the phone as it was");
    }
    register.shut_down().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_card_activated_before_refresh_secrets_is_told_to_be_activated_again_and_stays() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut register = server::Server::start(&dir.path().join("server.sqlite"), 0, true).await;
    let server = register.address();
    // A card the register holds, on a phone that has its credential but no refresh secret.
    let region = register.store.create_region("Lappi").await.expect("a region");
    let distributor = register.store.create_distributor(region, "Sosiaalitoimi").await.expect("a distributor");
    let summary = valid_card().summary;
    let card = kaiku_core::Card::issue(
        summary.card,
        summary.kind,
        region,
        distributor,
        d(2026, 6, 30),
        kaiku_core::Validity::TwelveMonths,
        summary.minors_on_record,
    )
    .expect("issues");
    let record = kaiku_sync_server::store::CardRecord { card, background: None };
    register.store.insert_card(&record).await.expect("the card is registered");
    let card = HeldCard { credential: credential_of_a_card_not_in_the_register(&register).await, ..valid_card() };
    let cases = [
        (Lang::Fi, "kortti pitää aktivoida uudelleen", "Pyydä uusi aktivointikoodi sieltä, mistä sait kortin"),
        (Lang::Sv, "kortet måste aktiveras på nytt", "Be om en ny aktiveringskod där du fick kortet"),
        (
            Lang::En,
            "the card must be activated again",
            "Ask the place where you got your card for a new activation code",
        ),
    ];
    for (lang, what, todo) in cases {
        let vault = Rc::new(MemoryVault::default());
        let html = card_screen_until(lang, &server, vault.clone(), &card, what).await;
        assert!(html.contains(what) && html.contains(todo), "{lang:?}: {html}");
        assert!(html.contains(r#"class="notice notice-bad" role="alert""#), "{lang:?}: announced: {html}");
        assert!(html.contains("A000 1000 09"), "{lang:?}: the card is still shown");
        let kept: Option<HeldCard> = load(vault.as_ref(), CARD_KEY).await.expect("the vault reads");
        assert_eq!(kept, Some(card.clone()), "{lang:?}: the card stays on the phone as it was");
    }
    register.shut_down().await;
}

/// The holder's card screen for `card` kept in `vault`, rendered until it shows `what` (or
/// about five seconds have passed), as HTML.
async fn card_screen_until(lang: Lang, server: &str, vault: Rc<MemoryVault>, card: &HeldCard, what: &str) -> String {
    save(vault.as_ref(), CARD_KEY, card).await.expect("the card is on the phone");
    let props =
        HolderAppProps { lang, server: server.to_owned(), vault: VaultProp(vault), card: HeldCardProp(card.clone()) };
    let mut vdom = VirtualDom::new_with_props(HolderApp, props);
    vdom.rebuild_in_place();
    let mut html = dioxus_ssr::render(&vdom);
    for _ in 0..200 {
        if html.contains(what) {
            break;
        }
        let _ = tokio::time::timeout(Duration::from_millis(25), vdom.wait_for_work()).await;
        vdom.render_immediate(&mut NoOpMutations);
        html = dioxus_ssr::render(&vdom);
    }
    html
}
