//! The distributor's console screens driven through the app's router in a VirtualDom with real
//! events (`support/screen.rs`) against a real sync server on 127.0.0.1: handing out a card with
//! its checks next to each field, putting it on a phone, printing it, finding it again.

use std::path::Path;
use std::rc::Rc;

use console::{Region, read_qr, tab, text_of};
use kaiku::i18n::Lang;
use kaiku::storage::MemoryVault;
use kaiku::views::staff::{Draft, GENDERS, SITUATIONS, TONGUES, check_draft};
use kaiku_core::CardId;
use kaiku_core::background::{Gender, LifeSituation, MotherTongue};
use kaiku_sync_server::store::Store;

#[path = "support/console.rs"]
mod console;
#[path = "support/screen.rs"]
mod screen;
#[path = "support/server.rs"]
mod server;

fn cards(db: &Path) -> i64 {
    server::count(db, "SELECT COUNT(*) FROM cards")
}

#[tokio::test(flavor = "current_thread")]
async fn bad_birth_year_and_postal_code_are_told_next_to_their_fields_and_nothing_is_sent() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    region.signed_in(&vault, "kaisa").await;
    let cases = [
        (
            Lang::Fi,
            "Syntymävuosi on neljä numeroa, esimerkiksi 1980.",
            "Postinumero on viisi numeroa, esimerkiksi 96100.",
        ),
        (
            Lang::Sv,
            "Ett födelseår är fyra siffror, till exempel 1980.",
            "Ett postnummer är fem siffror, till exempel 96100.",
        ),
        (
            Lang::En,
            "A year of birth is four digits, for example 1980.",
            "A postal code is five digits, for example 96100.",
        ),
    ];
    for (lang, year_words, postal_words) in cases {
        let mut s = tab(lang, &region, &vault, "/staff/cards/new");
        s.until("birth-year").await;
        s.type_in("birth-year", "85");
        s.type_in("postal-code", "9610");
        s.type_in("children", "2");
        s.submit("hand-out-form");
        let html = s.html();
        assert_eq!(text_of(&html, "birth-year-error"), year_words, "{lang:?}");
        assert_eq!(text_of(&html, "postal-code-error"), postal_words, "{lang:?}");
        assert_eq!(text_of(&html, "children-error"), "", "{lang:?}: two children is fine");
        // What was typed stays.
        assert!(html.contains(r#"value="9610""#), "{lang:?}: {html}");
    }
    let mut s = tab(Lang::En, &region, &vault, "/staff/cards/new");
    s.until("birth-year").await;
    s.type_in("birth-year", "2020");
    s.type_in("postal-code", "96100");
    s.submit("hand-out-form");
    assert!(text_of(&s.html(), "birth-year-error").starts_with("The year of birth must be between 1900 and"));
    // Let any stray request land before counting.
    let _ = tokio::time::timeout(std::time::Duration::from_millis(200), s.vdom.wait_for_work()).await;
    assert_eq!(cards(&region.db), 0, "nothing was sent");
}

#[tokio::test(flavor = "current_thread")]
async fn a_distributor_hands_out_a_personal_card_with_two_children_and_puts_it_on_a_phone() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    region.signed_in(&vault, "sari").await;
    let mut s = tab(Lang::En, &region, &vault, "/staff");
    s.until("Hand out a card").await;
    s.click("go-hand-out");
    s.until("Year of birth").await;
    s.type_in("birth-year", "1985");
    s.choose("gender", "female");
    s.choose("mother-tongue", "arabic");
    s.choose("situation-single_parent", "on");
    s.choose("situation-unemployed", "on");
    s.choose("situation-unemployed", "on");
    s.type_in("postal-code", "96100");
    s.type_in("children", "2");
    s.submit("hand-out-form");
    let html = s.until("The card is registered").await;
    let number = s.until("2 children on record").await;
    let shown = text_of(&number, "card-number");
    let id = CardId::parse(&shown.replace(' ', "")).expect("a card number is shown");
    assert_eq!(kaiku::holder::grouped_id(&id.to_string()), shown, "{html}");

    let record = region.store.card(id).await.expect("reads").expect("the card is in the register");
    assert_eq!(record.card.minors_on_record, 2);
    let background = record.background.expect("background data");
    assert_eq!((background.birth_year, background.gender), (1985, Gender::Female));
    assert_eq!(background.mother_tongue, MotherTongue::Arabic);
    assert_eq!(background.life_situations, vec![LifeSituation::SingleParent], "toggled twice is off");
    assert_eq!((background.postal_code.as_str(), background.minor_children), ("96100", 2));

    // Put it on the phone: the code, and its QR code read back with the app's decoder.
    s.click("to-phone");
    let html = s.until("Activation code").await;
    let code = text_of(&html, "activation-code");
    assert_eq!(code.len(), 14, "{html}");
    let svg = &html[html.find("<svg").expect("a QR code")..];
    let svg = &svg[..svg.find("</svg>").expect("its end") + 6];
    // A link to this server's activation screen, which a phone's camera app opens with the code.
    let link = read_qr(svg);
    assert_eq!(link, format!("{}/activate?code={code}", region.address), "the QR holds the activation link");
    assert_eq!(kaiku::links::activation_code(&link).as_deref(), Some(code.as_str()), "the app reads it back");
    // The holder's phone opens the link: "My card" with the code typed in, one tap to activate.
    let phone = Rc::new(MemoryVault::default());
    let mut h = tab(Lang::En, &region, &phone, &link[region.address.len()..]);
    let html = h.until("Activate").await;
    assert!(html.contains(&format!("value=\"{code}\"")), "the code is filled in: {html}");
    h.submit("activate-form");
    let html = h.until(&format!("{} ", &id.to_string()[..4])).await;
    assert!(html.contains("article") && html.contains("card"), "the card shows: {html}");
    let held = kaiku::storage::load::<kaiku::holder::HeldCard>(phone.as_ref(), kaiku::holder::CARD_KEY).await;
    assert_eq!(held.expect("reads").expect("the card is kept on the phone").summary.card, id);

    // Print: the true-size card.
    s.click("go-print");
    let html = s.until("Print the card").await;
    assert!(html.contains(r#"width="85.6mm" height="54mm""#), "{html}");
    s.click("print-now");
}

#[test]
fn the_form_checks_each_field_on_its_own() {
    let draft =
        Draft { birth_year: "19x5".into(), postal_code: "96100".into(), children: "31".into(), ..Draft::default() };
    let errors = check_draft(&draft, 2026, Lang::En).expect_err("wrong");
    assert_eq!(errors.birth_year.as_deref(), Some("A year of birth is four digits, for example 1980."));
    assert_eq!(errors.postal_code, None);
    assert_eq!(errors.children.as_deref(), Some("Type a number from 0 to 30."));
    let draft = Draft { birth_year: "1960".into(), children: "20".into(), grandchildren: "11".into(), ..draft };
    let errors = check_draft(&draft, 2026, Lang::Fi).expect_err("too many");
    assert_eq!(errors.grandchildren.as_deref(), Some("Lapsia ja lapsenlapsia voi olla yhteensä enintään 30."));
    let draft = Draft { kind: kaiku_core::CardKind::Community, birth_year: "nonsense".into(), ..Draft::default() };
    assert_eq!(check_draft(&draft, 2026, Lang::Sv), Ok((kaiku_core::CardKind::Community, None)));
}

#[test]
fn every_choice_of_the_form_has_words_in_each_language() {
    let ids = GENDERS.iter().map(|(_, c)| format!("staff-gender-{c}"));
    let ids = ids.chain(TONGUES.iter().map(|(_, c)| format!("staff-tongue-{c}")));
    let ids: Vec<String> = ids.chain(SITUATIONS.iter().map(|(_, c)| format!("staff-situation-{c}"))).collect();
    for lang in Lang::ALL {
        for id in &ids {
            assert_ne!(kaiku::i18n::t(lang, id), *id, "{lang:?} has no words for {id}");
        }
        for role in ["admin", "coordinator", "distributor", "venue"] {
            for prefix in ["staff-role-", "staff-scope-"] {
                let id = format!("{prefix}{role}");
                assert_ne!(kaiku::i18n::t(lang, &id), id, "{lang:?}");
            }
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_distributor_finds_its_cards_with_this_years_counts() {
    use kaiku::views::staff::client::{CardRegistration, NewCard};
    use kaiku_core::CardKind;
    use kaiku_core::background::{Background, PostalCode};
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let session = region.signed_in(&vault, "ville").await;
    let background = Background {
        birth_year: 1970,
        gender: Gender::Male,
        mother_tongue: MotherTongue::Finnish,
        life_situations: vec![],
        postal_code: PostalCode::parse("96200").expect("a postal code"),
        minor_children: 0,
        minor_grandchildren: 0,
    };
    let personal = NewCard { kind: CardKind::Personal, background: Some(background) };
    let first = session.api().register_card(&CardRegistration::new(personal)).await.expect("registered").card.id;
    let community = NewCard { kind: CardKind::Community, background: None };
    session.api().register_card(&CardRegistration::new(community)).await.expect("registered");

    let mut s = tab(Lang::Fi, &region, &vault, "/staff");
    s.until("Omat kortit").await;
    s.click("go-my-cards");
    s.until("2 korttia löytyi").await;
    // The year's counts come in an answer of their own, which may land after the list.
    let html = s.until("<dt>Annettu tänä vuonna</dt><dd>2</dd>").await;
    assert!(html.contains("Kortit vuonna"), "{html}");

    s.type_in("search-id", "A0?");
    s.submit("card-search");
    assert_eq!(text_of(&s.html(), "search-id-error"), "Kortin numerossa on vain kirjaimia ja numeroita, enintään 20.");
    let grouped = kaiku::holder::grouped_id(&first.to_string());
    s.type_in("search-id", &grouped.to_lowercase());
    s.submit("card-search");
    s.until("1 kortti löytyi").await;
    s.choose("search-status", "revoked");
    s.submit("card-search");
    s.until("Kortteja ei löytynyt").await;
    s.choose("search-status", "active");
    s.submit("card-search");
    s.until("1 kortti löytyi").await;
    s.click(&format!("card-{first}"));
    let html = s.until("Siirrä puhelimeen").await;
    assert_eq!(text_of(&html, "card-number"), grouped);
}

#[tokio::test(flavor = "current_thread")]
async fn a_card_is_cancelled_only_with_a_reason_and_then_says_so() {
    use kaiku::views::staff::client::{CardRegistration, NewCard};
    use kaiku_core::CardKind;
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let session = region.signed_in(&vault, "tuula").await;
    let community = NewCard { kind: CardKind::Community, background: None };
    let id = session.api().register_card(&CardRegistration::new(community)).await.expect("registered").card.id;

    let mut s = tab(Lang::Sv, &region, &vault, &format!("/staff/cards/{id}"));
    s.until("Giltigt till").await;
    s.click("renew");
    // Renewed: the button is free again.
    s.until(r#"<button id="renew" type="button">"#).await;
    s.submit("revoke-form");
    assert_eq!(text_of(&s.html(), "revoke-reason-error"), "Välj varför kortet annulleras.");
    let record = region.store.card(id).await.expect("reads").expect("registered");
    assert!(matches!(record.card.status, kaiku_core::card::CardStatus::Active), "nothing was sent");
    s.choose("revoke-reason", "stolen");
    s.submit("revoke-form");
    let html = s.until("Annullerat ").await;
    assert!(!html.contains("revoke-form"), "a cancelled card has nothing more to cancel: {html}");
    let record = region.store.card(id).await.expect("reads").expect("registered");
    assert!(matches!(
        record.card.status,
        kaiku_core::card::CardStatus::Revoked { reason: kaiku_core::card::RevocationReason::Stolen, .. }
    ));
}

#[tokio::test(flavor = "current_thread")]
async fn a_card_sent_again_after_a_lost_answer_is_registered_once() {
    use kaiku::views::staff::client::{CardRegistration, NewCard};
    use kaiku_core::CardKind;
    use kaiku_core::background::{Background, PostalCode};
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let session = region.signed_in(&vault, "ville").await;
    let community = NewCard { kind: CardKind::Community, background: None };
    let sent = CardRegistration::new(community.clone());
    let first = session.api().register_card(&sent).await.expect("registered").card.id;

    // The answer was lost: the screen sends the same card again, with the same key.
    let again = CardRegistration::again_or_new(Some(sent.clone()), community);
    assert_eq!(again.key, sent.key);
    assert_eq!(session.api().register_card(&again).await.expect("answered").card.id, first);
    assert_eq!(cards(&region.db), 1, "one card, not two");

    // A changed card is a new registration with a new key.
    let background = Background {
        birth_year: 1990,
        gender: Gender::Female,
        mother_tongue: MotherTongue::Swedish,
        life_situations: vec![],
        postal_code: PostalCode::parse("96100").expect("a postal code"),
        minor_children: 0,
        minor_grandchildren: 0,
    };
    let personal = NewCard { kind: CardKind::Personal, background: Some(background) };
    let changed = CardRegistration::again_or_new(Some(sent.clone()), personal);
    assert_ne!(changed.key, sent.key);
    assert_ne!(session.api().register_card(&changed).await.expect("registered").card.id, first);
    assert_eq!(cards(&region.db), 2);
}
