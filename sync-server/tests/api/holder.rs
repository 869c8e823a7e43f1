//! The holder's app (activation, refresh) and the scanners' register copy (snapshot, deltas,
//! paging).

use chrono::TimeDelta;
use kaiku_core::card::RevocationReason;
use kaiku_core::ids::DistributorId;
use kaiku_core::keys::PublicKeyRecord;
use kaiku_core::verdict::RegisterStatus;
use kaiku_core::wire::{ActivateResponse, CardState, RefreshResponse, RegisterPage};
use kaiku_core::{CardId, CardKind, Credential, KeyId, KeySet};
use kaiku_sync_server::keys;
use kaiku_sync_server::routes::cards::{CardView, OneTimeCode};
use kaiku_sync_server::store::Role;
use serde_json::json;

use crate::helpers::{Device, TestApp, date, spawn_app, spawn_app_with};

/// A refresh request with the activation's refresh secret.
fn refresh_body(activated: &ActivateResponse, credential: &str) -> serde_json::Value {
    json!({"credential": credential, "refresh_secret": activated.refresh_secret})
}

struct Holder {
    app: TestApp,
    distributor: String,
}

async fn holder_scene() -> Holder {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let d: DistributorId = app.distributor(region, "Social services").await;
    let distributor = app.user(Role::Distributor(d)).await.1;
    Holder { app, distributor }
}

impl Holder {
    /// Registers a card through the API as the distributor would.
    async fn register(&self, body: serde_json::Value) -> CardView {
        let r = self.app.post("/api/v1/cards", Some(&self.distributor), body).await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.json()
    }

    async fn personal(&self, issued_on: &str) -> CardView {
        self.register(json!({
            "kind": "personal",
            "issued_on": issued_on,
            "background": {
                "birth_year": 1975, "gender": "male", "mother_tongue": "swedish",
                "life_situations": ["single_parent"], "postal_code": "00100",
                "minor_children": 1, "minor_grandchildren": 1
            }
        }))
        .await
    }

    async fn activate(&self, card: CardId) -> ActivateResponse {
        let r =
            self.app.post(&format!("/api/v1/cards/{card}/activation-code"), Some(&self.distributor), json!({})).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let code: OneTimeCode = r.json();
        let r = self.app.post("/api/v1/activate", None, json!({"code": code.code})).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    }

