//! The register's cards: distributors register, renew and revoke them and hand out
//! activation codes; venues check a card's status. Background data only, never a name.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use kaiku_core::background::Background;
use kaiku_core::card::{CardState as CoreState, RevocationReason, Validity};
use kaiku_core::wire::CardState;
use kaiku_core::{Card, CardId, CardKind, KaikuId};
use serde::{Deserialize, Serialize};

use crate::auth::Principal;
use crate::codes;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::idempotency::{self, IdempotencyKey};
use crate::startup::AppState;
use crate::store::{CardRecord, CardRequest, Requested, Role, StoreError};

/// A card to register. Any other field (a name, say) is refused.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterCard {
    /// The printed card's ID; leave out for a mobile-only card and the server numbers it.
    #[serde(default)]
    pub card: Option<CardId>,
    pub kind: CardKind,
    #[serde(default)]
    pub validity: Option<Validity>,
    /// Defaults to today; may be in the past (a card handed out earlier), not the future.
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    /// Required for a personal card, absent for a community card.
    #[serde(default)]
    pub background: Option<Background>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Renew {
    #[serde(default)]
    pub validity: Option<Validity>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Revoke {
    pub reason: RevocationReason,
}

/// A card with its background data, for its distributor, region and admins.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CardView {
    pub card: Card,
    pub background: Option<Background>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OneTimeCode {
    pub code: String,
    pub expires_at: DateTime<Utc>,
    /// The code as an SVG QR image, for a screen or a printout.
    pub qr_svg: Option<String>,
}

pub fn today(s: &AppState) -> NaiveDate {
    s.clock.now().date_naive()
}

/// Registers a card with the holder's background data (never a name).
///
/// Who may call: a distributor user; the card belongs to its distributor and region. Leave out
/// `card` for a mobile-only card and the server numbers it. Send an `Idempotency-Key` (a new
/// UUID per card) and send the same request again with it until an answer comes: the first
/// registers the card, any resend gets that card (kept 30 days; a key is the distributor's own).
#[utoipa::path(
    post,
    path = "/cards",
    operation_id = "register_card",
    tag = "cards",
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "The client's key for this one registration (1 to 100 visible ASCII characters, e.g. a UUID). A request sent again with it, to any server process, answers 201 with the card the first one registered and registers nothing."),
    ),
    request_body = RegisterCard,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The card is registered (or was, by an earlier request with the same `Idempotency-Key`: the card as the register holds it now).", body = CardView),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`), or the `Idempotency-Key` is empty, too long or sent twice (`invalid_idempotency_key`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "Only a distributor registers cards (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "The caller's distributor no longer exists (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "The card ID is registered already, or the mobile series is full (`conflict`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing or unknown (a name, say), the card ID is not valid, or the background data breaks a rule (`invalid_value`); or the `Idempotency-Key` was sent before with a different card (`idempotency_key_reused`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn register(
    State(s): State<AppState>,
    who: Principal,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<RegisterCard>,
) -> ApiResult<(StatusCode, Json<CardView>)> {
    let Role::Distributor(distributor) = who.role()? else {
        return Err(ApiError::forbidden("only a card distributor registers cards"));
    };
    let request = key.map(|key| CardRequest {
        distributor,
        key,
        fingerprint: idempotency::fingerprint(&body),
        at: s.clock.now(),
    });
    let info =
        s.store.distributor(distributor).await?.ok_or_else(|| ApiError::NotFound("your distributor is gone".into()))?;
    let issued_on = body.issued_on.unwrap_or_else(|| today(&s));
    if issued_on > today(&s) {
        return Err(ApiError::Unprocessable(format!("issued_on {issued_on} is in the future")));
    }
    // Printed cards of the old numbering come in by import; here a legacy-looking ID is a
    // mistyped Kaiku number, which must not become a card nobody holds.
    if let Some(CardId::Legacy(id)) = body.card {
        let why = KaikuId::parse(&id.to_string()).err().map_or_else(String::new, |e| format!(": {e}"));
        return Err(ApiError::Unprocessable(format!(
            "{id} is not a Kaiku card number{why}; cards of the old register are brought in by import"
        )));
    }
    let background = check_background(body.kind, body.background, issued_on)?;
    let minors = background.as_ref().map_or(0, Background::minors_on_record);
    let validity = body.validity.unwrap_or(Validity::TwelveMonths);
    for _attempt in 0..3 {
        let id = match body.card {
            Some(id) => id,
            None => s
                .store
                .next_card_id(s.settings.mobile_series)
                .await?
                .map(CardId::from)
                .ok_or_else(|| ApiError::Conflict("the mobile card series is full".into()))?,
        };
        let card = Card::issue(id, body.kind, info.region, distributor, issued_on, validity, minors)
            .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
        let record = CardRecord { card, background: background.clone() };
        let stored = match &request {
            Some(request) => s.store.insert_requested_card(&record, request).await,
            None => s.store.insert_card(&record).await.map(|()| Requested::Stored),
        };
        match stored {
            Ok(Requested::Stored) => {
                return Ok((StatusCode::CREATED, Json(CardView { card: record.card, background: record.background })));
            }
            Ok(Requested::Earlier { card, fingerprint }) => {
                if request.as_ref().is_some_and(|r| r.fingerprint[..] != fingerprint[..]) {
                    return Err(idempotency::reused());
                }
                let earlier = s.store.card(card).await?.ok_or_else(|| ApiError::Internal(format!("{card} is gone")))?;
                return Ok((
                    StatusCode::CREATED,
                    Json(CardView { card: earlier.card, background: earlier.background }),
                ));
            }
            // Two registrations took the same new number: take the next one.
            Err(StoreError::Conflict(_)) if body.card.is_none() => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Conflict("could not number the card, try again".into()))
}

fn check_background(kind: CardKind, b: Option<Background>, issued_on: NaiveDate) -> ApiResult<Option<Background>> {
    match (kind, b) {
        (CardKind::Personal, None) => {
            Err(ApiError::Unprocessable("a personal card needs the holder's background data".into()))
        }
        (CardKind::Community, Some(_)) => {
            Err(ApiError::Unprocessable("a community card belongs to an organisation: send no background data".into()))
        }
        (CardKind::Personal, Some(b)) => {
            b.validate(issued_on.year()).map_err(|e| ApiError::Unprocessable(e.to_string()))?;
            Ok(Some(b))
        }
        (CardKind::Community, None) => Ok(None),
    }
}

/// The card, if `who` may see its register record.
async fn card_for(s: &AppState, who: &Principal, id: CardId, write: bool) -> ApiResult<CardRecord> {
    let record = s.store.card(id).await?.ok_or_else(|| ApiError::NotFound(format!("card {id} is not registered")))?;
    let allowed = match who.role()? {
        Role::Admin => true,
        Role::Distributor(d) => d == record.card.distributor,
        Role::Coordinator(r) => !write && r == record.card.region,
        Role::Venue(_) => false,
    };
    if !allowed {
        return Err(ApiError::forbidden(format!("card {id} was not registered by you")));
    }
    Ok(record)
}

/// Reads a card's register record with its background data.
///
/// Who may call: an administrator, the card's distributor, or the coordinator of its region.
#[utoipa::path(
    get,
    path = "/cards/{id}",
    operation_id = "get_card",
    tag = "cards",
    params(
        ("id" = kaiku_core::CardId, Path, description = "The card ID, e.g. `A999123459`."),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The card and its background data.", body = CardView),
        (status = 400, description = "The path parameter is not valid, e.g. a card ID with a wrong check digit (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller may not see or change this card, e.g. another distributor's card (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "The card is not registered (`not_found`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn get(State(s): State<AppState>, who: Principal, ApiPath(id): ApiPath<CardId>) -> ApiResult<Json<CardView>> {
    let r = card_for(&s, &who, id, false).await?;
    Ok(Json(CardView { card: r.card, background: r.background }))
}

/// Renews a card for a new period; renewing early never shortens it.
///
/// Who may call: an administrator or the card's distributor.
#[utoipa::path(
    post,
    path = "/cards/{id}/renew",
    operation_id = "renew_card",
    tag = "cards",
    params(
        ("id" = kaiku_core::CardId, Path, description = "The card ID, e.g. `A999123459`."),
    ),
    request_body = Renew,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The renewed card.", body = CardView),
        (status = 400, description = "The card ID in the path is not valid (`invalid_path`) or the body is not JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller may not see or change this card, e.g. another distributor's card (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "The card is not registered (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "The card is revoked and cannot be renewed (`conflict`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing, unknown or of the wrong type, or a value breaks a rule (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn renew(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<CardId>,
    ApiJson(body): ApiJson<Renew>,
) -> ApiResult<Json<CardView>> {
    let mut r = card_for(&s, &who, id, true).await?;
    r.card
        .renew(today(&s), body.validity.unwrap_or(Validity::TwelveMonths))
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    s.store.update_card(&r.card).await?;
    Ok(Json(CardView { card: r.card, background: r.background }))
}

/// Revokes a card for good (lost, stolen, misuse, replaced).
///
/// Who may call: an administrator or the card's distributor.
#[utoipa::path(
    post,
    path = "/cards/{id}/revoke",
    operation_id = "revoke_card",
    tag = "cards",
    params(
        ("id" = kaiku_core::CardId, Path, description = "The card ID, e.g. `A999123459`."),
    ),
    request_body = Revoke,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The revoked card.", body = CardView),
        (status = 400, description = "The card ID in the path is not valid (`invalid_path`) or the body is not JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller may not see or change this card, e.g. another distributor's card (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "The card is not registered (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "The card was revoked already (`conflict`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing, unknown or of the wrong type, or a value breaks a rule (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn revoke(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<CardId>,
    ApiJson(body): ApiJson<Revoke>,
) -> ApiResult<Json<CardView>> {
    let mut r = card_for(&s, &who, id, true).await?;
    r.card.revoke(body.reason, today(&s)).map_err(|e| ApiError::Conflict(e.to_string()))?;
    s.store.update_card(&r.card).await?;
    Ok(Json(CardView { card: r.card, background: r.background }))
}

/// Creates a one-time activation code with which the holder's app fetches the mobile card.
///
/// Who may call: an administrator or the card's distributor. Takes no body.
#[utoipa::path(
    post,
    path = "/cards/{id}/activation-code",
    operation_id = "create_activation_code",
    tag = "cards",
    params(
        ("id" = kaiku_core::CardId, Path, description = "The card ID, e.g. `A999123459`."),
    ),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The code, its expiry and a QR image of it.", body = OneTimeCode),
        (status = 400, description = "The path parameter is not valid, e.g. a card ID with a wrong check digit (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "The caller may not see or change this card, e.g. another distributor's card (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "The card is not registered (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "The card is revoked, or is a printed legacy card, which has no mobile credential (`conflict`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn activation_code(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<CardId>,
) -> ApiResult<(StatusCode, Json<OneTimeCode>)> {
    let r = card_for(&s, &who, id, true).await?;
    if let CoreState::Revoked { .. } = r.card.state_on(today(&s)) {
        return Err(ApiError::Conflict(format!("card {id} is revoked: register a new card")));
    }
    if id.is_legacy() {
        return Err(ApiError::Conflict(format!(
            "card {id} is a printed legacy card: it cannot be put on a phone; hand out a new Kaiku card for that"
        )));
    }
    let code = codes::new_one_time_code();
    let expires_at = s.clock.now() + TimeDelta::days(s.settings.activation_code_days);
    s.store.create_activation_code(id, &codes::code_hash(&code), expires_at).await?;
    let qr_svg = codes::qr_svg(&code);
    Ok((StatusCode::CREATED, Json(OneTimeCode { code, expires_at, qr_svg })))
}

/// The wire state of a card on `today`.
pub fn wire_state(card: &Card, today: NaiveDate) -> CardState {
    match card.state_on(today) {
        CoreState::Valid { until } => CardState::Valid { until },
        CoreState::Expired { on } => CardState::Expired { on },
        CoreState::Revoked { on, .. } => CardState::Revoked { on },
    }
}

/// Checks a card's state online: valid, expired, revoked or not registered. Nothing personal.
///
/// Who may call: venue users and enrolled venue devices, administrators; distributors and
/// region coordinators only for their own cards.
#[utoipa::path(
    get,
    path = "/cards/{id}/status",
    operation_id = "card_status",
    tag = "cards",
    params(
        ("id" = kaiku_core::CardId, Path, description = "The card ID, e.g. `A999123459`."),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The card's state today (`not_registered` for an unknown card).", body = CardState),
        (status = 400, description = "The path parameter is not valid, e.g. a card ID with a wrong check digit (`invalid_path`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "A distributor or coordinator asked about a card that is not theirs (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "A distributor or coordinator asked about an unregistered card (`not_found`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn status(
    State(s): State<AppState>,
    who: Principal,
    ApiPath(id): ApiPath<CardId>,
) -> ApiResult<Json<CardState>> {
    if let Principal::User { role: Role::Distributor(_) | Role::Coordinator(_), .. } = who {
        // Distributors and coordinators see cards through GET /cards/{id}, scoped.
        card_for(&s, &who, id, false).await?;
    }
    let state = match s.store.card(id).await? {
        Some(r) => wire_state(&r.card, today(&s)),
        None => CardState::NotRegistered,
    };
    Ok(Json(state))
}
