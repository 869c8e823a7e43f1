//! What scanners send and fetch: redemption batches up, register copy and keys down.

use axum::Json;
use axum::extract::State;
use kaiku_core::Redemption;
use kaiku_core::wire::{Cursor, RegisterPage, UploadResponse};
use serde::Deserialize;
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiBytes, ApiQuery};
use crate::keys;
use crate::startup::AppState;
use crate::store::IncomingItem;
use crate::upload::UploadRules;

/// The batch as read before its items: each item is parsed on its own.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBatch<'a> {
    #[serde(borrow)]
    items: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct JustTheId {
    id: Uuid,
}

fn read_item(raw: &RawValue) -> IncomingItem {
    match serde_json::from_str::<Redemption>(raw.get()) {
        Ok(r) => IncomingItem::Readable(r),
        Err(e) => IncomingItem::Unreadable {
            id: serde_json::from_str::<JustTheId>(raw.get()).ok().map(|j| j.id),
            raw: raw.get().chars().take(4096).collect(),
            reason: format!("not a valid redemption: {e}"),
        },
    }
}

/// Uploads a batch of redemptions. Idempotent: the server de-duplicates by id, so a batch can
/// be sent again any number of times. Each item is read on its own and gets its own outcome:
/// an item naming an offer of another venue is rejected with the reason; one scanned ahead of
/// the server's clock beyond `clock_tolerance_minutes` is accepted with the flag `clock_ahead`
/// (the device's clock is wrong). The same card scanned by another device within
/// `flag_window_minutes` is recorded as a use to check (`GET /flagged-uses`). An item with
/// `undoes` is a correction (the door's undo): accepted when it names an earlier redemption of
/// the same device and card not taken back before, rejected with the reason otherwise; neither
/// it nor the use it takes back counts in statistics, the console's counts or uses to check.
///
/// Who may call: an enrolled venue device (device token).
#[utoipa::path(
    post,
    path = "/redemptions/batch",
    operation_id = "upload_redemptions",
    tag = "sync",
    request_body = kaiku_core::wire::UploadBatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One outcome per item, in the order sent: accepted (with flags), duplicate or rejected with a reason.", body = kaiku_core::wire::UploadResponse),
        (status = 400, description = "The body is not `{\"items\": [...]}` (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        (status = 413, description = "The body or the batch is too large: send fewer items (`too_large`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Only an enrolled venue device uploads (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn upload(
    State(s): State<AppState>,
    who: Principal,
    ApiBytes(body): ApiBytes,
) -> ApiResult<Json<UploadResponse>> {
    let device = who.device()?.clone();
    let batch: RawBatch<'_> = serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest {
        code: "invalid_body",
        message: format!("the body must be {{\"items\": [...]}}: {e}"),
    })?;
    let max = s.settings.max_batch_items;
    if batch.items.len() > max {
        return Err(ApiError::TooLarge(format!(
            "the batch has {} items; send at most {max} at a time",
            batch.items.len()
        )));
    }
    let items = batch.items.into_iter().map(read_item).collect();
    let received_at = s.clock.now();
    let rules = UploadRules {
        late_after: chrono::TimeDelta::hours(s.settings.late_after_hours),
        clock_tolerance: chrono::TimeDelta::minutes(s.settings.clock_tolerance_minutes),
        flag_window: chrono::TimeDelta::minutes(s.settings.flag_window_minutes),
    };
    let outcomes = s.store.upload(&device, items, received_at, rules).await?;
    Ok(Json(UploadResponse { outcomes, received_at }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegisterQuery {
    /// Where the last page ended; leave out for a full snapshot.
    #[serde(default)]
    pub cursor: Option<u64>,
    /// Most records in the page; the server caps it at its `register_page_size`.
    #[serde(default)]
    pub limit: Option<usize>,
}

/// Downloads the register copy: a full snapshot without `cursor`, then the changes since
/// `cursor`; page with `next` while `more` is true. Carries the published public keys with
/// their endorsements and the retirements (see the key chain in `docs/sync-protocol.md`).
///
/// Who may call: an enrolled venue device (device token).
#[utoipa::path(
    get,
    path = "/register",
    operation_id = "register_copy",
    tag = "sync",
    params(
        RegisterQuery,
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the register copy.", body = kaiku_core::wire::RegisterPage),
        (status = 400, description = "The query string is not valid (`invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Only an enrolled venue device downloads the register copy (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn register(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<RegisterQuery>,
) -> ApiResult<Json<RegisterPage>> {
    who.device()?;
    let limit = q.limit.unwrap_or(s.settings.register_page_size).clamp(1, s.settings.register_page_size);
    let as_of = s.clock.now();
    let after = Cursor(q.cursor.unwrap_or(0));
    let (records, next, more) = s.store.register_page(after, limit).await?;
    let published = keys::published(s.store.as_ref()).await?;
    Ok(Json(RegisterPage {
        snapshot: after.0 == 0,
        records,
        next,
        more,
        as_of,
        keys: published.keys,
        endorsements: published.endorsements,
        retirements: published.retirements,
    }))
}
