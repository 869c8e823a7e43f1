//! The holder's app against a real sync server: activation keeps the card's refresh secret on
//! the phone, and the card screen's refresh sends it and gets the card as the register has it.

use std::rc::Rc;

use chrono::{NaiveDate, TimeDelta, Utc};
use console::{Region, tab};
use kaiku::holder::{CARD_KEY, HeldCard};
use kaiku::i18n::Lang;
use kaiku::storage::{MemoryVault, load};
use kaiku_core::{Card, CardId, CardKind, KaikuId, Validity};
use kaiku_sync_server::codes;
use kaiku_sync_server::store::{CardRecord, Store};

#[path = "support/console.rs"]
mod console;
#[path = "support/screen.rs"]
mod screen;

#[tokio::test(flavor = "current_thread")]
async fn the_holders_app_refreshes_with_the_secret_its_activation_gave() {
    let region = Region::start(5).await;
    let info = region.store.distributor(region.distributor).await.expect("reads").expect("the distributor");
    let id = CardId::from(KaikuId::new('A', 4242).expect("a card id"));
    let issued = Utc::now().date_naive() - TimeDelta::days(30);
    let card = Card::issue(id, CardKind::Personal, info.region, region.distributor, issued, Validity::TwelveMonths, 0)
        .expect("issues");
    region.store.insert_card(&CardRecord { card: card.clone(), background: None }).await.expect("registered");
    let code = codes::new_one_time_code();
    let expires = Utc::now() + TimeDelta::days(1);
    region.store.create_activation_code(id, &codes::code_hash(&code), expires).await.expect("an activation code");

    // The holder activates the card on the phone with the code.
    let phone = Rc::new(MemoryVault::default());
    let mut h = tab(Lang::En, &region, &phone, &format!("/activate?code={code}"));
    h.until("Activate").await;
    h.submit("activate-form");
    h.until("refresh-status").await;
    let held: HeldCard = load(phone.as_ref(), CARD_KEY).await.expect("reads").expect("the card is on the phone");
    let secret = held.refresh_secret.clone().expect("the activation's refresh secret is kept with the card");
    assert_eq!(secret.len(), 64, "{secret}");

    // The distributor renews the card; the holder refreshes and sees the new date.
    let renewed_until = NaiveDate::from_ymd_opt(2030, 1, 31).expect("a date");
    let renewed = Card { valid_until: renewed_until, ..card };
    region.store.update_card(&renewed).await.expect("renewed");
    h.click("refresh-status");
    let html = h.until("Valid until 31 January 2030").await;
    assert!(!html.contains("activated again"), "{html}");
    let kept: HeldCard = load(phone.as_ref(), CARD_KEY).await.expect("reads").expect("still on the phone");
    assert_eq!(kept.summary.valid_until, renewed_until, "the refreshed card is kept");
    assert_eq!(kept.refresh_secret.as_deref(), Some(secret.as_str()), "the secret stays with the card");
}
