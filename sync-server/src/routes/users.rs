//! Staff invitations: whoever may create a user invites them with a one-time code, and the
//! person sets their own username and password with it (`POST /auth/accept-invitation`).
//! A new invitation for an existing user resets its password once it is used.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::orgs::{NewUser, may_create_user, name, scope_exists};
use crate::auth::Principal;
use crate::codes;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::startup::AppState;
use crate::store::NewInvitation;

/// An invitation as shown to whoever issued it, once.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Invitation {
    /// The invited user's id.
    pub user: i64,
    /// The one-time code, e.g. `7K2M-QX4P-9RTB`; the server keeps only its hash.
    pub code: String,
    pub expires_at: DateTime<Utc>,
    /// The code as an SVG QR image, for a screen or a printout.
    pub qr_svg: Option<String>,
}

/// A fresh code and the invitation to store for it.
pub fn new_invitation(s: &AppState, created_by: Option<i64>) -> (String, NewInvitation) {
    let code = codes::new_one_time_code();
    let now = s.clock.now();
    let invitation = NewInvitation {
        code_hash: codes::code_hash(&code).to_vec(),
        created_by,
        created_at: now,
        expires_at: now + TimeDelta::days(s.settings.invitation_days),
    };
    (code, invitation)
}

fn shown(user: i64, code: String, invitation: &NewInvitation) -> Invitation {
    let qr_svg = codes::qr_svg(&code);
    Invitation { user, code, expires_at: invitation.expires_at, qr_svg }
}

fn caller_id(who: &Principal) -> Option<i64> {
    match who {
        Principal::User { id, .. } => Some(*id),
        Principal::Device(_) => None,
    }
}

/// Creates a staff user and a one-time invitation with which the person sets their own
/// username and password.
///
/// Who may call: an administrator (any role), or a region coordinator (distributor and venue
/// users of organisations in its region). The code is in the answer only; the server keeps
/// its hash. The user has no password (and no bearer token) until the invitation is used.
#[utoipa::path(
    post,
    path = "/users/invitations",
    operation_id = "invite_user",
    tag = "sign-in",
    request_body = NewUser,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The user was created; the invitation code is shown this once.", body = Invitation),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller's role or scope may not create this user (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing or unknown, the label is empty, or the role's scope does not exist (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn invite(
    State(s): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, Json<Invitation>)> {
    if !may_create_user(&s, who.role()?, body.role).await? {
        return Err(ApiError::forbidden("you cannot invite a user with that role and scope"));
    }
    scope_exists(&s, body.role).await?;
    let label = name(&body.label, "user label")?;
    let (code, invitation) = new_invitation(&s, caller_id(&who));
    let user = s.store.create_invited_user(body.role, &label, &invitation).await?;
    Ok((StatusCode::CREATED, Json(shown(user, code, &invitation))))
}

/// Issues a new invitation for an existing user: a reset. When the person uses it, the new
/// password replaces the old one and every session of that user ends. Earlier unused
/// invitations of the user stop working at once.
///
/// Who may call: an administrator (any user), or a region coordinator (distributor and venue
/// users of organisations in its region).
#[utoipa::path(
    post,
    path = "/users/{id}/invitation",
    operation_id = "reinvite_user",
    tag = "sign-in",
    params(
        ("id" = i64, Path, description = "The user id."),
    ),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new invitation; the code is shown this once.", body = Invitation),
        (status = 400, description = "The user id is not a number (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller's role or scope may not reset this user (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No active user with this id (`not_found`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn reinvite(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<(StatusCode, Json<Invitation>)> {
    let role = who.role()?;
    let target = s.store.user(id).await?.filter(|u| !u.revoked);
    let target = target.ok_or_else(|| ApiError::NotFound(format!("no active user {id}")))?;
    if !may_create_user(&s, role, target.role).await? {
        return Err(ApiError::forbidden("you cannot reset this user: it is outside your role or region"));
    }
    let (code, invitation) = new_invitation(&s, caller_id(&who));
    if !s.store.reinvite_user(id, &invitation).await? {
        return Err(ApiError::NotFound(format!("no active user {id}")));
    }
    Ok((StatusCode::CREATED, Json(shown(id, code, &invitation))))
}
