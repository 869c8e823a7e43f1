//! The OpenAPI document of the whole API, generated from the code with `utoipa`.
//!
//! Each handler carries its description (`#[utoipa::path]`: method, path, parameters, request
//! body, responses, security, who may call it); the wire types derive `ToSchema` (in
//! kaiku-core behind its `openapi` feature). [`crate::routes::api_router`] is the one list of
//! routes: the router and this document are both made from it. Served at
//! `GET /api/v1/openapi.json`.

use std::sync::LazyLock;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::routes::{api_router, meta};
use crate::startup::AppState;

/// Where the API is mounted in the application.
pub const API_PREFIX: &str = "/api/v1";

/// The name of the bearer-token security scheme the operations refer to.
pub const BEARER: &str = "bearer";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kaiku sync server",
        description = "The register of the Culture for All card (Kaikukortti): distributors register \
cards (background data only, never a name), venues' scanner devices enroll, upload redemptions and \
download the register copy, holders' apps fetch signed mobile cards, regions read statistics.\n\n\
Every 4xx answer is a JSON `ErrorBody` with a stable `code` and an `error` in words a person can act \
on. Request bodies may be gzip- or zstd-compressed (`Content-Encoding`) and are bounded in size.\n\n\
Any operation may answer `429` (`rate_limited`: per address on the operations that need no token, \
per token on the others) or `503` (`overloaded`, `timed_out`) with a `Retry-After` header and \
`retry_after` in the body: wait that many seconds and send again.\n\n\
Roles: `admin`, `coordinator` (of a region), `distributor`, `venue` (users), and enrolled venue \
devices. Each operation's description says who may call it."
    ),
    modifiers(&BearerToken),
    tags(
        (name = "organisations", description = "Regions, distributors, venues, venue offers and user accounts."),
        (name = "sign-in", description = "Staff sign-in: invitations, passwords, sessions, who is signed in."),
        (name = "cards", description = "The card register: registration, renewal, revocation, activation codes, status."),
        (name = "holder", description = "The holder's app: activation and refresh of the mobile card."),
        (name = "devices", description = "Venue scanner devices: enrollment codes, enrollment, listing, revocation."),
        (name = "sync", description = "What scanners upload (redemptions) and download (the register copy)."),
        (name = "statistics", description = "Statistics scoped by role; small cells suppressed."),
        (name = "meta", description = "Health, public keys and this document."),
    )
)]
struct ApiDoc;

/// The answer every operation that needs a bearer token can give, shared so that its words
/// are written once.
#[derive(Debug, utoipa::IntoResponses)]
#[allow(dead_code, reason = "only describes responses in the OpenAPI document")]
pub enum NeedsToken {
    #[response(
        status = 401,
        description = "No bearer token, or one that is unknown, mistyped or revoked (`unauthorized`), or a session that has ended or expired (`session_expired`)."
    )]
    Unauthorized(kaiku_core::wire::ErrorBody),
}

/// The answers every operation that takes a JSON body can give about the body's transport.
#[derive(Debug, utoipa::IntoResponses)]
#[allow(dead_code, reason = "only describes responses in the OpenAPI document")]
pub enum JsonBodyErrors {
    #[response(status = 413, description = "The body is larger than the server accepts (`too_large`).")]
    TooLarge(kaiku_core::wire::ErrorBody),
    #[response(
        status = 415,
        description = "The body is not sent as `Content-Type: application/json`, or in a `Content-Encoding` other than gzip or zstd (`unsupported_media_type`)."
    )]
    UnsupportedMediaType(kaiku_core::wire::ErrorBody),
}

/// Adds the bearer-token security scheme.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("ku<id>.<secret> | ks<id>.<secret> | kd<id>.<secret>")
            .description(Some(
                "`Authorization: Bearer <token>`. A user token (`ku<id>.<secret>`) acts for its role, and \
                 so does a session token (`ks<id>.<secret>`) from `POST /api/v1/auth/sign-in`; a device \
                 token (`kd<id>.<secret>`) for its venue's scanner. Tokens are created by `init`, \
                 `add-user`, `POST /api/v1/users`, sign-in and device enrollment, and are revocable.",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(BEARER, SecurityScheme::Http(scheme));
    }
}

