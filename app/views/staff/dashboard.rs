//! The coordinator's statistics dashboard: a period (a year, a month or a range: of whole
//! months below administrator, as the server asks) and a scope
//! (the whole region, or one distributor or venue in it), then the key figures, uses per month,
//! uses per venue and cards per distributor as charts, how often cards were used, and the
//! cross-tabulation with its small groups added up in one row; each chart with its table, and
//! the CSV. Below administrator the server rounds every count to 5 ("fewer than 5" for 1-4),
//! and the dashboard says so.
//! It opens on this year for the person's own scope, so the year's figures are two clicks
//! from the console's home.

use chrono::{Datelike, NaiveDate};
use dioxus::prelude::*;

use super::client::{Org, StaffRole, error_text};
use super::client_stats::{CrossTab, Period, Statistics, StatsScope, statistics_path};
use super::dashboard_charts::{Chart, bar_chart, column_chart};
use super::dashboard_tables::{
    CrossTabTable, FrequencyTable, KeyFigures, MonthTable, RankTable, count, frequency_rows,
};
use super::session::use_staff;
use crate::components::{FormError, TextField};
use crate::i18n::{Lang, t, t_args};
use crate::state::use_app;

/// What was typed for the period, message ids of what is wrong, per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodErrors {
    pub year: Option<&'static str>,
    pub month: Option<&'static str>,
    pub from: Option<&'static str>,
    pub to: Option<&'static str>,
}

fn year_of(text: &str) -> Option<i32> {
    let text = text.trim();
    (text.len() == 4).then(|| text.parse::<i32>().ok()).flatten().filter(|y| (2000..=2100).contains(y))
}

/// A day typed as `2026-03-01` (a date field) or `1.3.2026`.
fn day_of(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y")).ok()
}

/// A month typed as `2026-03` (a month field) or `3/2026`, `3.2026`.
fn month_of(text: &str) -> Option<(i32, u32)> {
    let text = text.trim();
    let (y, m) = match text.split_once('-') {
        Some((y, m)) => (y, m),
        None => text.split_once(['/', '.']).map(|(m, y)| (y, m))?,
    };
    let m = m.parse::<u32>().ok().filter(|m| (1..=12).contains(m))?;
    Some((year_of(y)?, m))
}

/// The period the fields describe, or what is wrong with them. With `whole_months` (every role
/// below administrator) a range is of months, `2026-03` to `2026-05`; otherwise of days.
pub fn read_period(
    kind: &str,
    year: &str,
    month: &str,
    from: &str,
    to: &str,
    whole_months: bool,
) -> Result<Period, PeriodErrors> {
    let mut e = PeriodErrors::default();
    let period = match kind {
        "month" => month_of(month).map(|(y, m)| Period::Month(y, m)).ok_or("stats-error-month"),
        "range" => {
            let (f, t, bad) = if whole_months {
                let first = |m: (i32, u32)| Period::months(m, m).days().0;
                let last = |m: (i32, u32)| Period::months(m, m).days().1;
                (month_of(from).map(first), month_of(to).map(last), "stats-error-month")
            } else {
                (day_of(from), day_of(to), "stats-error-day")
            };
            e.from = f.is_none().then_some(bad);
            e.to = t.is_none().then_some(bad);
            match (f, t) {
                (Some(f), Some(t)) if f > t => {
                    e.to = Some("stats-error-order");
                    Err("")
                }
                (Some(f), Some(t)) => Ok(Period::Range(f, t)),
                _ => Err(""),
            }
        }
        _ => year_of(year).map(Period::Year).ok_or("stats-error-year"),
    };
    period.map_err(|id| {
        match kind {
            "month" => e.month = Some(id),
            "range" => {}
            _ => e.year = Some(id),
        }
        e
    })
}

