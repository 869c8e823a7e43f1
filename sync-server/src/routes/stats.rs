//! Statistics, scoped by the caller's role, as JSON or CSV. The store answers exactly;
//! `crate::disclosure` decides what of it the caller sees, for both formats at once.

use axum::Json;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use serde::Deserialize;

use crate::auth::Principal;
use crate::disclosure::{Audience, check_period, publish_cross_tab, publish_statistics};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::startup::AppState;
use crate::stats::{Dimension, Scope};
use crate::stats_csv::{csv_cross_tab, csv_statistics};
use crate::store::{DateRange, Role};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// A calendar year as the period. Give either `year`, or both `from` and `to`. Below
    /// administrator the period is whole calendar months: `from` the first day of a month, `to`
    /// the last day of a month.
    #[serde(default)]
    pub year: Option<i32>,
    /// The first day of the period (with `to`).
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// The last day of the period, included (with `from`).
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
    /// Narrower scopes an administrator (or a coordinator, within the region) may ask for:
    /// one of `region`, `distributor` or `venue`.
    #[serde(default)]
    pub region: Option<RegionId>,
    /// A distributor (an administrator, the coordinator of its region, or the distributor itself).
    #[serde(default)]
    pub distributor: Option<DistributorId>,
    /// A venue (an administrator, the coordinator of its region, or the venue itself).
    #[serde(default)]
    pub venue: Option<VenueId>,
    /// Cross-tabulation dimensions, comma separated, 1 to 3 of `age_band`, `gender`,
    /// `mother_tongue`, `life_situation`, `postal_code` (default `age_band,gender`). Only for
    /// `/statistics/cross-tab`.
    #[serde(default)]
    pub by: Option<String>,
}

/// The asked period, if this caller may ask for it.
fn period(q: &StatsQuery, who: &Principal) -> ApiResult<DateRange> {
    let r = range(q)?;
    check_period(Audience::of(who.role()?), r)?;
    Ok(r)
}

fn range(q: &StatsQuery) -> ApiResult<DateRange> {
    let r = match (q.year, q.from, q.to) {
        (Some(y), None, None) => DateRange {
            from: NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| ApiError::bad_request(format!("no year {y}")))?,
            to: NaiveDate::from_ymd_opt(y, 12, 31).ok_or_else(|| ApiError::bad_request(format!("no year {y}")))?,
        },
        (None, Some(from), Some(to)) => DateRange { from, to },
        _ => return Err(ApiError::bad_request("give either year=YYYY or both from=YYYY-MM-DD and to=YYYY-MM-DD")),
    };
    if r.from > r.to {
        return Err(ApiError::bad_request("from must not be after to"));
    }
    Ok(r)
}

async fn scope(s: &AppState, who: &Principal, q: &StatsQuery) -> ApiResult<Scope> {
    let role = who.role()?;
    let narrower = match (q.region, q.distributor, q.venue) {
        (None, None, None) => None,
        (Some(r), None, None) => Some(Scope::Region(r)),
        (None, Some(d), None) => Some(Scope::Distributor(d)),
        (None, None, Some(v)) => Some(Scope::Venue(v)),
        _ => return Err(ApiError::bad_request("ask for one of region, distributor or venue, not several")),
    };
    let own = match role {
        Role::Admin => Scope::All,
        Role::Coordinator(r) => Scope::Region(r),
        Role::Distributor(d) => Scope::Distributor(d),
        Role::Venue(v) => Scope::Venue(v),
    };
    let Some(asked) = narrower else { return Ok(own) };
    let allowed = match (own, asked) {
        (Scope::All, _) => true,
        (Scope::Region(r), Scope::Region(a)) => r == a,
        (Scope::Region(r), Scope::Distributor(d)) => s.store.distributor(d).await?.is_some_and(|d| d.region == r),
        (Scope::Region(r), Scope::Venue(v)) => s.store.venue(v).await?.is_some_and(|v| v.region == Some(r)),
        (mine, a) => mine == a,
    };
    if allowed { Ok(asked) } else { Err(ApiError::forbidden("those statistics are outside your scope")) }
}

fn wants_csv(q: &StatsQuery) -> ApiResult<bool> {
    match q.format.as_deref() {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!("format '{other}' is not json or csv"))),
    }
}

fn csv(body: String) -> Response {
    ([(CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response()
}

/// Statistics of a period: cards, uses, tickets, rankings, frequency. Scoped by role.
///
/// Who may call: any user: an administrator (everything, or a narrower scope), a region
/// coordinator (its region, or a distributor or venue in it), a distributor or a venue user
/// (its own). Not devices. Give `year`, or `from` and `to`.
///
/// An administrator sees exact counts for any period. Below administrator the period must be
/// whole calendar months, and every count is 0, `"<5"` (1 to 4) or rounded to the nearest 5
/// (`rounded_to` says which); the usage rate is worked out from the rounded figures.
#[utoipa::path(
    get,
    path = "/statistics",
    operation_id = "statistics",
    tag = "statistics",
    params(
        StatsQuery,
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The statistics, as JSON or (with `format=csv`) CSV.", content((crate::disclosure::PublishedStatistics = "application/json"), (String = "text/csv"))),
        (status = 400, description = "The period, format, scope or dimensions are not valid (`bad_request`, `invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "A device asked, or the asked scope is outside the caller's (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "Below administrator, a period that is not whole calendar months (`period_not_whole_months`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn summary(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Response> {
    let (range, csv_out) = (period(&q, &who)?, wants_csv(&q)?);
    if q.by.is_some() {
        return Err(ApiError::bad_request("'by' belongs to /statistics/cross-tab"));
    }
    let exact = s.store.statistics(scope(&s, &who, &q).await?, range).await?;
    let stats = publish_statistics(exact, Audience::of(who.role()?));
    Ok(if csv_out { csv(csv_statistics(&stats)) } else { Json(stats).into_response() })
}

/// Uses cross-tabulated by background data (1 to 3 dimensions). A cell with fewer than 5
/// cards is not listed, for anyone: its counts go into `other` (and when only one cell is left
/// out, the smallest listed one goes with it), so no individual is ever revealed.
///
/// Who may call: any user, scoped as for `/statistics`. Not devices. Periods and rounding as for
/// `/statistics`.
#[utoipa::path(
    get,
    path = "/statistics/cross-tab",
    operation_id = "cross_tab",
    tag = "statistics",
    params(
        StatsQuery,
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cross-tabulation, as JSON or (with `format=csv`) CSV.", content((crate::disclosure::PublishedCrossTab = "application/json"), (String = "text/csv"))),
        (status = 400, description = "The period, format, scope or dimensions are not valid (`bad_request`, `invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "A device asked, or the asked scope is outside the caller's (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "Below administrator, a period that is not whole calendar months (`period_not_whole_months`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn cross_tab(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Response> {
    let (range, csv_out) = (period(&q, &who)?, wants_csv(&q)?);
    let by = q.by.as_deref().unwrap_or("age_band,gender");
    let dims = by
        .split(',')
        .map(|d| Dimension::parse(d.trim()).ok_or_else(|| ApiError::bad_request(format!("unknown dimension '{d}'"))))
        .collect::<ApiResult<Vec<_>>>()?;
    if dims.is_empty() || dims.len() > 3 {
        return Err(ApiError::bad_request("cross-tabulate by 1 to 3 dimensions"));
    }
    let exact = s.store.cross_tab(scope(&s, &who, &q).await?, range, &dims).await?;
    let table = publish_cross_tab(exact, Audience::of(who.role()?));
    Ok(if csv_out { csv(csv_cross_tab(&table)) } else { Json(table).into_response() })
}
