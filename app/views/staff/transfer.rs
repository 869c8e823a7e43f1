//! Moving a register in and out through the console's client: a distributor's cards CSV sent to
//! `POST /cards/import` (checked first with `dry_run`), and a coordinator's CSV exports fetched
//! with the session's token (a plain link cannot carry it).

use serde::Deserialize;

use super::client::{StaffApi, StaffError};

/// A cell or row the server will not import, and why (the server's words).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BadRow {
    /// The line in the file, the header being line 1.
    pub line: u64,
    /// The column's header as the file has it; empty for the row as a whole.
    #[serde(default)]
    pub column: String,
    pub reason: String,
}

/// What changed on one card.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CardChange {
    pub card: String,
    #[serde(default)]
    pub changes: Vec<String>,
}

/// What an import did, or with `dry_run` would do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub applied: bool,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    #[serde(default)]
    pub bad: u64,
    #[serde(default)]
    pub changes: Vec<CardChange>,
    #[serde(default)]
    pub bad_rows: Vec<BadRow>,
}

impl ImportReport {
    /// The cards an import would bring in or change.
    pub fn to_import(&self) -> u64 {
        self.new + self.changed
    }
}

/// The server's answer to a file: read (`bad_rows` empty) or refused row by row. Both change
/// nothing unless the import was real and had no bad rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportAnswer {
    Read(ImportReport),
    /// `invalid_rows`: every bad row, and the counts of the good ones.
    BadRows(ImportReport),
}

#[derive(Debug, Deserialize)]
struct Refused {
    #[serde(default)]
    code: String,
    #[serde(default)]
    bad_rows: Vec<BadRow>,
    #[serde(default)]
    report: Option<ImportReport>,
}

/// The two files a coordinator downloads.
pub const EXPORTS: [&str; 2] = ["cards.csv", "redemptions.csv"];

impl StaffApi {
    /// Sends a cards file to the caller's register; with `dry_run` only checked. A whole-file
    /// refusal (`personal_data_refused`, `invalid_csv`) is an error with its code.
    pub async fn import_cards(&self, csv: &str, dry_run: bool) -> Result<ImportAnswer, StaffError> {
        let path = format!("/api/v1/cards/import?dry_run={dry_run}");
        let request =
            self.request("POST", &path).header("content-type", "text/csv; charset=utf-8").body(csv.to_owned());
        let response = request.send().await.map_err(|_| StaffError::Network)?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            return response
                .json::<ImportReport>()
                .await
                .map(ImportAnswer::Read)
                .map_err(|_| StaffError::Server(status));
        }
        if status != 422 {
            return Err(Self::refusal(response).await);
        }
        let text = response.text().await.map_err(|_| StaffError::Network)?;
        let refused: Refused = serde_json::from_str(&text).map_err(|_| StaffError::Server(status))?;
        if refused.code == "invalid_rows" {
            let mut report = refused.report.unwrap_or_default();
            report.bad_rows = refused.bad_rows;
            return Ok(ImportAnswer::BadRows(report));
        }
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
            .unwrap_or_default();
        Err(StaffError::Refused { status, code: refused.code, message, retry_after: None })
    }

    /// One of [`EXPORTS`] of the caller's region (an administrator: all regions), as text.
    pub async fn export(&self, file: &str) -> Result<String, StaffError> {
        self.get_text(&format!("/api/v1/export/{file}")).await
    }
}