/// The period in words, for the headings.
fn period_text(lang: Lang, period: Period) -> String {
    match period {
        Period::Year(y) => t_args(lang, "stats-period-year", &[("year", y.to_string().into())]),
        Period::Month(y, m) => super::dashboard_tables::month_name(lang, &format!("{y}-{m:02}")),
        Period::Range(f, to) => match period.whole_months() {
            Some(((y1, m1), (y2, m2))) => {
                let name = |y: i32, m: u32| super::dashboard_tables::month_name(lang, &format!("{y}-{m:02}"));
                t_args(lang, "stats-period-range", &[("from", name(y1, m1).into()), ("to", name(y2, m2).into())])
            }
            None => t_args(
                lang,
                "stats-period-range",
                &[("from", crate::i18n::date(lang, f).into()), ("to", crate::i18n::date(lang, to).into())],
            ),
        },
    }
}

#[component]
pub fn StaffStatistics() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let today = chrono::Local::now().date_naive();
    let mut kind = use_signal(|| "year".to_owned());
    let mut year = use_signal(|| today.year().to_string());
    let mut month = use_signal(|| today.format("%Y-%m").to_string());
    let mut from = use_signal(String::new);
    let mut to = use_signal(String::new);
    let mut scope = use_signal(|| "own".to_owned());
    let mut errors = use_signal(PeriodErrors::default);
    let mut shown = use_signal(|| None::<(Period, StatsScope)>);
    let mut stats = use_signal(|| None::<Statistics>);
    let mut table = use_signal(|| None::<CrossTab>);
    let mut distributors = use_signal(Vec::<Org>::new);
    let mut venues = use_signal(Vec::<Org>::new);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let mut saved = use_signal(|| None::<String>);
    // Below administrator the server answers whole months only, so the range is of months.
    let whole_months = ctx.session.read().as_ref().is_none_or(|s| s.me.role() != StaffRole::Admin);

    let mut load = move |period: Period, chosen: StatsScope| {
        let Some(session) = ctx.session.peek().clone() else { return };
        busy.set(true);
        error.set(None);
        spawn(async move {
            let api = session.api();
            let result = match api.statistics(period, chosen).await {
                Ok(s) => api.cross_tab(period, chosen).await.map(|c| (s, c)),
                Err(e) => Err(e),
            };
            busy.set(false);
            match result {
                Ok((s, c)) => {
                    stats.set(Some(s));
                    table.set(Some(c));
                    shown.set(Some((period, chosen)));
                }
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };
    use_hook(move || {
        load(Period::this_year(), StatsScope::Own);
        let Some(session) = ctx.session.peek().clone() else { return };
        spawn(async move {
            // The lists only narrow the choice; a role that may not list them keeps its own scope.
            if let Ok(d) = session.api().organisations("distributor").await {
                distributors.set(d);
            }
            if let Ok(v) = session.api().organisations("venue").await {
                venues.set(v);
            }
        });
    });
    let show = move |e: FormEvent| {
        e.prevent_default();
        match read_period(&kind.peek(), &year.peek(), &month.peek(), &from.peek(), &to.peek(), whole_months) {
            Ok(period) => {
                errors.set(PeriodErrors::default());
                load(period, StatsScope::parse(&scope.peek()));
            }
            Err(e) => errors.set(e),
        }
    };
    let download = move |_| {
        let Some((period, chosen)) = *shown.peek() else { return };
        let Some(session) = ctx.session.peek().clone() else { return };
        saved.set(None);
        spawn(async move {
            let lang = app.lang();
            let (first, last) = period.days();
            let name = format!("statistics-{first}-{last}.csv");
            match session.api().statistics_csv(period, chosen).await {
                Ok(text) => match super::exports::save(&name, text).await {
                    Ok(at) => saved.set(Some(t_args(lang, "stats-csv-saved", &[("at", at.into())]))),
                    Err(why) => error.set(Some(t_args(lang, "staff-export-not-saved", &[("reason", why.into())]))),
                },
                Err(e) => error.set(Some(error_text(&e, lang))),
            }
        });
    };

    let err = errors();
    let field_error = move |id: Option<&'static str>| id.map(|id| t(lang, id));
    let current = shown();
    let scope_name = current.map(|(_, s)| match s {
        StatsScope::Own => t(lang, "stats-scope-own"),
        StatsScope::Distributor(id) => {
            distributors.read().iter().find(|o| o.id == id).map_or_else(String::new, |o| o.name.clone())
        }
        StatsScope::Venue(id) => venues.read().iter().find(|o| o.id == id).map_or_else(String::new, |o| o.name.clone()),
    });
    rsx! {
        section { class: "staff-statistics",
            h1 { {t(lang, "stats-title")} }
            form { id: "stats-form", novalidate: true, onsubmit: show,
                fieldset { class: "choice-group",
                    legend { {t(lang, "stats-period")} }
                    label { r#for: "period-kind", {t(lang, "stats-period-kind")} }
                    select { id: "period-kind", name: "period-kind", onchange: move |e| kind.set(e.value()),
                        for (value, id) in [("year", "stats-kind-year"), ("month", "stats-kind-month"), ("range", if whole_months { "stats-kind-months" } else { "stats-kind-range" })] {
                            option { value, selected: *kind.read() == value, {t(lang, id)} }
                        }
                    }
                    match kind().as_str() {
                        "month" => rsx! {
                            TextField { id: "period-month", label: t(lang, "stats-kind-month"), kind: "month", value: month(),
                                oninput: move |v| month.set(v), error: field_error(err.month), hint: t(lang, "stats-month-hint") }
                        },
                        "range" if whole_months => rsx! {
                            TextField { id: "period-from", label: t(lang, "stats-from"), kind: "month", value: from(),
                                oninput: move |v| from.set(v), error: field_error(err.from), hint: t(lang, "stats-month-hint") }
                            TextField { id: "period-to", label: t(lang, "stats-to"), kind: "month", value: to(),
                                oninput: move |v| to.set(v), error: field_error(err.to), hint: t(lang, "stats-month-hint") }
                        },
                        "range" => rsx! {
                            TextField { id: "period-from", label: t(lang, "stats-from"), kind: "date", value: from(),
                                oninput: move |v| from.set(v), error: field_error(err.from), hint: t(lang, "stats-day-hint") }
                            TextField { id: "period-to", label: t(lang, "stats-to"), kind: "date", value: to(),
                                oninput: move |v| to.set(v), error: field_error(err.to), hint: t(lang, "stats-day-hint") }
                        },
                        _ => rsx! {
                            TextField { id: "period-year", label: t(lang, "stats-kind-year"), value: year(), inputmode: "numeric",
                                oninput: move |v| year.set(v), error: field_error(err.year), hint: None }
                        },
                    }
                }
                label { r#for: "stats-scope", {t(lang, "stats-scope")} }
                select { id: "stats-scope", name: "stats-scope", onchange: move |e| scope.set(e.value()),
                    option { value: "own", selected: *scope.read() == "own", {t(lang, "stats-scope-own")} }
                    if !distributors.read().is_empty() {
                        optgroup { label: "{t(lang, \"stats-scope-distributors\")}",
                            for d in distributors.read().iter() {
                                option { key: "d{d.id}", value: "{StatsScope::Distributor(d.id).value()}",
                                    selected: *scope.read() == StatsScope::Distributor(d.id).value(), "{d.name}" }
                            }
                        }
                    }
                    if !venues.read().is_empty() {
                        optgroup { label: "{t(lang, \"stats-scope-venues\")}",
                            for v in venues.read().iter() {
                                option { key: "v{v.id}", value: "{StatsScope::Venue(v.id).value()}",
                                    selected: *scope.read() == StatsScope::Venue(v.id).value(), "{v.name}" }
                            }
                        }
                    }
                }
                FormError { error: error() }
                button { id: "stats-show", r#type: "submit", class: "primary", disabled: busy(), {t(lang, "stats-show")} }
            }
            p { id: "stats-status", role: "status",
                if busy() { {t(lang, "stats-loading")} }
            }
            if let (Some(s), Some(c), Some((period, chosen))) = (stats(), table(), current) {
                h2 { id: "stats-heading",
                    {t_args(lang, "stats-heading", &[("period", period_text(lang, period).into()), ("scope", scope_name.clone().unwrap_or_default().into())])}
                }
                if s.rounded_to > 1 {
                    p { id: "stats-rounded", class: "hint", {t(lang, "stats-rounded-note")} }
                }
                KeyFigures { stats: s.clone(), lang }
                Figures { stats: s.clone(), lang }
                h2 { {t(lang, "stats-cross-tab")} }
                p { class: "hint", {t_args(lang, "stats-cross-tab-intro", &[("n", c.min_cell.into())])} }
                CrossTabTable { table: c, lang }
                h2 { {t(lang, "stats-csv-title")} }
                button { id: "stats-csv", r#type: "button", "data-query": "{statistics_path(period, chosen, true)}", onclick: download,
                    {t(lang, "stats-csv")}
                }
                p { id: "stats-csv-status", role: "status",
                    if let Some(s) = saved() { "{s}" }
                }
            }
        }
    }
}

/// The charts, each with its table under it.
#[component]
fn Figures(stats: Statistics, lang: Lang) -> Element {
    let n = |v: super::client_stats::Count| count(lang, v);
    let month_labels: Vec<String> = stats
        .per_month
        .iter()
        .map(|m| {
            t(
                lang,
                &format!("stats-month-short-{}", m.month.get(5..7).and_then(|m| m.parse::<u32>().ok()).unwrap_or(0)),
            )
        })
        .collect();
    let month_values: Vec<u64> = stats.per_month.iter().map(|m| m.uses.bar()).collect();
    let busiest = stats.per_month.iter().max_by_key(|m| m.uses.order());
    let month_summary = t_args(
        lang,
        "stats-chart-months",
        &[
            ("uses", n(stats.all.uses).into()),
            ("months", stats.per_month.len().into()),
            (
                "busiest",
                busiest.map(|m| super::dashboard_tables::month_name(lang, &m.month)).unwrap_or_default().into(),
            ),
            ("most", n(busiest.map(|m| m.uses).unwrap_or_default()).into()),
        ],
    );
    let rank_summary = |id: &str, rows: &[super::client_stats::Ranked]| {
        let first = rows.first();
        t_args(
            lang,
            id,
            &[
                ("count", rows.len().into()),
                ("first", first.map(|r| r.name.clone()).unwrap_or_default().into()),
                ("most", n(first.map(|r| r.count).unwrap_or_default()).into()),
            ],
        )
    };
    let venue_rows: Vec<(String, u64)> = stats.per_venue.iter().map(|r| (r.name.clone(), r.count.bar())).collect();
    let distributor_rows: Vec<(String, u64)> =
        stats.per_distributor.iter().map(|r| (r.name.clone(), r.count.bar())).collect();
    let freq: Vec<(String, u64)> =
        frequency_rows(stats.frequency).into_iter().map(|(_, id, v)| (t(lang, id), v.bar())).collect();
    let freq_summary = t_args(
        lang,
        "stats-chart-frequency",
        &[("once", n(stats.frequency.once).into()), ("more", n(stats.frequency.more_than_five).into())],
    );
    rsx! {
        h2 { {t(lang, "stats-per-month")} }
        Chart { id: "chart-months", svg: column_chart(&month_labels, &month_values, lang), summary: month_summary }
        MonthTable { months: stats.per_month.clone(), lang }
        h2 { {t(lang, "stats-per-venue")} }
        if venue_rows.is_empty() {
            p { {t(lang, "stats-none")} }
        } else {
            Chart { id: "chart-venues", svg: bar_chart(&venue_rows, lang), summary: rank_summary("stats-chart-venues", &stats.per_venue) }
            RankTable { id: "venue-table", caption: t(lang, "stats-per-venue"), name: t(lang, "stats-venue"), count: t(lang, "stats-uses"), rows: stats.per_venue.clone(), lang }
        }
        if stats.cards_registered.is_some() {
            h2 { {t(lang, "stats-per-distributor")} }
            if distributor_rows.is_empty() {
                p { {t(lang, "stats-none")} }
            } else {
                Chart { id: "chart-distributors", svg: bar_chart(&distributor_rows, lang), summary: rank_summary("stats-chart-distributors", &stats.per_distributor) }
                RankTable { id: "distributor-table", caption: t(lang, "stats-per-distributor"), name: t(lang, "stats-distributor"), count: t(lang, "stats-cards-registered"), rows: stats.per_distributor.clone(), lang }
            }
        }
        h2 { {t(lang, "stats-frequency")} }
        Chart { id: "chart-frequency", svg: bar_chart(&freq, lang), summary: freq_summary }
        FrequencyTable { frequency: stats.frequency, lang }
    }
}
