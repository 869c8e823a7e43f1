//! Moving an existing register in: a spreadsheet's CSV of cards is read and checked here
//! (pure, no storage), then compared with the register and written in one transaction by
//! [`crate::store::Store::import_cards`]. Names are never accepted.

pub mod card_rows;
pub mod columns;
pub mod csv_table;

use std::fmt;

use chrono::NaiveDate;
use kaiku_core::card::CardStatus;
use kaiku_core::ids::DistributorId;
use kaiku_core::{CardId, CardKind};
use serde::{Deserialize, Serialize};

use crate::store::{CardRecord, Store, StoreError};

pub use card_rows::read_cards;

/// One card read from line `line` of the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub record: CardRecord,
}

/// A cell or row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BadRow {
    /// The line in the file, counting the header as line 1.
    pub line: u64,
    /// The column's name as the file has it, or empty for the row as a whole.
    pub column: String,
    pub reason: String,
}

impl fmt::Display for BadRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column.as_str() {
            "" => write!(f, "line {}: {}", self.line, self.reason),
            c => write!(f, "line {}, column {c}: {}", self.line, self.reason),
        }
    }
}

/// What importing a row does to the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowChange {
    New,
    Unchanged,
    /// What changed, in words (e.g. "valid until 2026-05-01 -> 2027-05-01").
    Changed(Vec<String>),
    /// The register will not take the row (another distributor's card, say).
    Refused(String),
}

/// The changes of one card, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CardChange {
    #[schema(value_type = String)]
    pub card: CardId,
    pub changes: Vec<String>,
}

/// What an import did (or, in a dry run or when any row is bad, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// True when the register was changed: not a dry run and no bad row.
    pub applied: bool,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    /// Lines with at least one bad cell.
    pub bad: u64,
    pub changes: Vec<CardChange>,
    pub bad_rows: Vec<BadRow>,
}

impl ImportReport {
    /// The report of `outcomes` (from the store) plus the rows that were bad already in the file.
    pub fn new(dry_run: bool, outcomes: Vec<(ImportRow, RowChange)>, mut bad_rows: Vec<BadRow>) -> Self {
        let mut r = Self { dry_run, ..Self::default() };
        for (row, change) in outcomes {
            match change {
                RowChange::New => r.new += 1,
                RowChange::Unchanged => r.unchanged += 1,
                RowChange::Changed(changes) => {
                    r.changed += 1;
                    r.changes.push(CardChange { card: row.record.card.id, changes });
                }
                RowChange::Refused(reason) => {
                    bad_rows.push(BadRow { line: row.line, column: "id".into(), reason });
                }
            }
        }
        bad_rows.sort_by_key(|b| b.line);
        let mut lines: Vec<u64> = bad_rows.iter().map(|b| b.line).collect();
        lines.dedup();
        r.bad = lines.len() as u64;
        r.bad_rows = bad_rows;
        r.applied = !dry_run && r.bad == 0;
        r
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match (self.dry_run, self.applied) {
            (true, _) => "Dry run, nothing changed",
            (false, true) => "Imported",
            (false, false) => "Nothing imported: fix the bad rows and import again",
        };
        writeln!(
            f,
            "{what}: {} new, {} changed, {} unchanged, {} bad.",
            self.new, self.changed, self.unchanged, self.bad
        )?;
        for c in &self.changes {
            writeln!(f, "  {}: {}", c.card, c.changes.join("; "))?;
        }
        for b in &self.bad_rows {
            writeln!(f, "  bad: {b}")?;
        }
        Ok(())
    }
}

/// Why a whole file is refused before any row is looked at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error(
        "the file has a name column ('{0}'): names are never stored in the register (they are written on the card \
         by hand). Delete the column and import again"
    )]
    NameColumn(String),
    #[error(
        "the file has a column of personal data ('{0}'): identity numbers and addresses are never stored in the \
         register. Delete the column and import again"
    )]
    PersonalColumn(String),
    #[error("unknown column '{column}': the columns are {known}")]
    UnknownColumn { column: String, known: String },
    #[error("column '{0}' appears twice")]
    DuplicateColumn(String),
    #[error("the file has no '{0}' column")]
    MissingColumn(&'static str),
    #[error("the file is empty: it needs a header row")]
    Empty,
    #[error("the file is not UTF-8 text (line {line}): save it from the spreadsheet as 'CSV UTF-8'")]
    NotUtf8 { line: u64 },
    #[error("the file cannot be read as CSV: {0}")]
    Csv(String),
}

impl FileError {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NameColumn(_) | Self::PersonalColumn(_) => "personal_data_refused",
            _ => "invalid_csv",
        }
    }
}

/// Why an import did not run.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("there is no distributor {0}: create it first")]
    UnknownDistributor(DistributorId),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads a cards file for `distributor` and imports it, all rows or none. With bad rows (or
/// `dry_run`) nothing changes and the report still counts what the good rows would do.
pub async fn import_cards_csv(
    store: &dyn Store,
    distributor: DistributorId,
    bytes: &[u8],
    today: NaiveDate,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let info = store.distributor(distributor).await?.ok_or(ImportError::UnknownDistributor(distributor))?;
    let (rows, bad) = read_cards(bytes, &info, today)?;
    let outcomes = store.import_cards(distributor, rows, dry_run || !bad.is_empty()).await?;
    Ok(ImportReport::new(dry_run, outcomes, bad))
}

/// Compares a row with the card the register has under its ID, if any.
pub fn diff(existing: Option<&CardRecord>, new: &CardRecord, distributor: DistributorId) -> RowChange {
    let Some(old) = existing else { return RowChange::New };
    let (o, n) = (&old.card, &new.card);
    if o.distributor != distributor {
        return RowChange::Refused(format!(
            "card {} is registered by another distributor ({}): only that distributor can import it",
            o.id, o.distributor
        ));
    }
    let mut changes = Vec::new();
    if o.kind != n.kind {
        changes.push(format!("kind {} -> {}", kind_text(o.kind), kind_text(n.kind)));
    }
    if o.issued_on != n.issued_on {
        changes.push(format!("issued on {} -> {}", o.issued_on, n.issued_on));
    }
    if o.valid_until != n.valid_until {
        changes.push(format!("valid until {} -> {}", o.valid_until, n.valid_until));
    }
    match (o.status, n.status) {
        (a, b) if a == b => {}
        (_, CardStatus::Revoked { reason, on }) => changes.push(format!("revoked ({}) on {on}", reason_text(reason))),
        (CardStatus::Revoked { .. }, CardStatus::Active) => changes.push("active again (was revoked)".into()),
        (CardStatus::Active, CardStatus::Active) => {}
    }
    if o.minors_on_record != n.minors_on_record {
        changes.push(format!("minors on record {} -> {}", o.minors_on_record, n.minors_on_record));
    }
    let sorted = |b: &Option<kaiku_core::background::Background>| {
        b.clone().map(|mut b| {
            b.life_situations.sort();
            b
        })
    };
    if sorted(&old.background) != sorted(&new.background) {
        changes.push("background data changed".into());
    }
    if changes.is_empty() { RowChange::Unchanged } else { RowChange::Changed(changes) }
}

pub fn kind_text(k: CardKind) -> &'static str {
    match k {
        CardKind::Personal => "personal",
        CardKind::Community => "community",
    }
}

pub fn reason_text(r: kaiku_core::RevocationReason) -> &'static str {
    use kaiku_core::RevocationReason as R;
    match r {
        R::Lost => "lost",
        R::Stolen => "stolen",
        R::Misuse => "misuse",
        R::Replaced => "replaced",
    }
}

#[cfg(test)]
mod tests;
