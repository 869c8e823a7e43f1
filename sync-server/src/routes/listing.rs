//! The staff console's listings: cards by search, a distributor's counts, regions,
//! distributors, venues and users, each scoped by the caller's role.

use axum::Json;
use axum::extract::State;
use chrono::{Datelike, NaiveDate};
use kaiku_core::CardId;
use kaiku_core::ids::{DistributorId, RegionId};
use serde::{Deserialize, Serialize};

use super::cards::{CardView, today};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::startup::AppState;
use crate::stats::Scope;
use crate::store::{
    CardCounts, CardSearch, CardState, DistributorEntry, Listed, MAX_PAGE, PageRequest, RegionEntry, Role, UserEntry,
    VenueEntry,
};

const DEFAULT_PAGE: u32 = 50;

pub fn invalid_query(message: impl Into<String>) -> ApiError {
    ApiError::BadRequest { code: "invalid_query", message: message.into() }
}

/// A page size from the query: 1 to [`MAX_PAGE`], [`DEFAULT_PAGE`] when left out.
pub fn page_size(limit: Option<u32>) -> ApiResult<u32> {
    match limit.unwrap_or(DEFAULT_PAGE) {
        n @ 1..=MAX_PAGE => Ok(n),
        n => Err(invalid_query(format!("limit must be 1 to {MAX_PAGE}, not {n}"))),
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CardQuery {
    /// One card ID, exactly (e.g. `A999123459`).
    #[serde(default)]
    pub id: Option<String>,
    /// The start of card IDs (letters and digits; case does not matter).
    #[serde(default)]
    pub id_prefix: Option<String>,
    /// Only this distributor's cards (within what the caller may see).
    #[serde(default)]
    pub distributor: Option<DistributorId>,
    /// `active`, `revoked` or `expired`, judged on `on`.
    #[serde(default)]
    pub status: Option<CardState>,
    /// The day `status` is judged on; today when left out.
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// Only cards valid on this day (issued by then, not expired, not revoked by then).
    #[serde(default)]
    pub valid_on: Option<NaiveDate>,
    /// Only cards whose validity ends before this day (with `status=active`: those still to expire).
    #[serde(default)]
    pub expires_before: Option<NaiveDate>,
    /// Cards per page, 1 to 200 (default 50).
    #[serde(default)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// One page of cards, in card ID order.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CardList {
    pub cards: Vec<CardView>,
    /// How many cards match the search in all pages.
    pub total: u64,
    /// Ask again with `cursor` set to this for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Letters and digits only, upper-cased, at most 20 of them.
fn id_text(text: &str, what: &str) -> ApiResult<String> {
    let t = text.trim();
    if t.is_empty() || t.len() > 20 || !t.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(invalid_query(format!("{what} must be 1 to 20 letters and digits, not '{text}'")));
    }
    Ok(t.to_ascii_uppercase())
}

/// Whose cards the caller sees: all, its region's or its own; a venue none.
async fn card_scope(s: &AppState, who: &Principal, asked: Option<DistributorId>) -> ApiResult<Scope> {
    let scope = match who.role()? {
        Role::Admin => Scope::All,
        Role::Coordinator(r) => Scope::Region(r),
        Role::Distributor(d) => Scope::Distributor(d),
        Role::Venue(_) => return Err(ApiError::forbidden("a venue sees no card listing; check a card's status")),
    };
    let allowed = match (scope, asked) {
        (_, None) | (Scope::All, _) => true,
        (Scope::Region(r), Some(d)) => s.store.distributor(d).await?.is_some_and(|d| d.region == r),
        (Scope::Distributor(mine), Some(d)) => mine == d,
        _ => false,
    };
    if !allowed {
        return Err(ApiError::forbidden("those cards are another distributor's, outside your scope"));
    }
    Ok(scope)
}

/// Lists and searches the register's cards, a page at a time, with background data.
///
/// Who may call: an administrator (every card), a region coordinator (its region's cards), a
/// distributor (its own cards; asking for another distributor's is refused with 403). Not venue
/// users or devices. Filters combine; rows come in card ID order.
#[utoipa::path(
    get,
    path = "/cards",
    operation_id = "list_cards",
    tag = "cards",
    params(CardQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of cards and how many match.", body = CardList),
        (status = 400, description = "A query parameter is not valid (`invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "A venue or device asked, or the distributor is outside the caller's scope (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn list_cards(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<CardQuery>,
) -> ApiResult<Json<CardList>> {
    let limit = page_size(q.limit)?;
    let id = match &q.id {
        Some(text) => Some(CardId::parse(text.trim()).map_err(|e| invalid_query(format!("id '{text}': {e}")))?),
        None => None,
    };
    if id.is_some() && q.id_prefix.is_some() {
        return Err(invalid_query("give id or id_prefix, not both"));
    }
    if q.on.is_some() && q.status.is_none() {
        return Err(invalid_query("on is the day status is judged on: give status too"));
    }
    let search = CardSearch {
        scope: card_scope(&s, &who, q.distributor).await?,
        distributor: q.distributor,
        id: id.map(|id| id.to_string()),
        id_prefix: q.id_prefix.as_deref().map(|p| id_text(p, "id_prefix")).transpose()?,
        state: q.status,
        on: q.on.unwrap_or_else(|| today(&s)),
        valid_on: q.valid_on,
        expires_before: q.expires_before,
        after: q.cursor.as_deref().map(|c| id_text(c, "cursor")).transpose()?,
        // One more than asked, to know whether another page follows.
        limit: limit + 1,
    };
    let mut page = s.store.search_cards(&search).await?;
    let more = page.cards.len() > limit as usize;
    page.cards.truncate(limit as usize);
    let next_cursor = if more { page.cards.last().map(|c| c.card.id.to_string()) } else { None };
    let cards = page.cards.into_iter().map(|r| CardView { card: r.card, background: r.background }).collect();
    Ok(Json(CardList { cards, total: page.total, next_cursor }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CountsQuery {
    /// Needed by an administrator or coordinator; a distributor's own is implied.
    #[serde(default)]
    pub distributor: Option<DistributorId>,
    /// The year of `handed_out` and `revoked`; this year when left out.
    #[serde(default)]
    pub year: Option<i32>,
}

/// A distributor's cards at a glance: handed out and revoked in a year, active now, and
/// active ones expiring within 30 days.
///
/// Who may call: a distributor (its own), the coordinator of its region, an administrator.
#[utoipa::path(
    get,
    path = "/card-counts",
    operation_id = "card_counts",
    tag = "cards",
    params(CountsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The counts.", body = CardCounts),
        (status = 400, description = "A query parameter is not valid, or no distributor was named (`invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "The distributor is outside the caller's scope (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn card_counts(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<CountsQuery>,
) -> ApiResult<Json<CardCounts>> {
    let scope = card_scope(&s, &who, q.distributor).await?;
    let distributor = match (scope, q.distributor) {
        (_, Some(d)) => d,
        (Scope::Distributor(d), None) => d,
        _ => return Err(invalid_query("name the distributor: distributor=<id>")),
    };
    let now = today(&s);
    let year = q.year.unwrap_or(now.year());
    if !(2000..=2100).contains(&year) {
        return Err(invalid_query(format!("year must be 2000 to 2100, not {year}")));
    }
    Ok(Json(s.store.card_counts(distributor, year, now).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrgQuery {
    /// Only this region's (an administrator's choice; a coordinator's own is implied).
    #[serde(default)]
    pub region: Option<RegionId>,
    /// Rows per page, 1 to 200 (default 50).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Rows to skip, in id order.
    #[serde(default)]
    pub offset: Option<u32>,
}

/// The region whose organisations the caller lists: any (or all) for an admin, its own for a
/// coordinator, refused for anyone else.
fn org_scope(who: &Principal, q: &OrgQuery) -> ApiResult<(Option<RegionId>, PageRequest)> {
    let page = PageRequest { offset: q.offset.unwrap_or(0), limit: page_size(q.limit)? };
    match (who.role()?, q.region) {
        (Role::Admin, asked) => Ok((asked, page)),
        (Role::Coordinator(r), None) => Ok((Some(r), page)),
        (Role::Coordinator(r), Some(a)) if a == r => Ok((Some(r), page)),
        (Role::Coordinator(_), Some(_)) => Err(ApiError::forbidden("that region is not yours")),
        _ => Err(ApiError::forbidden("only an administrator or a region coordinator lists these")),
    }
}

/// Lists regions.
///
/// Who may call: an administrator (all regions); a coordinator gets its own region only.
#[utoipa::path(
    get,
    path = "/regions",
    operation_id = "list_regions",
    tag = "organisations",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The regions, in id order.", body = Vec<RegionEntry>),
        crate::openapi::NeedsToken,
        (status = 403, description = "Not an administrator or coordinator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn list_regions(State(s): State<AppState>, who: Principal) -> ApiResult<Json<Vec<RegionEntry>>> {
    let only = match who.role()? {
        Role::Admin => None,
        Role::Coordinator(r) => Some(r),
        _ => return Err(ApiError::forbidden("only an administrator or a region coordinator lists regions")),
    };
    Ok(Json(s.store.list_regions(only).await?))
}

/// Lists distributors, a page at a time.
///
/// Who may call: an administrator (all, or one region's with `region`), a coordinator (its region's).
#[utoipa::path(
    get,
    path = "/distributors",
    operation_id = "list_distributors",
    tag = "organisations",
    params(OrgQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of distributors, in id order, and how many in all.", body = Listed<DistributorEntry>),
        (status = 400, description = "A query parameter is not valid (`invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Not an administrator or the region's coordinator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn list_distributors(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> ApiResult<Json<Listed<DistributorEntry>>> {
    let (region, page) = org_scope(&who, &q)?;
    Ok(Json(s.store.list_distributors(region, page).await?))
}

/// Lists venues, a page at a time.
///
/// Who may call: an administrator (all, pop-up venues too, or one region's with `region`), a
/// coordinator (its region's).
#[utoipa::path(
    get,
    path = "/venues",
    operation_id = "list_venues",
    tag = "organisations",
    params(OrgQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of venues, in id order, and how many in all.", body = Listed<VenueEntry>),
        (status = 400, description = "A query parameter is not valid (`invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Not an administrator or the region's coordinator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn list_venues(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> ApiResult<Json<Listed<VenueEntry>>> {
    let (region, page) = org_scope(&who, &q)?;
    Ok(Json(s.store.list_venues(region, page).await?))
}

/// Lists user accounts (never a secret): role, scope, label, username, whether it can sign in.
///
/// Who may call: an administrator (every user, or one region's distributor and venue users
/// with `region`), a coordinator (the users of its region's distributors and venues).
#[utoipa::path(
    get,
    path = "/users",
    operation_id = "list_users",
    tag = "organisations",
    params(OrgQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of users, in id order, and how many in all.", body = Listed<UserEntry>),
        (status = 400, description = "A query parameter is not valid (`invalid_query`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Not an administrator or the region's coordinator (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn list_users(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> ApiResult<Json<Listed<UserEntry>>> {
    let (region, page) = org_scope(&who, &q)?;
    Ok(Json(s.store.list_users(region, page).await?))
}
