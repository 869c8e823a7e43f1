//! The key chain over HTTP: every new key is endorsed by the active one, retirements are signed
//! and published, and what a scanner makes of the pages (`TrustedKeys`) follows them.

use kaiku_core::ids::DistributorId;
use kaiku_core::keys::TrustedKeys;
use kaiku_core::wire::{RefreshResponse, RegisterPage};
use kaiku_core::{Credential, KeyId};
use kaiku_sync_server::routes::signing_keys::SigningKeyEntry;
use kaiku_sync_server::store::Role;
use serde_json::json;

use crate::helpers::{Device, TestApp, activate_new_card, date, spawn_app};

async fn page(app: &TestApp, device: &Device) -> RegisterPage {
    let r = app.get("/api/v1/register", Some(&device.token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

async fn add_key(app: &TestApp, activate: bool) -> SigningKeyEntry {
    let r = app.post("/api/v1/signing-keys", Some(&app.admin), json!({ "activate": activate })).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

#[tokio::test]
async fn each_new_key_is_endorsed_by_the_active_one_and_a_scanner_follows_the_chain() {
    let app = spawn_app().await;
    let device = app.device(app.venue(None, "Theatre").await).await;
    // The device enrolled when key 1 was the only one: key 1 is its root.
    let roots = TrustedKeys::enroll(&page(&app, &device).await.keys, &[]);
    assert_eq!(add_key(&app, true).await.endorsed_by, Some(1), "key 2 endorsed by key 1");
    assert_eq!(add_key(&app, false).await.endorsed_by, Some(2), "key 3 by key 2, the active one");

    let p = page(&app, &device).await;
    assert_eq!(p.keys.len(), 3, "the plain list stays for older apps");
    assert_eq!(p.endorsements.iter().map(|e| (e.key_id.0, e.by.0)).collect::<Vec<_>>(), [(2, 1), (3, 2)]);
    let trust = roots.learn(&p.keys, &p.endorsements, &p.retirements);
    assert!(trust.refused.is_empty(), "{:?}", trust.refused);
    let set = trust.key_set().expect("keys");
    assert!(set.get(KeyId(2)).is_some() && set.get(KeyId(3)).is_some());
}

#[tokio::test]
async fn a_retired_key_is_published_as_retired_and_its_holders_refresh_to_the_active_key() {
    let app = spawn_app().await;
    let d: DistributorId = app.distributor(app.region("North").await, "Social services").await;
    let distributor = app.user(Role::Distributor(d)).await.1;
    let device = app.device(app.venue(None, "Theatre").await).await;
    let old = activate_new_card(&app, &distributor).await;

    let r = app.post("/api/v1/signing-keys/1/retire", Some(&app.admin), json!({"from": "2026-12-01"})).await;
    r.assert_error(409, "conflict", &["activate another key first"]);
    add_key(&app, true).await;
    let r = app.post("/api/v1/signing-keys/1/retire", Some(&app.admin), json!({"from": "2026-12-01"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json::<SigningKeyEntry>().retired_from, Some(date(2026, 12, 1)));

    let p = page(&app, &device).await;
    assert_eq!(p.retirements.len(), 1);
    assert_eq!((p.retirements[0].key_id, p.retirements[0].by), (KeyId(1), KeyId(2)), "signed by the active key");
    let trust = TrustedKeys::enroll(&p.keys[..1], &[]).learn(&p.keys, &p.endorsements, &p.retirements);
    assert_eq!(trust.key_set().expect("keys").retired_from(KeyId(1)), Some(date(2026, 12, 1)));

    // A retirement only moves earlier, and a retired key never signs again.
    let r = app.post("/api/v1/signing-keys/1/retire", Some(&app.admin), json!({"from": "2027-01-01"})).await;
    r.assert_error(409, "conflict", &["only move earlier"]);
    let r = app.post("/api/v1/signing-keys/1/retire", Some(&app.admin), json!({"from": "2026-11-30"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app.post("/api/v1/signing-keys/1/activate", Some(&app.admin), json!({})).await;
    r.assert_error(409, "conflict", &["retired"]);

    // The holder's next refresh brings a credential under the active key.
    let secret = old.refresh_secret.clone();
    let r =
        app.post("/api/v1/holder/refresh", None, json!({"credential": old.credential, "refresh_secret": secret})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let fresh = r.json::<RefreshResponse>().credential.expect("a fresh credential");
    let keys = kaiku_sync_server::keys::public_set(app.store.as_ref()).await.expect("keys");
    assert_eq!(Credential::verify(&fresh, &keys).expect("verifies").key_id, KeyId(2));
}

#[tokio::test]
async fn only_an_administrator_retires_a_key_and_the_body_is_checked() {
    let app = spawn_app().await;
    add_key(&app, true).await;
    let v = app.venue(None, "Theatre").await;
    let venue = app.user(Role::Venue(v)).await.1;
    let r = app.post("/api/v1/signing-keys/1/retire", Some(&venue), json!({"from": "2027-01-01"})).await;
    r.assert_error(403, "forbidden", &["administrator"]);
    let r = app.post("/api/v1/signing-keys/1/retire", Some(&app.admin), json!({"from": "soon"})).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = app.post("/api/v1/signing-keys/9/retire", Some(&app.admin), json!({"from": "2027-01-01"})).await;
    r.assert_error(404, "not_found", &["no signing key 9"]);
}
