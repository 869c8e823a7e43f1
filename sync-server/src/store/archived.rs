//! What the statistics archive keeps (see `Store::purge`), the same for every backend: the keys
//! of an archived answer, the periods and dimension sets archived, the answers as JSON, and
//! whether a period is answered live, from the archive, or not at all.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

use crate::stats::{CellCounts, CrossTab, Dimension, Frequency, MonthUses, Ranked, Scope, Statistics, UseCounts};
use crate::store::{DateRange, StoreError, StoreResult};

/// The `figures` of a plain statistics answer; a cross-tab's are its dimensions.
pub const STATISTICS: &str = "statistics";

/// Every dimension, in the order archived cross-tabs list them.
pub const DIMENSIONS: [Dimension; 5] =
    [Dimension::AgeBand, Dimension::Gender, Dimension::MotherTongue, Dimension::LifeSituation, Dimension::PostalCode];

pub fn scope_key(scope: Scope) -> String {
    match scope {
        Scope::All => "all".into(),
        Scope::Region(r) => format!("region:{}", r.0),
        Scope::Distributor(d) => format!("distributor:{}", d.0),
        Scope::Venue(v) => format!("venue:{}", v.0),
    }
}

fn dimension_name(d: Dimension) -> &'static str {
    match d {
        Dimension::AgeBand => "age_band",
        Dimension::Gender => "gender",
        Dimension::MotherTongue => "mother_tongue",
        Dimension::LifeSituation => "life_situation",
        Dimension::PostalCode => "postal_code",
    }
}

/// A cross-tab's dimensions as archived: each once, in [`DIMENSIONS`] order.
pub fn canonical(by: &[Dimension]) -> Vec<Dimension> {
    DIMENSIONS.into_iter().filter(|d| by.contains(d)).collect()
}

pub fn figures(dims: &[Dimension]) -> String {
    dims.iter().map(|d| dimension_name(*d)).collect::<Vec<_>>().join(",")
}

/// A whole calendar month or a whole calendar year.
pub fn whole_month_or_year(r: DateRange) -> bool {
    let next_month = r.from.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt());
    let year_end = NaiveDate::from_ymd_opt(r.from.year(), 12, 31);
    r.from.day() == 1 && (Some(r.to) == next_month || (r.from.month() == 1 && Some(r.to) == year_end))
}

/// Whether `range` is answered from the archive (`true`) or live (`false`), given the first
/// day kept; `Purged` for a period whose detailed data are gone and that is not archived whole.
pub fn from_archive(kept_from: Option<NaiveDate>, range: DateRange) -> StoreResult<bool> {
    let Some(kept_from) = kept_from else { return Ok(false) };
    if range.from >= kept_from {
        return Ok(false);
    }
    if range.to >= kept_from || !whole_month_or_year(range) {
        return Err(StoreError::Purged(format!(
            "detailed data of {} were removed under the retention rule (everything before {kept_from}); \
             whole months and whole years of it remain: ask for one of those",
            range.from.year()
        )));
    }
    Ok(true)
}

fn corrupt(e: serde_json::Error) -> StoreError {
    StoreError::Backend(format!("an archived statistics answer does not read: {e}"))
}

/// An archived statistics answer.
pub fn statistics_from(json: &str) -> StoreResult<Statistics> {
    serde_json::from_str(json).map_err(corrupt)
}

/// An archived cross-tab laid out as asked: the archive holds each set of dimensions once, the
/// order asked (and a dimension asked twice) is made here, sorted by key as the live answer is.
pub fn cross_tab_from(json: &str, range: DateRange, by: &[Dimension]) -> StoreResult<CrossTab> {
    let dims = canonical(by);
    let raw: Vec<(Vec<String>, u64, u64)> = serde_json::from_str(json).map_err(corrupt)?;
    let position: Vec<usize> = by.iter().map(|d| dims.iter().position(|c| c == d).unwrap_or(0)).collect();
    let cells: BTreeMap<Vec<String>, (u64, u64)> = raw
        .into_iter()
        .map(|(key, cards, uses)| {
            (position.iter().map(|&i| key.get(i).cloned().unwrap_or_default()).collect(), (cards, uses))
        })
        .collect();
    let cells = cells.into_iter().map(|(key, (cards, uses))| CellCounts { key, cards, uses }).collect();
    Ok(CrossTab { from: range.from, to: range.to, by: by.to_vec(), cells })
}