/// The OpenAPI document of every route the application serves (paths with their `/api/v1`).
pub fn document() -> utoipa::openapi::OpenApi {
    let (_router, doc) = OpenApiRouter::<AppState>::with_openapi(ApiDoc::openapi())
        .routes(routes!(meta::health))
        .nest(API_PREFIX, api_router())
        .split_for_parts();
    doc
}

static JSON: LazyLock<String> =
    LazyLock::new(|| serde_json::to_string(&document()).expect("the OpenAPI document serialises to JSON"));

/// The document as JSON, built once.
pub fn json() -> &'static str {
    &JSON
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Method, Request, StatusCode};
    use serde_json::Value;
    use tower::ServiceExt;

    use super::*;
    use crate::clock::SystemClock;
    use crate::config::Settings;
    use crate::startup::{self, Application};
    use crate::store::sqlite::SqliteStore;

    const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

    fn spec() -> Value {
        serde_json::from_str(json()).expect("the document is JSON")
    }

    /// (method, path) of every operation in the document.
    fn operations(spec: &Value) -> BTreeMap<String, BTreeSet<String>> {
        let paths = spec["paths"].as_object().expect("paths");
        paths
            .iter()
            .map(|(path, item)| {
                let methods = METHODS.iter().filter(|m| item.get(**m).is_some()).map(|m| (*m).to_owned()).collect();
                (path.clone(), methods)
            })
            .collect()
    }

    fn state(dir: &tempfile::TempDir, addr: &str) -> AppState {
        let store = SqliteStore::open(&dir.path().join("kaiku.sqlite")).expect("opens the store");
        let settings = Settings {
            addr: addr.parse().expect("addr"),
            database: dir.path().join("kaiku.sqlite"),
            ..Settings::default()
        };
        AppState { store: Arc::new(store), clock: Arc::new(SystemClock), settings: Arc::new(settings) }
    }

    /// Sends a request with no token and no body, as a probe of the routing table.
    async fn probe(app: &axum::Router, method: &str, path: &str) -> (StatusCode, String) {
        let uri = path.split('/').map(|seg| if seg.starts_with('{') { "1" } else { seg }).collect::<Vec<_>>().join("/");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let request = Request::builder().method(method).uri(&uri).body(Body::empty()).expect("request");
        let response = app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    fn is_unrouted(status: StatusCode, body: &str) -> bool {
        status == StatusCode::METHOD_NOT_ALLOWED
            || (status == StatusCode::NOT_FOUND && body.contains("no such endpoint"))
    }

    /// Every documented operation is served, and on a documented path every method that is not
    /// documented is refused: the router and the document agree.
    #[tokio::test]
    async fn the_document_and_the_router_agree() {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = startup::router(state(&dir, "127.0.0.1:0"));
        let spec = spec();
        let ops = operations(&spec);
        assert!(ops.len() > 20, "{ops:?}");
        for (path, methods) in &ops {
            assert!(path.starts_with(API_PREFIX) || path == "/health", "{path} is outside the API");
            assert!(!methods.is_empty(), "{path} has no operation");
            for method in METHODS {
                let (status, body) = probe(&app, method, path).await;
                if methods.contains(method) {
                    assert!(
                        !is_unrouted(status, &body),
                        "{method} {path} is documented but not served: {status} {body}"
                    );
                } else {
                    assert!(
                        is_unrouted(status, &body),
                        "{method} {path} is served but not documented: {status} {body}"
                    );
                }
            }
        }
    }

    /// `routes::api_router` is the single list the router is built from; a route added to it
    /// with plain axum calls would be served without being documented.
    #[test]
    fn routes_are_added_only_with_their_documentation() {
        let source = include_str!("routes/mod.rs");
        for raw in [".route(", ".route_service(", ".nest(", ".nest_service(", ".merge("] {
            assert!(!source.contains(raw), "routes/mod.rs uses `{raw}`: add routes with .routes(routes!(handler))");
        }
        // One `routes!` per path, plus /health, which startup routes and `document` describes.
        let calls = source.lines().filter(|l| l.trim_start().starts_with(".routes(routes!(")).count();
        assert_eq!(calls + 1, operations(&spec()).len());
    }

    #[test]
    fn every_operation_is_described_with_its_callers_and_errors() {
        let spec = spec();
        let mut ids = BTreeSet::new();
        for (path, item) in spec["paths"].as_object().expect("paths") {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let id = op["operationId"].as_str().expect("operationId");
                assert!(ids.insert(id.to_owned()), "operationId {id} is used twice");
                let description = op["description"].as_str().unwrap_or_default();
                assert!(description.contains("Who may call"), "{method} {path} does not say who may call it");
                assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{method} {path} has no tag");
                let responses = op["responses"].as_object().expect("responses");
                assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {path} has no success response");
                for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('4')) {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                        "{method} {path} {status} is not an ErrorBody"
                    );
                }
                let secured = op.get("security").is_some();
                if secured {
                    assert_eq!(op["security"][0][BEARER], serde_json::json!([]), "{method} {path}");
                    assert!(responses.contains_key("401"), "{method} {path} takes a token but lists no 401");
                }
                let public = description.contains("no token");
                assert!(secured != public, "{method} {path}: a token is either needed or it is public");
                let params = op["parameters"].as_array().cloned().unwrap_or_default();
                for name in path.split('/').filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}')) {
                    assert!(
                        params.iter().any(|p| p["name"] == name && p["in"] == "path" && p["required"] == true),
                        "{method} {path} does not describe path parameter {name}"
                    );
                }
            }
        }
    }

    /// Every `$ref` in the document points at a schema that is in it.
    #[test]
    fn every_schema_reference_resolves() {
        fn refs(v: &Value, out: &mut BTreeSet<String>) {
            match v {
                Value::Object(map) => {
                    if let Some(Value::String(r)) = map.get("$ref") {
                        out.insert(r.clone());
                    }
                    map.values().for_each(|v| refs(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let spec = spec();
        let mut found = BTreeSet::new();
        refs(&spec, &mut found);
        assert!(!found.is_empty());
        for r in found {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
            assert!(spec["components"]["schemas"].get(name).is_some(), "$ref {r} does not resolve");
        }
    }

    #[test]
    fn a_card_id_is_letters_then_digits_of_either_kind() {
        let spec = spec();
        let card_id = &spec["components"]["schemas"]["CardId"];
        assert_eq!(card_id["type"], "string");
        assert_eq!(card_id["pattern"], "^[A-Z]{1,3}[0-9]{5,12}$");
        assert_eq!(card_id["minLength"], 6);
        assert_eq!(card_id["maxLength"], 15);
        let error = &spec["components"]["schemas"]["ErrorBody"];
        assert_eq!(error["required"], serde_json::json!(["code", "error"]));
    }

    /// A real server on a free port serves the document.
    #[tokio::test]
    async fn a_running_server_serves_the_document() {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = Application::build(state(&dir, "127.0.0.1:0")).await.expect("binds");
        let port = app.port();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        let response =
            reqwest::get(format!("http://127.0.0.1:{port}/api/v1/openapi.json")).await.expect("the server answers");
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
        assert_eq!(content_type.as_deref(), Some("application/json"));
        let doc: Value = response.json().await.expect("the document is JSON");
        let version = doc["openapi"].as_str().expect("an openapi version");
        assert!(version.starts_with("3."), "openapi {version}");
        assert!(doc["paths"]["/api/v1/openapi.json"]["get"].is_object());
        assert!(doc["paths"]["/api/v1/cards/{id}"]["get"].is_object());
        assert_eq!(doc, spec());
        let _ = stop.send(());
        server.await.expect("joins").expect("serves");
    }
}
