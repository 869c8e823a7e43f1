//! The purge behind `crate::retention`: archive the statistics of the years before the cut
//! (`archive`), mark them purged, then delete their uses and clear the background data of cards
//! closed before the cut. Each step is many short transactions, so uploads wait for one chunk
//! at most, never for the whole purge.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};

use super::SqliteStore;
use super::archive::{self, Backgrounds};
use super::stats_facts::day_number;
use crate::store::{PurgeReport, StoreResult};

/// Rows deleted (or cards cleared) in one transaction.
const CHUNK: usize = 2_000;

/// Cards closed before the cut: expired (the day after `valid_until`) or revoked before it.
/// `?1` is the first day kept, `?2` the day before it.
const CLOSED: &str = "(valid_until < ?2 OR (status = 'revoked' AND revoked_on < ?1))";

const HAS_BACKGROUND: &str = "(birth_year IS NOT NULL OR postal_code IS NOT NULL OR gender IS NOT NULL \
     OR EXISTS (SELECT 1 FROM card_life_situations ls WHERE ls.card_id = cards.id))";

fn count(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<u64> {
    conn.query_row(sql, p, |r| r.get::<_, i64>(0)).map(|n| u64::try_from(n).unwrap_or(0))
}

/// What is left to delete before `keep_from`, read in one snapshot: the numbers of the cards
/// no kept use refers to, the cards whose background goes, and the last redemption's rowid
/// (a redemption stored after it may use any of those cards, so is looked at again).
struct Leftovers {
    card_numbers: Vec<i64>,
    backgrounds: Vec<String>,
    last_rowid: i64,
}

fn leftovers(conn: &Connection, keep_from: NaiveDate) -> rusqlite::Result<Leftovers> {
    let tx = conn.unchecked_transaction()?;
    let left = read_leftovers(&tx, keep_from)?;
    tx.commit()?;
    Ok(left)
}

fn read_leftovers(tx: &Connection, keep_from: NaiveDate) -> rusqlite::Result<Leftovers> {
    let last_rowid: i64 = tx.query_row("SELECT coalesce(max(rowid), 0) FROM redemptions", [], |r| r.get(0))?;
    // Cards used in a kept period keep their number and their background: a kept year's
    // cross-tab still counts them.
    let mut used_since: HashSet<i64> = HashSet::new();
    let mut stmt = tx.prepare("SELECT card FROM use_facts WHERE day >= ?1")?;
    for n in stmt.query_map([day_number(keep_from)], |r| r.get::<_, i64>(0))? {
        used_since.insert(n?);
    }
    // A registered card keeps the number it got when it was made (migration 10).
    let mut stmt = tx.prepare("SELECT n FROM card_numbers WHERE id NOT IN (SELECT id FROM cards)")?;
    let card_numbers = stmt
        .query_map([], |r| r.get::<_, i64>(0))?
        .filter(|n| n.as_ref().map_or(true, |n| !used_since.contains(n)))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = tx.prepare(&format!(
        "SELECT cards.id, n.n FROM cards LEFT JOIN card_numbers n ON n.id = cards.id \
         WHERE {CLOSED} AND {HAS_BACKGROUND} ORDER BY cards.id"
    ))?;
    let backgrounds = stmt
        .query_map(params![keep_from, keep_from.pred_opt().unwrap_or(keep_from)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
        })?
        .filter_map(|row| match row {
            Ok((_, Some(n))) if used_since.contains(&n) => None,
            Ok((id, _)) => Some(Ok(id)),
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Leftovers { card_numbers, backgrounds, last_rowid })
}

/// The cards of the redemptions stored after row `after`, and their numbers.
fn used_after(conn: &Connection, after: i64) -> rusqlite::Result<(HashSet<String>, HashSet<i64>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.card_id, n.n FROM redemptions r LEFT JOIN card_numbers n ON n.id = r.card_id WHERE r.rowid > ?1",
    )?;
    let (mut ids, mut numbers) = (HashSet::new(), HashSet::new());
    for row in stmt.query_map([after], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)))? {
        let (id, n) = row?;
        numbers.extend(n);
        ids.insert(id);
    }
    Ok((ids, numbers))
}

