//! Mobile credentials carry the time the server signed them (credential version 2), so that a
//! scanner can tell how old a card's code is.

use chrono::{TimeDelta, Timelike};
use kaiku_core::credential::{VERSION, VERSION_1};
use kaiku_core::keys::PublicKeyRecord;
use kaiku_core::{CardId, Credential, KeySet, base45};
use kaiku_sync_server::clock::Clock;
use kaiku_sync_server::routes::cards::CardView;
use kaiku_sync_server::store::Role;
use serde_json::json;

use crate::helpers::{TestApp, activate_card, spawn_app, spawn_app_with};

/// A distributor's token, a new personal card of theirs and the server's public keys.
async fn a_card_and_the_keys(app: &TestApp) -> (String, CardId, KeySet) {
    let region = app.region("North").await;
    let d = app.distributor(region, "Social services").await;
    let distributor = app.user(Role::Distributor(d)).await.1;
    let r = app
        .post(
            "/api/v1/cards",
            Some(&distributor),
            json!({
                "kind": "personal",
                "issued_on": "2026-06-01",
                "background": {
                    "birth_year": 1980, "gender": "female", "mother_tongue": "finnish",
                    "life_situations": [], "postal_code": "96100",
                    "minor_children": 0, "minor_grandchildren": 0
                }
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let card = r.json::<CardView>().card;
    let records: Vec<PublicKeyRecord> = app.get("/api/v1/keys", None).await.json();
    let keys = KeySet::from_records(&records).expect("valid public keys");
    (distributor, card.id, keys)
}

/// The version byte of an encoded credential.
fn version_of(credential: &str) -> u8 {
    base45::decode(&credential["KK1:".len()..]).expect("base45")[0]
}

#[tokio::test]
async fn an_activated_credential_says_when_the_server_signed_it() {
    let app = spawn_app().await;
    let (distributor, card, keys) = a_card_and_the_keys(&app).await;
    app.clock.advance(TimeDelta::seconds(42));
    let first = activate_card(&app, &distributor, card).await.credential;
    assert_eq!(version_of(&first), VERSION, "the server issues version 2 by default");
    let signed_at = app.clock.now().with_second(0).expect("a minute");
    let verified = Credential::verify(&first, &keys).expect("verifies");
    assert_eq!(verified.issued, Some(signed_at), "the server's time, to the minute");

    // A credential issued days later says so.
    app.clock.advance(TimeDelta::days(3));
    let later = Credential::verify(&activate_card(&app, &distributor, card).await.credential, &keys).expect("verifies");
    assert_eq!(later.issued, Some(signed_at + TimeDelta::days(3)));
}

#[tokio::test]
async fn with_credential_version_1_the_server_issues_credentials_old_scanners_read() {
    let app = spawn_app_with(|s| s.credential_version = 1).await;
    let (distributor, card, keys) = a_card_and_the_keys(&app).await;

    let credential = activate_card(&app, &distributor, card).await.credential;
    assert_eq!(version_of(&credential), VERSION_1, "the changeover setting issues version 1");
    let verified = Credential::verify(&credential, &keys).expect("a version-1 credential verifies");
    assert_eq!(verified.issued, None, "version 1 carries no issue time");
    assert_eq!(verified.card, card.kaiku().expect("a Kaiku number"), "it is the activated card's");
}
