//! Signing keys over HTTP (`/signing-keys`), as an administrator's console uses them: listed
//! without secrets, added, activated; credentials issued afterwards name the new key.

use kaiku_core::ids::DistributorId;
use kaiku_core::keys::PublicKeyRecord;
use kaiku_core::{Credential, KeyId, KeySet};
use kaiku_sync_server::routes::signing_keys::SigningKeyEntry;
use kaiku_sync_server::store::Role;
use serde_json::json;

use crate::helpers::{TestApp, activate_new_card, spawn_app};

async fn listed(app: &TestApp) -> Vec<SigningKeyEntry> {
    let r = app.get("/api/v1/signing-keys", Some(&app.admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

async fn published(app: &TestApp) -> KeySet {
    let records: Vec<PublicKeyRecord> = app.get("/api/v1/keys", None).await.json();
    KeySet::from_records(&records).expect("valid public keys")
}

#[tokio::test]
async fn an_administrator_lists_adds_and_activates_keys_and_new_credentials_use_the_new_one() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let d: DistributorId = app.distributor(region, "Social services").await;
    let distributor = app.user(Role::Distributor(d)).await.1;

    let before = listed(&app).await;
    assert_eq!(before.len(), 1, "the key made at start: {before:?}");
    assert!(before[0].active);
    let text = app.get("/api/v1/signing-keys", Some(&app.admin)).await.text;
    assert!(!text.contains("seed"), "never the private seed: {text}");

    // Added but not active: published for scanners, not signing yet.
    let r = app.post("/api/v1/signing-keys", Some(&app.admin), json!({})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let added: SigningKeyEntry = r.json();
    assert_eq!((added.id, added.active), (2, false));
    assert_eq!(published(&app).await.len(), 2, "published at once");
    let credential = activate_new_card(&app, &distributor).await.credential;
    let verified = Credential::verify(&credential, &published(&app).await).expect("verifies");
    assert_eq!(verified.key_id, KeyId(before[0].id), "the old key still signs");

    let r = app.post("/api/v1/signing-keys/2/activate", Some(&app.admin), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json::<SigningKeyEntry>().active);
    let after = listed(&app).await;
    let states: Vec<(u16, bool)> = after.iter().map(|k| (k.id, k.active)).collect();
    assert_eq!(states, [(1, false), (2, true)], "exactly one key is active");

    let credential = activate_new_card(&app, &distributor).await.credential;
    let verified = Credential::verify(&credential, &published(&app).await).expect("verifies");
    assert_eq!(verified.key_id, KeyId(2), "new credentials name the new key");

    // Added and activated in one call.
    let r = app.post("/api/v1/signing-keys", Some(&app.admin), json!({"activate": true})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let third: SigningKeyEntry = r.json();
    assert_eq!((third.id, third.active, third.created_at), (3, true, app.now()));
    assert_eq!(listed(&app).await.iter().filter(|k| k.active).count(), 1);
}

#[tokio::test]
async fn a_coordinator_or_a_distributor_is_refused_and_an_unknown_key_is_not_found() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let d: DistributorId = app.distributor(region, "Social services").await;
    for role in [Role::Coordinator(region), Role::Distributor(d)] {
        let token = app.user(role).await.1;
        app.get("/api/v1/signing-keys", Some(&token)).await.assert_error(403, "forbidden", &["administrator"]);
        let r = app.post("/api/v1/signing-keys", Some(&token), json!({"activate": true})).await;
        r.assert_error(403, "forbidden", &["administrator"]);
        let r = app.post("/api/v1/signing-keys/1/activate", Some(&token), json!({})).await;
        r.assert_error(403, "forbidden", &["administrator"]);
    }
    assert_eq!(listed(&app).await.len(), 1, "nothing was added");

    let r = app.post("/api/v1/signing-keys/9/activate", Some(&app.admin), json!({})).await;
    r.assert_error(404, "not_found", &["no signing key 9"]);
    let r = app.post("/api/v1/signing-keys/x/activate", Some(&app.admin), json!({})).await;
    assert_eq!(r.status, 400, "{}", r.text);
    let r = app.post("/api/v1/signing-keys", Some(&app.admin), json!({"activate": "yes"})).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let states: Vec<bool> = listed(&app).await.iter().map(|k| k.active).collect();
    assert_eq!(states, [true], "key 1 still signs");
}
