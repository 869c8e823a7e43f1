//! Health, the public keys and the OpenAPI document.

use axum::Json;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use kaiku_core::keys::PublicKeyRecord;
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::keys;
use crate::startup::AppState;

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// Tells that the server is up, and its version.
///
/// Who may call: anyone; no token.
#[utoipa::path(
    get,
    path = "/health",
    operation_id = "health",
    tag = "meta",
    responses(
        (status = 200, description = "The server is up.", body = Health),
    )
)]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })
}

/// Lists the issuer's published public keys (Ed25519, hex): old keys stay so old credentials verify.
///
/// Who may call: anyone; no token.
#[utoipa::path(
    get,
    path = "/keys",
    operation_id = "public_keys",
    tag = "meta",
    responses(
        (status = 200, description = "Every published public key.", body = Vec<PublicKeyRecord>),
    )
)]
pub async fn public_keys(State(s): State<AppState>) -> ApiResult<Json<Vec<PublicKeyRecord>>> {
    Ok(Json(keys::public_records(s.store.as_ref()).await?))
}

/// The OpenAPI 3.1 document of this whole API (this document), generated from the code.
///
/// Who may call: anyone; no token.
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "openapi",
    tag = "meta",
    responses(
        (status = 200, description = "The OpenAPI document.", body = serde_json::Value, content_type = "application/json"),
    )
)]
pub async fn openapi_json() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], crate::openapi::json())
}
