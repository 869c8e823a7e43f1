//! Staff sign-in over HTTP: invitations, passwords, sessions, lockout and slow-down, and that
//! a session sees exactly what the user's role and scope allow.

use chrono::TimeDelta;
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use kaiku_sync_server::store::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, date, spawn_app, spawn_app_with};

const PASSWORD: &str = "kulttuuria kaikille 1";

/// Invites a user with `role` as `inviter`; the user id and the code.
async fn invite(app: &TestApp, inviter: &str, role: Role, label: &str) -> (i64, String) {
    let mut body = serde_json::to_value(role).expect("a role");
    body["label"] = json!(label);
    let r = app.post("/api/v1/users/invitations", Some(inviter), body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let v = r.value();
    (v["user"].as_i64().expect("a user id"), v["code"].as_str().expect("a code").to_owned())
}

async fn accept(app: &TestApp, code: &str, username: &str, password: &str) -> Reply {
    app.post("/api/v1/auth/accept-invitation", None, json!({"code": code, "username": username, "password": password}))
        .await
}

async fn sign_in(app: &TestApp, username: &str, password: &str) -> Reply {
    app.post("/api/v1/auth/sign-in", None, json!({"username": username, "password": password})).await
}

/// A session token for `username`, which must sign in.
async fn session(app: &TestApp, username: &str, password: &str) -> String {
    let r = sign_in(app, username, password).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.value()["token"].as_str().expect("a token").to_owned()
}

/// A user with `role`, a password and a session: (user id, session token).
async fn staff(app: &TestApp, role: Role, username: &str) -> (i64, String) {
    let (id, code) = invite(app, &app.admin, role, username).await;
    assert_eq!(accept(app, &code, username, PASSWORD).await.status, 200);
    (id, session(app, username, PASSWORD).await)
}

fn retry_after(r: &Reply) -> u64 {
    let header: u64 = r.headers["retry-after"].to_str().expect("text").parse().expect("seconds");
    assert_eq!(r.value()["retry_after"].as_u64(), Some(header), "{}", r.text);
    header
}

#[tokio::test]
async fn an_invitation_sets_a_password_and_the_session_acts_as_the_user() {
    let app = spawn_app().await;
    let region = app.region("Lappi").await;
    let r = app
        .post(
            "/api/v1/users/invitations",
            Some(&app.admin),
            json!({"role": "coordinator", "scope": region, "label": "Anna"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let v = r.value();
    assert!(v["qr_svg"].as_str().is_some_and(|s| s.contains("<svg")));
    assert_eq!(v["expires_at"], json!(app.now() + TimeDelta::days(7)));
    let code = v["code"].as_str().expect("a code");

    let r = accept(&app, &code.to_lowercase(), " Anna.Virtanen@Lappi.FI ", PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.value()["username"], "anna.virtanen@lappi.fi");

    let r = sign_in(&app, "ANNA.virtanen@lappi.fi", PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let token = r.value()["token"].as_str().expect("a token").to_owned();
    assert!(token.starts_with("ks"), "{token}");
    let me = app.get("/api/v1/auth/me", Some(&token)).await;
    assert_eq!(me.status, 200, "{}", me.text);
    let me = me.value();
    assert_eq!((&me["role"], &me["scope"]), (&json!("coordinator"), &json!(region)));
    assert_eq!(
        (&me["username"], &me["scope_name"], &me["label"]),
        (&json!("anna.virtanen@lappi.fi"), &json!("Lappi"), &json!("Anna"))
    );
    assert_eq!(me["session"]["expires_at"], json!(app.now() + TimeDelta::hours(24)));
    assert_eq!(me["session"]["idle_minutes"], 720);

    // The session is the coordinator on every route; the old bearer tokens still work.
    assert_eq!(app.get(&format!("/api/v1/statistics?year=2026&region={region}"), Some(&token)).await.status, 200);
    let other = app.region("Uusimaa").await;
    let r = app.get(&format!("/api/v1/statistics?year=2026&region={other}"), Some(&token)).await;
    r.assert_error(403, "forbidden", &[]);
    let admin = app.get("/api/v1/auth/me", Some(&app.admin)).await.value();
    assert_eq!((&admin["role"], &admin["username"], &admin["session"]), (&json!("admin"), &Value::Null, &Value::Null));
}

#[tokio::test]
async fn an_invitation_works_once_and_not_after_it_expires() {
    let app = spawn_app().await;
    let (_, code) = invite(&app, &app.admin, Role::Admin, "Second admin").await;
    assert_eq!(accept(&app, &code, "second.admin", PASSWORD).await.status, 200);
    accept(&app, &code, "someone.else", "another password 2").await.assert_error(
        410,
        "invitation_used",
        &["used already"],
    );
    assert_eq!(sign_in(&app, "someone.else", "another password 2").await.status, 401);

    let (_, late) = invite(&app, &app.admin, Role::Admin, "Third admin").await;
    app.advance(TimeDelta::days(7) + TimeDelta::seconds(1));
    accept(&app, &late, "third.admin", PASSWORD).await.assert_error(410, "invitation_expired", &["expired"]);
    accept(&app, "0000-0000-0000", "third.admin", PASSWORD).await.assert_error(
        404,
        "not_found",
        &["no such invitation"],
    );
}

#[tokio::test]
async fn bad_input_is_refused_saying_what_is_wrong() {
    let app = spawn_app().await;
    let (_, first) = invite(&app, &app.admin, Role::Admin, "One").await;
    let (_, second) = invite(&app, &app.admin, Role::Admin, "Two").await;
    accept(&app, &second, "maija", "too short").await.assert_error(422, "invalid_value", &["at least 10 characters"]);
    accept(&app, &second, "maija meikäläinen", PASSWORD).await.assert_error(422, "invalid_value", &["username"]);
    accept(&app, &second, "maija.m", "MAIJA.M").await.assert_error(422, "invalid_value", &["at least 10"]);
    accept(&app, &second, "maijameikalainen", "MaijaMeikalainen").await.assert_error(
        422,
        "invalid_value",
        &["not be the username"],
    );
    assert_eq!(accept(&app, &first, "maija", PASSWORD).await.status, 200);
    accept(&app, &second, "MAIJA", PASSWORD).await.assert_error(409, "conflict", &["taken"]);
    let r = app
        .post(
            "/api/v1/auth/accept-invitation",
            None,
            json!({"code": second, "username": "x", "password": PASSWORD, "admin": true}),
        )
        .await;
    r.assert_error(422, "invalid_value", &["admin"]);
    app.post("/api/v1/auth/sign-in", None, json!({"username": "maija"})).await.assert_error(
        422,
        "invalid_value",
        &["password"],
    );
    sign_in(&app, "maija", "").await.assert_error(422, "invalid_value", &["password"]);
    // The second invitation is still good after all those refusals.
    assert_eq!(accept(&app, &second, "matti", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_even_against_the_right_one_until_the_time_passes() {
    let app = spawn_app().await;
    let (_, code) = invite(&app, &app.admin, Role::Admin, "Pekka").await;
    assert_eq!(accept(&app, &code, "pekka", PASSWORD).await.status, 200);

    // Failures 1-4 are answered as wrong; from the second on, the next try must wait.
    sign_in(&app, "pekka", "wrong password 0").await.assert_error(401, "wrong_credentials", &["username or password"]);
    sign_in(&app, "pekka", "wrong password 1").await.assert_error(401, "wrong_credentials", &[]);
    let slowed = sign_in(&app, "pekka", PASSWORD).await;
    slowed.assert_error(429, "too_many_attempts", &["wait 1 seconds"]);
    assert_eq!(retry_after(&slowed), 1);
    for (i, wait) in [(2, 1), (3, 2)] {
        app.advance(TimeDelta::seconds(wait));
        sign_in(&app, "pekka", &format!("wrong password {i}")).await.assert_error(401, "wrong_credentials", &[]);
    }
    app.advance(TimeDelta::seconds(4));
    let locked = sign_in(&app, "pekka", "wrong password 4").await;
    locked.assert_error(429, "account_locked", &["locked", "15 minutes"]);
    assert_eq!(retry_after(&locked), 15 * 60);

    // Locked in the database: a restarted server still refuses, even the right password.
    let app = app.restart().await;
    app.advance(TimeDelta::minutes(14));
    let still = sign_in(&app, "pekka", PASSWORD).await;
    still.assert_error(429, "account_locked", &["60 seconds"]);
    assert_eq!(retry_after(&still), 60);
    app.advance(TimeDelta::seconds(60));
    assert_eq!(sign_in(&app, "pekka", PASSWORD).await.status, 200);

    // An unknown name is answered exactly as a wrong password.
    let unknown = sign_in(&app, "nobody.here", PASSWORD).await;
    let wrong = sign_in(&app, "pekka", "wrong password 5").await;
    assert_eq!((unknown.status, unknown.text), (wrong.status, wrong.text));
}

#[tokio::test]
async fn repeated_failures_from_one_address_are_slowed_down() {
    let app = spawn_app_with(|s| s.sign_in_address_failures = 3).await;
    let (_, code) = invite(&app, &app.admin, Role::Admin, "Liisa").await;
    assert_eq!(accept(&app, &code, "liisa", PASSWORD).await.status, 200);
    // Different names each time, so no account is slowed: only the address is.
    for i in 0..4 {
        sign_in(&app, &format!("guess{i}"), PASSWORD).await.assert_error(401, "wrong_credentials", &[]);
    }
    let slowed = sign_in(&app, "liisa", PASSWORD).await;
    slowed.assert_error(429, "too_many_attempts", &["from this address", "1 seconds"]);
    assert_eq!(retry_after(&slowed), 1);
    app.advance(TimeDelta::seconds(1));
    sign_in(&app, "guess4", PASSWORD).await.assert_error(401, "wrong_credentials", &[]);
    assert_eq!(retry_after(&sign_in(&app, "liisa", PASSWORD).await), 2);
    app.advance(TimeDelta::seconds(2));
    assert_eq!(sign_in(&app, "liisa", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn a_session_ends_when_idle_and_at_its_limit() {
    let app = spawn_app().await;
    let (_, token) = staff(&app, Role::Admin, "olli").await;
    for _ in 0..2 {
        app.advance(TimeDelta::hours(11));
        assert_eq!(app.get("/api/v1/auth/me", Some(&token)).await.status, 200);
    }
    app.advance(TimeDelta::hours(2) + TimeDelta::seconds(1));
    app.get("/api/v1/auth/me", Some(&token)).await.assert_error(401, "session_expired", &["expired", "sign in again"]);

    let idle = session(&app, "olli", PASSWORD).await;
    app.advance(TimeDelta::hours(12));
    app.get("/api/v1/statistics?year=2026", Some(&idle)).await.assert_error(401, "session_expired", &["expired"]);
    let last = if idle.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &idle[..idle.len() - 1]);
    app.get("/api/v1/auth/me", Some(&forged)).await.assert_error(401, "unauthorized", &["not valid"]);
}

#[tokio::test]
async fn sign_out_ends_only_that_session() {
    let app = spawn_app().await;
    let (_, token) = staff(&app, Role::Admin, "sanna").await;
    let other = session(&app, "sanna", PASSWORD).await;
    assert_eq!(app.post("/api/v1/auth/sign-out", Some(&token), json!({})).await.status, 204);
    app.get("/api/v1/auth/me", Some(&token)).await.assert_error(401, "session_expired", &["ended"]);
    app.post("/api/v1/auth/sign-out", Some(&token), json!({})).await.assert_error(401, "session_expired", &[]);
    assert_eq!(app.get("/api/v1/auth/me", Some(&other)).await.status, 200);
    app.post("/api/v1/auth/sign-out", Some(&app.admin), json!({})).await.assert_error(
        422,
        "invalid_value",
        &["not a session"],
    );
}

/// An administrator's new invitation for user `id`: its code.
async fn reset(app: &TestApp, id: i64) -> String {
    let r = app.post(&format!("/api/v1/users/{id}/invitation"), Some(&app.admin), json!({})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.value()["code"].as_str().expect("a code").to_owned()
}

#[tokio::test]
async fn an_administrators_reset_replaces_the_password_ends_sessions_and_unlocks() {
    let app = spawn_app().await;
    let region = app.region("Pohjanmaa").await;
    let (id, before) = staff(&app, Role::Coordinator(region), "ville").await;

    let replaced = reset(&app, id).await;
    let code = reset(&app, id).await;
    // Until the new password is set the old one works; lock the account to see a reset unlock it.
    let during = session(&app, "ville", PASSWORD).await;
    for i in 0..5 {
        app.advance(TimeDelta::seconds(10));
        sign_in(&app, "ville", &format!("wrong password {i}")).await;
    }
    sign_in(&app, "ville", PASSWORD).await.assert_error(429, "account_locked", &[]);

    accept(&app, &replaced, "ville", "a new password 1").await.assert_error(410, "invitation_expired", &["replaced"]);
    assert_eq!(accept(&app, &code, "ville", "a new password 2").await.status, 200);
    sign_in(&app, "ville", PASSWORD).await.assert_error(401, "wrong_credentials", &[]);
    assert_eq!(sign_in(&app, "ville", "a new password 2").await.status, 200);
    for old in [&before, &during] {
        app.get("/api/v1/auth/me", Some(old)).await.assert_error(401, "session_expired", &[]);
    }
    app.post("/api/v1/users/999999/invitation", Some(&app.admin), json!({})).await.assert_error(404, "not_found", &[]);
}

#[tokio::test]
async fn a_coordinator_invites_only_distributor_and_venue_users_of_its_region() {
    let app = spawn_app().await;
    let (north, south) = (app.region("North").await, app.region("South").await);
    let (own_d, own_v) = (app.distributor(north, "Own").await, app.venue(Some(north), "Own hall").await);
    let (far_d, far_v) = (app.distributor(south, "Far").await, app.venue(Some(south), "Far hall").await);
    let (_, coordinator) = staff(&app, Role::Coordinator(north), "coordinator.north").await;
    let try_invite = |role: Role| {
        let mut body = serde_json::to_value(role).expect("a role");
        body["label"] = json!("someone");
        app.post("/api/v1/users/invitations", Some(&coordinator), body)
    };
    for role in
        [Role::Admin, Role::Coordinator(north), Role::Coordinator(south), Role::Distributor(far_d), Role::Venue(far_v)]
    {
        try_invite(role).await.assert_error(403, "forbidden", &["cannot invite"]);
    }
    assert_eq!(try_invite(Role::Distributor(own_d)).await.status, 201);
    assert_eq!(try_invite(Role::Venue(own_v)).await.status, 201);

    let (far_user, _) = invite(&app, &app.admin, Role::Venue(far_v), "far").await;
    let (own_user, _) = invite(&app, &coordinator, Role::Venue(own_v), "own").await;
    let r = app.post(&format!("/api/v1/users/{far_user}/invitation"), Some(&coordinator), json!({})).await;
    r.assert_error(403, "forbidden", &["outside your role or region"]);
    assert_eq!(
        app.post(&format!("/api/v1/users/{own_user}/invitation"), Some(&coordinator), json!({})).await.status,
        201
    );
    let (_, distributor) = staff(&app, Role::Distributor(own_d), "distributor.own").await;
    let mut body = serde_json::to_value(Role::Distributor(own_d)).expect("a role");
    body["label"] = json!("colleague");
    app.post("/api/v1/users/invitations", Some(&distributor), body).await.assert_error(403, "forbidden", &[]);
}

#[tokio::test]
async fn a_session_sees_only_its_own_distributors_cards_and_venues_devices_and_uses() {
    let app = spawn_app().await;
    let region: RegionId = app.region("Kainuu").await;
    let (d1, d2): (DistributorId, DistributorId) =
        (app.distributor(region, "Social services").await, app.distributor(region, "Parish").await);
    let (v1, v2): (VenueId, VenueId) =
        (app.venue(Some(region), "Museum").await, app.venue(Some(region), "Theatre").await);
    let card = app.personal_card(d1, date(2026, 3, 1), 0).await.id;
    let (device1, device2) = (app.device(v1).await, app.device(v2).await);
    let (_, dist1) = staff(&app, Role::Distributor(d1), "dist.one").await;
    let (_, dist2) = staff(&app, Role::Distributor(d2), "dist.two").await;
    let (_, venue1) = staff(&app, Role::Venue(v1), "venue.one").await;
    let (_, venue2) = staff(&app, Role::Venue(v2), "venue.two").await;

    assert_eq!(app.get(&format!("/api/v1/cards/{card}"), Some(&dist1)).await.status, 200);
    app.get(&format!("/api/v1/cards/{card}"), Some(&dist2)).await.assert_error(403, "forbidden", &[]);

    let ids = |r: Reply| -> Vec<u64> {
        assert_eq!(r.status, 200, "{}", r.text);
        r.value().as_array().expect("a list").iter().map(|d| d["id"].as_u64().expect("an id")).collect()
    };
    assert_eq!(ids(app.get("/api/v1/devices", Some(&venue1)).await), [u64::from(device1.id.0)]);
    assert_eq!(ids(app.get("/api/v1/devices", Some(&venue2)).await), [u64::from(device2.id.0)]);
    app.get(&format!("/api/v1/devices?venue={v1}"), Some(&venue2)).await.assert_error(403, "forbidden", &[]);
    let r = app
        .send(Method::POST, &format!("/api/v1/devices/{}/revoke", device1.id), Some(&venue2), Some(&json!({})))
        .await;
    assert_eq!(r.status, 403, "{}", r.text);

    let uses = |venue: VenueId| format!("/api/v1/statistics?year=2026&venue={venue}");
    assert_eq!(app.get(&uses(v1), Some(&venue1)).await.status, 200);
    app.get(&uses(v1), Some(&venue2)).await.assert_error(403, "forbidden", &[]);
}

#[tokio::test]
async fn passwords_never_appear_in_answers_or_in_the_database() {
    let app = spawn_app().await;
    let typed = ["first secret password", "wrong secret password", "second secret password"];
    let mut answers = Vec::new();
    let (id, code) = invite(&app, &app.admin, Role::Admin, "Kaisa").await;
    answers.push(accept(&app, &code, "kaisa", typed[0]).await.text);
    answers.push(sign_in(&app, "kaisa", typed[1]).await.text);
    // A password typed into the name field must not be kept either (failures are counted by hash).
    answers.push(sign_in(&app, typed[1], typed[0]).await.text);
    let r = sign_in(&app, "kaisa", typed[0]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let token = r.value()["token"].as_str().expect("a token").to_owned();
    answers.push(r.text);
    answers.push(app.get("/api/v1/auth/me", Some(&token)).await.text);
    let reset = app.post(&format!("/api/v1/users/{id}/invitation"), Some(&app.admin), json!({})).await;
    answers.push(accept(&app, reset.value()["code"].as_str().expect("a code"), "kaisa", typed[2]).await.text);
    for answer in &answers {
        for p in typed {
            assert!(!answer.contains(p), "an answer shows a password: {answer}");
        }
    }

    let hash =
        crate::backend::text(&app.settings.database, &format!("SELECT password_hash FROM users WHERE id = {id}"));
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    for table in ["users", "invitations", "sessions", "sign_in_failures"] {
        for row in crate::backend::rows_as_text(&app.settings.database, table) {
            for p in typed {
                assert!(!row.contains(p), "{table} holds a password in clear: {row}");
            }
            assert!(!row.contains(&code) && !row.contains(&token[2..]), "{table} holds a code or token in clear");
        }
    }
    if app.skip_on_postgres("the SQLite file and its write-ahead log, read byte by byte") {
        return;
    }
    // Nor anywhere in the files, free pages and write-ahead log included.
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", app.db_path().display());
        let bytes = std::fs::read(&path).unwrap_or_default();
        for p in typed {
            assert!(!bytes.windows(p.len()).any(|w| w == p.as_bytes()), "{path} holds a password in clear");
        }
    }
}
