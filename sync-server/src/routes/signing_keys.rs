//! The issuer's signing keys over HTTP, for administrators: what `kaiku-sync-server keys
//! list/add/activate/retire` does on the server's machine. The private seed never leaves the server.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::KeyId;
use serde::{Deserialize, Serialize};

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::keys;
use crate::startup::AppState;
use crate::store::{Role, StoredKey};

/// A signing key as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SigningKeyEntry {
    /// The key id that credentials name (`key_id`).
    pub id: u16,
    pub created_at: DateTime<Utc>,
    /// Signs new credentials now; exactly one key does.
    pub active: bool,
    /// The key that endorsed this one when it was made (none for the first key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsed_by: Option<u16>,
    /// Scanners refuse this key's credentials from this day on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_from: Option<NaiveDate>,
}

impl From<&StoredKey> for SigningKeyEntry {
    fn from(k: &StoredKey) -> Self {
        Self {
            id: k.id.0,
            created_at: k.created_at,
            active: k.active,
            endorsed_by: k.endorsement.as_ref().map(|e| e.by.0),
            retired_from: k.retirement.as_ref().map(|r| r.from),
        }
    }
}

/// When scanners start refusing a key's credentials.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireSigningKey {
    /// The first day (`YYYY-MM-DD`) on which its credentials are refused.
    pub from: NaiveDate,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSigningKey {
    /// Sign new credentials with it at once. Usually left false: publish first, let the
    /// scanners fetch it with their next sync, then activate.
    #[serde(default)]
    pub activate: bool,
}

fn admin_only(who: &Principal) -> ApiResult<()> {
    if who.role()? != Role::Admin {
        return Err(ApiError::forbidden("only an administrator manages signing keys"));
    }
    Ok(())
}

async fn entry(s: &AppState, id: KeyId) -> ApiResult<SigningKeyEntry> {
    let keys = s.store.signing_keys().await?;
    let key = keys.iter().find(|k| k.id == id).ok_or_else(|| ApiError::NotFound(format!("no signing key {id}")))?;
    Ok(key.into())
}

/// Lists the signing keys, oldest first.
///
/// Who may call: an administrator.
#[utoipa::path(
    get,
    path = "/signing-keys",
    operation_id = "list_signing_keys",
    tag = "meta",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The keys in id order; never a private seed.", body = Vec<SigningKeyEntry>),
        crate::openapi::NeedsToken,
        (status = 403, description = "Not an administrator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn list(State(s): State<AppState>, who: Principal) -> ApiResult<Json<Vec<SigningKeyEntry>>> {
    admin_only(&who)?;
    let keys = s.store.signing_keys().await?;
    Ok(Json(keys.iter().map(SigningKeyEntry::from).collect()))
}

/// Adds a fresh random key and publishes it (`GET /keys`), endorsed by the active key so that
/// scanners take it in; with `activate`, it also signs new credentials from now on.
///
/// Who may call: an administrator.
#[utoipa::path(
    post,
    path = "/signing-keys",
    operation_id = "add_signing_key",
    tag = "meta",
    request_body = NewSigningKey,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The key was added.", body = SigningKeyEntry),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "Not an administrator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "Every key id is taken (`conflict`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is unknown or of the wrong type (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn add(
    State(s): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewSigningKey>,
) -> ApiResult<(StatusCode, Json<SigningKeyEntry>)> {
    admin_only(&who)?;
    let id = keys::add(s.store.as_ref(), s.clock.as_ref(), body.activate).await?;
    Ok((StatusCode::CREATED, Json(entry(&s, id).await?)))
}

/// Makes a published key the one that signs new credentials. Credentials signed with the
/// earlier key keep verifying: every published key stays published.
///
/// Who may call: an administrator.
#[utoipa::path(
    post,
    path = "/signing-keys/{id}/activate",
    operation_id = "activate_signing_key",
    tag = "meta",
    params(
        ("id" = u16, Path, description = "The key id."),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The key now signs new credentials.", body = SigningKeyEntry),
        (status = 400, description = "The key id is not a number from 1 to 65535 (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Not an administrator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such key (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "The key is retired (`conflict`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn activate(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<u16>,
) -> ApiResult<Json<SigningKeyEntry>> {
    admin_only(&who)?;
    keys::activate(s.store.as_ref(), KeyId(id)).await?;
    Ok(Json(entry(&s, KeyId(id)).await?))
}

/// Retires a key: scanners refuse credentials signed with it from `from` on, once they have
/// synced; a holder's next refresh gets a credential under the active key. The statement is
/// signed by the active key. The active key cannot be retired (activate another first), and a
/// retirement can only move earlier.
///
/// Who may call: an administrator.
#[utoipa::path(
    post,
    path = "/signing-keys/{id}/retire",
    operation_id = "retire_signing_key",
    tag = "meta",
    params(
        ("id" = u16, Path, description = "The key id."),
    ),
    request_body = RetireSigningKey,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The key is retired from the day given.", body = SigningKeyEntry),
        (status = 400, description = "The key id or the body is not well-formed (`invalid_path`, `invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "Not an administrator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "No such key (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "The key is the active one, or retired from an earlier day already (`conflict`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "`from` is missing or not a date (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn retire(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<u16>,
    ApiJson(body): ApiJson<RetireSigningKey>,
) -> ApiResult<Json<SigningKeyEntry>> {
    admin_only(&who)?;
    keys::retire(s.store.as_ref(), KeyId(id), body.from).await?;
    Ok(Json(entry(&s, KeyId(id)).await?))
}
