//! Import and export over HTTP, for the console: a distributor imports a cards CSV into its own
//! register; a coordinator downloads its region's cards and redemptions as CSV.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use kaiku_core::ids::{DistributorId, RegionId};
use serde::{Deserialize, Serialize};

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::export::{self, ExportFilter};
use crate::extract::ApiQuery;
use crate::import::{BadRow, ImportError, ImportReport, import_cards_csv};
use crate::startup::AppState;
use crate::store::{DateRange, Role};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// `true`: report what would change and every bad row, and change nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The distributor to import into: only for an administrator (a distributor imports into its own).
    #[serde(default)]
    pub distributor: Option<DistributorId>,
}

/// A refused import: the `ErrorBody` fields, every bad row, and the counts of the good rows.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportRefused {
    pub code: String,
    pub error: String,
    pub bad_rows: Vec<BadRow>,
    pub report: Option<ImportReport>,
}

fn refused(code: &str, error: String, report: Option<ImportReport>) -> Response {
    let bad_rows = report.as_ref().map(|r| r.bad_rows.clone()).unwrap_or_default();
    let body = ImportRefused { code: code.into(), error, bad_rows, report };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

fn is_csv(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let mime = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    matches!(mime.as_str(), "text/csv" | "application/csv" | "text/plain")
}

/// Imports cards from a spreadsheet's CSV (the body) into the caller's distributor: all rows
/// or none. The columns are those of `kaiku-sync-server import cards` (see docs/operations.md);
/// a name column refuses the whole file. Re-importing the same file changes nothing.
///
/// Who may call: a distributor user (into its own distributor); an administrator with `distributor`.
#[utoipa::path(
    post,
    path = "/cards/import",
    operation_id = "import_cards",
    tag = "cards",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The cards file: a header row, `,` or `;` between cells, UTF-8 with or without a BOM."),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported (or, with `dry_run`, what would be): counts and each card's changes.", body = ImportReport),
        (status = 400, description = "The query is not valid (`invalid_query`), an administrator gave no `distributor`, or the body cannot be read (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Only a distributor (into its own register) or an administrator imports (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 404, description = "The distributor does not exist (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 413, description = "The file is larger than the server accepts (`too_large`): split it.", body = kaiku_core::wire::ErrorBody),
        (status = 415, description = "The body is not sent as `Content-Type: text/csv` (`unsupported_media_type`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "Nothing was imported: bad rows (`invalid_rows`, with `bad_rows` giving each line, column and reason, and `report`), a name or other personal-data column (`personal_data_refused`), or a file that is not CSV (`invalid_csv`). The body is an `ErrorBody` with those fields added (`ImportRefused`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn import_cards(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let distributor = match (who.role()?, q.distributor) {
        (Role::Distributor(own), None) => own,
        (Role::Distributor(own), Some(d)) if d == own => own,
        (Role::Admin, Some(d)) => d,
        (Role::Admin, None) => {
            return Err(ApiError::bad_request("give the distributor to import into: ?distributor=N"));
        }
        _ => return Err(ApiError::forbidden("only a distributor imports cards, into its own register")),
    };
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!("the file is too large: {}", e.body_text())),
        _ => ApiError::BadRequest { code: "invalid_body", message: e.body_text() },
    })?;
    if !is_csv(&headers) {
        return Err(ApiError::UnsupportedMediaType("send the file as `Content-Type: text/csv`".into()));
    }
    let today = s.clock.now().date_naive();
    match import_cards_csv(s.store.as_ref(), distributor, &body, today, q.dry_run).await {
        Ok(report) if report.bad > 0 => {
            let error = format!("{} bad rows: nothing was imported", report.bad);
            Ok(refused("invalid_rows", error, Some(report)))
        }
        Ok(report) => Ok(Json(report).into_response()),
        Err(ImportError::File(e)) => Ok(refused(e.code(), e.to_string(), None)),
        Err(ImportError::UnknownDistributor(d)) => Err(ApiError::NotFound(format!("there is no distributor {d}"))),
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// Only uses from this day (with `to`); cards are always all of them.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// Only uses up to this day, included (with `from`).
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// For an administrator: one region (a coordinator always gets its own).
    #[serde(default)]
    pub region: Option<RegionId>,
}

async fn export_filter(who: &Principal, q: &ExportQuery) -> ApiResult<ExportFilter> {
    let region = match (who.role()?, q.region) {
        (Role::Admin, r) => r,
        (Role::Coordinator(own), None) => Some(own),
        (Role::Coordinator(own), Some(r)) if r == own => Some(own),
        _ => return Err(ApiError::forbidden("only a region's coordinator or an administrator exports the register")),
    };
    let range = match (q.from, q.to) {
        (None, None) => None,
        (Some(from), Some(to)) if from <= to => Some(DateRange { from, to }),
        (Some(_), Some(_)) => return Err(ApiError::bad_request("from must not be after to")),
        _ => return Err(ApiError::bad_request("give both from=YYYY-MM-DD and to=YYYY-MM-DD, or neither")),
    };
    Ok(ExportFilter { region, range })
}

fn csv_file(name: &str, text: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (CONTENT_DISPOSITION, disposition)], text).into_response()
}

/// The register's cards as CSV, in the format `POST /cards/import` reads back.
///
/// Who may call: a coordinator (its own region's cards) or an administrator (all, or `region`).
#[utoipa::path(
    get,
    path = "/export/cards.csv",
    operation_id = "export_cards",
    tag = "cards",
    params(ExportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`cards.csv`: one card a row, with background data, never a name.", content_type = "text/csv", body = String),
        (status = 400, description = "The query is not valid (`invalid_query`, `bad_request`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Only a coordinator (own region) or an administrator exports (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn export_cards(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let filter = export_filter(&who, &q).await?;
    let dump = s.store.export_register(filter, s.clock.now()).await?;
    Ok(csv_file("cards.csv", export::cards_csv(&dump)))
}

/// The redemptions of the register's cards as CSV, optionally of a period.
///
/// Who may call: a coordinator (uses of its own region's cards) or an administrator (all, or `region`).
#[utoipa::path(
    get,
    path = "/export/redemptions.csv",
    operation_id = "export_redemptions",
    tag = "cards",
    params(ExportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`redemptions.csv`: one use a row, as the venue's device recorded it.", content_type = "text/csv", body = String),
        (status = 400, description = "The query is not valid (`invalid_query`, `bad_request`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::NeedsToken,
        (status = 403, description = "Only a coordinator (own region) or an administrator exports (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn export_redemptions(
    State(s): State<AppState>,
    who: Principal,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let filter = export_filter(&who, &q).await?;
    let dump = s.store.export_register(filter, s.clock.now()).await?;
    Ok(csv_file("redemptions.csv", export::redemptions_csv(&dump.redemptions)))
}
