//! Who is calling: bearer tokens of users (`ku<id>.<secret>`), of staff sessions made by
//! signing in (`ks<id>.<secret>`, acting exactly as the user's token does) and of devices
//! (`kd<id>.<secret>`). Secrets are 256 random bits, stored as SHA-256 and compared in
//! constant time.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::TimeDelta;
use kaiku_core::ids::{DeviceId, VenueId};

use crate::codes;
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;
use crate::store::{DeviceRecord, Role};

/// An authenticated caller.
#[derive(Debug, Clone)]
pub enum Principal {
    /// A person: by a user token (`session: None`) or a signed-in session.
    User {
        id: i64,
        role: Role,
        session: Option<i64>,
    },
    Device(DeviceRecord),
}

pub fn user_token(id: i64, secret: &str) -> String {
    format!("ku{id}.{secret}")
}

pub fn device_token(id: DeviceId, secret: &str) -> String {
    format!("kd{id}.{secret}")
}

pub fn session_token(id: i64, secret: &str) -> String {
    format!("ks{id}.{secret}")
}

const INVALID: &str = "the bearer token is not valid: unknown, mistyped or revoked";

impl Principal {
    /// The user's role, or 403 for a device.
    pub fn role(&self) -> ApiResult<Role> {
        match self {
            Self::User { role, .. } => Ok(*role),
            Self::Device(_) => Err(ApiError::forbidden("a venue device cannot do this; sign in as a person")),
        }
    }

    /// The device, or 403 for a person.
    pub fn device(&self) -> ApiResult<&DeviceRecord> {
        match self {
            Self::Device(d) => Ok(d),
            Self::User { .. } => Err(ApiError::forbidden("only an enrolled venue device can do this")),
        }
    }

    /// The venue a venue user or device acts for, if any.
    pub fn venue(&self) -> Option<VenueId> {
        match self {
            Self::User { role: Role::Venue(v), .. } => Some(*v),
            Self::Device(d) => Some(d.venue),
            Self::User { .. } => None,
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| ApiError::Unauthorized("sign in first: send an Authorization: Bearer token".into()))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(|| ApiError::Unauthorized("the Authorization header must be 'Bearer <token>'".into()))?;
        let (kind, rest) = token.split_at_checked(2).ok_or_else(|| ApiError::Unauthorized(INVALID.into()))?;
        let (id, secret) = rest.split_once('.').ok_or_else(|| ApiError::Unauthorized(INVALID.into()))?;
        match kind {
            "ku" => {
                let id: i64 = id.parse().map_err(|_| ApiError::Unauthorized(INVALID.into()))?;
                let user = state.store.user(id).await?.filter(|u| !u.revoked && codes::matches(secret, &u.secret_hash));
                let user = user.ok_or_else(|| ApiError::Unauthorized(INVALID.into()))?;
                Ok(Self::User { id: user.id, role: user.role, session: None })
            }
            "ks" => {
                let id: i64 = id.parse().map_err(|_| ApiError::Unauthorized(INVALID.into()))?;
                session_user(state, id, secret).await
            }
            "kd" => {
                let id: u32 = id.parse().map_err(|_| ApiError::Unauthorized(INVALID.into()))?;
                let device = state
                    .store
                    .device(DeviceId(id))
                    .await?
                    .filter(|d| !d.revoked && codes::matches(secret, &d.secret_hash));
                device.map(Self::Device).ok_or_else(|| ApiError::Unauthorized(INVALID.into()))
            }
            _ => Err(ApiError::Unauthorized(INVALID.into())),
        }
    }
}

fn session_over(message: &str) -> ApiError {
    ApiError::Unauthenticated { code: "session_expired", message: message.into() }
}

/// The person a session acts for, if the session is alive; using it keeps it alive.
async fn session_user(state: &AppState, id: i64, secret: &str) -> ApiResult<Principal> {
    let session = state.store.session(id).await?.filter(|s| codes::matches(secret, &s.secret_hash));
    let session = session.ok_or_else(|| ApiError::Unauthorized(INVALID.into()))?;
    let now = state.clock.now();
    if session.ended {
        return Err(session_over("this session has ended: sign in again"));
    }
    let idle_end = session.last_used_at + TimeDelta::minutes(state.settings.session_idle_minutes);
    if now >= session.expires_at || now >= idle_end {
        return Err(session_over("this session has expired: sign in again"));
    }
    let user = state.store.user(session.user_id).await?.filter(|u| !u.revoked);
    let user = user.ok_or_else(|| session_over("this account was closed: ask whoever invited you"))?;
    // Written at most once a minute, so that reads do not queue for the writer on every request.
    if now - session.last_used_at >= TimeDelta::minutes(1) {
        state.store.touch_session(id, now).await?;
    }
    Ok(Principal::User { id: user.id, role: user.role, session: Some(id) })
}

/// The address the request came from, when the server knows it (it does when served by
/// [`crate::Application`]); sign-in failures are counted per address.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}
