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

#[derive(Debug, Default, Deserialize)]
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
    Ok(Json(EnrollResponse {
        device: device.id,
        token: device_token(device.id, &secret),
        venue: venue.id,
        venue_name: venue.name,
        offers: s.store.offers(venue.id).await?,
        keys: keys::public_records(s.store.as_ref()).await?,
    }))
}

pub async fn list(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<VenueChoice>,
) -> ApiResult<Json<Vec<DeviceRecord>>> {
    let venue = venue_of(&who, q.venue)?;
    Ok(Json(s.store.devices(venue).await?))
}

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
