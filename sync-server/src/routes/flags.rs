//! Uses to check: the same card scanned by two devices within the flag window, for the venue
//! (its own) and the coordinator (the region's) to look into. Never a holder's name.

use axum::Json;
use axum::extract::State;
use chrono::{NaiveDate, TimeDelta};
use kaiku_core::ids::{RegionId, VenueId};
use serde::Deserialize;

use super::listing::{invalid_query, page_size};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::startup::AppState;
use crate::stats::Scope;
use crate::store::flags::{FlagFilter, FlaggedUse};
use crate::store::{Listed, Role};

/// Days listed when the query names no period: the last 90, today included.
const DEFAULT_DAYS: i64 = 90;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FlagQuery {
    /// Only uses touching this venue (an administrator's or coordinator's choice; a venue
    /// user always gets its own venue's).
    #[serde(default)]
    pub venue: Option<VenueId>,
    /// Only uses touching a venue of this region (an administrator's choice).
    #[serde(default)]
    pub region: Option<RegionId>,
    /// The first day of the period (default: 90 days ago).
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// The last day of the period, included (default: today).
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// Rows per page, 1 to 200 (default 50).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    #[serde(default)]
    pub offset: Option<u32>,
}

/// The scope the caller may list, narrowed by the query.
async fn flag_scope(s: &AppState, who: &Principal, q: &FlagQuery) -> ApiResult<Scope> {
    let asked = match (q.venue, q.region) {
        (Some(_), Some(_)) => return Err(invalid_query("ask for a venue or a region, not both")),
        (Some(v), None) => Some(Scope::Venue(v)),
        (None, Some(r)) => Some(Scope::Region(r)),
        (None, None) => None,
    };
    let own = match who.role()? {
        Role::Admin => Scope::All,
        Role::Coordinator(r) => Scope::Region(r),
        Role::Venue(v) => Scope::Venue(v),
        Role::Distributor(_) => {
            return Err(ApiError::forbidden("uses to check are for venues and coordinators, not distributors"));
        }
    };
    let Some(asked) = asked else { return Ok(own) };
    let allowed = match (own, asked) {
        (Scope::All, _) => true,
        (Scope::Region(r), Scope::Venue(v)) => s.store.venue(v).await?.is_some_and(|v| v.region == Some(r)),
        (mine, asked) => mine == asked,
    };
    if allowed { Ok(asked) } else { Err(ApiError::forbidden("those uses are outside your scope")) }
}

/// Lists uses to check: pairs of scans of one card by two different devices (so also at two
/// venues) within `flag_window_minutes`, found when the second of the two was uploaded. Each
/// gives both scans' time, venue, device and offer, and the card ID; never a name. Newest
/// first; a pair is listed if either scan falls in the period.
///
/// Who may call: a venue user (its own venue's), a region coordinator (uses touching a venue
/// of its region, or one such venue), an administrator (all, or a region or a venue).
#[utoipa::path(
    get,
    path = "/flagged-uses",
    operation_id = "flagged_uses",
    tag = "statistics",
    params(FlagQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of uses to check, newest first, and how many in all.", body = Listed<FlaggedUse>),
        (status = 400, description = "A query parameter is not valid (`invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "A distributor or a device, or a venue or region outside the caller's scope (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn list(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<FlagQuery>,
) -> ApiResult<Json<Listed<FlaggedUse>>> {
    let scope = flag_scope(&s, &who, &q).await?;
    let today = s.clock.now().date_naive();
    let to = q.to.unwrap_or(today);
    let from = match q.from {
        Some(from) => from,
        None => to.checked_sub_signed(TimeDelta::days(DEFAULT_DAYS - 1)).unwrap_or(to),
    };
    if from > to {
        return Err(invalid_query("from must not be after to"));
    }
    let filter = FlagFilter { scope, from, to, offset: q.offset.unwrap_or(0), limit: page_size(q.limit)? };
    Ok(Json(s.store.flagged_uses(filter).await?))
}
