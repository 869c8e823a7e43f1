//! Keeps the sums of `stats_sums` up with use_facts: a step folds in the redemptions the
//! projector has done since `stats_fold.through` (a use counted is added to its card's year, a
//! correction takes its use off) and moves the years of the cards whose register entry
//! changed, and takes off the uses the daily purge deleted (`stats_purged`). Each card's year
//! holds its uses, so that every change is made exactly: a use is added once and taken off only
//! if it was added. While the sums are not built (new, or far behind) a step builds them from
//! use_facts (`stats_build`).
//!
//! Like the projector's, a step is worked out on a reader ([`plan`]) and written in one short
//! transaction ([`apply`]) only if no other step was written meanwhile. It runs after the
//! projector in the background and, for what is left, before a year's statistics are read.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::pool::Pool;
use super::stats_sums::{Delta, Keys, Register, Use, contribute, dated, decode, encode, register, write};
use crate::stats::Scope;
use crate::store::{DateRange, StoreResult};

/// Redemptions folded in one step: its writes take the writer a few milliseconds.
pub const CHUNK: i64 = 8_000;

/// Further behind than this, the sums are built afresh: one pass over use_facts is quicker
/// than looking each redemption's row up.
const REBUILD_GAP: i64 = 1_000_000;

/// `stats_fold` as a snapshot reads it, and the projector's cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub through: i64,
    pub built: bool,
    pub version: i64,
    pub projected: i64,
    pub dirty: bool,
    /// Purged uses waiting to be taken off (about: the span of their rowids).
    pub purged: i64,
}

impl State {
    pub fn read(conn: &Connection) -> rusqlite::Result<Self> {
        conn.query_row(
            "SELECT f.through, f.built, f.version, p.through, EXISTS (SELECT 1 FROM stats_dirty_cards), \
             (SELECT coalesce(max(rowid) - min(rowid) + 1, 0) FROM stats_purged) \
             FROM stats_fold f, projection p WHERE f.id = 1 AND p.id = 1",
            [],
            |r| {
                Ok(Self {
                    through: r.get(0)?,
                    built: r.get(1)?,
                    version: r.get(2)?,
                    projected: r.get(3)?,
                    dirty: r.get(4)?,
                    purged: r.get(5)?,
                })
            },
        )
    }

    /// Whether the sums count every use the projector has done, with the register as it is.
    pub fn current(&self) -> bool {
        self.built && self.through == self.projected && !self.dirty && self.purged == 0
    }

    /// Whether the next step builds the sums afresh.
    pub fn rebuild(&self) -> bool {
        !self.built || self.projected - self.through > REBUILD_GAP || self.purged > REBUILD_GAP
    }
}

/// One card's year as kept, and as it becomes.
#[derive(Debug)]
struct CardYear {
    old: Option<(Option<Keys>, Vec<Use>)>,
    uses: Vec<Use>,
}

/// Everything one step writes.
#[derive(Debug)]
pub struct Plan {
    pub version: i64,
    pub through: i64,
    /// The last `stats_dirty_cards` row done.
    pub dirty_through: i64,
    /// The last `stats_purged` row done.
    pub purged_through: i64,
    /// card, year, keys, uses (none: the row goes).
    pub rows: Vec<(i64, i32, Option<Keys>, Vec<Use>)>,
    pub delta: Delta,
    /// Every card year is written afresh (`stats_build`).
    pub rebuilt: bool,
}

/// The card years a step changes, loaded as they are kept, and the register as the snapshot has it.
struct Work<'c> {
    conn: &'c Connection,
    years: HashMap<(i64, i32), CardYear>,
    registers: HashMap<i64, Option<Register>>,
}

impl Work<'_> {
    fn year(&mut self, card: i64, year: i32) -> rusqlite::Result<&mut CardYear> {
        if !self.years.contains_key(&(card, year)) {
            let kept = self
                .conn
                .prepare_cached(
                    "SELECT region, distributor, cell, uses FROM stats_card_years WHERE card = ?1 AND year = ?2",
                )?
                .query_row(params![card, year], kept_row)
                .optional()?;
            let uses = kept.as_ref().map(|k| k.1.clone()).unwrap_or_default();
            self.years.insert((card, year), CardYear { old: kept, uses });
        }
        Ok(self.years.get_mut(&(card, year)).expect("inserted above"))
    }

    fn keys(&mut self, card: i64, year: i32) -> rusqlite::Result<Option<Keys>> {
        if !self.registers.contains_key(&card) {
            let r = register(self.conn, card)?;
            self.registers.insert(card, r);
        }
        Ok(self.registers[&card].as_ref().map(|r| r.keys(year)))
    }
}

