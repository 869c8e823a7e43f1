//! The purge behind `crate::retention`: archive the statistics of the years before the cut
//! (`archive`), mark them purged, then delete their uses and clear the background data of cards
//! closed before the cut. Each step is many short transactions, so uploads wait for one chunk
//! at most, never for the whole purge. Several processes may purge at once: each chunk deletes
//! what is still there, and archiving the same answers twice replaces them with equal ones.

use chrono::{Datelike, NaiveDate};

use super::PgStore;
use super::archive;
use super::convert::{count, get};
use super::pool::{exec, one, rows};
use crate::store::archived::periods;
use crate::store::{PurgeReport, StoreResult};

/// Rows deleted (or cards cleared) in one transaction.
const CHUNK: i64 = 2_000;

/// Cards closed before the cut: expired (the day after `valid_until`) or revoked before it.
/// `$1` is the first day kept. Not cleared while a use on or after the cut refers to the card:
/// a kept period's cross-tab still counts it.
const CLOSED_WITH_BACKGROUND: &str = "(c.valid_until < $1::date - 1 OR (c.status = 'revoked' AND c.revoked_on < $1)) \
     AND (c.birth_year IS NOT NULL OR c.postal_code IS NOT NULL OR c.gender IS NOT NULL \
     OR EXISTS (SELECT 1 FROM card_life_situations ls WHERE ls.card_id = c.id)) \
     AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.card_id = c.id AND r.scanned_on >= $1)";

/// The deletions, each with `$1` the cut and `$2` the chunk size. The uses deleted come off
/// their devices' counts (a use taken back and its correction were never on them); the
/// counters of the purged days go with them.
const DELETE_REDEMPTIONS: &str = "WITH gone AS ( \
     DELETE FROM redemptions WHERE id IN (SELECT id FROM redemptions WHERE scanned_on < $1 LIMIT $2) \
     RETURNING device_id, undoes IS NULL AND undone_by IS NULL AS counted), \
   counts AS (UPDATE device_uses d SET uses = d.uses - x.n \
     FROM (SELECT device_id, count(*) AS n FROM gone WHERE counted GROUP BY 1 ORDER BY 1) x \
     WHERE d.device_id = x.device_id) \
   SELECT count(*) FROM gone";
const DELETE_VENUE_DAYS: &str = "DELETE FROM venue_day_uses WHERE (venue_id, day, offer_id, offer) IN \
     (SELECT venue_id, day, offer_id, offer FROM venue_day_uses WHERE day < $1 LIMIT $2)";
const DELETE_REJECTED: &str = "DELETE FROM rejected_items WHERE id IN \
     (SELECT id FROM rejected_items WHERE (received_at AT TIME ZONE 'UTC')::date < $1 LIMIT $2)";
const DELETE_FLAGGED: &str = "DELETE FROM flagged_uses WHERE id IN \
     (SELECT id FROM flagged_uses WHERE (first_at AT TIME ZONE 'UTC')::date < $1 LIMIT $2)";

impl PgStore {
    async fn delete_chunks(&self, sql: &str, cut: NaiveDate) -> StoreResult<u64> {
        let mut total = 0;
        loop {
            let c = self.client().await?;
            // A statement that deletes in a CTE says how many in its one row.
            let n = if sql.starts_with("WITH") {
                count(&one(&c, sql, &[&cut, &CHUNK]).await?, 0)?
            } else {
                exec(&c, sql, &[&cut, &CHUNK]).await?
            };
            total += n;
            if n < CHUNK as u64 {
                return Ok(total);
            }
        }
    }

    /// Archives the statistics of `year` for every scope and period, one scope per transaction.
    async fn archive_year(&self, year: i32) -> StoreResult<u64> {
        let scopes = archive::scopes(&self.client().await?).await?;
        let mut stored = 0u64;
        for scope in scopes {
            let mut c = self.client().await?;
            let mut answers = Vec::new();
            for range in periods(year) {
                answers.extend(archive::answers(&c, scope, range).await?);
            }
            stored += answers.len() as u64;
            let tx = c.transaction().await?;
            archive::store(&tx, &answers).await?;
            tx.commit().await?;
        }
        Ok(stored)
    }

