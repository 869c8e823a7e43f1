//! Every endpoint against every kind of caller, from one table. A cell is allowed when the
//! answer is 2xx or a 4xx other than 401/403 (some bodies are deliberately minimal, e.g. an
//! unknown one-time code); refused when it is 401 (no valid credentials) or 403 (valid
//! credentials, wrong role or scope). No cell may ever be a 5xx.

use std::collections::HashMap;
use std::fmt::Write as _;

use kaiku_core::CardId;
use kaiku_core::card::RevocationReason;
use kaiku_core::ids::DistributorId;
use kaiku_core::redemption::OfferKind;
use kaiku_sync_server::codes;
use kaiku_sync_server::store::{NewOffer, Role};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, date, spawn_app};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Caller {
    NoToken,
    BadToken,
    RevokedToken,
    Admin,
    Coordinator,
    OtherCoordinator,
    Distributor,
    OtherDistributor,
    VenueUser,
    OtherVenueUser,
    Device,
    RevokedDevice,
}

use Caller::*;

const CALLERS: [Caller; 12] = [
    NoToken,
    BadToken,
    RevokedToken,
    Admin,
    Coordinator,
    OtherCoordinator,
    Distributor,
    OtherDistributor,
    VenueUser,
    OtherVenueUser,
    Device,
    RevokedDevice,
];

impl Caller {
    /// A short column heading.
    fn heading(self) -> &'static str {
        match self {
            NoToken => "none",
            BadToken => "bad",
            RevokedToken => "rvkd",
            Admin => "admin",
            Coordinator => "coord",
            OtherCoordinator => "coord2",
            Distributor => "dist",
            OtherDistributor => "dist2",
            VenueUser => "venue",
            OtherVenueUser => "venue2",
            Device => "dev",
            RevokedDevice => "rdev",
        }
    }

    /// Callers without valid credentials: refused with 401, not 403.
    fn unauthenticated(self) -> bool {
        matches!(self, NoToken | BadToken | RevokedToken | RevokedDevice)
    }
}

const EVERYONE: &[Caller] = &CALLERS;
const PEOPLE: &[Caller] =
    &[Admin, Coordinator, OtherCoordinator, Distributor, OtherDistributor, VenueUser, OtherVenueUser];

/// One endpoint as called in the matrix, and who may call it.
struct Row {
    method: Method,
    path: String,
    body: Option<Value>,
    allowed: &'static [Caller],
}

fn row(method: Method, path: impl Into<String>, body: Option<Value>, allowed: &'static [Caller]) -> Row {
    Row { method, path: path.into(), body, allowed }
}

/// The world the matrix runs in: region 1 with two distributors and two venues, region 2
/// with its own coordinator, a card of distributor 1, and one caller of each kind.
struct World {
    tokens: HashMap<Caller, String>,
    rows: Vec<Row>,
}

