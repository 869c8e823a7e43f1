//! The statistics the coordinator's dashboard reads (`GET /statistics`, its cross-tabulation
//! and its CSV), and the period and scope it asks for, written as the server's query.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::client::{StaffApi, StaffError};

/// Uses and the people they let in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct UseCounts {
    pub uses: u64,
    pub adults: u64,
    pub children: u64,
}

/// One row of a ranking (a venue's uses, a distributor's cards).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Ranked {
    pub id: u32,
    pub name: String,
    pub count: u64,
}

/// Used cards by how often they were used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Frequency {
    pub once: u64,
    pub twice: u64,
    pub three_to_five: u64,
    pub more_than_five: u64,
}

/// One month's uses; `month` is `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MonthUses {
    pub month: String,
    pub uses: u64,
    pub adults: u64,
    pub children: u64,
}

/// The figures of a period, as the server counts them for the asked scope.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Statistics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(default)]
    pub cards_registered: Option<u64>,
    #[serde(default)]
    pub cards_valid: Option<u64>,
    pub cards_used: u64,
    #[serde(default)]
    pub usage_rate_percent: Option<f64>,
    pub all: UseCounts,
    pub community: UseCounts,
    pub course_places: u64,
    #[serde(default)]
    pub per_venue: Vec<Ranked>,
    #[serde(default)]
    pub per_distributor: Vec<Ranked>,
    pub frequency: Frequency,
    #[serde(default)]
    pub per_month: Vec<MonthUses>,
}

/// A cell of the cross-tabulation: its counts, or none when it has fewer than `min_cell` cards.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Cell {
    pub key: Vec<String>,
    #[serde(default)]
    pub cards: Option<u64>,
    #[serde(default)]
    pub uses: Option<u64>,
    pub suppressed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CrossTab {
    pub by: Vec<String>,
    pub min_cell: u64,
    pub cells: Vec<Cell>,
}

/// The period the dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year(i32),
    /// A year and a month (1-12).
    Month(i32, u32),
    /// From and to, both included.
    Range(NaiveDate, NaiveDate),
}

impl Period {
    /// The first and last day.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        match self {
            Self::Year(y) => (day(y, 1, 1), day(y, 12, 31)),
            Self::Month(y, m) => {
                let first = day(y, m, 1);
                let last =
                    first.checked_add_months(chrono::Months::new(1)).map_or(first, |n| n.pred_opt().unwrap_or(n));
                (first, last)
            }
            Self::Range(from, to) => (from, to),
        }
    }

    /// The period as the server's query: `year=2026`, or `from=...&to=...`.
    pub fn query(self) -> String {
        match self {
            Self::Year(y) => format!("year={y}"),
            other => {
                let (from, to) = other.days();
                format!("from={from}&to={to}")
            }
        }
    }

    /// This year, by the device's calendar.
    pub fn this_year() -> Self {
        Self::Year(chrono::Local::now().year())
    }
}

/// Whose figures: the signed-in person's own scope, or one distributor or venue in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsScope {
    Own,
    Distributor(i64),
    Venue(i64),
}

impl StatsScope {
    /// The scope as a choice's value: `own`, `distributor:3`, `venue:5`.
    pub fn value(self) -> String {
        match self {
            Self::Own => "own".into(),
            Self::Distributor(id) => format!("distributor:{id}"),
            Self::Venue(id) => format!("venue:{id}"),
        }
    }

    pub fn parse(value: &str) -> Self {
        let id = |v: &str| v.parse::<i64>().ok();
        match value.split_once(':') {
            Some(("distributor", v)) => id(v).map_or(Self::Own, Self::Distributor),
            Some(("venue", v)) => id(v).map_or(Self::Own, Self::Venue),
            _ => Self::Own,
        }
    }

    fn query(self) -> String {
        match self {
            Self::Own => String::new(),
            Self::Distributor(id) => format!("&distributor={id}"),
            Self::Venue(id) => format!("&venue={id}"),
        }
    }
}

/// The path of the statistics of `period` and `scope`, as JSON or as CSV.
pub fn statistics_path(period: Period, scope: StatsScope, csv: bool) -> String {
    let format = if csv { "&format=csv" } else { "" };
    format!("/api/v1/statistics?{}{}{format}", period.query(), scope.query())
}

/// The path of the cross-tabulation by age band and gender.
pub fn cross_tab_path(period: Period, scope: StatsScope) -> String {
    format!("/api/v1/statistics/cross-tab?{}{}&by=age_band,gender", period.query(), scope.query())
}

impl StaffApi {
    pub async fn statistics(&self, period: Period, scope: StatsScope) -> Result<Statistics, StaffError> {
        self.send::<(), _>("GET", &statistics_path(period, scope, false), None).await
    }

    pub async fn cross_tab(&self, period: Period, scope: StatsScope) -> Result<CrossTab, StaffError> {
        self.send::<(), _>("GET", &cross_tab_path(period, scope), None).await
    }

    /// The statistics as the server's CSV text.
    pub async fn statistics_csv(&self, period: Period, scope: StatsScope) -> Result<String, StaffError> {
        self.get_text(&statistics_path(period, scope, true)).await
    }
}
