//! Statistics of purged years (see `retention`): the answers kept for each whole month and year
//! of every scope, read back for a purged period; the layout is `store::archived`'s.

use chrono::NaiveDate;
use deadpool_postgres::GenericClient;

use super::convert::{get, id};
use super::pool::{exec, row, rows};
use super::stats;
use crate::stats::{CrossTab, Dimension, Scope, Statistics};
use crate::store::archived::{self, STATISTICS, canonical, dimension_sets, figures, scope_key, statistics_json};
use crate::store::{DateRange, StoreError, StoreResult};

/// The first day whose detailed data are kept; `None` while nothing has been purged.
pub async fn purged_before(c: &impl GenericClient) -> StoreResult<Option<NaiveDate>> {
    row(c, "SELECT purged_before FROM retention WHERE id = 1", &[]).await?.map(|r| get(&r, 0)).transpose()
}

/// The archived answer of a period, if it is purged (`Purged` if it is not archived whole).
async fn archived(
    c: &impl GenericClient,
    scope: Scope,
    range: DateRange,
    figures: &str,
) -> StoreResult<Option<String>> {
    if !archived::from_archive(purged_before(c).await?, range)? {
        return Ok(None);
    }
    let r = row(
        c,
        "SELECT answer FROM statistics_archive WHERE scope = $1 AND period_from = $2 AND period_to = $3 AND figures = $4",
        &[&scope_key(scope), &range.from, &range.to, &figures],
    )
    .await?;
    r.map(|r| get(&r, 0)).transpose()
}

/// The store's statistics: archived for a purged period, live otherwise.
pub async fn statistics(c: &impl GenericClient, scope: Scope, range: DateRange) -> StoreResult<Statistics> {
    match archived(c, scope, range, STATISTICS).await? {
        Some(json) => archived::statistics_from(&json),
        None => stats::statistics(c, scope, range).await,
    }
}

/// The store's cross-tab: archived for a purged period, live otherwise.
pub async fn cross_tab(
    c: &impl GenericClient,
    scope: Scope,
    range: DateRange,
    by: &[Dimension],
) -> StoreResult<CrossTab> {
    match archived(c, scope, range, &figures(&canonical(by))).await? {
        Some(json) => archived::cross_tab_from(&json, range, by),
        None => stats::cross_tab(c, scope, range, by).await,
    }
}

/// One archived answer: scope, period, figures, JSON.
pub type Row = (String, NaiveDate, NaiveDate, String, String);

/// Every scope the API can ask: the whole register, each region, distributor and venue.
pub async fn scopes(c: &impl GenericClient) -> StoreResult<Vec<Scope>> {
    use kaiku_core::ids::{DistributorId, RegionId, VenueId};
    let mut out = vec![Scope::All];
    for (table, make) in [
        ("regions", (|id| Scope::Region(RegionId(id))) as fn(u32) -> Scope),
        ("distributors", |id| Scope::Distributor(DistributorId(id))),
        ("venues", |id| Scope::Venue(VenueId(id))),
    ] {
        for r in &rows(c, &format!("SELECT id FROM {table} ORDER BY id"), &[]).await? {
            out.push(make(id(r, 0)?));
        }
    }
    Ok(out)
}

/// The answers to archive for one scope and period: the statistics, and each cross-tab with
/// cells. A venue with no uses in the period is left out (its live answer is the same zeros).
pub async fn answers(c: &impl GenericClient, scope: Scope, range: DateRange) -> StoreResult<Vec<Row>> {
    let s = stats::statistics(c, scope, range).await?;
    let mut out = Vec::new();
    if matches!(scope, Scope::Venue(_)) && s.all.uses == 0 {
        return Ok(out);
    }
    let key = scope_key(scope);
    out.push((key.clone(), range.from, range.to, STATISTICS.to_owned(), statistics_json(&s).to_string()));
    if s.cards_used == 0 {
        return Ok(out);
    }
    for dims in dimension_sets() {
        let tab = stats::cross_tab(c, scope, range, &dims).await?;
        if !tab.cells.is_empty() {
            let cells: Vec<(Vec<String>, u64, u64)> = tab.cells.into_iter().map(|c| (c.key, c.cards, c.uses)).collect();
            let json = serde_json::to_string(&cells).map_err(|e| StoreError::Backend(e.to_string()))?;
            out.push((key.clone(), range.from, range.to, figures(&dims), json));
        }
    }
    Ok(out)
}

/// Stores archived answers (an answer archived before is replaced).
pub async fn store(c: &impl GenericClient, answers: &[Row]) -> StoreResult<()> {
    for (scope, from, to, figures, answer) in answers {
        exec(
            c,
            "INSERT INTO statistics_archive (scope, period_from, period_to, figures, answer) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (scope, period_from, period_to, figures) DO UPDATE SET answer = excluded.answer",
            &[scope, from, to, figures, answer],
        )
        .await?;
    }
    Ok(())
}

/// Marks everything before `day` purged (never moving the mark back).
pub async fn mark_purged_before(c: &impl GenericClient, day: NaiveDate) -> StoreResult<()> {
    exec(
        c,
        "INSERT INTO retention (id, purged_before) VALUES (1, $1) \
         ON CONFLICT (id) DO UPDATE SET purged_before = greatest(retention.purged_before, excluded.purged_before)",
        &[&day],
    )
    .await?;
    Ok(())
}