/// Statistics as JSON that reads back into [`Statistics`]. Every field is named, so a field
/// added to `Statistics` does not compile here until it is archived too.
pub fn statistics_json(s: &Statistics) -> Value {
    let Statistics {
        from,
        to,
        cards_registered,
        cards_valid,
        cards_used,
        usage_rate_percent,
        all,
        community,
        course_places,
        per_venue,
        per_distributor,
        frequency,
        per_month,
        flagged_uses,
    } = s;
    let uses = |c: &UseCounts| {
        let UseCounts { uses, adults, children } = c;
        json!({ "uses": uses, "adults": adults, "children": children })
    };
    let ranked = |v: &[Ranked]| -> Vec<Value> {
        v.iter().map(|Ranked { id, name, count }| json!({ "id": id, "name": name, "count": count })).collect()
    };
    let Frequency { once, twice, three_to_five, more_than_five } = frequency;
    let months: Vec<Value> = per_month
        .iter()
        .map(|MonthUses { month, uses, adults, children }| {
            json!({ "month": month, "uses": uses, "adults": adults, "children": children })
        })
        .collect();
    json!({
        "from": from, "to": to, "cards_registered": cards_registered, "cards_valid": cards_valid,
        "cards_used": cards_used, "usage_rate_percent": usage_rate_percent, "all": uses(all),
        "community": uses(community), "course_places": course_places, "per_venue": ranked(per_venue),
        "per_distributor": ranked(per_distributor),
        "frequency": { "once": once, "twice": twice, "three_to_five": three_to_five, "more_than_five": more_than_five },
        "per_month": months, "flagged_uses": flagged_uses,
    })
}

/// The year and each of its months.
pub fn periods(year: i32) -> Vec<DateRange> {
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let mut out: Vec<DateRange> = (1..=12)
        .filter_map(|m| {
            let from = day(m, 1)?;
            let to = from.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
            Some(DateRange { from, to })
        })
        .collect();
    if let (Some(from), Some(to)) = (day(1, 1), day(12, 31)) {
        out.push(DateRange { from, to });
    }
    out
}

/// Every set of one to three dimensions, each in [`DIMENSIONS`] order.
pub fn dimension_sets() -> Vec<Vec<Dimension>> {
    (1u32..32)
        .filter(|bits| bits.count_ones() <= 3)
        .map(|bits| DIMENSIONS.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, d)| *d).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(from: (i32, u32, u32), to: (i32, u32, u32)) -> DateRange {
        let d = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        DateRange { from: d(from), to: d(to) }
    }

    #[test]
    fn only_whole_months_and_whole_years_can_be_answered_from_the_archive() {
        assert!(whole_month_or_year(range((2023, 2, 1), (2023, 2, 28))));
        assert!(whole_month_or_year(range((2024, 2, 1), (2024, 2, 29))));
        assert!(whole_month_or_year(range((2023, 1, 1), (2023, 12, 31))));
        assert!(!whole_month_or_year(range((2023, 2, 1), (2023, 3, 31))));
        assert!(!whole_month_or_year(range((2023, 2, 2), (2023, 2, 28))));
        assert!(!whole_month_or_year(range((2023, 1, 1), (2024, 12, 31))));
    }

    #[test]
    fn a_year_has_thirteen_periods_and_there_are_twenty_five_dimension_sets() {
        let p = periods(2024);
        assert_eq!(p.len(), 13);
        assert_eq!(p[1], range((2024, 2, 1), (2024, 2, 29)));
        assert_eq!(p[12], range((2024, 1, 1), (2024, 12, 31)));
        assert_eq!(dimension_sets().len(), 25);
        assert_eq!(canonical(&[Dimension::PostalCode, Dimension::AgeBand, Dimension::PostalCode]).len(), 2);
    }
}
