//! Statistics for regions, distributors and venues, scoped by role, as the store counts them:
//! exact. Nothing here is sent as it is; `crate::disclosure` makes the published answer
//! (small cells folded away, counts rounded for roles below administrator).

use chrono::NaiveDate;
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use serde::{Deserialize, Serialize};

/// The smallest number of distinct cards a cross-tabulation cell may be listed with.
pub const MIN_CELL: u64 = 5;

/// Whose statistics: follows from the caller's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Region(RegionId),
    Distributor(DistributorId),
    Venue(VenueId),
}

/// Uses and tickets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct UseCounts {
    pub uses: u64,
    pub adults: u64,
    pub children: u64,
}

/// One row of a ranking.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Ranked {
    pub id: u32,
    pub name: String,
    pub count: u64,
}

/// How many used cards were used once, twice, 3-5 times, more than 5 times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Frequency {
    pub once: u64,
    pub twice: u64,
    pub three_to_five: u64,
    pub more_than_five: u64,
}

/// The uses of one calendar month of the period.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MonthUses {
    /// The month, `YYYY-MM`.
    pub month: String,
    pub uses: u64,
    pub adults: u64,
    pub children: u64,
}

/// The exact figures of a period. Every count added here must be published through
/// `crate::disclosure::publish_statistics` (which takes this apart field by field, so a new
/// field does not compile until it is). `Deserialize` only: an administrator's answer reads
/// back into it; it is never serialised to a client as it is.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Statistics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Cards issued in the period (`None` for a venue, which has no cards of its own).
    pub cards_registered: Option<u64>,
    /// Cards valid on at least one day of the period (`None` for a venue).
    pub cards_valid: Option<u64>,
    /// Cards with at least one use in the period.
    pub cards_used: u64,
    /// `cards_used / cards_valid` in percent, one decimal.
    pub usage_rate_percent: Option<f64>,
    pub all: UseCounts,
    pub community: UseCounts,
    pub course_places: u64,
    /// Uses per venue, most first.
    pub per_venue: Vec<Ranked>,
    /// Cards issued per distributor, most first.
    pub per_distributor: Vec<Ranked>,
    pub frequency: Frequency,
    /// Uses per calendar month of the period, every month included (zero when none).
    #[serde(default)]
    pub per_month: Vec<MonthUses>,
    /// Uses to check: pairs of one card's scans by two devices within the flag window.
    #[serde(default)]
    pub flagged_uses: u64,
}

/// A background variable to cross-tabulate uses by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Age on the last day of the period, in bands (16-24, 25-34, ..., 75+).
    AgeBand,
    Gender,
    MotherTongue,
    LifeSituation,
    PostalCode,
}

impl Dimension {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "age_band" => Some(Self::AgeBand),
            "gender" => Some(Self::Gender),
            "mother_tongue" => Some(Self::MotherTongue),
            "life_situation" => Some(Self::LifeSituation),
            "postal_code" => Some(Self::PostalCode),
            _ => None,
        }
    }
}

/// Age bands by their oldest age; anyone older is in [`OLDEST_BAND`].
pub const AGE_BANDS: [(i32, &str); 6] =
    [(24, "16-24"), (34, "25-34"), (44, "35-44"), (54, "45-54"), (64, "55-64"), (74, "65-74")];
pub const OLDEST_BAND: &str = "75+";

/// The age band of someone born in `birth_year`, in `year`.
pub fn age_band(birth_year: i32, year: i32) -> &'static str {
    let age = year - birth_year;
    AGE_BANDS.iter().find(|(max, _)| age <= *max).map_or(OLDEST_BAND, |(_, name)| name)
}

/// The same banding as an SQL expression over a birth-year column.
pub fn age_band_sql(birth_year_column: &str, year: i32) -> String {
    let whens: String = AGE_BANDS
        .iter()
        .map(|(max, name)| format!("WHEN {year} - {birth_year_column} <= {max} THEN '{name}' "))
        .collect();
    format!("CASE {whens}ELSE '{OLDEST_BAND}' END")
}

/// One cell of a cross-tabulation as the store counts it: the values of the dimensions, the
/// distinct cards and their uses. Exact and never sent: `crate::disclosure` folds the small
/// cells away and rounds the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellCounts {
    pub key: Vec<String>,
    pub cards: u64,
    pub uses: u64,
}

/// A cross-tabulation of uses by background data, every cell exact (see [`CellCounts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossTab {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Vec<Dimension>,
    /// Ordered by key.
    pub cells: Vec<CellCounts>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_bands_follow_the_published_bands() {
        assert_eq!(age_band(2010, 2026), "16-24");
        assert_eq!(age_band(1990, 2026), "35-44");
        assert_eq!(age_band(1940, 2026), "75+");
    }
}
