//! What a caller may learn from the statistics: the one place where the store's exact answer
//! becomes the published one, so that JSON and CSV cannot disagree (docs/statistics.md says
//! why each rule is there).
//!
//! - Roles below administrator ask only for whole calendar months ([`check_period`]) and see
//!   every count as 0, "fewer than 5" (1-4) or rounded to the nearest 5 ([`protect`]).
//! - A cross-tabulation never lists a cell of fewer than [`MIN_CELL`] cards, for anyone: its
//!   counts go into one `other` row, published by the same rule ([`publish_cross_tab`]).
//! - An administrator, who can read the whole register anyway, sees the other counts exact.

use std::cmp::Reverse;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::stats::{CellCounts, CrossTab, Dimension, Frequency, MIN_CELL, MonthUses, Ranked, Statistics, UseCounts};
use crate::store::{DateRange, Role};

mod count;
pub use count::{Count, FEWER_THAN_FIVE};

/// The base counts are rounded to below administrator, and the smallest count published.
pub const BASE: u64 = 5;

/// How exactly the caller sees the counts: follows from the role alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// An administrator.
    Exact,
    /// A coordinator, distributor or venue.
    Protected,
}

impl Audience {
    pub fn of(role: Role) -> Self {
        match role {
            Role::Admin => Self::Exact,
            Role::Coordinator(_) | Role::Distributor(_) | Role::Venue(_) => Self::Protected,
        }
    }

    /// A count as this audience sees it.
    pub fn count(self, n: u64) -> Count {
        match self {
            Self::Exact => Count::Number(n),
            Self::Protected => protect(n),
        }
    }

    /// What the answer's `rounded_to` says: 1 when exact.
    pub fn rounded_to(self) -> u64 {
        match self {
            Self::Exact => 1,
            Self::Protected => BASE,
        }
    }
}

/// 0 stays 0; 1-4 is "fewer than 5"; 5 or more is rounded to the nearest multiple of 5.
pub fn protect(n: u64) -> Count {
    match n {
        0 => Count::Number(0),
        1..BASE => Count::FewerThanFive,
        _ => Count::Number((n + BASE / 2) / BASE * BASE),
    }
}

/// A period of whole calendar months: from the first day of a month to the last day of one.
pub fn whole_months(range: DateRange) -> bool {
    range.from.day() == 1 && range.to.succ_opt().is_none_or(|next| next.day() == 1)
}

/// Below administrator, only whole months: a day or a week at one venue is a few people.
pub fn check_period(audience: Audience, range: DateRange) -> Result<(), ApiError> {
    if audience == Audience::Exact || whole_months(range) {
        return Ok(());
    }
    Err(ApiError::UnprocessableWith {
        code: "period_not_whole_months",
        message: "statistics are given for whole calendar months: ask for year=YYYY, or from the first day of a \
                  month to the last day of a month (from=2026-03-01&to=2026-05-31); only an administrator may ask \
                  for other periods"
            .into(),
    })
}

/// Uses and the people they let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = UseCounts)]
pub struct PublishedUses {
    pub uses: Count,
    pub adults: Count,
    pub children: Count,
}

/// One row of a ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Ranked)]
pub struct PublishedRanked {
    pub id: u32,
    pub name: String,
    pub count: Count,
}

/// How many used cards were used once, twice, 3-5 times, more than 5 times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Frequency)]
pub struct PublishedFrequency {
    pub once: Count,
    pub twice: Count,
    pub three_to_five: Count,
    pub more_than_five: Count,
}

/// The uses of one calendar month of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = MonthUses)]
pub struct PublishedMonth {
    /// The month, `YYYY-MM`.
    #[schema(example = "2026-03")]
    pub month: String,
    pub uses: Count,
    pub adults: Count,
    pub children: Count,
}

/// The figures of a period as the caller may see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Statistics)]
pub struct PublishedStatistics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// 1: every count is exact (an administrator); 5: every count is 0, `"<5"` or a multiple of 5.
    pub rounded_to: u64,
    /// Cards issued in the period (`null` for a venue, which has no cards of its own).
    pub cards_registered: Option<Count>,
    /// Cards valid on at least one day of the period (`null` for a venue).
    pub cards_valid: Option<Count>,
    /// Cards with at least one use in the period.
    pub cards_used: Count,
    /// `cards_used / cards_valid` in percent, one decimal, of the figures as published here;
    /// `null` for a venue or when either is `"<5"`.
    pub usage_rate_percent: Option<f64>,
    pub all: PublishedUses,
    pub community: PublishedUses,
    pub course_places: Count,
    /// Uses per venue, most first (as published).
    pub per_venue: Vec<PublishedRanked>,
    /// Cards issued per distributor, most first (as published).
    pub per_distributor: Vec<PublishedRanked>,
    pub frequency: PublishedFrequency,
    /// Uses per calendar month of the period, every month included (zero when none).
    pub per_month: Vec<PublishedMonth>,
    /// Uses to check: pairs of one card's scans by two devices within the flag window
    /// (`GET /flagged-uses` lists them).
    pub flagged_uses: Count,
}

