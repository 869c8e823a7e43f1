//! One pass over a period's uses, counted in Rust rather than in SQL: a region's year is a
//! million uses, read as compact integer rows of `use_facts` (migration 6, written by the
//! projector) with every figure counted on the way; a use taken back and its correction are
//! `undone` and count nowhere. Each card has a small number, so a card's uses are
//! counted in a plain array by that number, without hashing its ID.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::Datelike;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};

use super::stats_facts::{day_number, unpack};
use crate::stats::{Scope, UseCounts};
use crate::store::DateRange;

/// The cards of a scope as an SQL condition on `cards c`, with its parameter. A venue's uses
/// may be of any card.
pub fn card_filter(scope: Scope) -> (&'static str, Vec<Value>) {
    match scope {
        Scope::Region(r) => ("c.region_id = ?1", vec![Value::Integer(r.0.into())]),
        Scope::Distributor(d) => ("c.distributor_id = ?1", vec![Value::Integer(d.0.into())]),
        Scope::All | Scope::Venue(_) => ("1 = 1", Vec::new()),
    }
}

/// A card ID as one number: IDs are at most 11 letters and digits (`CardId`), and 37^12 fits
/// in a u64, so each ID has its own number and comparing two is comparing two integers.
pub fn card_key(id: &[u8]) -> u64 {
    id.iter().take(12).fold(0u64, |key, b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0' + 1,
            b'A'..=b'Z' => b - b'A' + 11,
            _ => 0,
        };
        key * 37 + u64::from(digit)
    })
}

/// A quick hash of a [`card_key`]: the keys are not chosen by anyone who could aim at collisions
/// (they are the register's own cards), and SipHash was a fifth of the pass.
#[derive(Debug, Default)]
pub struct KeyHasher(u64);

/// MurmurHash3's finaliser: every input bit moves every output bit, so that IDs differing in
/// their last digits only still land in different buckets.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = mix(self.0 ^ u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = mix(self.0 ^ n);
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = mix(self.0 ^ u64::from(n));
    }
}

pub type PerCard = HashMap<u64, u32, BuildHasherDefault<KeyHasher>>;

/// A card outside the scope in [`Pass::per_card`].
const OUT_OF_SCOPE: u32 = u32::MAX;

/// What one pass gathers.
#[derive(Debug, Default)]
pub struct Pass {
    pub all: UseCounts,
    pub community: UseCounts,
    pub course_places: u64,
    /// Uses per venue id.
    pub per_venue: HashMap<u32, u64, BuildHasherDefault<KeyHasher>>,
    /// Uses, adults and children per month, the first month of the period first.
    pub per_month: Vec<UseCounts>,
    /// Each used card's uses in the period by its number in `card_numbers`; [`OUT_OF_SCOPE`]
    /// for a card outside the scope (or not in the register).
    per_card: Vec<u32>,
    /// Each used card's [`card_key`] by its number.
    keys: Vec<u64>,
}

impl Pass {
    /// The uses in the period of each card of the scope used at some time (0 for those unused
    /// in the period).
    pub fn uses_per_card(&self) -> impl Iterator<Item = u32> + '_ {
        self.per_card.iter().copied().filter(|n| *n != OUT_OF_SCOPE)
    }

    /// The cards of the scope used in the period by [`card_key`], with their uses (for the
    /// cross-tab, which reads the cards by ID).
    pub fn used_cards(&self) -> PerCard {
        self.per_card
            .iter()
            .zip(&self.keys)
            .filter(|(uses, _)| **uses != 0 && **uses != OUT_OF_SCOPE)
            .map(|(uses, key)| (*key, *uses))
            .collect()
    }
}

/// Every card ever used, by number: 0 for a card of the scope, [`OUT_OF_SCOPE`] for the rest;
/// and each one's [`card_key`]. The scope is the cards' own region and distributor today.
fn scope_cards(conn: &Connection, scope: Scope) -> rusqlite::Result<(Vec<u32>, Vec<u64>)> {
    let (filter, params) = card_filter(scope);
    let mut in_scope: HashSet<u64, BuildHasherDefault<KeyHasher>> = HashSet::default();
    let mut stmt = conn.prepare_cached(&format!("SELECT c.id FROM cards c WHERE {filter}"))?;
    let mut rows = stmt.query(params_from_iter(params))?;
    while let Some(row) = rows.next()? {
        if let ValueRef::Text(id) = row.get_ref(0)? {
            in_scope.insert(card_key(id));
        }
    }
    let (mut per_card, mut keys) = (Vec::new(), Vec::new());
    let mut stmt = conn.prepare_cached("SELECT n, id FROM card_numbers")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (ValueRef::Integer(n), ValueRef::Text(id)) = (row.get_ref(0)?, row.get_ref(1)?) else { continue };
        let Ok(n) = usize::try_from(n) else { continue };
        if n >= per_card.len() {
            per_card.resize(n + 1, OUT_OF_SCOPE);
            keys.resize(n + 1, 0);
        }
        keys[n] = card_key(id);
        if in_scope.contains(&keys[n]) {
            per_card[n] = 0;
        }
    }
    Ok((per_card, keys))
}

/// Reads the period's uses in `scope` once and counts them.
pub fn scan(conn: &Connection, scope: Scope, range: DateRange) -> rusqlite::Result<Pass> {
    let (per_card, keys) = scope_cards(conn, scope)?;
    let mut pass = Pass { per_card, keys, ..Pass::default() };
    let (first, last) = (day_number(range.from), day_number(range.to));
    // Each day's month, counted from the period's first month.
    let month_of_day: Vec<usize> = range
        .from
        .iter_days()
        .take_while(|d| *d <= range.to)
        .map(|d| {
            let months = (d.year() - range.from.year()) * 12 + d.month0() as i32 - range.from.month0() as i32;
            usize::try_from(months).unwrap_or(0)
        })
        .collect();
    pass.per_month = vec![UseCounts::default(); month_of_day.last().map_or(1, |m| m + 1)];
    let (venue, mut params) = match scope {
        Scope::Venue(v) => ("AND facts >> 18 = ?3", vec![Value::Integer(v.0.into())]),
        _ => ("", Vec::new()),
    };
    params.splice(0..0, [Value::Integer(first), Value::Integer(last)]);
    let mut uses = conn.prepare_cached(&format!(
        "SELECT day, card, facts FROM use_facts WHERE day BETWEEN ?1 AND ?2 AND NOT undone {venue}"
    ))?;
    let mut rows = uses.query(params_from_iter(params))?;
    while let Some(row) = rows.next()? {
        let (ValueRef::Integer(day), ValueRef::Integer(card), ValueRef::Integer(facts)) =
            (row.get_ref(0)?, row.get_ref(1)?, row.get_ref(2)?)
        else {
            continue;
        };
        let Some(count) = usize::try_from(card).ok().and_then(|c| pass.per_card.get_mut(c)) else { continue };
        if *count == OUT_OF_SCOPE {
            continue;
        }
        *count += 1;
        let u = unpack(facts);
        let add = |c: &mut UseCounts| {
            c.uses += 1;
            c.adults += u.adults;
            c.children += u.children;
        };
        add(&mut pass.all);
        if u.community {
            add(&mut pass.community);
        }
        if u.course {
            pass.course_places += 1;
        }
        let month = usize::try_from(day - first).ok().and_then(|i| month_of_day.get(i));
        if let Some(m) = month.and_then(|m| pass.per_month.get_mut(*m)) {
            add(m);
        }
        *pass.per_venue.entry(u.venue).or_default() += 1;
    }
    Ok(pass)
}
