//! Venue devices: one-time enrollment codes, enrollment, listing and revocation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::TimeDelta;
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::wire::{EnrollRequest, EnrollResponse};
use serde::Deserialize;

use super::cards::OneTimeCode;
use super::orgs::name;
use crate::auth::{Principal, device_token};
use crate::codes;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiBytes, ApiJson, ApiPath, ApiQuery};
use crate::keys;
use crate::startup::AppState;
use crate::store::{CodeUse, DeviceRecord, Role};

#[derive(Debug, Default, Deserialize, utoipa::ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VenueChoice {
    /// Needed by an administrator; a venue user's own venue is implied.
    #[serde(default)]
    pub venue: Option<VenueId>,
}

/// The venue whose devices `who` manages: a venue user's own, or any for an admin.
fn venue_of(who: &Principal, asked: Option<VenueId>) -> ApiResult<VenueId> {
    match (who.role()?, asked) {
        (Role::Venue(v), None) => Ok(v),
        (Role::Venue(v), Some(a)) if a == v => Ok(v),
        (Role::Admin, Some(a)) => Ok(a),
        (Role::Admin, None) => Err(ApiError::Unprocessable("name the venue: {\"venue\": id}".into())),
        _ => Err(ApiError::forbidden("only the venue's own staff manage its devices")),
    }
}

/// Creates a one-time enrollment code (shown as a QR) with which a phone becomes the venue's scanner.
///
/// Who may call: a venue user (for its own venue; the body may be left out) or an
/// administrator (names the venue in the body).
#[utoipa::path(
    post,
    path = "/enrollment-codes",
    operation_id = "create_enrollment_code",
    tag = "devices",
    request_body(
        content = Option<VenueChoice>,
        description = "Optional: a venue user may send no body; an administrator names the venue."
    ),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The code, its expiry and a QR image of it.", body = OneTimeCode),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "Not the venue's own staff or an administrator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such venue (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "An administrator did not name the venue (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn create_code(
    State(s): State<AppState>,
    who: Principal,
    ApiBytes(body): ApiBytes,
) -> ApiResult<(StatusCode, Json<OneTimeCode>)> {
    // The body is optional: a venue user's own venue is implied.
    let choice: VenueChoice = if body.iter().all(u8::is_ascii_whitespace) {
        VenueChoice::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::BadRequest { code: "invalid_body", message: e.to_string() })?
    };
    let venue = venue_of(&who, choice.venue)?;
    s.store.venue(venue).await?.ok_or_else(|| ApiError::NotFound(format!("no venue {venue}")))?;
    let code = codes::new_one_time_code();
    let expires_at = s.clock.now() + TimeDelta::minutes(s.settings.enrollment_code_minutes);
    s.store.create_enrollment_code(venue, &codes::code_hash(&code), expires_at).await?;
    let qr_svg = codes::qr_svg(&code);
    Ok((StatusCode::CREATED, Json(OneTimeCode { code, expires_at, qr_svg })))
}

/// Enrolls a device with a one-time enrollment code: the answer carries its device token.
///
/// Who may call: anyone holding the code (the scanner app); no token.
#[utoipa::path(
    post,
    path = "/devices/enroll",
    operation_id = "enroll_device",
    tag = "devices",
    request_body = EnrollRequest,
    responses(
        (status = 200, description = "The device token (shown once), the venue, its offers and the public keys.", body = EnrollResponse),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        (status = 404, description = "No such enrollment code (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 410, description = "The code was used already or has expired (`code_used_or_expired`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing or unknown, or the label is empty or too long (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn enroll(
    State(s): State<AppState>,
    ApiJson(body): ApiJson<EnrollRequest>,
) -> ApiResult<Json<EnrollResponse>> {
    let label = name(&body.label, "device label")?;
    let secret = codes::new_secret();
    let used =
        s.store.enroll_device(&codes::code_hash(&body.code), s.clock.now(), &label, &codes::hash(&secret)).await?;
    let device = match used {
        CodeUse::Taken(d) => d,
        CodeUse::Unknown => {
            return Err(ApiError::NotFound("no such enrollment code: check it and type it again".into()));
        }
        CodeUse::AlreadyUsed => {
            return Err(ApiError::Gone("this enrollment code was used already: create a new one".into()));
        }
        CodeUse::Expired => return Err(ApiError::Gone("this enrollment code has expired: create a new one".into())),
    };
    let venue = s.store.venue(device.venue).await?.ok_or_else(|| ApiError::NotFound("the venue is gone".into()))?;
    let published = keys::published(s.store.as_ref()).await?;
    Ok(Json(EnrollResponse {
        device: device.id,
        token: device_token(device.id, &secret),
        venue: venue.id,
        venue_name: venue.name,
        offers: s.store.offers(venue.id).await?,
        keys: published.keys,
        endorsements: published.endorsements,
        retirements: published.retirements,
    }))
}

/// Lists a venue's enrolled devices, revoked ones included.
///
/// Who may call: a venue user (its own venue) or an administrator (with `venue`).
#[utoipa::path(
    get,
    path = "/devices",
    operation_id = "list_devices",
    tag = "devices",
    params(
        VenueChoice,
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The venue's devices.", body = Vec<DeviceRecord>),
        (status = 400, description = "The query string is not valid (`invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Not the venue's own staff or an administrator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "An administrator did not name the venue (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn list(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<VenueChoice>,
) -> ApiResult<Json<Vec<DeviceRecord>>> {
    let venue = venue_of(&who, q.venue)?;
    Ok(Json(s.store.devices(venue).await?))
}

/// Revokes a device's token: its next sync is refused.
///
/// Who may call: a venue user of the device's venue, or an administrator.
#[utoipa::path(
    post,
    path = "/devices/{id}/revoke",
    operation_id = "revoke_device",
    tag = "devices",
    params(
        ("id" = kaiku_core::ids::DeviceId, Path, description = "The device id (the number in its token `kd<id>.<secret>`)."),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The device is revoked."),
        (status = 400, description = "The device id is not a number (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Not the venue's own staff or an administrator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such device (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "The device was revoked already (`conflict`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn revoke(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<DeviceId>,
) -> ApiResult<StatusCode> {
    let device = s.store.device(id).await?.ok_or_else(|| ApiError::NotFound(format!("no device {id}")))?;
    venue_of(&who, Some(device.venue))?;
    if s.store.revoke_device(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::Conflict(format!("device {id} was revoked already")))
    }
}