async fn world(app: &TestApp) -> World {
    let r1 = app.region("Matrix North").await;
    let r2 = app.region("Matrix South").await;
    let d1 = app.distributor(r1, "Social services").await;
    let d2: DistributorId = app.distributor(r1, "Settlement").await;
    let v1 = app.venue(Some(r1), "Swimming hall").await;
    let v2 = app.venue(Some(r1), "City theatre").await;

    let mut tokens = HashMap::new();
    let (admin_id, _) = app.user(Role::Admin).await;
    tokens.insert(Admin, app.admin.clone());
    tokens.insert(BadToken, format!("ku{admin_id}.{}", codes::new_secret()));
    let (revoked_id, revoked) = app.user(Role::Admin).await;
    let r = app.post(&format!("/api/v1/users/{revoked_id}/revoke"), Some(&app.admin), json!({})).await;
    assert_eq!(r.status, 204, "{}", r.text);
    tokens.insert(RevokedToken, revoked);
    tokens.insert(Coordinator, app.user(Role::Coordinator(r1)).await.1);
    tokens.insert(OtherCoordinator, app.user(Role::Coordinator(r2)).await.1);
    tokens.insert(Distributor, app.user(Role::Distributor(d1)).await.1);
    tokens.insert(OtherDistributor, app.user(Role::Distributor(d2)).await.1);
    tokens.insert(VenueUser, app.user(Role::Venue(v1)).await.1);
    tokens.insert(OtherVenueUser, app.user(Role::Venue(v2)).await.1);
    tokens.insert(Device, app.device(v1).await.token);
    let revoked_device = app.device(v1).await;
    assert!(app.store.revoke_device(revoked_device.id).await.expect("revokes"));
    tokens.insert(RevokedDevice, revoked_device.token);

    let card = app.personal_card(d1, date(2026, 3, 1), 1).await.id;
    let card_to_revoke = app.personal_card(d1, date(2026, 3, 1), 0).await.id;
    let (throwaway_user, _) = app.user(Role::Venue(v1)).await;
    let throwaway_device = app.device(v1).await.id;
    let (reset_user, _) = app.user(Role::Distributor(d1)).await;
    let offer = |name: &str| NewOffer { name: name.into(), kind: OfferKind::Ticket, limit: None };
    let offer_to_edit = app.store.create_offer(v1, &offer("Edited")).await.expect("an offer");
    let offer_to_close = app.store.create_offer(v1, &offer("Closed")).await.expect("an offer");
    // A staff account with a password, for the sign-in row.
    let invited = app
        .post("/api/v1/users/invitations", Some(&app.admin), json!({"role": "venue", "scope": v1, "label": "Staff"}))
        .await;
    let invitation = invited.value()["code"].as_str().expect("an invitation code").to_owned();
    let staff = json!({"username": "matrix.staff", "password": "matrix password 1"});
    let accepted = app
        .post(
            "/api/v1/auth/accept-invitation",
            None,
            json!({"code": invitation, "username": staff["username"], "password": staff["password"]}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);

    // A real credential, so that the holder's refresh is answered in full.
    let code = app.post(&format!("/api/v1/cards/{card}/activation-code"), Some(&app.admin), json!({})).await;
    let code = code.value()["code"].as_str().expect("a code").to_owned();
    let activated = app.post("/api/v1/activate", None, json!({ "code": code })).await;
    let credential = activated.value()["credential"].as_str().expect("a credential").to_owned();
    let refresh_secret = activated.value()["refresh_secret"].as_str().expect("a refresh secret").to_owned();

    let get = || Method::GET;
    let post = || Method::POST;
    let patch = || Method::PATCH;
    let rows = vec![
        row(get(), "/health", None, EVERYONE),
        row(get(), "/api/v1/keys", None, EVERYONE),
        row(get(), "/api/v1/openapi.json", None, EVERYONE),
        row(post(), "/api/v1/regions", Some(json!({"name": "Matrix region"})), &[Admin]),
        row(
            post(),
            "/api/v1/distributors",
            Some(json!({"region": r1, "name": "Matrix distributor"})),
            &[Admin, Coordinator],
        ),
        row(post(), "/api/v1/venues", Some(json!({"region": r1, "name": "Matrix venue"})), &[Admin, Coordinator]),
        row(
            post(),
            format!("/api/v1/venues/{v1}/offers"),
            Some(json!({"name": "Matrix offer", "kind": "ticket"})),
            &[Admin, Coordinator, VenueUser],
        ),
        row(get(), format!("/api/v1/venues/{v1}/offers"), None, &[Admin, Coordinator, VenueUser, Device]),
        row(
            post(),
            "/api/v1/users",
            Some(json!({"role": "venue", "scope": v1, "label": "Matrix user"})),
            &[Admin, Coordinator],
        ),
        row(post(), format!("/api/v1/users/{throwaway_user}/revoke"), Some(json!({})), &[Admin]),
        row(
            post(),
            "/api/v1/users/invitations",
            Some(json!({"role": "venue", "scope": v1, "label": "Matrix invitee"})),
            &[Admin, Coordinator],
        ),
        row(post(), format!("/api/v1/users/{reset_user}/invitation"), None, &[Admin, Coordinator]),
        row(
            post(),
            "/api/v1/auth/accept-invitation",
            Some(json!({"code": "0000-0000-0000", "username": "nobody", "password": "long enough password"})),
            EVERYONE,
        ),
        row(post(), "/api/v1/auth/sign-in", Some(staff), EVERYONE),
        row(post(), "/api/v1/auth/sign-out", None, PEOPLE),
        row(get(), "/api/v1/auth/me", None, PEOPLE),
        row(post(), "/api/v1/cards", Some(json!({"kind": "community"})), &[Distributor, OtherDistributor]),
        row(get(), format!("/api/v1/cards/{card}"), None, &[Admin, Coordinator, Distributor]),
        row(post(), format!("/api/v1/cards/{card}/renew"), Some(json!({})), &[Admin, Distributor]),
        row(
            post(),
            format!("/api/v1/cards/{card_to_revoke}/revoke"),
            Some(json!({"reason": RevocationReason::Lost})),
            &[Admin, Distributor],
        ),
        row(post(), format!("/api/v1/cards/{card}/activation-code"), None, &[Admin, Distributor]),
        row(
            get(),
            format!("/api/v1/cards/{card}/status"),
            None,
            &[Admin, Coordinator, Distributor, VenueUser, OtherVenueUser, Device],
        ),
        row(post(), "/api/v1/cards/import?dry_run=true", None, &[Admin, Distributor, OtherDistributor]),
        row(post(), format!("/api/v1/cards/import?dry_run=true&distributor={d2}"), None, &[Admin, OtherDistributor]),
        row(get(), "/api/v1/export/cards.csv", None, &[Admin, Coordinator, OtherCoordinator]),
        row(get(), format!("/api/v1/export/cards.csv?region={r2}"), None, &[Admin, OtherCoordinator]),
        row(get(), "/api/v1/export/redemptions.csv", None, &[Admin, Coordinator, OtherCoordinator]),
        row(post(), "/api/v1/activate", Some(json!({"code": "0000-0000-0000"})), EVERYONE),
        row(
            post(),
            "/api/v1/holder/refresh",
            Some(json!({"credential": credential, "refresh_secret": refresh_secret})),
            EVERYONE,
        ),
        row(post(), "/api/v1/enrollment-codes", Some(json!({"venue": v1})), &[Admin, VenueUser]),
        row(post(), "/api/v1/devices/enroll", Some(json!({"code": "0000-0000-0000", "label": "x"})), EVERYONE),
        row(get(), format!("/api/v1/devices?venue={v1}"), None, &[Admin, VenueUser]),
        row(post(), format!("/api/v1/devices/{throwaway_device}/revoke"), Some(json!({})), &[Admin, VenueUser]),
        row(post(), "/api/v1/redemptions/batch", Some(json!({"items": []})), &[Device]),
        row(get(), "/api/v1/register", None, &[Device]),
        row(get(), "/api/v1/statistics?year=2026", None, PEOPLE),
        row(get(), format!("/api/v1/statistics?year=2026&region={r1}"), None, &[Admin, Coordinator]),
        row(get(), format!("/api/v1/statistics?year=2026&region={r2}"), None, &[Admin, OtherCoordinator]),
        row(get(), format!("/api/v1/statistics?year=2026&distributor={d1}"), None, &[Admin, Coordinator, Distributor]),
        row(get(), format!("/api/v1/statistics?year=2026&venue={v1}"), None, &[Admin, Coordinator, VenueUser]),
        row(get(), "/api/v1/statistics/cross-tab?year=2026", None, PEOPLE),
        row(get(), "/api/v1/cards", None, &[Admin, Coordinator, OtherCoordinator, Distributor, OtherDistributor]),
        row(get(), format!("/api/v1/cards?distributor={d1}"), None, &[Admin, Coordinator, Distributor]),
        row(get(), format!("/api/v1/card-counts?distributor={d1}"), None, &[Admin, Coordinator, Distributor]),
        row(get(), "/api/v1/regions", None, &[Admin, Coordinator, OtherCoordinator]),
        row(get(), "/api/v1/distributors", None, &[Admin, Coordinator, OtherCoordinator]),
        row(get(), format!("/api/v1/distributors?region={r1}"), None, &[Admin, Coordinator]),
        row(get(), "/api/v1/venues", None, &[Admin, Coordinator, OtherCoordinator]),
        row(get(), format!("/api/v1/venues?region={r1}"), None, &[Admin, Coordinator]),
        row(get(), "/api/v1/users", None, &[Admin, Coordinator, OtherCoordinator]),
        row(get(), format!("/api/v1/offers?venue={v1}"), None, &[Admin, Coordinator, VenueUser]),
        row(
            patch(),
            format!("/api/v1/offers/{offer_to_edit}"),
            Some(json!({"limit": 5})),
            &[Admin, Coordinator, VenueUser],
        ),
        row(post(), format!("/api/v1/offers/{offer_to_close}/close"), None, &[Admin, Coordinator, VenueUser]),
        row(get(), format!("/api/v1/venues/{v1}/devices"), None, &[Admin, Coordinator, VenueUser]),
        row(get(), format!("/api/v1/venues/{v1}/uses?day=2026-06-15"), None, &[Admin, Coordinator, VenueUser]),
        row(get(), "/api/v1/flagged-uses", None, &[Admin, Coordinator, OtherCoordinator, VenueUser, OtherVenueUser]),
        row(get(), format!("/api/v1/flagged-uses?venue={v1}"), None, &[Admin, Coordinator, VenueUser]),
        row(get(), format!("/api/v1/flagged-uses?region={r1}"), None, &[Admin, Coordinator]),
        row(get(), format!("/api/v1/statistics/cross-tab?year=2026&region={r1}"), None, &[Admin, Coordinator]),
        row(
            get(),
            format!("/api/v1/statistics/cross-tab?year=2026&distributor={d2}"),
            None,
            &[Admin, Coordinator, OtherDistributor],
        ),
        row(
            get(),
            format!("/api/v1/statistics/cross-tab?year=2026&venue={v2}"),
            None,
            &[Admin, Coordinator, OtherVenueUser],
        ),
        row(get(), "/api/v1/signing-keys", None, &[Admin]),
        row(post(), "/api/v1/signing-keys", Some(json!({})), &[Admin]),
        row(post(), "/api/v1/signing-keys/1/activate", None, &[Admin]),
        row(post(), "/api/v1/signing-keys/2/retire", Some(json!({"from": "2027-01-01"})), &[Admin]),
    ];
    World { tokens, rows }
}

/// Every route of the router in src/routes/mod.rs: the matrix must call each one.
const ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/regions"),
    ("POST", "/api/v1/distributors"),
    ("POST", "/api/v1/venues"),
    ("POST", "/api/v1/venues/{id}/offers"),
    ("GET", "/api/v1/venues/{id}/offers"),
    ("POST", "/api/v1/users"),
    ("POST", "/api/v1/users/{id}/revoke"),
    ("POST", "/api/v1/users/invitations"),
    ("POST", "/api/v1/users/{id}/invitation"),
    ("POST", "/api/v1/auth/accept-invitation"),
    ("POST", "/api/v1/auth/sign-in"),
    ("POST", "/api/v1/auth/sign-out"),
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/cards"),
    ("GET", "/api/v1/cards/{id}"),
    ("POST", "/api/v1/cards/{id}/renew"),
    ("POST", "/api/v1/cards/{id}/revoke"),
    ("POST", "/api/v1/cards/{id}/activation-code"),
    ("GET", "/api/v1/cards/{id}/status"),
    ("POST", "/api/v1/cards/import"),
    ("GET", "/api/v1/export/cards.csv"),
    ("GET", "/api/v1/export/redemptions.csv"),
    ("POST", "/api/v1/activate"),
    ("POST", "/api/v1/holder/refresh"),
    ("POST", "/api/v1/enrollment-codes"),
    ("POST", "/api/v1/devices/enroll"),
    ("GET", "/api/v1/devices"),
    ("POST", "/api/v1/devices/{id}/revoke"),
    ("POST", "/api/v1/redemptions/batch"),
    ("GET", "/api/v1/register"),
    ("GET", "/api/v1/keys"),
    ("GET", "/api/v1/statistics"),
    ("GET", "/api/v1/statistics/cross-tab"),
    ("GET", "/api/v1/cards"),
    ("GET", "/api/v1/card-counts"),
    ("GET", "/api/v1/regions"),
    ("GET", "/api/v1/distributors"),
    ("GET", "/api/v1/venues"),
    ("GET", "/api/v1/users"),
    ("GET", "/api/v1/offers"),
    ("PATCH", "/api/v1/offers/{id}"),
    ("POST", "/api/v1/offers/{id}/close"),
    ("GET", "/api/v1/venues/{id}/devices"),
    ("GET", "/api/v1/venues/{id}/uses"),
    ("GET", "/api/v1/flagged-uses"),
    ("GET", "/health"),
    ("GET", "/api/v1/signing-keys"),
    ("POST", "/api/v1/signing-keys"),
    ("POST", "/api/v1/signing-keys/{id}/activate"),
    ("POST", "/api/v1/signing-keys/{id}/retire"),
];