    /// Refreshes `credential` with the refresh secret `activated` gave, as the holder's app does.
    async fn refresh(&self, activated: &ActivateResponse, credential: &str) -> RefreshResponse {
        let r = self.app.post("/api/v1/holder/refresh", None, refresh_body(activated, credential)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    }

    /// The public keys as a scanner gets them.
    async fn keys(&self) -> KeySet {
        let records: Vec<PublicKeyRecord> = self.app.get("/api/v1/keys", None).await.json();
        KeySet::from_records(&records).expect("valid public keys")
    }
}

#[tokio::test]
async fn an_activated_credential_verifies_with_the_published_public_keys() {
    let h = holder_scene().await;
    let card = h.personal("2026-06-01").await.card;
    assert_eq!(card.minors_on_record, 2, "children and grandchildren together");
    let activated = h.activate(card.id).await;

    let verified = Credential::verify(&activated.credential, &h.keys().await).expect("the credential verifies");
    assert_eq!(CardId::from(verified.card), card.id);
    assert_eq!(verified.kind, CardKind::Personal);
    assert_eq!(verified.valid_until, date(2027, 6, 1));
    assert_eq!(verified.minors_on_record, 2);
    assert_eq!(verified.key_id, KeyId(1));
    assert_eq!(activated.card.card, card.id);
    assert_eq!(activated.card.status, CardState::Valid { until: date(2027, 6, 1) });
    assert_eq!(activated.card.organisation, None, "a personal card names no organisation");

    // Changed by one character, it no longer verifies.
    let mut forged = activated.credential.clone().into_bytes();
    let last = forged.len() - 1;
    forged[last] = if forged[last] == b'0' { b'1' } else { b'0' };
    let forged = String::from_utf8(forged).expect("ascii");
    assert!(Credential::verify(&forged, &h.keys().await).is_err());
}

#[tokio::test]
async fn a_community_cards_credential_names_its_organisation() {
    let h = holder_scene().await;
    let card = h.register(json!({"kind": "community"})).await.card;
    let activated = h.activate(card.id).await;
    assert_eq!(activated.card.organisation.as_deref(), Some("Social services"));
    assert_eq!(activated.card.kind, CardKind::Community);
    let verified = Credential::verify(&activated.credential, &h.keys().await).expect("verifies");
    assert_eq!((verified.kind, verified.minors_on_record), (CardKind::Community, 0));
}

#[tokio::test]
async fn a_refresh_after_renewal_returns_a_credential_with_the_new_valid_until() {
    let h = holder_scene().await;
    let card = h.personal("2025-12-01").await.card;
    assert_eq!(card.valid_until, date(2026, 12, 1));
    let activated = h.activate(card.id).await;

    h.app.advance(TimeDelta::days(158)); // 2026-11-20
    let r = h.app.post(&format!("/api/v1/cards/{}/renew", card.id), Some(&h.distributor), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json::<CardView>().card.valid_until, date(2027, 11, 20));

    let refreshed = h.refresh(&activated, &activated.credential).await;
    let credential = refreshed.credential.expect("a renewed card gets a new credential");
    let verified = Credential::verify(&credential, &h.keys().await).expect("verifies");
    assert_eq!(verified.valid_until, date(2027, 11, 20));
    assert_eq!(refreshed.card.valid_until, date(2027, 11, 20));
    assert_eq!(refreshed.card.status, CardState::Valid { until: date(2027, 11, 20) });
}

#[tokio::test]
async fn a_refresh_after_revocation_returns_no_credential_and_the_revoked_state() {
    let h = holder_scene().await;
    let card = h.personal("2026-06-01").await.card;
    let activated = h.activate(card.id).await;
    h.app.advance(TimeDelta::days(3));
    let r = h
        .app
        .post(&format!("/api/v1/cards/{}/revoke", card.id), Some(&h.distributor), json!({"reason": "stolen"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let r = h.app.post("/api/v1/holder/refresh", None, refresh_body(&activated, &activated.credential)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.value().get("credential").is_none(), "no credential at all: {}", r.text);
    let refreshed: RefreshResponse = r.json();
    assert_eq!(refreshed.credential, None);
    assert_eq!(refreshed.card.status, CardState::Revoked { on: date(2026, 6, 18) });
}

#[tokio::test]
async fn an_expired_card_refreshes_to_its_expired_state() {
    let h = holder_scene().await;
    let card = h.personal("2025-06-01").await.card;
    let activated = h.activate(card.id).await;
    assert_eq!(activated.card.status, CardState::Expired { on: date(2026, 6, 1) });
    let refreshed = h.refresh(&activated, &activated.credential).await;
    assert_eq!(refreshed.card.status, CardState::Expired { on: date(2026, 6, 1) });
}

#[tokio::test]
async fn credentials_signed_before_a_key_rotation_still_refresh_and_come_back_signed_with_the_new_key() {
    let h = holder_scene().await;
    let card = h.personal("2026-06-01").await.card;
    let activated = h.activate(card.id).await;
    let old = activated.credential.clone();
    let new_key = keys::add(h.app.store.as_ref(), h.app.clock.as_ref(), true).await.expect("a new key");
    assert_eq!(h.keys().await.len(), 2, "the old key stays published");

    let refreshed = h.refresh(&activated, &old).await.credential.expect("a credential");
    assert_eq!(Credential::verify(&refreshed, &h.keys().await).expect("verifies").key_id, new_key);
    assert_eq!(Credential::verify(&old, &h.keys().await).expect("still verifies").key_id, KeyId(1));
}

#[tokio::test]
async fn a_forged_or_garbled_credential_is_refused_with_the_reason() {
    let h = holder_scene().await;
    let card = h.personal("2026-06-01").await.card;
    let good = h.activate(card.id).await.credential;
    let mut tampered = good.clone().into_bytes();
    tampered[10] = if tampered[10] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    for (credential, says) in [
        ("hello".to_owned(), "does not start with KK1:"),
        ("KK1:".to_owned(), "cut short"),
        ("KK1:!!!".to_owned(), "base45"),
        (tampered, "credential"),
    ] {
        let r = h.app.post("/api/v1/holder/refresh", None, json!({"credential": credential})).await;
        r.assert_error(422, "invalid_value", &[says]);
    }
}

#[tokio::test]
async fn a_refresh_with_only_an_old_credential_is_refused() {
    let h = holder_scene().await;
    let card = h.personal("2026-06-01").await.card;
    let activated = h.activate(card.id).await;
    let secret = activated.refresh_secret.clone().expect("the activation hands out a refresh secret");
    assert_eq!(secret.len(), 64, "256 random bits as hex: {secret}");
    let stored = h.app.count("SELECT count(*) FROM refresh_secrets WHERE secret_hash IS NOT NULL");
    assert_eq!(stored, 1, "only the hash is kept");

    // The credential alone, as a copied screenshot gives it: refused, with what to do.
    let says = ["activated again", "distributor", "new activation code"];
    let alone = h.app.post("/api/v1/holder/refresh", None, json!({"credential": activated.credential})).await;
    alone.assert_error(403, "needs_activation", &says);
    // With a secret that is not the card's.
    let wrong = json!({"credential": activated.credential, "refresh_secret": "0".repeat(64)});
    h.app.post("/api/v1/holder/refresh", None, wrong).await.assert_error(403, "needs_activation", &says);
    // With the card's own secret the refresh works.
    assert!(h.refresh(&activated, &activated.credential).await.credential.is_some());

    // A new activation (a new phone) replaces the secret: the first phone's stops working.
    let again = h.activate(card.id).await;
    assert_ne!(again.refresh_secret, activated.refresh_secret);
    let first = h.app.post("/api/v1/holder/refresh", None, refresh_body(&activated, &activated.credential)).await;
    first.assert_error(403, "needs_activation", &says);
    assert!(h.refresh(&again, &activated.credential).await.credential.is_some(), "the new phone refreshes");
}

#[tokio::test]
async fn a_card_activated_before_refresh_secrets_gets_the_same_clear_refusal() {
    let h = holder_scene().await;
    let card = h.personal("2026-06-01").await.card;
    let activated = h.activate(card.id).await;
    // As a database from before this change holds it: no secret for the card.
    h.app.execute("DELETE FROM refresh_secrets");
    let r = h.app.post("/api/v1/holder/refresh", None, refresh_body(&activated, &activated.credential)).await;
    r.assert_error(403, "needs_activation", &["new activation code"]);
}

// ----- The scanners' register copy -----

async fn page(app: &TestApp, device: &Device, query: &str) -> RegisterPage {
    let r = app.get(&format!("/api/v1/register{query}"), Some(&device.token)).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    r.json()
}

#[tokio::test]
async fn a_device_gets_a_snapshot_then_deltas_with_only_the_changed_cards() {
    let h = holder_scene().await;
    let venue = h.app.venue(None, "Pop-up gallery").await;
    let device = h.app.device(venue).await;
    let mut cards = Vec::new();
    for _ in 0..4 {
        cards.push(h.personal("2026-06-01").await.card);
    }

    let snapshot = page(&h.app, &device, "").await;
    assert!(snapshot.snapshot && !snapshot.more);
    assert_eq!(snapshot.as_of, h.app.now());
    assert_eq!(snapshot.keys.len(), 1);
    assert_eq!(
        snapshot.records.iter().map(|r| r.card).collect::<Vec<_>>(),
        cards.iter().map(|c| c.id).collect::<Vec<_>>()
    );
    assert!(snapshot.records.iter().all(|r| r.entry.status == RegisterStatus::Active && r.entry.minors_on_record == 2));

    // Renew one card: the next delta has that card only, with its new date.
    h.app.advance(TimeDelta::days(200));
    let renewed = cards[1].id;
    h.app.post(&format!("/api/v1/cards/{renewed}/renew"), Some(&h.distributor), json!({})).await;
    let delta = page(&h.app, &device, &format!("?cursor={}", snapshot.next.0)).await;
    assert!(!delta.snapshot && !delta.more);
    assert_eq!(delta.records.len(), 1, "{:?}", delta.records);
    assert_eq!(delta.records[0].card, renewed);
    assert_eq!(delta.records[0].entry.valid_until, date(2028, 1, 1));

    // Revoke another: the delta has just that one, revoked.
    let revoked = cards[3].id;
    h.app.post(&format!("/api/v1/cards/{revoked}/revoke"), Some(&h.distributor), json!({"reason": "lost"})).await;
    let delta2 = page(&h.app, &device, &format!("?cursor={}", delta.next.0)).await;
    assert_eq!(delta2.records.len(), 1, "{:?}", delta2.records);
    assert_eq!(delta2.records[0].card, revoked);
    assert_eq!(
        delta2.records[0].entry.status,
        RegisterStatus::Revoked { reason: RevocationReason::Lost, on: date(2027, 1, 1) }
    );

    // Nothing new: an empty delta that keeps the cursor where it was.
    let nothing = page(&h.app, &device, &format!("?cursor={}", delta2.next.0)).await;
    assert!(nothing.records.is_empty() && !nothing.more);
    assert_eq!(nothing.next, delta2.next);

    // A newly registered card arrives in the next delta.
    let fresh = h.register(json!({"kind": "community"})).await.card.id;
    let delta3 = page(&h.app, &device, &format!("?cursor={}", nothing.next.0)).await;
    assert_eq!(delta3.records.iter().map(|r| r.card).collect::<Vec<_>>(), vec![fresh]);
    // And a new snapshot holds every card once, in its latest state.
    let again = page(&h.app, &device, "").await;
    assert_eq!(again.records.len(), 5);
    assert!(again.snapshot);
}

#[tokio::test]
async fn the_register_copy_pages_with_limit_and_more() {
    let app = spawn_app_with(|s| s.register_page_size = 4).await;
    let region = app.region("North").await;
    let d = app.distributor(region, "Social services").await;
    let device = app.device(app.venue(Some(region), "Swimming hall").await).await;
    let mut all = Vec::new();
    for _ in 0..5 {
        all.push(app.personal_card(d, date(2026, 6, 1), 0).await.id);
    }

    let mut seen = Vec::new();
    let mut shape = Vec::new();
    let mut query = "?limit=2".to_owned();
    loop {
        let p = page(&app, &device, &query).await;
        shape.push((p.records.len(), p.more));
        seen.extend(p.records.iter().map(|r| r.card));
        if !p.more {
            break;
        }
        query = format!("?limit=2&cursor={}", p.next.0);
    }
    assert_eq!(shape, [(2, true), (2, true), (1, false)]);
    assert_eq!(seen, all, "every card exactly once, in the order of change");

    // A page that fits exactly says there is no more.
    let p = page(&app, &device, "?limit=2&cursor=0").await;
    let p2 = page(&app, &device, &format!("?limit=3&cursor={}", p.next.0)).await;
    assert_eq!((p2.records.len(), p2.more), (3, false));
    // The page size setting caps the limit, and a limit of 0 still returns one record.
    let capped = page(&app, &device, "?limit=100").await;
    assert_eq!((capped.records.len(), capped.more), (4, true));
    let capped = page(&app, &device, "").await;
    assert_eq!((capped.records.len(), capped.more), (4, true));
    let one = page(&app, &device, "?limit=0").await;
    assert_eq!((one.records.len(), one.more), (1, true));
}
