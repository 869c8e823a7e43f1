//! The staff console's screens driven through the app's router in a VirtualDom with real events
//! (`support/screen.rs`) against a real sync server on 127.0.0.1: sign-in with an invited
//! account, its messages in Finnish, Swedish and English, the lock, accepting an invitation,
//! sign-out and an ended session, and a distributor handing out a card.

use std::path::Path;
use std::rc::Rc;

use console::{PASSWORD, Region, sign_in_on_screen, tab, text_of};
use kaiku::api::Api;
use kaiku::decode::decode_luma;
use kaiku::i18n::Lang;
use kaiku::storage::{MemoryVault, load};
use kaiku::views::staff::client::{NewUser, StaffApi, wait_text};
use kaiku::views::staff::{Draft, GENDERS, SESSION_KEY, SITUATIONS, StaffSession, TONGUES, check_draft};
use kaiku_core::CardId;
use kaiku_core::background::{Gender, LifeSituation, MotherTongue};
use kaiku_sync_server::store::Store;

#[path = "support/console.rs"]
mod console;
#[path = "support/screen.rs"]
mod screen;
#[path = "support/server.rs"]
mod server;

#[tokio::test(flavor = "current_thread")]
async fn an_invited_distributor_signs_in_stays_signed_in_after_a_reload_and_signs_out() {
    let region = Region::start(5).await;
    region.distributor_user("anna.k@example.fi").await;
    let vault = Rc::new(MemoryVault::default());

    let mut s = tab(Lang::En, &region, &vault, "/staff/sign-in");
    s.until("Staff sign-in").await;
    sign_in_on_screen(&mut s, "Anna.K@example.fi", PASSWORD).await;
    let html = s.until("Card distributor: Rovaniemen sosiaalitoimi").await;
    assert_eq!(text_of(&html, "who-name"), "anna.k@example.fi", "{html}");
    assert!(html.contains("Hand out a card"), "the distributor's screen is offered: {html}");
    assert!(!html.contains("Invite a user"), "not an administrator's: {html}");
    let kept: StaffSession = load(vault.as_ref(), SESSION_KEY).await.expect("reads").expect("the session is kept");
    assert!(kept.token.starts_with("ks"), "a session token: {}", kept.token);

    // A reload (a new tab over the same device storage) opens the console signed in, in Finnish.
    let mut s = tab(Lang::Fi, &region, &vault, "/staff");
    let html = s.until("Kortinjakaja: Rovaniemen sosiaalitoimi").await;
    assert!(html.contains("Anna kortti") && html.contains("Kirjaudu ulos"), "{html}");

    s.click("sign-out");
    s.until("Olet kirjautunut ulos.").await;
    assert!(load::<StaffSession>(vault.as_ref(), SESSION_KEY).await.expect("reads").is_none(), "forgotten");
    let refused = kept.api().me().await.expect_err("the server ended the session");
    assert!(refused.signed_out(), "{refused:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_wrong_password_is_told_next_to_the_password_in_each_language() {
    let region = Region::start(5).await;
    let cases = [
        (Lang::Fi, "Käyttäjätunnus tai salasana on väärin. Salasanassa isot ja pienet kirjaimet ovat eri merkkejä."),
        (Lang::Sv, "Användarnamnet eller lösenordet är fel. Stora och små bokstäver räknas som olika i lösenord."),
        (Lang::En, "The username or password is wrong. Passwords are case-sensitive."),
    ];
    for (lang, words) in cases {
        // One account a language: each wrong password slows its own account down.
        let name = format!("anna-{}", lang.code());
        region.distributor_user(&name).await;
        let vault = Rc::new(MemoryVault::default());
        let mut s = tab(lang, &region, &vault, "/staff/sign-in");
        s.until("sign-in-form").await;
        s.submit("sign-in-form");
        let html = s.html();
        assert!(!text_of(&html, "username-error").is_empty(), "{lang:?}: empty username: {html}");
        sign_in_on_screen(&mut s, &name, "Kirjasto-kahvila-94").await;
        let html = s.until(words).await;
        assert_eq!(text_of(&html, "password-error"), words, "{lang:?}: next to the password");
        assert!(html.contains(r#"aria-invalid="true""#), "{lang:?}: the field is marked: {html}");
        assert!(load::<StaffSession>(vault.as_ref(), SESSION_KEY).await.expect("reads").is_none());
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_locked_account_says_how_long_to_wait() {
    let region = Region::start(2).await;
    let cases = [
        (Lang::Fi, "Tili on lukittu liian monen väärän salasanan jälkeen. Yritä uudelleen 15 minuutin kuluttua."),
        (Lang::Sv, "Kontot är låst efter för många fel lösenord. Försök igen om 15 minuter."),
        (Lang::En, "This account is locked after too many wrong passwords. Try again in 15 minutes."),
    ];
    for (lang, words) in cases {
        let name = format!("lasse-{}", lang.code());
        region.distributor_user(&name).await;
        let vault = Rc::new(MemoryVault::default());
        let mut s = tab(lang, &region, &vault, "/staff/sign-in");
        s.until("sign-in-form").await;
        sign_in_on_screen(&mut s, &name, "wrong password 1").await;
        s.until("aria-invalid=\"true\"").await;
        sign_in_on_screen(&mut s, &name, "wrong password 2").await;
        let html = s.until(words).await;
        assert!(html.contains(r#"role="alert" class="form-error""#), "{lang:?}: announced: {html}");
        // Locked means locked: the right password waits too.
        sign_in_on_screen(&mut s, &name, PASSWORD).await;
        s.until(words).await;
        assert!(load::<StaffSession>(vault.as_ref(), SESSION_KEY).await.expect("reads").is_none());
    }
    assert_eq!(wait_text(45, Lang::En), "45 seconds");
    assert_eq!(wait_text(121, Lang::Sv), "3 minuter");
    assert_eq!(wait_text(60, Lang::Fi), "60 sekunnin");
}

#[tokio::test(flavor = "current_thread")]
async fn an_invitation_sets_the_password_signs_in_and_works_only_once() {
    let region = Region::start(5).await;
    let code = region.invitation().await;
    let vault = Rc::new(MemoryVault::default());
    let mut s = tab(Lang::En, &region, &vault, "/staff/sign-in");
    s.until("I have an invitation code").await;
    s.click("have-invitation");
    s.until("Accept an invitation").await;

    // Checked here first, next to each field; nothing is sent.
    s.type_in("invitation-code", &code);
    s.type_in("new-username", "pirjo");
    s.type_in("new-password", "short");
    s.submit("invitation-form");
    let html = s.html();
    assert_eq!(text_of(&html, "new-password-error"), "The password is too short: at least 10 characters.");
    s.type_in("new-password", PASSWORD);
    s.type_in("new-password-again", "kirjasto-kahvila-49");
    s.submit("invitation-form");
    assert_eq!(text_of(&s.html(), "new-password-again-error"), "The two passwords are not the same.");

    s.type_in("new-password-again", PASSWORD);
    s.submit("invitation-form");
    let html = s.until("Card distributor: Rovaniemen sosiaalitoimi").await;
    assert_eq!(text_of(&html, "who-name"), "pirjo");
    assert!(load::<StaffSession>(vault.as_ref(), SESSION_KEY).await.expect("reads").is_some(), "signed in");

    // The same code again, in Swedish: used. A new code with a taken username: taken.
    let cases = [
        (Lang::Sv, code.clone(), "pirjo2", "invitation-code-error", "Inbjudan har redan använts."),
        (
            Lang::Fi,
            region.invitation().await,
            "pirjo",
            "new-username-error",
            "Käyttäjätunnus on jo jonkun toisen käytössä.",
        ),
        (Lang::En, "AAAA-BBBB-CCCC".to_owned(), "pirjo3", "invitation-code-error", "No such invitation code."),
    ];
    for (lang, code, username, field, words) in cases {
        let mut s = tab(lang, &region, &Rc::new(MemoryVault::default()), "/staff/invitation");
        s.until("invitation-form").await;
        s.type_in("invitation-code", &code);
        s.type_in("new-username", username);
        s.type_in("new-password", PASSWORD);
        s.type_in("new-password-again", PASSWORD);
        s.submit("invitation-form");
        let html = s.until(words).await;
        assert!(text_of(&html, field).starts_with(words), "{lang:?}: next to its field: {html}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_ended_session_returns_to_sign_in_with_a_message() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let session = region.signed_in(&vault, "mikko").await;
    session.api().sign_out().await.expect("ended on the server, e.g. from another tab");
    let mut s = tab(Lang::Sv, &region, &vault, "/staff/cards/new");
    let html = s.until("Din session har upphört. Logga in igen.").await;
    assert!(html.contains("sign-in-form"), "the sign-in form is in place of the screen: {html}");
    assert!(load::<StaffSession>(vault.as_ref(), SESSION_KEY).await.expect("reads").is_none());
    // Signing in there opens the screen that was asked for.
    sign_in_on_screen(&mut s, "mikko", PASSWORD).await;
    s.until("Dela ut ett kort").await;
    s.until("Födelseår").await;
}

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
    assert_eq!(read_qr(svg), code, "the QR holds the code");
    let activated = Api::new(&region.address).activate(&code).await.expect("the holder's phone activates it");
    assert_eq!(activated.card.card, id);

    // Print: the true-size card.
    s.click("go-print");
    let html = s.until("Print the card").await;
    assert!(html.contains(r#"width="85.6mm" height="54mm""#), "{html}");
    s.click("print-now");
}

fn read_qr(svg: &str) -> String {
    use resvg::tiny_skia::{Color, Pixmap, Transform};
    use resvg::usvg::{Options, Tree};
    let tree = Tree::from_str(svg, &Options::default()).expect("the QR SVG parses");
    let scale = 400.0 / tree.size().width();
    let side = (tree.size().width() * scale).ceil() as u32 + 40;
    let mut pixmap = Pixmap::new(side, side).expect("non-empty");
    pixmap.fill(Color::WHITE);
    resvg::render(&tree, Transform::from_row(scale, 0.0, 0.0, scale, 20.0, 20.0), &mut pixmap.as_mut());
    let luma = kaiku::decode::rgba_to_luma(pixmap.data());
    decode_luma(&luma, side, side).expect("the QR code reads").text
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
async fn the_start_screen_offers_staff_sign_in_in_each_language() {
    let region = Region::start(5).await;
    let cases =
        [(Lang::Fi, "Henkilökunnan kirjautuminen"), (Lang::Sv, "Inloggning för personal"), (Lang::En, "Staff sign-in")];
    for (lang, words) in cases {
        let s = tab(lang, &region, &Rc::new(MemoryVault::default()), "/");
        let html = s.html();
        assert!(html.contains(&format!(r#"<span class="choice-title">{words}</span>"#)), "{lang:?}: {html}");
        assert_eq!(html.matches(r#"<button class="choice" type="button""#).count(), 3, "{lang:?}: {html}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_administrator_invites_a_distributor_user_who_can_then_sign_in() {
    let region = Region::start(5).await;
    let admin = NewUser { role: "admin".into(), scope: None, label: "Pääkäyttäjä".into() };
    let code = StaffApi::new(&region.address, Some(region.admin.clone())).invite(&admin).await.expect("invited").code;
    StaffApi::new(&region.address, None).accept_invitation(&code, "paakayttaja", PASSWORD).await.expect("accepted");

    let vault = Rc::new(MemoryVault::default());
    let mut s = tab(Lang::En, &region, &vault, "/staff");
    s.until("sign-in-form").await;
    sign_in_on_screen(&mut s, "paakayttaja", PASSWORD).await;
    s.until("Invite a user").await;
    assert!(!s.html().contains("Hand out a card"), "not a distributor's screen");
    s.click("go-invite");
    s.until("invite-form").await;
    s.choose("invite-role", "distributor");
    // The administrator picks from the server's list of distributors.
    s.until("Rovaniemen sosiaalitoimi").await;
    s.submit("invite-form");
    let html = s.html();
    assert_eq!(text_of(&html, "invite-scope-error"), "Choose the distributor.");
    assert_eq!(text_of(&html, "invite-label-error"), "Type who the user is.");
    // A distributor closed meanwhile (another tab): the server's refusal, next to the field.
    s.choose("invite-scope", "999");
    s.type_in("invite-label", "Liisa, sosiaalitoimi");
    s.submit("invite-form");
    s.until("There is no such organisation any more, or it is not in your region.").await;

    s.choose("invite-scope", &region.distributor.0.to_string());
    s.submit("invite-form");
    let html = s.until("invitation-made").await;
    let code = text_of(&html, "invitation-made");
    let api = StaffApi::new(&region.address, None);
    api.accept_invitation(&code, "liisa", PASSWORD).await.expect("the invitation works");
    let me = api.sign_in("liisa", PASSWORD).await.expect("signed in").user;
    assert_eq!((me.role.as_str(), me.scope_name.as_deref()), ("distributor", Some("Rovaniemen sosiaalitoimi")));
}