/// The route pattern a concrete path belongs to (numbers and card IDs become `{id}`).
fn pattern(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|seg| if seg.parse::<u32>().is_ok() || CardId::parse(seg).is_ok() { "{id}" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// The routes an OpenAPI document lists, as (METHOD, pattern) with `/api/v1` in front.
fn documented_routes(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let full = if path.starts_with("/api/") || path == "/health" { path.clone() } else { format!("/api/v1{path}") };
        let pattern: Vec<&str> = full.split('/').map(|seg| if seg.starts_with('{') { "{id}" } else { seg }).collect();
        for method in item.as_object().into_iter().flatten().map(|(m, _)| m.to_uppercase()) {
            if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method.as_str()) {
                out.push((method, pattern.join("/")));
            }
        }
    }
    out
}

#[tokio::test]
async fn every_endpoint_admits_exactly_the_callers_its_role_and_scope_allow() {
    let app = spawn_app().await;
    let world = world(&app).await;

    let covered: Vec<(String, String)> = world.rows.iter().map(|r| (r.method.to_string(), pattern(&r.path))).collect();
    for (m, p) in ROUTES {
        assert!(covered.iter().any(|(cm, cp)| cm == m && cp == p), "no matrix row calls {m} {p}");
    }
    // Where the server publishes its OpenAPI document, every documented route must be a row too.
    let doc = app.get("/api/v1/openapi.json", None).await;
    if doc.status == 200 {
        for (m, p) in documented_routes(&doc.value()) {
            assert!(covered.iter().any(|(cm, cp)| *cm == m && *cp == p), "no matrix row calls {m} {p} (documented)");
        }
    }

    let mut grid = String::new();
    let _ = write!(grid, "{:<58}", "endpoint (cells: status; * = wrong)");
    for c in CALLERS {
        let _ = write!(grid, "{:>7}", c.heading());
    }
    grid.push('\n');
    let mut wrong = Vec::new();
    for r in &world.rows {
        let _ = write!(grid, "{:<58}", format!("{} {}", r.method, r.path));
        for caller in CALLERS {
            let token = world.tokens.get(&caller).map(String::as_str);
            let reply = app.send(r.method.clone(), &r.path, token, r.body.as_ref()).await;
            let status = reply.status.as_u16();
            let allowed = r.allowed.contains(&caller);
            let problem = if status >= 500 {
                Some("a server error".to_owned())
            } else if allowed && (status == 401 || status == 403) {
                Some("refused, should be allowed".to_owned())
            } else if !allowed {
                let expected = if caller.unauthenticated() { 401 } else { 403 };
                if status != expected {
                    Some(format!("should be refused with {expected}"))
                } else if !reply.content_type().starts_with("application/json") {
                    Some("refused without a JSON error body".to_owned())
                } else {
                    None
                }
            } else {
                None
            };
            let mark = if problem.is_some() { "*" } else { " " };
            let _ = write!(grid, "{:>6}{mark}", status);
            if let Some(p) = problem {
                wrong.push(format!("{} {} as {:?}: {status}, {p}: {}", r.method, r.path, caller, reply.text));
            }
        }
        grid.push('\n');
    }
    assert!(wrong.is_empty(), "the role/scope matrix is wrong:\n{grid}\n{}", wrong.join("\n"));
}

