//! Taking the register out: `cards.csv` (the import's own format, so `import cards` reads it
//! back), `redemptions.csv`, and `register.json`, a dump of everything for moving to another
//! server (`import dump`). Cells that a spreadsheet would run as a formula are guarded.

use std::path::Path;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use kaiku_core::background::Background;
use kaiku_core::ids::{DeviceId, OfferId, RegionId, VenueId};
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::wire::Flag;
use kaiku_core::{Card, CardId, CardKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::import::columns::Column;
use crate::import::{kind_text, reason_text};
use crate::store::{DateRange, DistributorInfo, VenueInfo};

/// What `register.json` says it is.
pub const DUMP_FORMAT: &str = "kaiku-register-dump";
pub const DUMP_VERSION: u32 = 1;

/// Which part of the register to take out: a region's cards (and their uses), and uses in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportFilter {
    pub region: Option<RegionId>,
    pub range: Option<DateRange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpRegion {
    pub id: RegionId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpOffer {
    pub id: OfferId,
    pub venue: VenueId,
    pub name: String,
    pub kind: OfferKind,
    pub limit: Option<u32>,
    /// A closed offer stays closed on the new server (its uses still count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
}

/// A scanner device, without its token: on another server it has to enroll again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpDevice {
    pub id: DeviceId,
    pub venue: VenueId,
    pub label: String,
    pub enrolled_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpCard {
    pub card: Card,
    pub background: Option<Background>,
}

/// A stored redemption with what the server added to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedemptionRow {
    pub id: Uuid,
    pub device: DeviceId,
    pub seq: u64,
    pub card: CardId,
    pub venue: VenueId,
    pub offer: OfferKind,
    pub offer_id: Option<OfferId>,
    pub adults: u8,
    pub children: u8,
    pub group: Vec<CardId>,
    pub scanned_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub entry: EntryMethod,
    pub verdict: VerdictCode,
    /// Made with a community card.
    pub community: bool,
    pub late: bool,
    pub flags: Vec<Flag>,
    /// A correction: the redemption it takes back (neither counts anywhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<Uuid>,
}

/// Everything the register holds except secrets (tokens, signing keys, one-time codes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterDump {
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub region: Option<RegionId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub regions: Vec<DumpRegion>,
    pub distributors: Vec<DistributorInfo>,
    pub venues: Vec<VenueInfo>,
    pub offers: Vec<DumpOffer>,
    pub devices: Vec<DumpDevice>,
    pub cards: Vec<DumpCard>,
    pub redemptions: Vec<RedemptionRow>,
}

/// How many of each a dump import stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpCounts {
    pub regions: u64,
    pub distributors: u64,
    pub venues: u64,
    pub offers: u64,
    pub devices: u64,
    pub cards: u64,
    pub redemptions: u64,
}

impl std::fmt::Display for DumpCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} regions, {} distributors, {} venues, {} offers, {} devices (to enroll again), {} cards, {} redemptions",
            self.regions, self.distributors, self.venues, self.offers, self.devices, self.cards, self.redemptions
        )
    }
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return
/// first) gets a `'` in front; the import takes it off again (`import::csv_table::unguard`).
pub fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

