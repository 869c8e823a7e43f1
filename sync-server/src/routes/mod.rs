//! The HTTP API, version 1, under `/api/v1`.

pub mod cards;
pub mod devices;
pub mod holder;
pub mod meta;
pub mod orgs;
pub mod stats;
pub mod sync;

use axum::Router;
use axum::routing::{get, post};

use crate::error::ApiError;
use crate::startup::AppState;

/// Every route of the API.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/regions", post(orgs::create_region))
        .route("/distributors", post(orgs::create_distributor))
        .route("/venues", post(orgs::create_venue))
        .route("/venues/{id}/offers", post(orgs::create_offer).get(orgs::list_offers))
        .route("/users", post(orgs::create_user))
        .route("/users/{id}/revoke", post(orgs::revoke_user))
        .route("/cards", post(cards::register))
        .route("/cards/{id}", get(cards::get))
        .route("/cards/{id}/renew", post(cards::renew))
        .route("/cards/{id}/revoke", post(cards::revoke))
        .route("/cards/{id}/activation-code", post(cards::activation_code))
        .route("/cards/{id}/status", get(cards::status))
        .route("/activate", post(holder::activate))
        .route("/holder/refresh", post(holder::refresh))
        .route("/enrollment-codes", post(devices::create_code))
        .route("/devices/enroll", post(devices::enroll))
        .route("/devices", get(devices::list))
        .route("/devices/{id}/revoke", post(devices::revoke))
        .route("/redemptions/batch", post(sync::upload))
        .route("/register", get(sync::register))
        .route("/keys", get(meta::public_keys))
        .route("/statistics", get(stats::summary))
        .route("/statistics/cross-tab", get(stats::cross_tab))
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint: see /api/v1/openapi.json".into())
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed("this endpoint does not take that method: see /api/v1/openapi.json".into())
}
