//! One pass over a period's uses, counted in Rust rather than in SQL: a region's year is a
//! million rows, and one read of them (through the covering index `redemptions_for_stats`)
//! with every figure counted on the way is several times faster than one grouped query per
//! figure, each joining the cards.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{Datelike, NaiveDate};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};

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
}

pub type PerCard = HashMap<u64, u32, BuildHasherDefault<KeyHasher>>;

/// What one pass gathers.
#[derive(Debug, Default)]
pub struct Pass {
    pub all: UseCounts,
    pub community: UseCounts,
    pub course_places: u64,
    /// Uses per venue id.
    pub per_venue: HashMap<u32, u64>,
    /// Uses, adults and children per month, the first month of the period first.
    pub per_month: Vec<UseCounts>,
    /// Each card of the scope by its [`card_key`], with its uses in the period.
    pub per_card: PerCard,
}

/// A use's month (years * 12 + month - 1), venue, community flag, course flag, adults and
/// children packed in one number, from the low bits: children 8, adults 8, course 1,
/// community 1, venue 24, month the rest. The index `redemptions_for_stats` holds this very
/// expression (migration 5), so SQLite reads it from the index instead of working it out.
pub const PACKED: &str = "(((((CAST(substr(scanned_on, 1, 4) AS INTEGER) * 12 + CAST(substr(scanned_on, 6, 2) AS INTEGER) - 1) * 16777216 + venue_id) * 4 + community * 2 + (offer = 'course_place')) * 256 + adults) * 256 + children)";

/// Months from the period's first month to `year`-`month`.
fn month_index(first: NaiveDate, year: i32, month: u32) -> Option<usize> {
    let n = (year - first.year()) * 12 + i32::try_from(month).ok()? - i32::try_from(first.month()).ok()?;
    usize::try_from(n).ok()
}

/// Reads the period's uses in `scope` once and counts them.
pub fn scan(conn: &Connection, scope: Scope, range: DateRange) -> rusqlite::Result<Pass> {
    let mut pass = Pass::default();
    let months = month_index(range.from, range.to.year(), range.to.month()).map_or(1, |n| n + 1);
    pass.per_month = vec![UseCounts::default(); months];
    // The scope's cards first: a use counts only when its card is one of them.
    let (filter, params) = card_filter(scope);
    let mut cards = conn.prepare(&format!("SELECT c.id FROM cards c WHERE {filter}"))?;
    let mut rows = cards.query(params_from_iter(params))?;
    while let Some(row) = rows.next()? {
        if let ValueRef::Text(id) = row.get_ref(0)? {
            pass.per_card.insert(card_key(id), 0);
        }
    }
    let (venue, mut params) = match scope {
        // The venue as the packed number has it, so that the covering index answers this too.
        Scope::Venue(v) => (format!("AND ({PACKED} >> 18) & 16777215 = ?3"), vec![Value::Integer(v.0.into())]),
        _ => (String::new(), Vec::new()),
    };
    params.splice(0..0, [Value::Text(range.from.to_string()), Value::Text(range.to.to_string())]);
    let mut uses = conn.prepare_cached(&format!(
        "SELECT card_id, {PACKED} FROM redemptions WHERE scanned_on BETWEEN ?1 AND ?2 {venue}"
    ))?;
    let first_month = i64::from(range.from.year()) * 12 + i64::from(range.from.month0());
    let mut rows = uses.query(params_from_iter(params))?;
    while let Some(row) = rows.next()? {
        let ValueRef::Text(card) = row.get_ref(0)? else { continue };
        let Some(count) = pass.per_card.get_mut(&card_key(card)) else { continue };
        *count += 1;
        let packed = match row.get_ref(1)? {
            ValueRef::Integer(n) => n,
            _ => continue,
        };
        let (adults, children) = (((packed >> 8) & 0xff) as u64, (packed & 0xff) as u64);
        let add = |c: &mut UseCounts| {
            c.uses += 1;
            c.adults += adults;
            c.children += children;
        };
        add(&mut pass.all);
        if packed & (2 << 16) != 0 {
            add(&mut pass.community);
        }
        if packed & (1 << 16) != 0 {
            pass.course_places += 1;
        }
        let month = usize::try_from((packed >> 42) - first_month).ok();
        if let Some(m) = month.and_then(|i| pass.per_month.get_mut(i)) {
            add(m);
        }
        let venue = u32::try_from((packed >> 18) & 0xff_ffff).unwrap_or(0);
        *pass.per_venue.entry(venue).or_default() += 1;
    }
    Ok(pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_counted_from_the_periods_first_month_and_the_index_holds_the_packed_figures() {
        let from = NaiveDate::from_ymd_opt(2025, 11, 15).expect("a date");
        assert_eq!(month_index(from, 2025, 11), Some(0));
        assert_eq!(month_index(from, 2026, 2), Some(3));
        assert_eq!(month_index(from, 2025, 10), None);
        assert!(super::super::migrations::statistics_index().contains(PACKED), "the index holds the expression");
    }
}
