//! The dashboard's figures as text: the key figures, and a table under every chart (for screen
//! readers and for copying), numbers written the way each language writes them.

use dioxus::prelude::*;

use crate::components::TableScroll;

use super::client_stats::{Count, CrossTab, Frequency, MonthUses, Ranked, Statistics};
use crate::i18n::{Lang, t, t_args};

/// A whole number as each language writes it: `12 345` in Finnish and Swedish (a no-break
/// space between thousands), `12,345` in English.
pub fn number(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let separator = match lang {
        Lang::Fi | Lang::Sv => '\u{a0}',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A published count: the number as the language writes it, or "fewer than 5".
pub fn count(lang: Lang, c: Count) -> String {
    match c {
        Count::Number(n) => number(lang, n),
        Count::FewerThanFive => t_args(lang, "stats-fewer-than", &[("n", 5.into())]),
    }
}

/// The sum of published counts: a number when each is one; otherwise "fewer than N" when the
/// known part is 0, or the range the sum lies in (each "fewer than 5" is 1 to 4).
pub fn sum(lang: Lang, parts: &[Count]) -> String {
    let known: u64 = parts.iter().filter_map(|c| c.number()).sum();
    let unknown = parts.iter().filter(|c| c.number().is_none()).count() as u64;
    match (unknown, known) {
        (0, n) => number(lang, n),
        (k, 0) => t_args(lang, "stats-fewer-than", &[("n", (4 * k + 1).into())]),
        (k, n) => t_args(
            lang,
            "stats-between",
            &[("from", number(lang, n + k).into()), ("to", number(lang, n + 4 * k).into())],
        ),
    }
}

/// A percentage with one decimal: `87,5 %` in Finnish and Swedish, `87.5%` in English.
pub fn percent(lang: Lang, value: f64) -> String {
    let tenths = (value * 10.0).round().max(0.0) as u64;
    let (whole, tenth) = (number(lang, tenths / 10), tenths % 10);
    match lang {
        Lang::Fi | Lang::Sv => format!("{whole},{tenth}\u{a0}%"),
        Lang::En => format!("{whole}.{tenth}%"),
    }
}

/// `2026-03` as "March 2026" in words.
pub fn month_name(lang: Lang, month: &str) -> String {
    let (year, m) = month.split_once('-').unwrap_or((month, ""));
    let m = m.parse::<u32>().unwrap_or(0);
    t_args(
        lang,
        "stats-month-year",
        &[("month", t(lang, &format!("stats-month-{m}")).into()), ("year", year.to_owned().into())],
    )
}

/// The four frequency bands with their words.
pub fn frequency_rows(f: Frequency) -> [(&'static str, &'static str, Count); 4] {
    [
        ("once", "stats-freq-once", f.once),
        ("twice", "stats-freq-twice", f.twice),
        ("three-to-five", "stats-freq-three-to-five", f.three_to_five),
        ("more-than-five", "stats-freq-more-than-five", f.more_than_five),
    ]
}

#[component]
pub fn KeyFigures(stats: Statistics, lang: Lang) -> Element {
    let n = |v: Count| count(lang, v);
    let mut rows: Vec<(&str, String, String)> = Vec::new();
    if let Some(v) = stats.cards_registered {
        rows.push(("fig-cards-registered", t(lang, "stats-cards-registered"), n(v)));
    }
    rows.push(("fig-cards-used", t(lang, "stats-cards-used"), n(stats.cards_used)));
    if let Some(v) = stats.cards_valid {
        rows.push(("fig-cards-valid", t(lang, "stats-cards-valid"), n(v)));
    }
    if let Some(p) = stats.usage_rate_percent {
        rows.push(("fig-usage-rate", t(lang, "stats-usage-rate"), percent(lang, p)));
    }
    rows.extend([
        ("fig-uses", t(lang, "stats-uses"), n(stats.all.uses)),
        ("fig-adults", t(lang, "stats-adults"), n(stats.all.adults)),
        ("fig-children", t(lang, "stats-children"), n(stats.all.children)),
        ("fig-community-uses", t(lang, "stats-community-uses"), n(stats.community.uses)),
        (
            "fig-community-people",
            t(lang, "stats-community-people"),
            sum(lang, &[stats.community.adults, stats.community.children]),
        ),
        ("fig-course-places", t(lang, "stats-course-places"), n(stats.course_places)),
    ]);
    rsx! {
        dl { id: "key-figures", class: "who counts key-figures",
            for (id, term, value) in rows {
                dt { key: "{id}", "{term}" }
                dd { id: "{id}", "{value}" }
            }
        }
    }
}

/// A table in its scrolling box, with its caption and column headers.
#[component]
fn Table(id: String, caption: String, columns: Vec<String>, rows: Vec<(String, String, Vec<String>)>) -> Element {
    rsx! {
        TableScroll { label: caption.clone(),
            table { id: "{id}", class: "stats-table",
                caption { "{caption}" }
                thead {
                    tr {
                        for c in columns.iter() {
                            th { scope: "col", "{c}" }
                        }
                    }
                }
                tbody {
                    for (row_id, head, cells) in rows {
                        tr { key: "{row_id}",
                            th { scope: "row", "{head}" }
                            for (i, c) in cells.iter().enumerate() {
                                td { id: "{row_id}-{i}", "{c}" }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
pub fn MonthTable(months: Vec<MonthUses>, lang: Lang) -> Element {
    let columns = ["stats-month", "stats-uses", "stats-adults", "stats-children"].map(|k| t(lang, k)).to_vec();
    let rows = months
        .iter()
        .map(|m| {
            let cells = vec![count(lang, m.uses), count(lang, m.adults), count(lang, m.children)];
            (format!("month-{}", m.month), month_name(lang, &m.month), cells)
        })
        .collect();
    rsx! { Table { id: "month-table", caption: t(lang, "stats-per-month"), columns, rows } }
}

/// A ranking (uses per venue, cards per distributor), most first.
#[component]
pub fn RankTable(id: String, caption: String, name: String, count: String, rows: Vec<Ranked>, lang: Lang) -> Element {
    let rows =
        rows.iter().map(|r| (format!("{id}-{}", r.id), r.name.clone(), vec![self::count(lang, r.count)])).collect();
    rsx! { Table { id, caption, columns: vec![name, count], rows } }
}

#[component]
pub fn FrequencyTable(frequency: Frequency, lang: Lang) -> Element {
    let columns = vec![t(lang, "stats-freq-times"), t(lang, "stats-freq-cards")];
    let rows = frequency_rows(frequency)
        .into_iter()
        .map(|(id, words, n)| (format!("freq-{id}"), t(lang, words), vec![count(lang, n)]))
        .collect();
    rsx! { Table { id: "frequency-table", caption: t(lang, "stats-frequency"), columns, rows } }
}

/// A dimension's value in words where the app has them (genders), as the server says otherwise.
fn key_text(lang: Lang, dimension: &str, value: &str) -> String {
    match dimension {
        "gender" => t(lang, &format!("staff-gender-{value}")),
        _ => value.replace('-', "–"),
    }
}

/// The cross-tabulation: the listed groups, then the smaller groups added up in one row (when
/// there are any), whose values are never shown.
#[component]
pub fn CrossTabTable(table: CrossTab, lang: Lang) -> Element {
    let mut columns: Vec<String> = table.by.iter().map(|d| t(lang, &format!("stats-by-{d}"))).collect();
    columns.extend([t(lang, "stats-freq-cards"), t(lang, "stats-uses")]);
    let mut rows: Vec<(String, String, Vec<String>)> = table
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut keys = c.key.iter().zip(&table.by).map(|(k, d)| key_text(lang, d, k));
            let head = keys.next().unwrap_or_default();
            let mut cells: Vec<String> = keys.collect();
            cells.extend([count(lang, c.cards), count(lang, c.uses)]);
            (format!("cell-{i}"), head, cells)
        })
        .collect();
    if table.other.cards != Count::Number(0) {
        let mut cells = vec![String::new(); table.by.len().saturating_sub(1)];
        cells.extend([count(lang, table.other.cards), count(lang, table.other.uses)]);
        rows.push(("cell-other".into(), t(lang, "stats-other-groups"), cells));
    }
    rsx! {
        Table { id: "cross-tab", caption: t_args(lang, "stats-cross-tab-caption", &[("n", table.min_cell.into())]), columns, rows }
    }
}
