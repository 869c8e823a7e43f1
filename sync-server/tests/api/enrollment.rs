//! One-time codes: device enrollment codes and holders' activation codes are used once and
//! expire; their errors say what to do next.

use chrono::TimeDelta;
use kaiku_core::keys::PublicKeyRecord;
use kaiku_core::wire::{ActivateResponse, CardState, EnrollResponse};
use kaiku_sync_server::routes::cards::OneTimeCode;
use kaiku_sync_server::store::Role;
use serde_json::json;

use crate::helpers::{TestApp, date, spawn_app};

/// `ACTIVATION_RETRY` in src/store/sqlite/cards.rs (private there).
const ACTIVATION_RETRY: TimeDelta = TimeDelta::minutes(10);

/// A venue with a user; returns the venue user's token.
async fn venue_user(app: &TestApp) -> (kaiku_core::ids::VenueId, String) {
    let region = app.region("North").await;
    let venue = app.venue(Some(region), "Swimming hall").await;
    (venue, app.user(Role::Venue(venue)).await.1)
}

async fn enrollment_code(app: &TestApp, token: &str) -> OneTimeCode {
    let r = app.post("/api/v1/enrollment-codes", Some(token), json!({})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

#[tokio::test]
async fn a_device_enrolls_with_a_venue_users_code_and_gets_a_working_token() {
    let app = spawn_app().await;
    let (venue, token) = venue_user(&app).await;
    app.post(
        &format!("/api/v1/venues/{venue}/offers"),
        Some(&token),
        json!({"name": "Swimming", "kind": "ticket", "limit": 20}),
    )
    .await;
    let code = enrollment_code(&app, &token).await;
    assert_eq!(code.expires_at, app.now() + TimeDelta::minutes(app.settings.enrollment_code_minutes));
    assert!(code.qr_svg.as_deref().is_some_and(|s| s.contains("<svg")), "the code comes as a QR too");

    let r = app.post("/api/v1/devices/enroll", None, json!({"code": code.code, "label": "Main door"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let enrolled: EnrollResponse = r.json();
    assert_eq!(enrolled.venue, venue);
    assert_eq!(enrolled.venue_name, "Swimming hall");
    assert_eq!(enrolled.offers.len(), 1);
    assert_eq!(enrolled.offers[0].limit, Some(20));
    let keys: Vec<PublicKeyRecord> = app.get("/api/v1/keys", None).await.json();
    assert_eq!(enrolled.keys, keys);
    assert!(enrolled.token.starts_with(&format!("kd{}.", enrolled.device)));

    assert_eq!(app.get("/api/v1/register", Some(&enrolled.token)).await.status, 200);
    let devices = app.get("/api/v1/devices", Some(&token)).await;
    assert_eq!(devices.value()[0]["label"], "Main door");
    assert!(devices.value()[0].get("secret_hash").is_none(), "the token hash never leaves the server");
}

#[tokio::test]
async fn an_enrollment_code_works_only_once() {
    let app = spawn_app().await;
    let (_, token) = venue_user(&app).await;
    let code = enrollment_code(&app, &token).await;
    let first = app.post("/api/v1/devices/enroll", None, json!({"code": code.code, "label": "Door"})).await;
    assert_eq!(first.status, 200, "{}", first.text);

    let again = app.post("/api/v1/devices/enroll", None, json!({"code": code.code, "label": "Another"})).await;
    again.assert_error(410, "code_used_or_expired", &["used already", "create a new one"]);
    assert_eq!(app.count("SELECT count(*) FROM devices"), 1);
}

#[tokio::test]
async fn an_enrollment_code_is_typed_forgivingly() {
    let app = spawn_app().await;
    let (_, token) = venue_user(&app).await;
    let code = enrollment_code(&app, &token).await;
    let typed = format!(" {} ", code.code.to_lowercase().replace('-', " "));
    let r = app.post("/api/v1/devices/enroll", None, json!({"code": typed, "label": "Door"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn an_enrollment_code_expires_after_the_configured_minutes() {
    let app = spawn_app_with_short_codes().await;
    let (_, token) = venue_user(&app).await;
    let on_time = enrollment_code(&app, &token).await;
    let late = enrollment_code(&app, &token).await;

    // Exactly at the end of its life a code still works...
    app.advance(TimeDelta::minutes(app.settings.enrollment_code_minutes));
    let r = app.post("/api/v1/devices/enroll", None, json!({"code": on_time.code, "label": "Door"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // ...a second later it does not.
    app.advance(TimeDelta::seconds(1));
    let r = app.post("/api/v1/devices/enroll", None, json!({"code": late.code, "label": "Door"})).await;
    r.assert_error(410, "code_used_or_expired", &["expired", "create a new one"]);
}

async fn spawn_app_with_short_codes() -> TestApp {
    crate::helpers::spawn_app_with(|s| s.enrollment_code_minutes = 15).await
}

#[tokio::test]
async fn an_unknown_or_mistyped_enrollment_code_is_refused_with_advice() {
    let app = spawn_app().await;
    let r = app.post("/api/v1/devices/enroll", None, json!({"code": "ABCD-EFGH-JKMN", "label": "Door"})).await;
    r.assert_error(404, "not_found", &["no such enrollment code", "type it again"]);
    let (_, token) = venue_user(&app).await;
    let code = enrollment_code(&app, &token).await;
    let r = app.post("/api/v1/devices/enroll", None, json!({"code": code.code, "label": "   "})).await;
    r.assert_error(422, "invalid_value", &["device label"]);
}

#[tokio::test]
async fn an_administrator_names_the_venue_of_an_enrollment_code() {
    let app = spawn_app().await;
    let (venue, _) = venue_user(&app).await;
    app.post("/api/v1/enrollment-codes", Some(&app.admin), json!({})).await.assert_error(
        422,
        "invalid_value",
        &["name the venue"],
    );
    app.post("/api/v1/enrollment-codes", Some(&app.admin), json!({"venue": 999})).await.assert_error(
        404,
        "not_found",
        &["no venue 999"],
    );
    let r = app.post("/api/v1/enrollment-codes", Some(&app.admin), json!({"venue": venue})).await;
    assert_eq!(r.status, 201, "{}", r.text);
}

/// A distributor with a fresh personal card; returns (distributor token, card id).
async fn distributor_with_card(app: &TestApp) -> (String, kaiku_core::CardId) {
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let token = app.user(Role::Distributor(distributor)).await.1;
    let card = app.personal_card(distributor, date(2026, 6, 1), 2).await;
    (token, card.id)
}

async fn activation_code(app: &TestApp, token: &str, card: kaiku_core::CardId) -> OneTimeCode {
    let r = app.post(&format!("/api/v1/cards/{card}/activation-code"), Some(token), json!({})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

#[tokio::test]
async fn an_activation_code_may_be_retried_within_ten_minutes_of_first_use_and_not_after() {
    let app = spawn_app().await;
    let (token, card) = distributor_with_card(&app).await;
    let code = activation_code(&app, &token, card).await;

    let first = app.post("/api/v1/activate", None, json!({"code": code.code})).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.json::<ActivateResponse>().card.card, card);

    // The phone lost the answer and asks again, up to the end of the retry window.
    app.advance(ACTIVATION_RETRY);
    let retry = app.post("/api/v1/activate", None, json!({"code": code.code})).await;
    assert_eq!(retry.status, 200, "a retry within the window is answered: {}", retry.text);
    assert_eq!(retry.json::<ActivateResponse>().card.card, card);

    app.advance(TimeDelta::seconds(1));
    let late = app.post("/api/v1/activate", None, json!({"code": code.code})).await;
    late.assert_error(410, "code_used_or_expired", &["used already", "ask your distributor"]);
}

#[tokio::test]
async fn an_activation_code_expires_after_the_configured_days() {
    let app = spawn_app().await;
    let (token, card) = distributor_with_card(&app).await;
    let on_time = activation_code(&app, &token, card).await;
    let late = activation_code(&app, &token, card).await;
    assert_eq!(late.expires_at, app.now() + TimeDelta::days(app.settings.activation_code_days));

    app.advance(TimeDelta::days(app.settings.activation_code_days));
    let r = app.post("/api/v1/activate", None, json!({"code": on_time.code})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    app.advance(TimeDelta::seconds(1));
    app.post("/api/v1/activate", None, json!({"code": late.code})).await.assert_error(
        410,
        "code_used_or_expired",
        &["expired", "ask your distributor for a new one"],
    );
}

#[tokio::test]
async fn an_unknown_activation_code_is_refused_with_advice() {
    let app = spawn_app().await;
    app.post("/api/v1/activate", None, json!({"code": "0000-0000-0000"})).await.assert_error(
        404,
        "not_found",
        &["no such activation code", "check the code"],
    );
}

#[tokio::test]
async fn a_revoked_card_gets_no_activation_code_and_its_old_code_no_longer_activates() {
    let app = spawn_app().await;
    let (token, card) = distributor_with_card(&app).await;
    let code = activation_code(&app, &token, card).await;
    let r = app.post(&format!("/api/v1/cards/{card}/revoke"), Some(&token), json!({"reason": "stolen"})).await;
    assert_eq!(r.status, 200, "{}", r.text);

    app.post(&format!("/api/v1/cards/{card}/activation-code"), Some(&token), json!({})).await.assert_error(
        409,
        "conflict",
        &["revoked", "register a new card"],
    );
    app.post("/api/v1/activate", None, json!({"code": code.code})).await.assert_error(
        410,
        "code_used_or_expired",
        &["revoked", "ask your distributor"],
    );
    let status: CardState = app.get(&format!("/api/v1/cards/{card}/status"), Some(&app.admin)).await.json();
    assert_eq!(status, CardState::Revoked { on: app.now().date_naive() });
}