/// Every CSV the server writes (the exports, the statistics) goes through here: quoted where
/// needed, and every cell, header included, [`guard`]ed.
pub fn write_csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>, terminator: csv::Terminator) -> String {
    let mut w = csv::WriterBuilder::new().terminator(terminator).from_writer(Vec::new());
    let mut write = |cells: &[String]| {
        // Writing to memory cannot fail; a failure would only lose the row, never panic.
        let _ = w.write_record(cells.iter().map(|c| guard(c).into_owned()));
    };
    write(&header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
    for row in rows {
        write(&row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The cards as the import reads them.
pub fn cards_csv(dump: &RegisterDump) -> String {
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
    let distributor_name =
        |c: &Card| dump.distributors.iter().find(|d| d.id == c.distributor).map(|d| d.name.clone()).unwrap_or_default();
    let rows = dump.cards.iter().map(|DumpCard { card: c, background: b }| {
        let (status, reason, on) = match c.status {
            kaiku_core::CardStatus::Active => ("active", String::new(), String::new()),
            kaiku_core::CardStatus::Revoked { reason, on } => ("revoked", reason_text(reason).into(), on.to_string()),
        };
        let b = b.as_ref();
        Column::ALL
            .iter()
            .map(|col| match col {
                Column::Id => c.id.to_string(),
                Column::Kind => kind_text(c.kind).into(),
                Column::IssuedOn => c.issued_on.to_string(),
                Column::ValidUntil => c.valid_until.to_string(),
                Column::Status => status.into(),
                Column::RevokedReason => reason.clone(),
                Column::RevokedOn => on.clone(),
                Column::MinorsOnRecord => c.minors_on_record.to_string(),
                Column::Organisation if c.kind == CardKind::Community => distributor_name(c),
                Column::Organisation => String::new(),
                Column::BirthYear => opt(b.map(|b| b.birth_year)),
                Column::Gender => b.map(|b| name(&b.gender)).unwrap_or_default(),
                Column::MotherTongue => b.map(|b| name(&b.mother_tongue)).unwrap_or_default(),
                Column::LifeSituations => {
                    b.map(|b| b.life_situations.iter().map(name).collect::<Vec<_>>().join("|")).unwrap_or_default()
                }
                Column::PostalCode => b.map(|b| b.postal_code.as_str().to_owned()).unwrap_or_default(),
                Column::MinorChildren => opt(b.map(|b| b.minor_children)),
                Column::MinorGrandchildren => opt(b.map(|b| b.minor_grandchildren)),
                Column::Distributor => c.distributor.to_string(),
            })
            .collect()
    });
    write_csv(&header, rows, csv::Terminator::CRLF)
}

/// The columns of `redemptions.csv`.
pub const REDEMPTION_COLUMNS: [&str; 18] = [
    "id",
    "device",
    "seq",
    "card",
    "venue",
    "offer",
    "offer_id",
    "adults",
    "children",
    "group_cards",
    "scanned_at",
    "received_at",
    "entry",
    "verdict",
    "community",
    "late",
    "flags",
    "undoes",
];

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The redemptions, one a row; flags as JSON.
pub fn redemptions_csv(rows: &[RedemptionRow]) -> String {
    let rows = rows.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.device.to_string(),
            r.seq.to_string(),
            r.card.to_string(),
            r.venue.to_string(),
            name(&r.offer),
            opt(r.offer_id),
            r.adults.to_string(),
            r.children.to_string(),
            r.group.iter().map(CardId::to_string).collect::<Vec<_>>().join("|"),
            time(r.scanned_at),
            time(r.received_at),
            name(&r.entry),
            r.verdict.as_str().to_owned(),
            r.community.to_string(),
            r.late.to_string(),
            if r.flags.is_empty() { String::new() } else { serde_json::to_string(&r.flags).unwrap_or_default() },
            r.undoes.map(|u| u.to_string()).unwrap_or_default(),
        ]
    });
    write_csv(&REDEMPTION_COLUMNS, rows, csv::Terminator::CRLF)
}

/// Writes `cards.csv`, `redemptions.csv` and `register.json` into `dir` (made if missing).
pub fn write_dir(dir: &Path, dump: &RegisterDump) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("cards.csv"), cards_csv(dump))?;
    std::fs::write(dir.join("redemptions.csv"), redemptions_csv(&dump.redemptions))?;
    let json = serde_json::to_vec_pretty(dump).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("register.json"), json)
}

/// Reads a `register.json`, checking that it is one.
pub fn read_dump(bytes: &[u8]) -> Result<RegisterDump, String> {
    let dump: RegisterDump = serde_json::from_slice(bytes).map_err(|e| format!("not a Kaiku register dump: {e}"))?;
    if dump.format != DUMP_FORMAT || dump.version != DUMP_VERSION {
        return Err(format!(
            "a dump of format '{}' version {} cannot be read: this server reads '{DUMP_FORMAT}' version {DUMP_VERSION}",
            dump.format, dump.version
        ));
    }
    Ok(dump)
}