/// One listed cell of a cross-tabulation: the values of the dimensions and its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Cell)]
pub struct PublishedCell {
    pub key: Vec<String>,
    /// Distinct cards (at least 5 before rounding).
    pub cards: Count,
    pub uses: Count,
}

/// The cells not listed, together, without their keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OtherCells {
    pub cards: Count,
    pub uses: Count,
}

/// A cross-tabulation of uses by background data as the caller may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = CrossTab)]
pub struct PublishedCrossTab {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Vec<Dimension>,
    /// The fewest cards a listed cell has: smaller cells are left out, their counts in `other`.
    pub min_cell: u64,
    /// 1: the counts are exact (an administrator); 5: 0, `"<5"` or a multiple of 5.
    pub rounded_to: u64,
    /// The cells of at least `min_cell` cards, by key.
    pub cells: Vec<PublishedCell>,
    /// Every cell left out, added up (zero when none is).
    pub other: OtherCells,
}

/// One decimal of `part / whole` in percent.
fn rate(part: u64, whole: u64) -> f64 {
    ((part.min(whole) as f64) * 1000.0 / whole as f64).round() / 10.0
}

fn ranking(rows: Vec<Ranked>, audience: Audience) -> Vec<PublishedRanked> {
    let mut out: Vec<PublishedRanked> = rows
        .into_iter()
        .map(|Ranked { id, name, count }| PublishedRanked { id, name, count: audience.count(count) })
        .collect();
    // By the published count: an order by the exact one would tell which of two equal-looking
    // rows is bigger.
    out.sort_by_key(|r| (Reverse(r.count.order()), r.id));
    out
}

/// The statistics as `audience` may see them.
pub fn publish_statistics(s: Statistics, audience: Audience) -> PublishedStatistics {
    // Taken apart field by field: a count added to `Statistics` does not compile until it is
    // published here.
    let Statistics {
        from,
        to,
        cards_registered,
        cards_valid,
        cards_used,
        usage_rate_percent: _,
        all,
        community,
        course_places,
        per_venue,
        per_distributor,
        frequency,
        per_month,
        flagged_uses,
    } = s;
    let c = |n: u64| audience.count(n);
    let uses = |UseCounts { uses, adults, children }: UseCounts| PublishedUses {
        uses: c(uses),
        adults: c(adults),
        children: c(children),
    };
    let (cards_used, cards_valid) = (c(cards_used), cards_valid.map(c));
    let usage_rate_percent = match (cards_used, cards_valid) {
        (Count::Number(used), Some(Count::Number(valid))) if valid > 0 => Some(rate(used, valid)),
        _ => None,
    };
    let Frequency { once, twice, three_to_five, more_than_five } = frequency;
    PublishedStatistics {
        from,
        to,
        rounded_to: audience.rounded_to(),
        cards_registered: cards_registered.map(c),
        cards_valid,
        cards_used,
        usage_rate_percent,
        all: uses(all),
        community: uses(community),
        course_places: c(course_places),
        per_venue: ranking(per_venue, audience),
        per_distributor: ranking(per_distributor, audience),
        frequency: PublishedFrequency {
            once: c(once),
            twice: c(twice),
            three_to_five: c(three_to_five),
            more_than_five: c(more_than_five),
        },
        per_month: per_month
            .into_iter()
            .map(|MonthUses { month, uses, adults, children }| PublishedMonth {
                month,
                uses: c(uses),
                adults: c(adults),
                children: c(children),
            })
            .collect(),
        flagged_uses: c(flagged_uses),
    }
}

/// The cross-tabulation as `audience` may see it. Cells of fewer than [`MIN_CELL`] cards are
/// left out, keys and all. When only one is, the smallest listed cell goes with it: `other`
/// is then never one cell's counts, which the dimension's remaining value would name.
pub fn publish_cross_tab(t: CrossTab, audience: Audience) -> PublishedCrossTab {
    let CrossTab { from, to, by, cells } = t;
    let (mut listed, mut left_out): (Vec<CellCounts>, Vec<CellCounts>) =
        cells.into_iter().partition(|c| c.cards >= MIN_CELL);
    if left_out.len() == 1 {
        let smallest = listed.iter().enumerate().min_by_key(|(_, c)| c.cards).map(|(i, _)| i);
        if let Some(i) = smallest {
            left_out.push(listed.remove(i));
        }
    }
    let (cards, uses) = left_out.iter().fold((0, 0), |(cards, uses), c| (cards + c.cards, uses + c.uses));
    PublishedCrossTab {
        from,
        to,
        by,
        min_cell: MIN_CELL,
        rounded_to: audience.rounded_to(),
        cells: listed
            .into_iter()
            .map(|CellCounts { key, cards, uses }| PublishedCell {
                key,
                cards: audience.count(cards),
                uses: audience.count(uses),
            })
            .collect(),
        other: OtherCells { cards: audience.count(cards), uses: audience.count(uses) },
    }
}

#[cfg(test)]
mod tests;