/// Deletes up to [`CHUNK`] redemptions scanned before the day `cut` with their use_facts rows
/// (found through them: one a redemption), and takes the counted ones off their devices'
/// counts; how many.
pub(super) fn purge_chunk(conn: &mut Connection, cut: i64) -> StoreResult<usize> {
    let tx = conn.transaction()?;
    let rows: Vec<(i64, i64, bool, Option<u32>, i64)> = tx
        .prepare_cached(
            "SELECT f.day, f.redemption, f.undone, r.device_id, f.card FROM use_facts f \
             LEFT JOIN redemptions r ON r.rowid = f.redemption WHERE f.day < ?1 LIMIT ?2",
        )?
        .query_map(params![cut, CHUNK as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<Result<_, _>>()?;
    let mut devices: std::collections::HashMap<u32, i64> = std::collections::HashMap::new();
    {
        let mut redemption = tx.prepare_cached("DELETE FROM redemptions WHERE rowid = ?1")?;
        let mut fact = tx.prepare_cached("DELETE FROM use_facts WHERE day = ?1 AND redemption = ?2")?;
        // The kept year sums still count the deleted uses: the fold takes them off (`stats_fold`).
        let mut purged = tx.prepare_cached("INSERT INTO stats_purged (card, day, redemption) VALUES (?1, ?2, ?3)")?;
        for (day, rowid, undone, device, card) in &rows {
            redemption.execute([rowid])?;
            fact.execute([day, rowid])?;
            if !undone {
                purged.execute([card, day, rowid])?;
            }
            if let (false, Some(d)) = (undone, device) {
                *devices.entry(*d).or_default() += 1;
            }
        }
        let mut uses = tx.prepare_cached("UPDATE device_uses SET uses = uses - ?2 WHERE device_id = ?1")?;
        for (device, n) in devices {
            uses.execute(params![device, n])?;
        }
    }
    // A new row takes the rowid after the largest left: were the last rows deleted, it could
    // fall at or below the projector's cursor and never be projected.
    tx.execute("UPDATE projection SET through = min(through, (SELECT coalesce(max(rowid), 0) FROM redemptions))", [])?;
    tx.commit()?;
    Ok(rows.len())
}

impl SqliteStore {
    /// Deletes the redemptions scanned before the day `cut`, chunk by chunk.
    async fn purge_uses(&self, cut: i64) -> StoreResult<u64> {
        let mut total = 0u64;
        loop {
            let n = self.write(move |c| purge_chunk(c, cut)).await?;
            total += n as u64;
            if n < CHUNK {
                return Ok(total);
            }
        }
    }

    /// Deletes in chunks with `sql` (`?1` the cut, `?2` the chunk size) until a chunk is short.
    async fn delete_chunks(&self, sql: &'static str, cut: rusqlite::types::Value) -> StoreResult<u64> {
        let mut total = 0u64;
        loop {
            let cut = cut.clone();
            let n = self.write(move |c| Ok(c.execute(sql, params![cut, CHUNK as i64])?)).await?;
            total += n as u64;
            if n < CHUNK {
                return Ok(total);
            }
        }
    }

    /// Archives the statistics of `year` for every scope and period (read beside the uses,
    /// never holding up a writer), then stores them in short transactions.
    async fn archive_year(&self, year: i32) -> StoreResult<u64> {
        let (backgrounds, scopes) = self.read(move |c| Ok((Backgrounds::read(c, year)?, archive::scopes(c)?))).await?;
        let backgrounds = std::sync::Arc::new(backgrounds);
        let mut stored = 0u64;
        for scope in scopes {
            let b = backgrounds.clone();
            let rows = self
                .read(move |c| {
                    let mut rows = Vec::new();
                    for range in archive::periods(year) {
                        rows.extend(archive::answers(c, &b, scope, range)?);
                    }
                    Ok(rows)
                })
                .await?;
            stored += rows.len() as u64;
            self.write(move |c| Ok(archive::store(c, &rows)?)).await?;
        }
        Ok(stored)
    }

    /// See [`crate::store::Store::purge`].
    pub(super) async fn purge_before(&self, keep_from: NaiveDate, dry_run: bool) -> StoreResult<PurgeReport> {
        let (purged, first_use) = self
            .read(|c| {
                let first: Option<i64> = c.query_row("SELECT min(day) FROM use_facts", [], |r| r.get(0))?;
                Ok((archive::purged_before(c)?, first))
            })
            .await?;
        // What is archived and purged: everything before the later of the two cuts.
        let cut = purged.map_or(keep_from, |p| p.max(keep_from));
        let first_year = first_use
            .and_then(|d| NaiveDate::from_num_days_from_ce_opt(i32::try_from(d + 719_163).ok()?))
            .map(|d| d.year());
        let from_year = match (first_year, purged) {
            (Some(y), Some(p)) => Some(y.max(p.year())),
            (y, _) => y,
        };
        let mut report = PurgeReport {
            keep_from: cut,
            archived_years: from_year.map(|y| (y..cut.year()).collect()).unwrap_or_default(),
            ..PurgeReport::default()
        };
        if dry_run {
            return self.count_purge(report).await;
        }
        for year in report.archived_years.clone() {
            report.archived_answers += self.archive_year(year).await?;
            let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(cut);
            self.write(move |c| Ok(archive::mark_purged_before(c, next)?)).await?;
        }
        self.write(move |c| Ok(archive::mark_purged_before(c, cut)?)).await?;
        report.redemptions = self.purge_uses(day_number(cut)).await?;
        report.use_facts = report.redemptions;
        // The console's counters of the purged days.
        self.delete_chunks(
            "DELETE FROM venue_day_uses WHERE (venue_id, day, offer_id, offer) IN \
             (SELECT venue_id, day, offer_id, offer FROM venue_day_uses WHERE day < ?1 LIMIT ?2)",
            day_number(cut).into(),
        )
        .await?;
        // The flag lookups' rows of the purged uses (`flag_check`), by the hour of their scan.
        let cut_hour = NaiveDate::and_hms_opt(&cut, 0, 0, 0).map_or(0, |t| t.and_utc().timestamp().div_euclid(3600));
        self.delete_chunks(
            "DELETE FROM scan_hours WHERE (hour, card, redemption) IN \
             (SELECT hour, card, redemption FROM scan_hours WHERE hour < ?1 LIMIT ?2)",
            cut_hour.into(),
        )
        .await?;
        report.rejected_items = self
            .delete_chunks(
                "DELETE FROM rejected_items WHERE id IN \
                 (SELECT id FROM rejected_items WHERE received_at < ?1 LIMIT ?2)",
                cut.to_string().into(),
            )
            .await?;
        // A pair of uses flagged for checking goes with its first use.
        report.flagged_uses = self
            .delete_chunks(
                "DELETE FROM flagged_uses WHERE id IN \
                 (SELECT id FROM flagged_uses WHERE first_at < ?1 LIMIT ?2)",
                cut.to_string().into(),
            )
            .await?;
        let left = self.read(move |c| Ok(leftovers(c, cut)?)).await?;
        let last = left.last_rowid;
        for chunk in left.card_numbers.chunks(CHUNK) {
            let chunk = chunk.to_vec();
            report.card_numbers += self
                .write(move |c| {
                    let tx = c.transaction()?;
                    let (_, used) = used_after(&tx, last)?;
                    let mut n = 0;
                    for number in chunk.iter().filter(|n| !used.contains(n)) {
                        n += tx.execute("DELETE FROM card_numbers WHERE n = ?1", [number])? as u64;
                    }
                    tx.commit()?;
                    Ok(n)
                })
                .await?;
        }
        for chunk in left.backgrounds.chunks(CHUNK) {
            let chunk = chunk.to_vec();
            report.backgrounds += self.write(move |c| clear_backgrounds(c, &chunk, cut, last)).await?;
        }
        Ok(report)
    }

    /// What a purge would delete, counted without changing anything.
    async fn count_purge(&self, mut report: PurgeReport) -> StoreResult<PurgeReport> {
        let cut = report.keep_from;
        let (redemptions, use_facts, rejected_items, flagged_uses) = self
            .read(move |c| {
                let text = [cut.to_string()];
                // One use_facts row a redemption (the store has caught the projector up).
                let uses = count(c, "SELECT count(*) FROM use_facts WHERE day < ?1", [day_number(cut)])?;
                Ok((
                    uses,
                    uses,
                    count(c, "SELECT count(*) FROM rejected_items WHERE received_at < ?1", text.clone())?,
                    count(c, "SELECT count(*) FROM flagged_uses WHERE first_at < ?1", text)?,
                ))
            })
            .await?;
        let left = self.read(move |c| Ok(leftovers(c, cut)?)).await?;
        report.redemptions = redemptions;
        report.use_facts = use_facts;
        report.rejected_items = rejected_items;
        report.flagged_uses = flagged_uses;
        report.card_numbers = left.card_numbers.len() as u64;
        report.backgrounds = left.backgrounds.len() as u64;
        Ok(report)
    }
}

/// Clears the background data of the cards of `ids` still closed before `keep_from` and not
/// used since the snapshot `last_rowid`. The cards stay, unchanged for the scanners' register
/// copy (their change number is kept).
fn clear_backgrounds(conn: &mut Connection, ids: &[String], keep_from: NaiveDate, last_rowid: i64) -> StoreResult<u64> {
    let tx = conn.transaction()?;
    let (used, _) = used_after(&tx, last_rowid)?;
    let day_before = keep_from.pred_opt().unwrap_or(keep_from);
    let mut cleared = 0u64;
    {
        let mut clear = tx.prepare_cached(&format!(
            "UPDATE cards SET birth_year = NULL, gender = NULL, mother_tongue = NULL, postal_code = NULL, \
             minor_children = NULL, minor_grandchildren = NULL WHERE id = ?3 AND {CLOSED}"
        ))?;
        let mut situations = tx.prepare_cached("DELETE FROM card_life_situations WHERE card_id = ?1")?;
        for id in ids.iter().filter(|id| !used.contains(*id)) {
            if clear.execute(params![keep_from, day_before, id])? == 1 {
                situations.execute([id])?;
                cleared += 1;
            }
        }
    }
    tx.commit()?;
    Ok(cleared)
}
