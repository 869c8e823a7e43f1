//! The cards uploads have looked up, kept between batches while the register does not change.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use kaiku_core::card::{CardStatus, RevocationReason};
use kaiku_core::ids::{DistributorId, RegionId};
use kaiku_core::{Card, CardId, CardKind};
use rusqlite::{CachedStatement, Connection, OptionalExtension, Row};

use super::convert::parse;

/// The statement [`CardCache::get`] reads a card with: the card and its number.
pub const LOOKUP: &str = "SELECT c.kind, c.region_id, c.distributor_id, c.issued_on, c.valid_until, c.status, \
                          c.revoked_reason, c.revoked_on, c.minors, n.n FROM cards c \
                          LEFT JOIN card_numbers n ON n.id = c.id WHERE c.id = ?1";

/// The cards uploads have looked up, kept while no card changes: every change to a card gives
/// it the register's next change number, so the largest one, read at the start of each batch
/// (one seek), says whether they are still the register's. Saves a seek into `cards` an item.
#[derive(Debug, Default)]
pub struct CardCache {
    change: i64,
    cards: HashMap<CardId, Option<Arc<Known>>>,
}

/// A registered card as uploads judge it, with its ID's text and its number (`card_numbers`),
/// which the redemption keeps for the projector.
#[derive(Debug)]
pub struct Known {
    pub card: Card,
    pub text: String,
    pub number: Option<i64>,
}

/// Cards kept at most; then the cache starts again (a big register's busy cards come back first).
const CACHED_CARDS: usize = 200_000;

impl CardCache {
    /// Forgets the cards if the register has changed; in the transaction that uses them.
    pub fn check(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let change: i64 =
            conn.prepare_cached("SELECT coalesce(max(change_seq), 0) FROM cards")?.query_row([], |r| r.get(0))?;
        if change != self.change || self.cards.len() > CACHED_CARDS {
            self.cards.clear();
            self.change = change;
        }
        Ok(())
    }

    /// The card `id` as the register has it (`None`: not registered), from the cache or read
    /// with `lookup` (a statement of [`LOOKUP`]).
    pub fn get(&mut self, lookup: &mut CachedStatement<'_>, id: CardId) -> rusqlite::Result<Option<Arc<Known>>> {
        if let Some(known) = self.cards.get(&id) {
            return Ok(known.clone());
        }
        let known = lookup.query_row([id.to_string()], |row| known_row(id, row)).optional()?.map(Arc::new);
        self.cards.insert(id, known.clone());
        Ok(known)
    }
}

/// The card as `cards::card` reads it (without the holder's background and the id, which the
/// item gives), with the usual texts matched directly; anything else goes through the general
/// conversions. With its ID's text and its number.
fn known_row(id: CardId, r: &Row<'_>) -> rusqlite::Result<Known> {
    let kind = match r.get_ref(0)?.as_str()? {
        "personal" => CardKind::Personal,
        "community" => CardKind::Community,
        other => parse(other, 0)?,
    };
    let status = match r.get_ref(5)?.as_str()? {
        "revoked" => {
            CardStatus::Revoked { reason: parse::<RevocationReason>(r.get_ref(6)?.as_str()?, 6)?, on: r.get(7)? }
        }
        _ => CardStatus::Active,
    };
    let card = Card {
        id,
        kind,
        region: RegionId(r.get(1)?),
        distributor: DistributorId(r.get(2)?),
        issued_on: date_column(r, 3)?,
        valid_until: date_column(r, 4)?,
        status,
        minors_on_record: r.get(8)?,
    };
    Ok(Known { card, text: id.to_string(), number: r.get(9)? })
}

/// A `YYYY-MM-DD` column read directly; other texts go through rusqlite's conversion.
pub fn date_column(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let fast = r.get_ref(i)?.as_str().ok().and_then(|s| {
        let b = s.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            b.get(range)?.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        NaiveDate::from_ymd_opt(i32::try_from(digits(0..4)?).ok()?, digits(5..7)?, digits(8..10)?)
    });
    match fast {
        Some(d) => Ok(d),
        None => r.get(i),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rusqlite::Connection;

    use super::date_column;

    #[test]
    fn dates_read_fast_are_the_dates_rusqlite_reads() {
        let conn = Connection::open_in_memory().expect("opens");
        // The last one is not in the fast form: it is read by rusqlite's conversion.
        for text in ["2026-11-21", "2024-02-29", "0001-01-01", "9999-12-31", "2026-1-01"] {
            let (fast, general) = conn
                .query_row("SELECT ?1", [text], |r| Ok((date_column(r, 0)?, r.get::<_, NaiveDate>(0)?)))
                .expect("reads");
            assert_eq!(fast, general, "{text}");
        }
        for bad in ["2026-02-29", "2026-13-01", "20261121", "2026-11-2x"] {
            assert!(conn.query_row("SELECT ?1", [bad], |r| date_column(r, 0)).is_err(), "{bad}");
        }
    }
}
