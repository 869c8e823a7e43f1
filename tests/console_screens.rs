//! The staff console's screens driven through the app's router in a VirtualDom with real events
//! (`support/screen.rs`) against a real sync server on 127.0.0.1: sign-in with an invited
//! account, its messages in Finnish, Swedish and English, the lock, accepting an invitation,
//! sign-out and an ended session, inviting a user, and the start screen's way in.

use std::rc::Rc;

use console::{PASSWORD, Region, sign_in_on_screen, tab, text_of};
use kaiku::i18n::Lang;
use kaiku::storage::{MemoryVault, load};
use kaiku::views::staff::client::{NewUser, StaffApi, wait_text};
use kaiku::views::staff::{SESSION_KEY, StaffSession};

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