#[tokio::test]
async fn a_malformed_authorization_header_gets_a_401_that_says_how_to_sign_in() {
    let app = spawn_app().await;
    let url = app.url("/api/v1/statistics?year=2026");
    for (header, says) in [
        ("Basic a3U6eA==", "Bearer"),
        ("Bearer", "Bearer"),
        ("Bearer nonsense", "not valid"),
        ("Bearer ku.x", "not valid"),
        ("Bearer kuabc.def", "not valid"),
        ("Bearer kd99999999999.def", "not valid"),
        ("Bearer xx1.abc", "not valid"),
    ] {
        let r = app.client.get(&url).header("authorization", header).send().await.expect("answers");
        let status = r.status().as_u16();
        let body: kaiku_core::wire::ErrorBody = r.json().await.expect("a JSON error body");
        assert_eq!(status, 401, "{header}: {body:?}");
        assert_eq!(body.code, "unauthorized");
        assert!(body.error.contains(says), "{header}: {}", body.error);
    }
    let r = app.get("/api/v1/statistics?year=2026", None).await;
    r.assert_error(401, "unauthorized", &["sign in first", "Authorization: Bearer"]);
}

#[tokio::test]
async fn a_user_revoked_through_the_api_is_refused_at_once() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let created = app
        .post("/api/v1/users", Some(&app.admin), json!({"role": "coordinator", "scope": region, "label": "Anna"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let user: kaiku_sync_server::routes::orgs::CreatedUser = created.json();
    assert_eq!(app.get("/api/v1/statistics?year=2026", Some(&user.token)).await.status, 200);

    let revoked = app.post(&format!("/api/v1/users/{}/revoke", user.id), Some(&app.admin), json!({})).await;
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    app.get("/api/v1/statistics?year=2026", Some(&user.token)).await.assert_error(401, "unauthorized", &["revoked"]);
    app.post(&format!("/api/v1/users/{}/revoke", user.id), Some(&app.admin), json!({})).await.assert_error(
        404,
        "not_found",
        &["no active user"],
    );
}

#[tokio::test]
async fn a_coordinator_creates_users_only_for_organisations_of_the_region() {
    let app = spawn_app().await;
    let (north, south) = (app.region("North").await, app.region("South").await);
    let (_, coordinator) = app.user(Role::Coordinator(north)).await;
    let own = app.distributor(north, "Own").await;
    let foreign = app.distributor(south, "Foreign").await;
    let create = |body: Value| app.post("/api/v1/users", Some(&coordinator), body);

    assert_eq!(create(json!({"role": "distributor", "scope": own, "label": "x"})).await.status, 201);
    create(json!({"role": "distributor", "scope": foreign, "label": "x"})).await.assert_error(403, "forbidden", &[]);
    create(json!({"role": "admin", "label": "x"})).await.assert_error(403, "forbidden", &[]);
    create(json!({"role": "coordinator", "scope": north, "label": "x"})).await.assert_error(403, "forbidden", &[]);
    app.post("/api/v1/users", Some(&app.admin), json!({"role": "venue", "scope": 999, "label": "x"}))
        .await
        .assert_error(422, "invalid_value", &["does not exist"]);
    let r = app.post("/api/v1/users", Some(&app.admin), json!({"role": "admin", "label": "Second admin"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
}
