//! The kept sums behind a calendar year's statistics (migration 13): each card's counted uses
//! of a year in one row of `stats_card_years` (every use's row number and packed facts, so a
//! use taken back or a card moved is taken off exactly as it was added), and their sums per
//! year, region and distributor in `stats_sums` (cards by uses, uses per venue and month) and
//! `stats_cells` (the cross-tab's cells). `stats_fold` keeps them; `stats_year` reads them.

use std::collections::HashMap;

use chrono::{DateTime, Datelike};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};

use super::stats_facts::unpack;
use crate::stats::age_band;

/// Between the values of a cross-tab cell's key: age band, gender, mother tongue, postal code
/// and the life situations (comma-separated, '' for none).
pub const SEPARATOR: char = '\u{1f}';

/// A value as the cross-tab shows it: '' for one not given.
pub fn text(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Integer(n) => n.to_string(),
        _ => String::new(),
    }
}

/// One counted use: its redemption's rowid and its packed facts (`stats_facts::packed`) with
/// the month of its year (0-11) in bits 56-59.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Use {
    pub redemption: i64,
    pub facts: i64,
}

const MONTH_SHIFT: u32 = 56;

/// The year of a `use_facts` day and the use with its month.
pub fn dated(day: i64, redemption: i64, facts: i64) -> (i32, Use) {
    let date = DateTime::from_timestamp(day * 86_400, 0).map(|t| t.date_naive()).unwrap_or_default();
    (date.year(), Use { redemption, facts: facts | (i64::from(date.month0()) << MONTH_SHIFT) })
}

pub fn encode(uses: &[Use]) -> Vec<u8> {
    uses.iter().flat_map(|u| u.redemption.to_le_bytes().into_iter().chain(u.facts.to_le_bytes())).collect()
}

pub fn decode(bytes: &[u8]) -> Vec<Use> {
    bytes
        .chunks_exact(16)
        .map(|c| {
            let (r, f) = c.split_at(8);
            Use {
                redemption: i64::from_le_bytes(r.try_into().unwrap_or_default()),
                facts: i64::from_le_bytes(f.try_into().unwrap_or_default()),
            }
        })
        .collect()
}

/// A registered card as the sums count it.
#[derive(Debug, Clone)]
pub struct Register {
    pub region: i64,
    pub distributor: i64,
    pub birth_year: Option<i32>,
    /// Gender, mother tongue, postal code and life situations, joined by [`SEPARATOR`].
    pub rest: String,
}

/// Where a card's year is added: its region and distributor, and its cross-tab cell (none
/// without a birth year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub region: i64,
    pub distributor: i64,
    pub cell: Option<String>,
}

impl Register {
    pub fn keys(&self, year: i32) -> Keys {
        let cell = self.birth_year.map(|b| format!("{}{SEPARATOR}{}", age_band(b, year), self.rest));
        Keys { region: self.region, distributor: self.distributor, cell }
    }
}

/// The register's columns the sums read, of `cards c` with its life situations.
pub const REGISTER_COLUMNS: &str = "c.region_id, c.distributor_id, c.birth_year, c.gender, c.mother_tongue, \
     c.postal_code, (SELECT group_concat(situation, ',') FROM (SELECT situation FROM card_life_situations \
     WHERE card_id = c.id ORDER BY situation))";

/// A row of [`REGISTER_COLUMNS`] from column `at` on.
pub fn register_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Register> {
    let rest = (at + 3..at + 7).map(|i| r.get_ref(i).map(text)).collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Register {
        region: r.get(at)?,
        distributor: r.get(at + 1)?,
        birth_year: r.get(at + 2)?,
        rest: rest.join(&SEPARATOR.to_string()),
    })
}

/// The registered card numbered `card`; `None` for a card not in the register.
pub fn register(conn: &Connection, card: i64) -> rusqlite::Result<Option<Register>> {
    conn.prepare_cached(&format!(
        "SELECT {REGISTER_COLUMNS} FROM card_numbers n JOIN cards c ON c.id = n.id WHERE n.n = ?1"
    ))?
    .query_row([card], |r| register_row(r, 0))
    .optional()
}

