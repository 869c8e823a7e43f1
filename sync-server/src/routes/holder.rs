//! The holder's app: activation with a one-time code, and status refresh with the credential
//! and the card's refresh secret. The secret (256 random bits) is handed out at activation and
//! kept only as a hash, so a screenshot or a copy of the credential alone refreshes nothing.

use axum::Json;
use axum::extract::State;
use kaiku_core::card::CardState as CoreState;
use kaiku_core::wire::{ActivateRequest, ActivateResponse, CardSummary, RefreshRequest, RefreshResponse};
use kaiku_core::{Card, CardKind, Credential};

use super::cards::{today, wire_state};
use crate::codes;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::keys;
use crate::startup::AppState;
use crate::store::CodeUse;

async fn summary(s: &AppState, card: &Card) -> ApiResult<CardSummary> {
    let organisation = match card.kind {
        CardKind::Community => s.store.distributor(card.distributor).await?.map(|d| d.name),
        CardKind::Personal => None,
    };
    Ok(CardSummary {
        card: card.id,
        kind: card.kind,
        valid_until: card.valid_until,
        minors_on_record: card.minors_on_record,
        organisation,
        status: wire_state(card, today(s)),
    })
}

async fn sign(s: &AppState, card: &Card) -> ApiResult<String> {
    let Some(id) = card.id.kaiku() else {
        return Err(ApiError::Conflict(format!(
            "card {} is a printed legacy card: a mobile card needs a card with a Kaiku number",
            card.id
        )));
    };
    let key = keys::active(s.store.as_ref()).await?;
    let credential = Credential {
        key_id: key.id(),
        card: id,
        kind: card.kind,
        valid_until: card.valid_until,
        minors_on_record: card.minors_on_record,
        // Version 1 (no issue time) while old scanner apps are still in use: see `credential_version`.
        issued: (s.settings.credential_version >= 2).then(|| s.clock.now()),
    };
    credential.issue(&key).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Exchanges a one-time activation code for the card's signed credential.
///
/// Who may call: anyone holding the code (the holder's app); no token.
#[utoipa::path(
    post,
    path = "/activate",
    operation_id = "activate",
    tag = "holder",
    request_body = ActivateRequest,
    responses(
        (status = 200, description = "The signed credential, what the card screen shows, and the refresh secret the app keeps for `/holder/refresh`.", body = ActivateResponse),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        (status = 404, description = "No such activation code, or its card is gone (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 410, description = "The code was used already or has expired, or the card is revoked (`code_used_or_expired`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing, unknown or of the wrong type, or a value breaks a rule (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn activate(
    State(s): State<AppState>,
    ApiJson(body): ApiJson<ActivateRequest>,
) -> ApiResult<Json<ActivateResponse>> {
    let id = match s.store.take_activation_code(&codes::code_hash(&body.code), s.clock.now()).await? {
        CodeUse::Taken(id) => id,
        CodeUse::Unknown => {
            return Err(ApiError::NotFound("no such activation code: check the code on your paper".into()));
        }
        CodeUse::AlreadyUsed => {
            return Err(ApiError::Gone(
                "this activation code was used already: ask your distributor for a new one".into(),
            ));
        }
        CodeUse::Expired => {
            return Err(ApiError::Gone("this activation code has expired: ask your distributor for a new one".into()));
        }
    };
    let record = s.store.card(id).await?.ok_or_else(|| ApiError::NotFound(format!("card {id} is not registered")))?;
    if let CoreState::Revoked { .. } = record.card.state_on(today(&s)) {
        return Err(ApiError::Gone(format!("card {id} has been revoked: ask your distributor")));
    }
    let credential = sign(&s, &record.card).await?;
    // A new secret each activation: the phone activated last is the one that can refresh.
    let secret = codes::new_secret();
    s.store.set_refresh_secret(id, &codes::hash(&secret), s.clock.now()).await?;
    Ok(Json(ActivateResponse { credential, card: summary(&s, &record.card).await?, refresh_secret: Some(secret) }))
}

/// Refreshes a mobile card: the card's current state and a fresh credential (none when revoked).
/// Needs the refresh secret the card's last activation gave; without it, or with another, the
/// answer is 403 `needs_activation` (cards activated before secrets existed get it too): the
/// holder asks the distributor for a new activation code.
///
/// Who may call: the holder's app, with a credential the server signed and the card's refresh
/// secret; no token.
#[utoipa::path(
    post,
    path = "/holder/refresh",
    operation_id = "refresh_credential",
    tag = "holder",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "The card's state and, unless it is revoked, a fresh credential.", body = RefreshResponse),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        (status = 403, description = "No refresh secret, or not the one of the card's last activation: activate the card again (`needs_activation`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "The credential's card is not registered (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing or unknown, or the credential does not verify (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn refresh(
    State(s): State<AppState>,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> ApiResult<Json<RefreshResponse>> {
    let keys = keys::public_set(s.store.as_ref()).await?;
    let held = Credential::verify(&body.credential, &keys).map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    let record = s
        .store
        .card(held.card.into())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("card {} is not registered", held.card)))?;
    let stored = s.store.refresh_secret(record.card.id).await?;
    let secret_matches = match (&body.refresh_secret, stored) {
        (Some(secret), Some(hash)) => codes::matches(secret, &hash),
        _ => false,
    };
    if !secret_matches {
        return Err(ApiError::ForbiddenWith {
            code: "needs_activation",
            message: "this phone cannot refresh the card: the card must be activated again. \
                      Ask the distributor who gave you the card for a new activation code"
                .into(),
        });
    }
    let credential = match record.card.state_on(today(&s)) {
        CoreState::Revoked { .. } => None,
        _ => Some(sign(&s, &record.card).await?),
    };
    Ok(Json(RefreshResponse { credential, card: summary(&s, &record.card).await? }))
}
