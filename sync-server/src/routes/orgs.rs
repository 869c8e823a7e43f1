//! Regions, distributors, venues, venue offers and user accounts.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kaiku_core::ids::{DistributorId, OfferId, RegionId, VenueId};
use kaiku_core::wire::Offer;
use serde::{Deserialize, Serialize};

use crate::auth::{Principal, user_token};
use crate::codes;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::startup::AppState;
use crate::store::{NewOffer, Role, VenueInfo};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRegion {
    pub name: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDistributor {
    pub region: RegionId,
    pub name: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVenue {
    /// `None` for a pop-up venue outside the regional networks.
    #[serde(default)]
    pub region: Option<RegionId>,
    pub name: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[serde(flatten)]
    pub role: Role,
    pub label: String,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Created<T> {
    pub id: T,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CreatedUser {
    pub id: i64,
    /// Shown once; the server keeps only its hash.
    pub token: String,
}

/// A name of an organisation, offer or device: trimmed, 1-200 characters.
pub fn name(text: &str, what: &str) -> ApiResult<String> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 200 {
        return Err(ApiError::Unprocessable(format!("{what} must be 1 to 200 characters")));
    }
    Ok(t.to_owned())
}

/// Creates a region.
///
/// Who may call: an administrator.
#[utoipa::path(
    post,
    path = "/regions",
    operation_id = "create_region",
    tag = "organisations",
    request_body = NewRegion,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The region was created.", body = Created<RegionId>),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller's role or scope may not do this (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing or unknown, or the name is empty or over 200 characters (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn create_region(
    State(s): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewRegion>,
) -> ApiResult<(StatusCode, Json<Created<RegionId>>)> {
    if who.role()? != Role::Admin {
        return Err(ApiError::forbidden("only an administrator creates regions"));
    }
    let id = s.store.create_region(&name(&body.name, "region name")?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

async fn region_must_exist(s: &AppState, region: RegionId) -> ApiResult<()> {
    match s.store.region(region).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::Unprocessable(format!("there is no region {region}"))),
    }
}

fn may_manage_region(role: Role, region: Option<RegionId>) -> bool {
    match role {
        Role::Admin => true,
        Role::Coordinator(r) => region == Some(r),
        _ => false,
    }
}

/// Adds a card distributor to a region.
///
/// Who may call: an administrator, or the coordinator of that region.
#[utoipa::path(
    post,
    path = "/distributors",
    operation_id = "create_distributor",
    tag = "organisations",
    request_body = NewDistributor,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The distributor was created.", body = Created<DistributorId>),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller's role or scope may not do this (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing, unknown or of the wrong type, a value breaks a rule, or the region does not exist (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn create_distributor(
    State(s): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewDistributor>,
) -> ApiResult<(StatusCode, Json<Created<DistributorId>>)> {
    if !may_manage_region(who.role()?, Some(body.region)) {
        return Err(ApiError::forbidden("only an administrator or the region's coordinator adds distributors"));
    }
    region_must_exist(&s, body.region).await?;
    let id = s.store.create_distributor(body.region, &name(&body.name, "distributor name")?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Adds a venue, in a region or (with no region) as a pop-up venue.
///
/// Who may call: an administrator, or the coordinator of that region (only an administrator
/// adds a venue with no region).
#[utoipa::path(
    post,
    path = "/venues",
    operation_id = "create_venue",
    tag = "organisations",
    request_body = NewVenue,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The venue was created.", body = Created<VenueId>),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller's role or scope may not do this (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing, unknown or of the wrong type, a value breaks a rule, or the region does not exist (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn create_venue(
    State(s): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewVenue>,
) -> ApiResult<(StatusCode, Json<Created<VenueId>>)> {
    if !may_manage_region(who.role()?, body.region) {
        return Err(ApiError::forbidden("only an administrator or the region's coordinator adds venues"));
    }
    if let Some(region) = body.region {
        region_must_exist(&s, region).await?;
    }
    let id = s.store.create_venue(body.region, &name(&body.name, "venue name")?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The venue, if `who` may manage it (admin, its region's coordinator, its own venue user).
async fn managed_venue(s: &AppState, who: &Principal, id: VenueId) -> ApiResult<VenueInfo> {
    let venue = s.store.venue(id).await?.ok_or_else(|| ApiError::NotFound(format!("no venue {id}")))?;
    let allowed = match who.role()? {
        Role::Venue(v) => v == id,
        role => may_manage_region(role, venue.region),
    };
    if !allowed {
        return Err(ApiError::forbidden(format!("venue {id} is not yours to manage")));
    }
    Ok(venue)
}

/// Adds an offer (an event or a course) to a venue.
///
/// Who may call: an administrator, the coordinator of the venue's region, or a venue user of
/// that venue.
#[utoipa::path(
    post,
    path = "/venues/{id}/offers",
    operation_id = "create_offer",
    tag = "organisations",
    params(
        ("id" = kaiku_core::ids::VenueId, Path, description = "The venue."),
    ),
    request_body = NewOffer,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The offer was created.", body = Created<OfferId>),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`) or the venue id is not a number (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller's role or scope may not do this (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such venue (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing, unknown or of the wrong type, or a value breaks a rule, e.g. a limit below 1 or over 100000 (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn create_offer(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<VenueId>,
    ApiJson(mut body): ApiJson<NewOffer>,
) -> ApiResult<(StatusCode, Json<Created<OfferId>>)> {
    managed_venue(&s, &who, id).await?;
    body.name = name(&body.name, "offer name")?;
    // The same rule as an edit (`PATCH /offers/{id}`): a limit of 0 would stop every use.
    if let Some(n) = body.limit.filter(|n| !(1..=100_000).contains(n)) {
        return Err(ApiError::Unprocessable(format!(
            "limit must be 1 to 100000 places, or absent for no limit, not {n}"
        )));
    }
    let offer = s.store.create_offer(id, &body).await?;
    Ok((StatusCode::CREATED, Json(Created { id: offer })))
}

/// Lists a venue's open offers, as scanners book them (closed ones are left out; the console
/// lists them all with `GET /offers`).
///
/// Who may call: the venue's own venue users and enrolled devices, the coordinator of its
/// region, or an administrator.
#[utoipa::path(
    get,
    path = "/venues/{id}/offers",
    operation_id = "list_offers",
    tag = "organisations",
    params(
        ("id" = kaiku_core::ids::VenueId, Path, description = "The venue."),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The venue's offers.", body = Vec<Offer>),
        (status = 400, description = "The venue id is not a number (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller's role or scope may not do this (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such venue (`not_found`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn list_offers(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<VenueId>,
) -> ApiResult<Json<Vec<Offer>>> {
    if who.venue() != Some(id) {
        managed_venue(&s, &who, id).await?;
    }
    Ok(Json(s.store.offers(id).await?))
}

pub(crate) async fn may_create_user(s: &AppState, creator: Role, role: Role) -> ApiResult<bool> {
    let Role::Coordinator(region) = creator else { return Ok(creator == Role::Admin) };
    Ok(match role {
        Role::Distributor(d) => s.store.distributor(d).await?.is_some_and(|d| d.region == region),
        Role::Venue(v) => s.store.venue(v).await?.is_some_and(|v| v.region == Some(region)),
        Role::Admin | Role::Coordinator(_) => false,
    })
}

pub(crate) async fn scope_exists(s: &AppState, role: Role) -> ApiResult<()> {
    let exists = match role {
        Role::Admin => true,
        Role::Coordinator(r) => s.store.region(r).await?.is_some(),
        Role::Distributor(d) => s.store.distributor(d).await?.is_some(),
        Role::Venue(v) => s.store.venue(v).await?.is_some(),
    };
    if exists { Ok(()) } else { Err(ApiError::Unprocessable(format!("the scope of {role:?} does not exist"))) }
}

/// Creates a user account (a bearer token) for a role.
///
/// Who may call: an administrator (any role), or a region coordinator (distributor and venue
/// users of organisations in its region). The token is in the answer only; the server keeps
/// its hash.
#[utoipa::path(
    post,
    path = "/users",
    operation_id = "create_user",
    tag = "organisations",
    request_body = NewUser,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The user was created; the token is shown this once.", body = CreatedUser),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller's role or scope may not do this (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing or unknown, the label is empty, or the role's scope does not exist (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn create_user(
    State(s): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, Json<CreatedUser>)> {
    if !may_create_user(&s, who.role()?, body.role).await? {
        return Err(ApiError::forbidden("you cannot create a user with that role and scope"));
    }
    scope_exists(&s, body.role).await?;
    let secret = codes::new_secret();
    let id = s.store.create_user(body.role, &name(&body.label, "user label")?, &codes::hash(&secret)).await?;
    Ok((StatusCode::CREATED, Json(CreatedUser { id, token: user_token(id, &secret) })))
}

/// Revokes a user's token: its next request is refused.
///
/// Who may call: an administrator.
#[utoipa::path(
    post,
    path = "/users/{id}/revoke",
    operation_id = "revoke_user",
    tag = "organisations",
    params(
        ("id" = i64, Path, description = "The user id (the number in the token `ku<id>.<secret>`)."),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The token is revoked."),
        (status = 400, description = "The user id is not a number (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller's role or scope may not do this (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No active user with this id (`not_found`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn revoke_user(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    if who.role()? != Role::Admin {
        return Err(ApiError::forbidden("only an administrator revokes user tokens"));
    }
    if s.store.revoke_user(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("no active user {id}")))
    }
}