/// A redemption the step folds in: its use_facts day, row, card, facts and whether undone, and
/// the redemption it takes back.
type Changed = (i64, i64, i64, i64, bool, Option<Vec<u8>>);

/// A kept card year's keys (none for a card not registered when it was added) and uses.
fn kept_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Option<Keys>, Vec<Use>)> {
    let region: Option<i64> = r.get(0)?;
    let keys = match (region, r.get::<_, Option<i64>>(1)?) {
        (Some(region), Some(distributor)) => Some(Keys { region, distributor, cell: r.get(2)? }),
        _ => None,
    };
    Ok((keys, decode(r.get_ref(3)?.as_blob()?)))
}

/// Works out the next step from a snapshot of `conn`, folding at most `limit` redemptions;
/// `None` when the sums are current.
pub fn plan(conn: &Connection, limit: i64) -> StoreResult<Option<Plan>> {
    let tx = conn.unchecked_transaction()?;
    let state = State::read(&tx)?;
    if state.current() {
        return Ok(None);
    }
    if state.rebuild() {
        let plan = super::stats_build::plan(&tx, &state)?;
        tx.commit()?;
        return Ok(Some(plan));
    }
    let through = state.projected.min(state.through + limit.max(1));
    let mut work = Work { conn: &tx, years: HashMap::new(), registers: HashMap::new() };
    // Each redemption's use_facts row is at the day of its scan (as the projector works it out).
    let changed: Vec<Changed> = tx
        .prepare_cached(
            "SELECT f.day, f.redemption, f.card, f.facts, f.undone, r.undoes FROM redemptions r \
             JOIN use_facts f ON f.day = unixepoch(r.scanned_at) / 86400 AND f.redemption = r.rowid \
             WHERE r.rowid > ?1 AND r.rowid <= ?2",
        )?
        .query_map(params![state.through, through], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })?
        .collect::<Result<_, _>>()?;
    for (day, redemption, card, facts, undone, undoes) in changed {
        if !undone {
            let (year, u) = dated(day, redemption, facts);
            let y = work.year(card, year)?;
            if !y.uses.iter().any(|k| k.redemption == redemption) {
                y.uses.push(u);
            }
        }
        let Some(target) = undoes else { continue };
        let taken: Option<(i64, i64, i64)> = tx
            .prepare_cached(
                "SELECT f.day, f.redemption, f.card FROM redemptions x \
                 JOIN use_facts f ON f.day = unixepoch(x.scanned_at) / 86400 AND f.redemption = x.rowid WHERE x.id = ?1",
            )?
            .query_row([target], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if let Some((day, redemption, card)) = taken {
            let (year, _) = dated(day, redemption, 0);
            work.year(card, year)?.uses.retain(|u| u.redemption != redemption);
        }
    }
    // Purged uses come off their card's year (if it counted them: a use purged before it was
    // folded in never was).
    let purged: Vec<(i64, i64, i64, i64)> = tx
        .prepare_cached("SELECT rowid, card, day, redemption FROM stats_purged ORDER BY rowid LIMIT ?1")?
        .query_map([limit.max(1)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    let purged_through = purged.last().map_or(0, |p| p.0);
    for (_, card, day, redemption) in purged {
        let (year, _) = dated(day, redemption, 0);
        work.year(card, year)?.uses.retain(|u| u.redemption != redemption);
    }
    // The cards whose register entry changed: every kept year of theirs is moved.
    let dirty: Vec<(i64, Option<i64>)> = tx
        .prepare_cached("SELECT d.rowid, n.n FROM stats_dirty_cards d LEFT JOIN card_numbers n ON n.id = d.id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let dirty_through = dirty.iter().map(|d| d.0).max().unwrap_or(0);
    for card in dirty.into_iter().filter_map(|d| d.1) {
        let years: Vec<i32> = tx
            .prepare_cached("SELECT year FROM stats_card_years WHERE card = ?1")?
            .query_map([card], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for year in years {
            work.year(card, year)?;
        }
    }
    let mut delta = Delta::new();
    let mut rows = Vec::with_capacity(work.years.len());
    let years: Vec<_> = work.years.drain().collect();
    for ((card, year), y) in years {
        let keys = work.keys(card, year)?;
        if let Some((old_keys, old_uses)) = &y.old {
            if *old_keys == keys && *old_uses == y.uses {
                continue;
            }
            contribute(&mut delta, year, old_keys.as_ref(), old_uses, -1);
        }
        contribute(&mut delta, year, keys.as_ref(), &y.uses, 1);
        rows.push((card, year, keys, y.uses));
    }
    tx.commit()?;
    Ok(Some(Plan { version: state.version, through, dirty_through, purged_through, rows, delta, rebuilt: false }))
}

/// Writes `plan` unless another step was written since its snapshot; whether there may be more.
pub fn apply(conn: &mut Connection, plan: Plan) -> StoreResult<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("SELECT version FROM stats_fold WHERE id = 1", [], |r| r.get(0))?;
    if version != plan.version {
        return Ok(true);
    }
    if plan.rebuilt {
        tx.execute_batch("DELETE FROM stats_card_years; DELETE FROM stats_sums; DELETE FROM stats_cells;")?;
    }
    {
        let mut put = tx.prepare_cached(
            "INSERT OR REPLACE INTO stats_card_years (card, year, region, distributor, cell, uses) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut gone = tx.prepare_cached("DELETE FROM stats_card_years WHERE card = ?1 AND year = ?2")?;
        for (card, year, keys, uses) in &plan.rows {
            if uses.is_empty() {
                gone.execute(params![card, year])?;
                continue;
            }
            let (region, distributor, cell) = match keys {
                Some(k) => (Some(k.region), Some(k.distributor), k.cell.as_deref()),
                None => (None, None, None),
            };
            put.execute(params![card, year, region, distributor, cell, encode(uses)])?;
        }
    }
    write(&tx, plan.delta)?;
    tx.execute("DELETE FROM stats_dirty_cards WHERE rowid <= ?1", [plan.dirty_through])?;
    tx.execute("DELETE FROM stats_purged WHERE rowid <= ?1", [plan.purged_through])?;
    tx.execute("UPDATE stats_fold SET through = ?1, built = 1, version = version + 1 WHERE id = 1", [plan.through])?;
    tx.commit()?;
    Ok(true)
}

/// Held while the sums are built afresh (one store a process, but for tests).
static BUILDING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// One step: worked out on a reader, written with the writer; whether there may be more.
pub fn step(pool: &Pool, limit: i64) -> StoreResult<bool> {
    let rebuild = pool.read(|c| Ok::<_, crate::store::StoreError>(State::read(c)?))?.rebuild();
    // A request that comes during a build waits for it, rather than building beside it.
    let _one_build = rebuild.then(|| BUILDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    let started = std::time::Instant::now();
    let Some(plan) = pool.read(|c| plan(c, limit))? else { return Ok(false) };
    if !plan.rebuilt {
        return pool.write(|c| apply(c, plan));
    }
    // Built afresh: rare, and long at national scale, so the operator sees what it took.
    let (planned, rows) = (started.elapsed(), plan.rows.len());
    let written = std::time::Instant::now();
    let more = pool.write(|c| apply(c, plan))?;
    tracing::info!(
        card_years = rows,
        read_ms = planned.as_millis() as u64,
        write_ms = written.elapsed().as_millis() as u64,
        "statistics sums built afresh"
    );
    Ok(more)
}

/// Folds while the projector has nothing to do (after it has caught up, in the background):
/// one chunk at a time, so that a new upload's projection waits for one chunk at most.
pub async fn in_background(pool: &std::sync::Arc<Pool>) {
    loop {
        let pool = pool.clone();
        let folded = tokio::task::spawn_blocking(move || -> StoreResult<bool> {
            if pool.read(|c| Ok::<_, crate::store::StoreError>(super::projector::behind(c)?))? {
                return Ok(false);
            }
            step(&pool, CHUNK)
        })
        .await;
        match folded {
            Ok(Ok(true)) => continue,
            Ok(Ok(false)) => return,
            // Nothing is lost: a request folds what is left, or the next upload's turn.
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "statistics fold: not done this time");
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, "statistics fold: the task failed");
                return;
            }
        }
    }
}

impl super::SqliteStore {
    /// Brings the sums up to date before a calendar year's statistics are read (the projector
    /// has caught up): what the background has not folded yet, in chunks.
    pub async fn fold_for(&self, scope: Scope, range: DateRange) -> StoreResult<()> {
        if matches!(scope, Scope::Venue(_)) || super::stats_year::calendar_year(range).is_none() {
            return Ok(());
        }
        loop {
            let pool = self.pool.clone();
            if !super::blocking(move || step(&pool, CHUNK)).await? {
                return Ok(());
            }
        }
    }
}
