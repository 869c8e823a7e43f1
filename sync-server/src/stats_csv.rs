//! The published statistics as CSV, written by the server's one CSV writer
//! ([`crate::export::write_csv`], which guards every cell against spreadsheet formulas). Only the
//! published answers have a CSV form, so the CSV says exactly what the JSON says.

use csv::Terminator;

use crate::disclosure::{PublishedCrossTab, PublishedMonth, PublishedStatistics};

/// The first key column of the cross-tab's row of left-out cells.
pub const OTHER_ROW: &str = "(other)";

/// Statistics as CSV rows `figure,name,value`; a count of 1 to 4 is `<5`.
pub fn csv_statistics(s: &PublishedStatistics) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |figure: &str, name: &str, value: String| rows.push(vec![figure.into(), name.into(), value]);
    row("period", "from", s.from.to_string());
    row("period", "to", s.to.to_string());
    row("counts", "rounded_to", s.rounded_to.to_string());
    let opt = |v: Option<crate::disclosure::Count>| v.map(|v| v.to_string()).unwrap_or_default();
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
        ("uses_per_month", (|m: &PublishedMonth| m.uses) as fn(&PublishedMonth) -> crate::disclosure::Count),
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
    crate::export::write_csv(&["figure", "name", "value"], rows.into_iter(), Terminator::Any(b'\n'))
}

/// A cross-tabulation as CSV: one column per dimension, then cards and uses; the listed cells,
/// then one row `(other)` with the cells left out added up.
pub fn csv_cross_tab(t: &PublishedCrossTab) -> String {
    // The dimensions' names as the query's `by` spells them (`mother_tongue`).
    let mut header: Vec<String> =
        t.by.iter()
            .map(|d| serde_json::to_value(d).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
            .collect();
    header.extend(["cards".into(), "uses".into()]);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let cells = t.cells.iter().map(|c| {
        let mut row = c.key.clone();
        row.extend([c.cards.to_string(), c.uses.to_string()]);
        row
    });
    let mut other = vec![String::new(); t.by.len()];
    if let Some(first) = other.first_mut() {
        *first = OTHER_ROW.into();
    }
    other.extend([t.other.cards.to_string(), t.other.uses.to_string()]);
    crate::export::write_csv(&header, cells.chain([other]), Terminator::Any(b'\n'))
}
