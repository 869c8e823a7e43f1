//! The statistics the coordinator's dashboard reads (`GET /statistics`, its cross-tabulation
//! and its CSV), and the period and scope it asks for, written as the server's query.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::client::{StaffApi, StaffError};

/// A count as the server publishes it: a number (exact for an administrator, otherwise 0 or a
/// multiple of 5), or "fewer than 5" for 1 to 4, which the server writes as `"<5"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Number(u64),
    FewerThanFive,
}

impl Default for Count {
    fn default() -> Self {
        Self::Number(0)
    }
}

impl Count {
    pub fn number(self) -> Option<u64> {
        match self {
            Self::Number(n) => Some(n),
            Self::FewerThanFive => None,
        }
    }

    /// The height of its bar in a chart: "fewer than 5" draws as nothing (the table says it).
    pub fn bar(self) -> u64 {
        self.number().unwrap_or(0)
    }

    /// For the biggest of several: "fewer than 5" between 0 and 5.
    pub fn order(self) -> u64 {
        self.number().map_or(5, |n| n.saturating_mul(2))
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Number(u64),
            Text(String),
        }
        match Wire::deserialize(d)? {
            Wire::Number(n) => Ok(Self::Number(n)),
            Wire::Text(t) if t == "<5" => Ok(Self::FewerThanFive),
            Wire::Text(t) => Err(serde::de::Error::custom(format!("not a count: {t:?}"))),
        }
    }
}

/// Uses and the people they let in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct UseCounts {
    pub uses: Count,
    pub adults: Count,
    pub children: Count,
}

/// One row of a ranking (a venue's uses, a distributor's cards).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Ranked {
    pub id: u32,
    pub name: String,
    pub count: Count,
}

/// Used cards by how often they were used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Frequency {
    pub once: Count,
    pub twice: Count,
    pub three_to_five: Count,
    pub more_than_five: Count,
}

/// One month's uses; `month` is `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MonthUses {
    pub month: String,
    pub uses: Count,
    pub adults: Count,
    pub children: Count,
}

fn exact() -> u64 {
    1
}

/// The figures of a period, as the server publishes them for the asked scope.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Statistics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// 1 when the counts are exact (an administrator); 5 when rounded to 5.
    #[serde(default = "exact")]
    pub rounded_to: u64,
    #[serde(default)]
    pub cards_registered: Option<Count>,
    #[serde(default)]
    pub cards_valid: Option<Count>,
    pub cards_used: Count,
    #[serde(default)]
    pub usage_rate_percent: Option<f64>,
    pub all: UseCounts,
    pub community: UseCounts,
    pub course_places: Count,
    #[serde(default)]
    pub per_venue: Vec<Ranked>,
    #[serde(default)]
    pub per_distributor: Vec<Ranked>,
    pub frequency: Frequency,
    #[serde(default)]
    pub per_month: Vec<MonthUses>,
}

/// A listed cell of the cross-tabulation: at least `min_cell` cards.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Cell {
    pub key: Vec<String>,
    pub cards: Count,
    pub uses: Count,
}

/// The cells of fewer than `min_cell` cards, added up without their keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct OtherCells {
    pub cards: Count,
    pub uses: Count,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CrossTab {
    pub by: Vec<String>,
    pub min_cell: u64,
    #[serde(default = "exact")]
    pub rounded_to: u64,
    pub cells: Vec<Cell>,
    #[serde(default)]
    pub other: OtherCells,
}

/// The period the dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year(i32),
    /// A year and a month (1-12).
    Month(i32, u32),
    /// From and to, both included: whole months (the first day of one month to the last day of
    /// another) below administrator.
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

    /// The months from `from` to `to` (year, month), both whole.
    pub fn months(from: (i32, u32), to: (i32, u32)) -> Self {
        let (first, _) = Self::Month(from.0, from.1).days();
        let (_, last) = Self::Month(to.0, to.1).days();
        Self::Range(first, last)
    }

    /// The first and last month (year, month) when the period is whole months.
    pub fn whole_months(self) -> Option<((i32, u32), (i32, u32))> {
        let (from, to) = self.days();
        let whole = from.day() == 1 && to.succ_opt().is_none_or(|next| next.day() == 1);
        whole.then_some(((from.year(), from.month()), (to.year(), to.month())))
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