    /// Clears the background data of closed cards in chunks; the cards stay, unchanged for the
    /// scanners' register copy (their change number is kept).
    async fn clear_backgrounds(&self, cut: NaiveDate) -> StoreResult<u64> {
        let mut total = 0u64;
        loop {
            let mut c = self.client().await?;
            let tx = c.transaction().await?;
            let cleared = rows(
                &tx,
                &format!(
                    "UPDATE cards SET birth_year = NULL, gender = NULL, mother_tongue = NULL, postal_code = NULL, \
                     minor_children = NULL, minor_grandchildren = NULL WHERE id IN \
                     (SELECT c.id FROM cards c WHERE {CLOSED_WITH_BACKGROUND} LIMIT $2 FOR UPDATE SKIP LOCKED) \
                     RETURNING id"
                ),
                &[&cut, &CHUNK],
            )
            .await?;
            let ids: Vec<String> = cleared.iter().map(|r| get(r, 0)).collect::<StoreResult<_>>()?;
            exec(&tx, "DELETE FROM card_life_situations WHERE card_id = ANY($1)", &[&ids]).await?;
            tx.commit().await?;
            total += ids.len() as u64;
            if (ids.len() as i64) < CHUNK {
                return Ok(total);
            }
        }
    }

    /// See [`crate::store::Store::purge`].
    pub(super) async fn purge_before(&self, keep_from: NaiveDate, dry_run: bool) -> StoreResult<PurgeReport> {
        let (purged, first_use) = {
            let c = self.client().await?;
            let first: Option<NaiveDate> = get(&one(&c, "SELECT min(scanned_on) FROM redemptions", &[]).await?, 0)?;
            (archive::purged_before(&c).await?, first)
        };
        // What is archived and purged: everything before the later of the two cuts.
        let cut = purged.map_or(keep_from, |p| p.max(keep_from));
        let from_year = match (first_use.map(|d| d.year()), purged) {
            (Some(y), Some(p)) => Some(y.max(p.year())),
            (y, _) => y,
        };
        let mut report = PurgeReport {
            keep_from: cut,
            archived_years: from_year.map(|y| (y..cut.year()).collect()).unwrap_or_default(),
            ..PurgeReport::default()
        };
        if dry_run {
            let c = self.client().await?;
            let counted = |sql: &'static str| {
                let c = &c;
                async move { count(&one(c, sql, &[&cut]).await?, 0) }
            };
            report.redemptions = counted("SELECT count(*) FROM redemptions WHERE scanned_on < $1").await?;
            report.rejected_items =
                counted("SELECT count(*) FROM rejected_items WHERE (received_at AT TIME ZONE 'UTC')::date < $1")
                    .await?;
            report.flagged_uses =
                counted("SELECT count(*) FROM flagged_uses WHERE (first_at AT TIME ZONE 'UTC')::date < $1").await?;
            let sql = format!("SELECT count(*) FROM cards c WHERE {CLOSED_WITH_BACKGROUND}");
            report.backgrounds = count(&one(&c, &sql, &[&cut]).await?, 0)?;
            return Ok(report);
        }
        for year in report.archived_years.clone() {
            report.archived_answers += self.archive_year(year).await?;
            let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(cut);
            archive::mark_purged_before(&self.client().await?, next).await?;
        }
        archive::mark_purged_before(&self.client().await?, cut).await?;
        report.redemptions = self.delete_chunks(DELETE_REDEMPTIONS, cut).await?;
        self.delete_chunks(DELETE_VENUE_DAYS, cut).await?;
        report.rejected_items = self.delete_chunks(DELETE_REJECTED, cut).await?;
        // A pair of uses flagged for checking goes with its first use.
        report.flagged_uses = self.delete_chunks(DELETE_FLAGGED, cut).await?;
        report.backgrounds = self.clear_backgrounds(cut).await?;
        Ok(report)
    }
}
