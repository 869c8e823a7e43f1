//! Builds the sums of `stats_sums` afresh from use_facts and the register, in one pass over
//! each: when they are new, or far behind (`stats_fold`).

use std::collections::HashMap;

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::stats_fold::{Plan, State};
use super::stats_sums::{Delta, REGISTER_COLUMNS, Register, Use, contribute, dated, register_row};
use crate::store::StoreResult;

/// The plan that writes every card's years as use_facts has them in the snapshot of `tx`.
pub fn plan(tx: &Connection, state: &State) -> StoreResult<Plan> {
    let (dirty_through, purged_through): (i64, i64) = tx.query_row(
        "SELECT (SELECT coalesce(max(rowid), 0) FROM stats_dirty_cards), (SELECT coalesce(max(rowid), 0) FROM stats_purged)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut registers: HashMap<i64, Register> = HashMap::new();
    let mut stmt =
        tx.prepare(&format!("SELECT n.n, {REGISTER_COLUMNS} FROM cards c JOIN card_numbers n ON n.id = c.id"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        registers.insert(row.get(0)?, register_row(row, 1)?);
    }
    // Every counted use by card and year, sorted so that each card's year is one run.
    let mut uses: Vec<(i64, i32, Use)> = Vec::new();
    let mut stmt = tx.prepare("SELECT day, redemption, card, facts FROM use_facts WHERE NOT undone")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (ValueRef::Integer(day), ValueRef::Integer(redemption), ValueRef::Integer(card), ValueRef::Integer(facts)) =
            (row.get_ref(0)?, row.get_ref(1)?, row.get_ref(2)?, row.get_ref(3)?)
        else {
            continue;
        };
        let (year, u) = dated(day, redemption, facts);
        uses.push((card, year, u));
    }
    uses.sort_unstable_by_key(|(card, year, u)| (*card, *year, u.redemption));
    let mut delta = Delta::new();
    let mut out = Vec::new();
    for run in uses.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (card, year) = (run[0].0, run[0].1);
        let keys = registers.get(&card).map(|r| r.keys(year));
        let card_uses: Vec<Use> = run.iter().map(|u| u.2).collect();
        contribute(&mut delta, year, keys.as_ref(), &card_uses, 1);
        out.push((card, year, keys, card_uses));
    }
    Ok(Plan {
        version: state.version,
        through: state.projected,
        dirty_through,
        purged_through,
        rows: out,
        delta,
        rebuilt: true,
    })
}
