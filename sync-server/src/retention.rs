//! Retention: uses (redemptions) and the background data of closed cards are kept for the
//! statistics year and `retention_years` more (data of year Y until the end of Y + 2 by
//! default), then purged: by `kaiku-sync-server purge` or by the daily run inside `serve`.
//! A purged year's statistics stay, as the store's answers for each whole month and year.

use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, NaiveDate};

use crate::clock::Clock;
use crate::store::{PurgeReport, Store, StoreResult};

/// The first day kept on `today`: 1 January of the year `years` before this one.
pub fn keep_from(today: NaiveDate, years: u32) -> NaiveDate {
    let year = today.year() - i32::try_from(years).unwrap_or(i32::MAX).min(today.year());
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Purges what `years` of retention no longer keep on `today` (with `dry_run`, only counts).
pub async fn purge(store: &dyn Store, today: NaiveDate, years: u32, dry_run: bool) -> StoreResult<PurgeReport> {
    store.purge(keep_from(today, years), dry_run).await
}

/// The report as lines for the operator: counts only, never a card or a person.
pub fn describe(r: &PurgeReport, dry_run: bool) -> String {
    let verb = if dry_run { "would be" } else { "were" };
    let years = if r.archived_years.is_empty() {
        "none".to_owned()
    } else {
        r.archived_years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
    };
    let mut out = format!("Data before {} {verb} purged.\n", r.keep_from);
    let archived = if dry_run { "to archive" } else { "archived" };
    out.push_str(&format!(
        "Statistics {archived} as whole months and years: {years} ({} answers)\n",
        r.archived_answers
    ));
    for (what, n) in [
        ("redemptions", r.redemptions),
        ("statistics rows of uses", r.use_facts),
        ("card numbers of the statistics", r.card_numbers),
        ("rejected upload items", r.rejected_items),
        ("uses flagged for checking", r.flagged_uses),
        ("closed cards' background data", r.backgrounds),
    ] {
        out.push_str(&format!("  {what}: {n} {verb} deleted\n"));
    }
    out
}

fn removed_anything(r: &PurgeReport) -> bool {
    r.archived_answers
        + r.redemptions
        + r.use_facts
        + r.card_numbers
        + r.rejected_items
        + r.flagged_uses
        + r.backgrounds
        > 0
}

/// The daily run inside `serve`: purges once `first_after` has passed, then every `every`.
/// Each run works in short transactions (see [`Store::purge`]), so uploads go on meanwhile.
pub fn spawn_daily(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    years: u32,
    first_after: Duration,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(first_after).await;
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let today = clock.now().date_naive();
            match purge(store.as_ref(), today, years, false).await {
                Ok(r) if removed_anything(&r) => tracing::info!(
                    keep_from = %r.keep_from,
                    archived_years = ?r.archived_years,
                    archived_answers = r.archived_answers,
                    redemptions = r.redemptions,
                    use_facts = r.use_facts,
                    card_numbers = r.card_numbers,
                    rejected_items = r.rejected_items,
                    flagged_uses = r.flagged_uses,
                    backgrounds = r.backgrounds,
                    "retention: purged data before {}",
                    r.keep_from
                ),
                Ok(r) => tracing::info!(keep_from = %r.keep_from, "retention: nothing to purge"),
                Err(e) => tracing::error!(error = %e, "retention: the purge failed; it is tried again tomorrow"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_of_a_year_are_kept_until_the_end_of_the_year_two_years_on() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        assert_eq!(keep_from(day(2026, 11, 30), 2), day(2024, 1, 1));
        assert_eq!(keep_from(day(2026, 12, 31), 2), day(2024, 1, 1));
        assert_eq!(keep_from(day(2027, 1, 1), 2), day(2025, 1, 1));
        assert_eq!(keep_from(day(2027, 1, 1), 5), day(2022, 1, 1));
    }

    #[test]
    fn the_report_gives_counts_only() {
        let r = PurgeReport { redemptions: 12, backgrounds: 3, archived_years: vec![2023], ..Default::default() };
        let text = describe(&r, true);
        assert!(text.contains("redemptions: 12 would be deleted"), "{text}");
        assert!(text.contains("closed cards' background data: 3 would be deleted"), "{text}");
        assert!(text.contains("years: 2023"), "{text}");
    }
}
