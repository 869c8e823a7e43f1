//! Setting up a region through the console's screens, driven through the app's router with real
//! events (`support/screen.rs`) against a real sync server on 127.0.0.1: a region's first day
//! (region, its coordinator, a distributor, a venue with its offer, a user for each), messages
//! next to the fields, resets and revocations, signing keys, and who is offered what.

use std::rc::Rc;

use console::{PASSWORD, Region, tab, text_of};
use kaiku::i18n::Lang;
use kaiku::storage::MemoryVault;
use kaiku::views::staff::client::StaffApi;
use kaiku_core::ids::VenueId;
use kaiku_core::redemption::OfferKind;

#[path = "support/console.rs"]
mod console;
#[path = "support/screen.rs"]
mod screen;
#[path = "support/server.rs"]
mod server;

/// The value attribute of the input `id` as rendered.
fn value_of(html: &str, id: &str) -> String {
    let Some(at) = html.find(&format!("id=\"{id}\"")) else { return String::new() };
    let tag = &html[at..at + html[at..].find('>').unwrap_or(0)];
    tag.split("value=\"").nth(1).and_then(|v| v.split('"').next()).unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn a_regions_first_day_runs_through_the_set_up_screens() {
    let region = Region::start(5).await;
    let admin_vault = Rc::new(MemoryVault::default());
    region.staff_signed_in(&admin_vault, "admin", None, "paakayttaja").await;

    // The administrator creates the region and invites its coordinator.
    let mut s = tab(Lang::En, &region, &admin_vault, "/staff");
    s.until("go-regions").await;
    s.click("go-regions");
    s.until("region-form").await;
    s.type_in("region-name", "Rovaniemi");
    s.submit("region-form");
    s.until("Invite the coordinator of Rovaniemi").await;
    s.type_in("invite-label", "Riikka");
    s.submit("invite-form");
    let html = s.until("invitation-made").await;
    let code = text_of(&html, "invitation-made");
    assert!(html.contains("Give this code to Riikka."), "{html}");
    s.until("Coordinators: Riikka").await;

    // The coordinator accepts on the invitation screen and is signed in.
    let coordinator_vault = Rc::new(MemoryVault::default());
    let mut s = tab(Lang::En, &region, &coordinator_vault, "/staff/invitation");
    s.until("invitation-form").await;
    s.type_in("invitation-code", &code);
    s.type_in("new-username", "riikka");
    s.type_in("new-password", PASSWORD);
    s.type_in("new-password-again", PASSWORD);
    s.submit("invitation-form");
    s.until("Region coordinator: Rovaniemi").await;

    // A distributor, then a venue whose limit is first mistyped: the message is next to the
    // limit, and what was typed stays.
    s.click("go-organisations");
    s.until("distributor-form").await;
    s.type_in("distributor-name", "Rovaniemen seurakunta");
    s.submit("distributor-form");
    s.until("Rovaniemen seurakunta is added.").await;
    s.type_in("venue-name", "Korundi");
    s.type_in("offer-name", "Konsertti");
    s.choose("offer-kind", "ticket");
    s.type_in("offer-limit", "-1");
    s.submit("venue-form");
    let html = s.html();
    assert!(text_of(&html, "offer-limit-error").starts_with("The daily limit is 1 to 100"), "{html}");
    assert_eq!((value_of(&html, "venue-name"), value_of(&html, "offer-limit")), ("Korundi".into(), "-1".into()));
    s.type_in("offer-limit", "20");
    s.submit("venue-form");
    s.until("Korundi is added with Konsertti.").await;
    let html = s.until("<li>Korundi</li>").await;
    assert!(html.contains("<li>Rovaniemen seurakunta</li>"), "{html}");

    let session: kaiku::views::staff::StaffSession =
        kaiku::storage::load(coordinator_vault.as_ref(), kaiku::views::staff::SESSION_KEY)
            .await
            .expect("reads")
            .expect("signed in");
    let api = session.api();
    let region_id = session.me.scope.expect("the coordinator's region");
    let distributor = api.orgs_of("distributors", None).await.expect("listed")[0].clone();
    let venue = api.orgs_of("venues", None).await.expect("listed")[0].clone();
    assert_eq!((distributor.region, venue.region), (Some(region_id), Some(region_id)));
    let offers = api.venue_offers(VenueId(u32::try_from(venue.id).expect("an id"))).await.expect("offers");
    assert_eq!(offers.len(), 1, "one offer, the venue made once: {offers:?}");
    assert_eq!((offers[0].name.as_str(), offers[0].kind, offers[0].limit), ("Konsertti", OfferKind::Ticket, Some(20)));

    // A user for each, from the users screen.
    let mut s = tab(Lang::En, &region, &coordinator_vault, "/staff/users");
    s.until("invite-form").await;
    let mut codes = Vec::new();
    for (role, id, name, label) in
        [("distributor", distributor.id, "Rovaniemen seurakunta", "Seija"), ("venue", venue.id, "Korundi", "Kalle")]
    {
        s.choose("invite-role", role);
        s.until(&format!(">{name}</option>")).await;
        s.choose("invite-scope", &id.to_string());
        s.type_in("invite-label", label);
        s.submit("invite-form");
        let html = s.until(&format!("Give this code to {label}.")).await;
        codes.push(text_of(&html, "invitation-made"));
    }
    let html = s.until("<td>Venue: Korundi</td>").await;
    assert!(html.contains("<td>Card distributor: Rovaniemen seurakunta</td>"), "{html}");
    assert_eq!(html.matches("Invited, no password yet").count(), 2, "{html}");

    // They accept and sign in with the right role and scope.
    for (code, username, role, scope) in
        [(&codes[0], "seija", "distributor", "Rovaniemen seurakunta"), (&codes[1], "kalle", "venue", "Korundi")]
    {
        let me = region.accept(code, username).await.api().me().await.expect("who am I");
        assert_eq!((me.role.as_str(), me.scope_name.as_deref()), (role, Some(scope)));
        assert_eq!(me.scope, Some(if role == "venue" { venue.id } else { distributor.id }));
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_empty_region_name_is_told_next_to_the_field_and_nothing_is_made() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let admin = region.staff_signed_in(&vault, "admin", None, "paakayttaja").await;
    let before = admin.api().regions().await.expect("regions").len();
    let cases = [
        (Lang::Fi, "Kirjoita alueen nimi."),
        (Lang::Sv, "Skriv regionens namn."),
        (Lang::En, "Type the name of the region."),
    ];
    for (lang, words) in cases {
        let mut s = tab(lang, &region, &vault, "/staff/regions");
        s.until("region-form").await;
        s.type_in("region-name", "   ");
        s.submit("region-form");
        let html = s.html();
        assert_eq!(text_of(&html, "region-name-error"), words, "{lang:?}: {html}");
        assert!(html.contains(r#"aria-describedby="region-name-hint region-name-error""#), "{html}");
        // The form still works.
        s.type_in("region-name", &format!("Alue {}", lang.code()));
        s.submit("region-form");
        s.until(&format!("Alue {}</strong>", lang.code())).await;
    }
    assert_eq!(admin.api().regions().await.expect("regions").len(), before + 3, "one region per good try");
}

#[tokio::test(flavor = "current_thread")]
async fn an_administrator_resets_a_user_and_revokes_another_after_confirming() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    region.staff_signed_in(&vault, "admin", None, "paakayttaja").await;
    region.distributor_user("anna").await;
    region.distributor_user("lasse").await;
    let users = StaffApi::new(&region.address, Some(region.admin.clone())).users().await.expect("users");
    let id = |name: &str| users.iter().find(|u| u.username.as_deref() == Some(name)).expect("listed").id;
    let (anna, lasse) = (id("anna"), id("lasse"));

    let mut s = tab(Lang::En, &region, &vault, "/staff/users");
    s.until(&format!("reset-{anna}")).await;
    assert!(s.html().contains("Can sign in"), "{}", s.html());
    s.click(&format!("reset-{anna}"));
    let html = s.until("invitation-made").await;
    let code = text_of(&html, "invitation-made");
    // The new invitation sets a new password: a reset.
    let api = StaffApi::new(&region.address, None);
    api.accept_invitation(&code, "anna2", "uusi salasana 2026").await.expect("the reset works");
    api.sign_in("anna2", "uusi salasana 2026").await.expect("signed in with the new password");

    s.click(&format!("revoke-{lasse}"));
    let html = s.until("confirm-revoke-yes").await;
    assert!(html.contains("Revoke Anna?"), "asks first, naming whom: {html}");
    let signed = api.sign_in("lasse", PASSWORD).await.expect("not revoked before confirming");
    s.click("confirm-revoke-yes");
    s.until(&format!(r#"id="user-{lasse}-state">Revoked"#)).await;
    let refused = StaffApi::new(&region.address, Some(signed.token)).me().await.expect_err("revoked");
    assert!(refused.signed_out(), "{refused:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_administrator_adds_and_activates_a_signing_key_on_screen() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let admin = region.staff_signed_in(&vault, "admin", None, "paakayttaja").await;
    let mut s = tab(Lang::En, &region, &vault, "/staff");
    s.until("go-keys").await;
    s.click("go-keys");
    s.until("Signs new cards").await;
    s.click("add-key");
    s.until("Key 2 is added and published.").await;
    s.until("activate-key-2").await;
    s.click("activate-key-2");
    let html = s.until("confirm-activate-yes").await;
    assert!(html.contains("Sign new cards with key 2 from now on?"), "asks first: {html}");
    let keys = admin.api().signing_keys().await.expect("keys");
    assert!(keys[0].active && !keys[1].active, "nothing changes before confirming: {keys:?}");
    s.click("confirm-activate-yes");
    s.until("Key 2 now signs new cards.").await;
    let keys = admin.api().signing_keys().await.expect("keys");
    let states: Vec<(u16, bool)> = keys.iter().map(|k| (k.id, k.active)).collect();
    assert_eq!(states, [(1, false), (2, true)]);
    let html = s.until(r#"id="key-2-state"><strong>Signs new cards"#).await;
    assert!(html.contains("activate-key-1"), "the earlier key can be made active again: {html}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_coordinators_home_offers_set_up_but_not_regions_or_signing_keys() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let admin = StaffApi::new(&region.address, Some(region.admin.clone()));
    let lappi = admin.regions().await.expect("regions")[0].id;
    region.staff_signed_in(&vault, "coordinator", Some(lappi), "koordinaattori").await;
    let mut s = tab(Lang::En, &region, &vault, "/staff");
    let html = s.until("Region coordinator: Lappi").await;
    assert!(html.contains("Distributors and venues") && html.contains(">Users<"), "{html}");
    assert!(!html.contains("go-keys") && !html.contains("Signing keys"), "{html}");
    assert!(!html.contains("go-regions"), "{html}");
    // Typed in by hand, the screen says no (and the server would refuse anyway).
    let mut s = tab(Lang::En, &region, &vault, "/staff/keys");
    s.until("Your role does not allow this.").await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_set_up_screens_have_their_headings_in_each_language() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    region.staff_signed_in(&vault, "admin", None, "paakayttaja").await;
    let screens = [
        ("/staff/regions", ["Alueet", "Regioner", "Regions"]),
        ("/staff/organisations", ["Kortinjakajat ja kohteet", "Kortutdelare och besöksmål", "Distributors and venues"]),
        ("/staff/users", ["Käyttäjät", "Användare", "Users"]),
        ("/staff/keys", ["Allekirjoitusavaimet", "Signeringsnycklar", "Signing keys"]),
    ];
    for (path, headings) in screens {
        for (lang, heading) in [Lang::Fi, Lang::Sv, Lang::En].into_iter().zip(headings) {
            let mut s = tab(lang, &region, &vault, path);
            let html = s.until(&format!("<h1>{heading}</h1>")).await;
            assert!(!html.contains(">staff-"), "{lang:?} {path}: every text is translated: {html}");
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_administrator_retires_a_key_from_a_day_after_a_confirmation() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    let admin = region.staff_signed_in(&vault, "admin", None, "paakayttaja").await;
    admin.api().add_signing_key(true).await.expect("key 2, active");
    let mut s = tab(Lang::En, &region, &vault, "/staff/keys");
    let html = s.until("retire-key-1").await;
    assert!(!html.contains("retire-key-2"), "the active key cannot be retired: {html}");
    assert!(html.contains("endorsed by key 1"), "key 2 was endorsed by key 1: {html}");
    s.click("retire-key-1");
    s.until("retire-key-go").await;
    s.type_in("retire-from", "");
    s.click("retire-key-go");
    let html = s.until("Choose the day from which the key").await;
    assert!(html.contains(r#"aria-describedby="retire-from-error""#), "the message is tied to the field: {html}");
    s.type_in("retire-from", "2026-12-01");
    s.click("retire-key-go");
    let html = s.until("confirm-retire-yes").await;
    assert!(html.contains("Retire key 1 from 1 December 2026? This cannot be undone."), "asks first: {html}");
    assert!(admin.api().signing_keys().await.expect("keys")[0].retired_from.is_none(), "nothing before confirming");
    s.click("confirm-retire-yes");
    s.until("Key 1 is retired from 1 December 2026.").await;
    let html = s.until(r#"id="key-1-state"><span>Retired from 1 December 2026"#).await;
    assert!(!html.contains("activate-key-1"), "a retired key is never made active again: {html}");
    let keys = admin.api().signing_keys().await.expect("keys");
    assert_eq!(keys[0].retired_from, chrono::NaiveDate::from_ymd_opt(2026, 12, 1));
}
