//! The compact rows statistics read (migration 6): each used card's small number in
//! `card_numbers`, and one `use_facts` row per stored redemption, written by the projector
//! (`projector`) from the new redemptions. A registered card is numbered when it is made
//! (migration 10's trigger), so the projector mostly only reads the number. Not written by
//! triggers: a trigger makes SQLite keep a statement journal for every insert.

use chrono::{Datelike, NaiveDate};
use kaiku_core::redemption::OfferKind;
#[cfg(test)]
use rusqlite::Transaction;

/// A date as the `day` of `use_facts`: days since 1970-01-01, as SQLite's `unixepoch() / 86400`.
pub fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 719_163
}

/// A use's venue, community flag, course flag, adults and children in one number, from the low
/// bits: children 8, adults 8, course 1, community 1, the venue the rest. The backfill of
/// migration 6 (`migrations::USE_FACTS_AFTER`) works out the same number in SQL.
pub fn packed(venue: u32, community: bool, offer: OfferKind, adults: u8, children: u8) -> i64 {
    let course = offer == OfferKind::CoursePlace;
    (i64::from(venue) << 18)
        | (i64::from(community) << 17)
        | (i64::from(course) << 16)
        | (i64::from(adults) << 8)
        | i64::from(children)
}

/// Venue, community flag, course flag, adults and children of a packed number.
pub struct Unpacked {
    pub venue: u32,
    pub community: bool,
    pub course: bool,
    pub adults: u64,
    pub children: u64,
}

pub fn unpack(facts: i64) -> Unpacked {
    Unpacked {
        venue: u32::try_from(facts >> 18).unwrap_or(0),
        community: facts & (1 << 17) != 0,
        course: facts & (1 << 16) != 0,
        adults: ((facts >> 8) & 0xff) as u64,
        children: (facts & 0xff) as u64,
    }
}

/// Writes the facts of every redemption after row `after` with the statements of migration 6
/// (which the projector's rows are checked against).
#[cfg(test)]
pub fn backfill_after(tx: &Transaction<'_>, after: i64) -> rusqlite::Result<()> {
    tx.execute_batch(&super::migrations::USE_FACTS_AFTER.replace("?1", &after.to_string()))
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    #[test]
    fn a_day_number_is_the_day_sqlite_gives_the_date() {
        let conn = Connection::open_in_memory().expect("opens");
        for text in ["1970-01-01", "2024-02-29", "2026-11-30", "2027-01-01"] {
            let sqlite: i64 = conn.query_row("SELECT unixepoch(?1) / 86400", [text], |r| r.get(0)).expect("reads");
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date");
            assert_eq!(day_number(date), sqlite, "{text}");
        }
    }
}
