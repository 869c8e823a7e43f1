//! Statistics for regions, distributors and venues: scoped by role, and never revealing a
//! person. In a cross-tabulation, any cell with fewer than [`MIN_CELL`] cards is suppressed.

use chrono::NaiveDate;
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use serde::{Deserialize, Serialize};

/// The smallest number of distinct cards a cross-tabulation cell may show.
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UseCounts {
    pub uses: u64,
    pub adults: u64,
    pub children: u64,
}

/// One row of a ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ranked {
    pub id: u32,
    pub name: String,
    pub count: u64,
}

/// How many used cards were used once, twice, 3-5 times, more than 5 times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Frequency {
    pub once: u64,
    pub twice: u64,
    pub three_to_five: u64,
    pub more_than_five: u64,
}

/// The uses of one calendar month of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthUses {
    /// The month, `YYYY-MM`.
    #[schema(example = "2026-03")]
    pub month: String,
    pub uses: u64,
    pub adults: u64,
    pub children: u64,
}

/// The figures of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
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

/// One cell: the values of the dimensions, and its counts unless suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Cell {
    pub key: Vec<String>,
    /// Distinct cards; `None` when suppressed.
    pub cards: Option<u64>,
    /// Uses; `None` when suppressed.
    pub uses: Option<u64>,
    pub suppressed: bool,
}

/// A cross-tabulation of uses by background data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CrossTab {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Vec<Dimension>,
    pub min_cell: u64,
    pub cells: Vec<Cell>,
}

/// Builds a cell from raw counts, suppressing small ones.
pub fn cell(key: Vec<String>, cards: u64, uses: u64) -> Cell {
    if cards < MIN_CELL {
        Cell { key, cards: None, uses: None, suppressed: true }
    } else {
        Cell { key, cards: Some(cards), uses: Some(uses), suppressed: false }
    }
}

/// Secondary suppression: when exactly one cell is hidden, a total would give it away, so
/// the smallest shown cell is hidden too.
pub fn suppress_complements(cells: &mut [Cell]) {
    if cells.iter().filter(|c| c.suppressed).count() != 1 {
        return;
    }
    let smallest = cells.iter_mut().filter(|c| !c.suppressed).min_by_key(|c| c.cards.unwrap_or(0));
    if let Some(c) = smallest {
        *c = Cell { key: std::mem::take(&mut c.key), cards: None, uses: None, suppressed: true };
    }
}

/// Statistics as CSV rows `figure,name,value`.
pub fn csv_statistics(s: &Statistics) -> String {
    let mut out = String::from("figure,name,value\n");
    let mut row = |figure: &str, name: &str, value: String| {
        out.push_str(&format!("{figure},{},{value}\n", csv_field(name)));
    };
    row("period", "from", s.from.to_string());
    row("period", "to", s.to.to_string());
    let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    row("cards", "registered", opt(s.cards_registered));
    row("cards", "valid", opt(s.cards_valid));
    row("cards", "used", s.cards_used.to_string());
    row("cards", "usage_rate_percent", s.usage_rate_percent.map(|v| format!("{v:.1}")).unwrap_or_default());
    for (group, c) in [("all", s.all), ("community", s.community)] {
        row(group, "uses", c.uses.to_string());
        row(group, "adults", c.adults.to_string());
        row(group, "children", c.children.to_string());
    }
    row("all", "course_places", s.course_places.to_string());
    for (figure, value) in [
        ("uses_per_month", (|m: &MonthUses| m.uses) as fn(&MonthUses) -> u64),
        ("adults_per_month", |m| m.adults),
        ("children_per_month", |m| m.children),
    ] {
        for m in &s.per_month {
            row(figure, &m.month, value(m).to_string());
        }
    }
    for v in &s.per_venue {
        row("uses_per_venue", &v.name, v.count.to_string());
    }
    for d in &s.per_distributor {
        row("cards_per_distributor", &d.name, d.count.to_string());
    }
    let f = s.frequency;
    for (name, n) in [("1", f.once), ("2", f.twice), ("3-5", f.three_to_five), (">5", f.more_than_five)] {
        row("cards_by_uses", name, n.to_string());
    }
    out
}

/// A cross-tabulation as CSV: one column per dimension, then cards and uses; suppressed
/// cells show `<5`.
pub fn csv_cross_tab(t: &CrossTab) -> String {
    // The dimensions' names as the query's `by` spells them (`mother_tongue`).
    let header: Vec<String> =
        t.by.iter()
            .map(|d| serde_json::to_value(d).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
            .collect();
    let mut out = format!("{},cards,uses\n", header.join(","));
    let hidden = format!("<{}", t.min_cell);
    for c in &t.cells {
        let keys: Vec<String> = c.key.iter().map(|k| csv_field(k)).collect();
        let show = |v: Option<u64>| v.map_or_else(|| hidden.clone(), |v| v.to_string());
        out.push_str(&format!("{},{},{}\n", keys.join(","), show(c.cards), show(c.uses)));
    }
    out
}

/// A name as a CSV cell: quoted when needed, and a leading `=`, `+`, `-` or `@` guarded so
/// the coordinator's spreadsheet shows it instead of running it as a formula.
fn csv_field(text: &str) -> String {
    let text = crate::export::guard(text);
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.into_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_under_five_cards_are_suppressed_whatever_their_uses() {
        assert!(cell(vec!["a".into()], 4, 100).suppressed);
        assert_eq!(cell(vec!["a".into()], 5, 7).cards, Some(5));
    }

    #[test]
    fn a_lone_suppressed_cell_takes_the_smallest_shown_cell_with_it() {
        let mut cells = vec![cell(vec!["a".into()], 2, 2), cell(vec!["b".into()], 9, 9), cell(vec!["c".into()], 6, 6)];
        suppress_complements(&mut cells);
        let hidden: Vec<_> = cells.iter().filter(|c| c.suppressed).map(|c| c.key[0].as_str()).collect();
        assert_eq!(hidden, ["a", "c"]);
    }

    #[test]
    fn a_name_that_looks_like_a_formula_is_written_as_text() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("Kaupunginteatteri, suuri näyttämö"), "\"Kaupunginteatteri, suuri näyttämö\"");
    }

    #[test]
    fn age_bands_follow_the_published_bands() {
        assert_eq!(age_band(2010, 2026), "16-24");
        assert_eq!(age_band(1990, 2026), "35-44");
        assert_eq!(age_band(1940, 2026), "75+");
    }
}
