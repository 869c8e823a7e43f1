//! A venue as the staff console runs it: its offers (listed with closed ones, edited, closed),
//! its devices with their last sync, and its uses of a day or a period.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use kaiku_core::ids::{OfferId, VenueId};
use kaiku_core::redemption::OfferKind;
use serde::{Deserialize, Deserializer};

use super::listing::invalid_query;
use super::orgs::name;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::startup::AppState;
use crate::store::{DateRange, DeviceActivity, NewOffer, OfferEntry, Role, VenueInfo, VenueUses};

/// The most places an offer's daily limit may be.
const MAX_LIMIT: i64 = 100_000;

/// The venue, if `who` may run it: an admin, the coordinator of its region, its own venue user.
async fn venue_in_scope(s: &AppState, who: &Principal, id: VenueId) -> ApiResult<VenueInfo> {
    let role = who.role()?;
    let venue = s.store.venue(id).await?.ok_or_else(|| ApiError::NotFound(format!("no venue {id}")))?;
    let allowed = match role {
        Role::Admin => true,
        Role::Coordinator(r) => venue.region == Some(r),
        Role::Venue(v) => v == id,
        Role::Distributor(_) => false,
    };
    if allowed { Ok(venue) } else { Err(ApiError::forbidden(format!("venue {id} is not yours"))) }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OffersQuery {
    /// The venue; a venue user's own is implied.
    #[serde(default)]
    pub venue: Option<VenueId>,
}

/// Lists a venue's offers with their state, closed ones included (scanners get only the open
/// ones, from enrollment and `GET /venues/{id}/offers`).
///
/// Who may call: the venue's own venue user, the coordinator of its region, an administrator.
#[utoipa::path(
    get,
    path = "/offers",
    operation_id = "list_offers_with_state",
    tag = "organisations",
    params(OffersQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The venue's offers, in id order.", body = Vec<OfferEntry>),
        (status = 400, description = "A query parameter is not valid, or no venue was named (`invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "The venue is outside the caller's scope (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such venue (`not_found`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn list_offers(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<OffersQuery>,
) -> ApiResult<Json<Vec<OfferEntry>>> {
    let venue = match (q.venue, who.role()?) {
        (Some(v), _) => v,
        (None, Role::Venue(v)) => v,
        (None, _) => return Err(invalid_query("name the venue: venue=<id>")),
    };
    venue_in_scope(&s, &who, venue).await?;
    Ok(Json(s.store.venue_offers(venue).await?))
}

/// Changes to an offer; a field left out stays as it is.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferChange {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: Option<OfferKind>,
    /// Free places per day, 1 to 100000; `null` removes the limit.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, nullable)]
    pub limit: Option<Option<i64>>,
}

/// A field that is present, even as `null`, is `Some`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

fn limit(value: i64) -> ApiResult<u32> {
    match u32::try_from(value) {
        Ok(n) if (1..=MAX_LIMIT).contains(&value) => Ok(n),
        _ => Err(ApiError::Unprocessable(format!(
            "limit must be 1 to {MAX_LIMIT} places, or null for no limit, not {value}; close the offer to stop it"
        ))),
    }
}

/// Edits an open offer: name, kind, daily limit. Scanners get the change at their next enrollment
/// or offer refresh; earlier uses keep counting under the offer.
///
/// Who may call: the venue's own venue user, the coordinator of its region, an administrator.
#[utoipa::path(
    patch,
    path = "/offers/{id}",
    operation_id = "edit_offer",
    tag = "organisations",
    params(("id" = kaiku_core::ids::OfferId, Path, description = "The offer.")),
    request_body = OfferChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The offer as changed.", body = OfferEntry),
        (status = 400, description = "The body is not JSON (`invalid_body`) or the id not a number (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "The offer's venue is outside the caller's scope (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such offer (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "The offer is closed (`conflict`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "An empty or too long name, a limit below 1 or over 100000, an unknown kind or field (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn edit_offer(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<OfferId>,
    ApiJson(change): ApiJson<OfferChange>,
) -> ApiResult<Json<OfferEntry>> {
    let offer = s.store.offer(id).await?.ok_or_else(|| ApiError::NotFound(format!("no offer {id}")))?;
    venue_in_scope(&s, &who, offer.venue).await?;
    let edited = NewOffer {
        name: match &change.name {
            Some(n) => name(n, "offer name")?,
            None => offer.name,
        },
        kind: change.kind.unwrap_or(offer.kind),
        limit: match change.limit {
            Some(Some(n)) => Some(limit(n)?),
            Some(None) => None,
            None => offer.limit,
        },
    };
    Ok(Json(s.store.update_offer(id, &edited).await?))
}

/// Closes an offer: scanners no longer get it as bookable; it and its uses stay in the figures.
///
/// Who may call: the venue's own venue user, the coordinator of its region, an administrator.
#[utoipa::path(
    post,
    path = "/offers/{id}/close",
    operation_id = "close_offer",
    tag = "organisations",
    params(("id" = kaiku_core::ids::OfferId, Path, description = "The offer.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The offer, closed.", body = OfferEntry),
        (status = 400, description = "The id is not a number (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "The offer's venue is outside the caller's scope (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such offer (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "The offer was closed already (`conflict`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn close_offer(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<OfferId>,
) -> ApiResult<Json<OfferEntry>> {
    let offer = s.store.offer(id).await?.ok_or_else(|| ApiError::NotFound(format!("no offer {id}")))?;
    venue_in_scope(&s, &who, offer.venue).await?;
    Ok(Json(s.store.close_offer(id, s.clock.now()).await?))
}

/// Lists a venue's devices, revoked ones included, each with its last sync (when the server
/// last stored a redemption it uploaded) and how many redemptions it sent.
///
/// Who may call: the venue's own venue user, the coordinator of its region, an administrator.
#[utoipa::path(
    get,
    path = "/venues/{id}/devices",
    operation_id = "venue_devices",
    tag = "devices",
    params(("id" = kaiku_core::ids::VenueId, Path, description = "The venue.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The venue's devices, in id order.", body = Vec<DeviceActivity>),
        (status = 400, description = "The id is not a number (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "The venue is outside the caller's scope (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such venue (`not_found`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn venue_devices(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<VenueId>,
) -> ApiResult<Json<Vec<DeviceActivity>>> {
    venue_in_scope(&s, &who, id).await?;
    Ok(Json(s.store.device_activity(id).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UsesQuery {
    /// One day. Give either `day`, or both `from` and `to`.
    #[serde(default)]
    pub day: Option<NaiveDate>,
    /// The first day of the period (with `to`).
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// The last day of the period, included (with `from`).
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

/// A venue's uses on a day or in a period, per offer: scans, adults, children, course places
/// and community cards' uses. Uses of closed offers still count.
///
/// Who may call: the venue's own venue user, the coordinator of its region, an administrator.
#[utoipa::path(
    get,
    path = "/venues/{id}/uses",
    operation_id = "venue_uses",
    tag = "statistics",
    params(("id" = kaiku_core::ids::VenueId, Path, description = "The venue."), UsesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The uses per offer and their sum.", body = VenueUses),
        (status = 400, description = "The period is not valid (`invalid_query`) or the id not a number (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "The venue is outside the caller's scope (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such venue (`not_found`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn venue_uses(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<VenueId>,
    ApiQuery(q): ApiQuery<UsesQuery>,
) -> ApiResult<Json<VenueUses>> {
    let range = match (q.day, q.from, q.to) {
        (Some(day), None, None) => DateRange { from: day, to: day },
        (None, Some(from), Some(to)) if from <= to => DateRange { from, to },
        (None, Some(_), Some(_)) => return Err(invalid_query("from must not be after to")),
        _ => return Err(invalid_query("give either day=YYYY-MM-DD or both from=YYYY-MM-DD and to=YYYY-MM-DD")),
    };
    venue_in_scope(&s, &who, id).await?;
    Ok(Json(s.store.venue_uses(id, range).await?))
}
