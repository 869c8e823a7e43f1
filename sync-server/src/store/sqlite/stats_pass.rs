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

/// Months from the period's first month to `year`-`month`.
fn month_index(first: NaiveDate, year: i32, month: u32) -> Option<usize> {
    let n = (year - first.year()) * 12 + i32::try_from(month).ok()? - i32::try_from(first.month()).ok()?;
    usize::try_from(n).ok()
}

/// `YYYY-MM` of a `YYYY-MM-DD` text, without parsing the whole date.
fn year_month(day: &[u8]) -> Option<(i32, u32)> {
    let digits = |s: &[u8]| s.iter().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')));
    Some((i32::try_from(digits(day.get(0..4)?)?).ok()?, digits(day.get(5..7)?)?))
}

fn int(v: ValueRef<'_>) -> u64 {
    match v {
        ValueRef::Integer(n) => u64::try_from(n).unwrap_or(0),
        _ => 0,
    }
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
        Scope::Venue(v) => ("AND r.venue_id = ?3", vec![Value::Integer(v.0.into())]),
        _ => ("", Vec::new()),
    };
    params.splice(0..0, [Value::Text(range.from.to_string()), Value::Text(range.to.to_string())]);
    // The small numbers of a use in one column: each column read is a call into SQLite.
    let mut uses = conn.prepare_cached(&format!(
        "SELECT r.card_id, r.scanned_on, ((r.venue_id * 4 + r.community * 2 + (r.offer = 'course_place')) * 256 \
         + r.adults) * 256 + r.children FROM redemptions r WHERE r.scanned_on BETWEEN ?1 AND ?2 {venue}"
    ))?;
    let mut rows = uses.query(params_from_iter(params))?;
    while let Some(row) = rows.next()? {
        let ValueRef::Text(card) = row.get_ref(0)? else { continue };
        let Some(count) = pass.per_card.get_mut(&card_key(card)) else { continue };
        *count += 1;
        let packed = int(row.get_ref(2)?);
        let (adults, children) = ((packed >> 8) & 0xff, packed & 0xff);
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
        if let ValueRef::Text(day) = row.get_ref(1)?
            && let Some((y, m)) = year_month(day)
            && let Some(month) = month_index(range.from, y, m).and_then(|i| pass.per_month.get_mut(i))
        {
            add(month);
        }
        let venue = u32::try_from(packed >> 18).unwrap_or(0);
        *pass.per_venue.entry(venue).or_default() += 1;
    }
    Ok(pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_placed_in_its_month_of_the_period() {
        let from = NaiveDate::from_ymd_opt(2025, 11, 15).expect("a date");
        assert_eq!(year_month(b"2026-02-03"), Some((2026, 2)));
        assert_eq!(month_index(from, 2025, 11), Some(0));
        assert_eq!(month_index(from, 2026, 2), Some(3));
        assert_eq!(month_index(from, 2025, 10), None);
        assert_eq!(year_month(b"20x6-02-03"), None);
    }
}
