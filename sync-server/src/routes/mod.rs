//! The HTTP API, version 1, under `/api/v1`.

pub mod auth;
pub mod cards;
pub mod devices;
pub mod flags;
pub mod holder;
pub mod listing;
pub mod meta;
pub mod orgs;
pub mod signing_keys;
pub mod stats;
pub mod sync;
pub mod transfer;
pub mod users;
pub mod venue_console;

use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::startup::AppState;

/// Every route of the API, each with its OpenAPI description (`#[utoipa::path]` on the
/// handler). This one list makes both the router ([`api`]) and the OpenAPI document
/// ([`crate::openapi::document`]), so the two cannot drift apart. Add routes here only with
/// `.routes(routes!(handler, ...))` (handlers in one `routes!` share one path).
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(orgs::create_region, listing::list_regions))
        .routes(routes!(orgs::create_distributor, listing::list_distributors))
        .routes(routes!(orgs::create_venue, listing::list_venues))
        .routes(routes!(orgs::create_offer, orgs::list_offers))
        .routes(routes!(orgs::create_user, listing::list_users))
        .routes(routes!(orgs::revoke_user))
        .routes(routes!(users::invite))
        .routes(routes!(users::reinvite))
        .routes(routes!(auth::accept_invitation))
        .routes(routes!(auth::sign_in))
        .routes(routes!(auth::sign_out))
        .routes(routes!(auth::who_am_i))
        .routes(routes!(cards::register, listing::list_cards))
        .routes(routes!(cards::get))
        .routes(routes!(cards::renew))
        .routes(routes!(cards::revoke))
        .routes(routes!(cards::activation_code))
        .routes(routes!(cards::status))
        .routes(routes!(transfer::import_cards))
        .routes(routes!(transfer::export_cards))
        .routes(routes!(transfer::export_redemptions))
        .routes(routes!(holder::activate))
        .routes(routes!(holder::refresh))
        .routes(routes!(devices::create_code))
        .routes(routes!(devices::enroll))
        .routes(routes!(devices::list))
        .routes(routes!(devices::revoke))
        .routes(routes!(sync::upload))
        .routes(routes!(sync::register))
        .routes(routes!(meta::public_keys))
        .routes(routes!(stats::summary))
        .routes(routes!(stats::cross_tab))
        .routes(routes!(listing::card_counts))
        .routes(routes!(venue_console::list_offers))
        .routes(routes!(venue_console::edit_offer))
        .routes(routes!(venue_console::close_offer))
        .routes(routes!(venue_console::venue_devices))
        .routes(routes!(venue_console::venue_uses))
        .routes(routes!(flags::list))
        .routes(routes!(signing_keys::list, signing_keys::add))
        .routes(routes!(signing_keys::activate))
        .routes(routes!(signing_keys::retire))
        .routes(routes!(meta::openapi_json))
}

/// Every route of the API, under `/api/v1` in the application.
pub fn api() -> Router<AppState> {
    api_router().into()
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint: see /api/v1/openapi.json".into())
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed("this endpoint does not take that method: see /api/v1/openapi.json".into())
}