/// A summed row's key within its year, region and distributor.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sum {
    /// Cards used so many times (6: six or more): cards, uses, adults, children, course
    /// places, community uses, community adults, community children.
    Band(u8),
    /// A venue's uses.
    Venue(u32),
    /// A month's (0-11) uses, adults, children.
    Month(u8),
    /// A cross-tab cell's cards and uses.
    Cell(String),
}

/// Changes to the sums: year, region, distributor and key to the amounts to add.
pub type Delta = HashMap<(i32, i64, i64, Sum), [i64; 8]>;

fn add(delta: &mut Delta, key: (i32, i64, i64, Sum), amounts: &[i64], sign: i64) {
    let row = delta.entry(key).or_default();
    for (total, n) in row.iter_mut().zip(amounts) {
        *total += sign * n;
    }
}

/// Adds (`sign` 1) or takes off (-1) one card's counted uses of `year` under `keys`.
pub fn contribute(delta: &mut Delta, year: i32, keys: Option<&Keys>, uses: &[Use], sign: i64) {
    let Some(k) = keys else { return };
    if uses.is_empty() {
        return;
    }
    let mut band = [1, 0, 0, 0, 0, 0, 0, 0];
    for u in uses {
        let f = unpack(u.facts & ((1 << MONTH_SHIFT) - 1));
        let (adults, children) = (f.adults as i64, f.children as i64);
        let (community, course) = (i64::from(f.community), i64::from(f.course));
        let each = [1, adults, children, course, community, community * adults, community * children];
        for (total, n) in band[1..].iter_mut().zip(each) {
            *total += n;
        }
        add(delta, (year, k.region, k.distributor, Sum::Venue(f.venue)), &[1], sign);
        let month = ((u.facts >> MONTH_SHIFT) & 0xf) as u8;
        add(delta, (year, k.region, k.distributor, Sum::Month(month)), &[1, adults, children], sign);
    }
    let n = uses.len().min(6) as u8;
    add(delta, (year, k.region, k.distributor, Sum::Band(n)), &band, sign);
    if let Some(cell) = &k.cell {
        add(delta, (year, k.region, k.distributor, Sum::Cell(cell.clone())), &[1, uses.len() as i64], sign);
    }
}

/// Adds `delta` to the summed tables. A row that comes to nothing stays (readers skip it): a
/// card that moves often moves back.
pub fn write(tx: &Connection, delta: Delta) -> rusqlite::Result<()> {
    let mut rows: Vec<_> = delta.into_iter().filter(|(_, v)| v.iter().any(|n| *n != 0)).collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut sums = tx.prepare_cached(
        "INSERT INTO stats_sums (year, region, distributor, key, a, b, c, d, e, f, g, h) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
         ON CONFLICT (year, region, distributor, key) DO UPDATE SET a = a + excluded.a, b = b + excluded.b, \
         c = c + excluded.c, d = d + excluded.d, e = e + excluded.e, f = f + excluded.f, g = g + excluded.g, \
         h = h + excluded.h",
    )?;
    let mut cells = tx.prepare_cached(
        "INSERT INTO stats_cells (year, region, distributor, cell, cards, uses) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (year, region, distributor, cell) DO UPDATE SET cards = cards + excluded.cards, \
         uses = uses + excluded.uses",
    )?;
    for ((year, region, distributor, key), v) in rows {
        let key = match key {
            Sum::Band(n) => format!("b{n}"),
            Sum::Venue(v) => format!("v{v}"),
            Sum::Month(m) => format!("m{m:02}"),
            Sum::Cell(cell) => {
                cells.execute(params![year, region, distributor, cell, v[0], v[1]])?;
                continue;
            }
        };
        sums.execute(params![year, region, distributor, key, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]])?;
    }
    Ok(())
}
