//! A card registration sent with an `Idempotency-Key` may be sent again (the answer was lost,
//! the server restarted): the resend gets the card the first one registered and registers
//! nothing; the same key with another card is refused.

use kaiku_sync_server::routes::cards::CardView;
use kaiku_sync_server::store::Role;
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, spawn_app};

const CARDS: &str = "/api/v1/cards";

/// A distributor user's token.
async fn distributor(app: &TestApp, name: &str) -> String {
    let region = app.region(&format!("{name} region")).await;
    let d = app.distributor(region, name).await;
    app.user(Role::Distributor(d)).await.1
}

fn personal(birth_year: i32) -> Value {
    json!({
        "kind": "personal",
        "background": {
            "birth_year": birth_year, "gender": "female", "mother_tongue": "finnish",
            "life_situations": ["unemployed"], "postal_code": "96100",
            "minor_children": 1, "minor_grandchildren": 0
        }
    })
}

async fn register(app: &TestApp, token: &str, key: &str, body: &Value) -> Reply {
    app.post_with(CARDS, Some(token), ("Idempotency-Key", key), body).await
}

fn card_of(reply: &Reply) -> CardView {
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()
}

#[tokio::test]
async fn a_registration_sent_again_with_its_key_gets_the_same_card_and_registers_nothing() {
    let app = spawn_app().await;
    let token = distributor(&app, "Social services").await;
    let key = uuid::Uuid::now_v7().to_string();

    let first = register(&app, &token, &key, &personal(1980)).await;
    let again = register(&app, &token, &key, &personal(1980)).await;

    assert_eq!(first.value(), again.value(), "the resend's answer is the first answer");
    assert_eq!(app.count("SELECT count(*) FROM cards"), 1, "one card is registered");
    // A new key is a new card.
    let other = card_of(&register(&app, &token, &uuid::Uuid::now_v7().to_string(), &personal(1980)).await);
    assert_ne!(other.card.id, card_of(&first).card.id);
    assert_eq!(app.count("SELECT count(*) FROM cards"), 2);
}

#[tokio::test]
async fn a_resend_after_the_server_restarts_gets_the_card_the_first_request_registered() {
    let app = spawn_app().await;
    let token = distributor(&app, "Social services").await;
    let first = card_of(&register(&app, &token, "hand-out-17", &json!({ "kind": "community" })).await);

    let app = app.restart().await;
    let again = card_of(&register(&app, &token, "hand-out-17", &json!({ "kind": "community" })).await);

    assert_eq!(again.card, first.card);
    assert_eq!(app.count("SELECT count(*) FROM cards"), 1);
}

#[tokio::test]
async fn a_key_sent_again_with_a_different_card_is_refused_and_registers_nothing() {
    let app = spawn_app().await;
    let token = distributor(&app, "Social services").await;
    card_of(&register(&app, &token, "k-1", &personal(1980)).await);

    register(&app, &token, "k-1", &personal(1981)).await.assert_error(
        422,
        "idempotency_key_reused",
        &["sent before with a different request", "new key"],
    );
    register(&app, &token, "k-1", &json!({ "kind": "community" })).await.assert_error(
        422,
        "idempotency_key_reused",
        &[],
    );
    assert_eq!(app.count("SELECT count(*) FROM cards"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_of_one_key_register_one_card_and_all_get_it() {
    let app = spawn_app().await;
    let token = distributor(&app, "Social services").await;
    let body = personal(1990);

    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let request =
            app.client.post(app.url(CARDS)).bearer_auth(&token).header("Idempotency-Key", "same-key").json(&body);
        sends.spawn(async move {
            let r = request.send().await.expect("the server answers");
            assert_eq!(r.status(), 201);
            r.json::<CardView>().await.expect("a card")
        });
    }

    let cards: Vec<CardView> = sends.join_all().await;
    assert!(cards.iter().all(|c| c.card == cards[0].card), "every send got the one card: {cards:?}");
    assert_eq!(app.count("SELECT count(*) FROM cards"), 1);
}

#[tokio::test]
async fn another_distributors_equal_key_is_its_own_registration() {
    let app = spawn_app().await;
    let (north, south) = (distributor(&app, "North services").await, distributor(&app, "South services").await);

    let a = card_of(&register(&app, &north, "1", &json!({ "kind": "community" })).await);
    let b = card_of(&register(&app, &south, "1", &json!({ "kind": "community" })).await);

    assert_ne!(a.card.id, b.card.id);
    assert_ne!(a.card.distributor, b.card.distributor, "neither sees the other's card");
    assert_eq!(app.count("SELECT count(*) FROM cards"), 2);
}

#[tokio::test]
async fn a_malformed_key_is_refused_before_anything_is_registered() {
    let app = spawn_app().await;
    let token = distributor(&app, "Social services").await;
    let body = json!({ "kind": "community" });

    for key in ["", "has space", &"x".repeat(101)] {
        register(&app, &token, key, &body).await.assert_error(400, "invalid_idempotency_key", &["Idempotency-Key"]);
    }
    let twice = app
        .client
        .post(app.url(CARDS))
        .bearer_auth(&token)
        .header("Idempotency-Key", "a")
        .header("Idempotency-Key", "b")
        .json(&body)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(twice.status(), 400);
    assert_eq!(app.count("SELECT count(*) FROM cards"), 0);
}
