//! Finding uses to check inside the upload transaction. Each stored use also gets one row of
//! `scan_hours`: integer keys (hour, card number, redemption), so an upload's rows land in the
//! few pages of its hours and a lookup is one seek per hour of the window, reading a
//! redemption's row only when another device's use is found.

use chrono::format::Item;
use chrono::{DateTime, TimeDelta, Utc};
use kaiku_core::Redemption;
use rusqlite::{CachedStatement, OptionalExtension, Transaction, params};

/// The most pairs one new redemption is flagged in: a card shared widely needs no more rows
/// to be seen.
const MAX_PAIRS: usize = 5;

/// One stored use of the card by another device: id, scan time (text), venue, device, offer
/// kind and offer.
type Use = (Vec<u8>, String, u32, u32, String, Option<u32>);

/// The statements an upload batch flags with, prepared once per batch.
pub struct Flagger<'c> {
    hour: CachedStatement<'c>,
    other: CachedStatement<'c>,
    keep: CachedStatement<'c>,
    insert: CachedStatement<'c>,
    window: TimeDelta,
}

impl<'c> Flagger<'c> {
    pub fn prepare(tx: &'c Transaction<'_>, window: TimeDelta) -> rusqlite::Result<Self> {
        Ok(Self {
            hour: tx.prepare_cached(
                "SELECT redemption, at FROM scan_hours WHERE hour = ?1 AND card = ?2 AND device <> ?3",
            )?,
            other: tx.prepare_cached(
                "SELECT id, scanned_at, venue_id, device_id, offer, offer_id FROM redemptions WHERE rowid = ?1",
            )?,
            keep: tx.prepare_cached(
                "INSERT INTO scan_hours (hour, card, redemption, device, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            insert: tx.prepare_cached(
                "INSERT OR IGNORE INTO flagged_uses (card_id, first_id, first_at, first_venue, first_device, \
                 first_offer, first_offer_id, second_id, second_at, second_venue, second_device, second_offer, \
                 second_offer_id, flagged_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?,
            window,
        })
    }

    /// Keeps `r` (just stored as row `rowid`, its card numbered `card`, its card's text
    /// `card_id`, its scan time's text `scanned_at`) for later lookups, and flags it with other
    /// devices' uses of the card within the window. `format` writes a time as stored.
    #[allow(clippy::too_many_arguments)]
    pub fn check(
        &mut self,
        r: &Redemption,
        rowid: i64,
        card: i64,
        card_id: &str,
        scanned_at: &str,
        received_at: &str,
        format: &[Item<'static>],
    ) -> rusqlite::Result<()> {
        let at = r.scanned_at.timestamp();
        self.keep.execute(params![at.div_euclid(3600), card, rowid, r.device.0, at])?;
        let first_hour = (r.scanned_at - self.window).timestamp().div_euclid(3600);
        let last_hour = (r.scanned_at + self.window).timestamp().div_euclid(3600);
        let mut found: Vec<i64> = Vec::new();
        for hour in first_hour..=last_hour {
            let mut rows = self.hour.query(params![hour, card, r.device.0])?;
            while let Some(row) = rows.next()? {
                let other_at: i64 = row.get(1)?;
                if (other_at - at).abs() <= self.window.num_seconds() && found.len() < MAX_PAIRS {
                    found.push(row.get(0)?);
                }
            }
        }
        if found.is_empty() {
            return Ok(());
        }
        let offer = super::sync::offer_text(r.offer).to_owned();
        let this: Use =
            (r.id.as_bytes().to_vec(), scanned_at.to_owned(), r.venue.0, r.device.0, offer, r.offer_id.map(|o| o.0));
        for other_row in found {
            let other = self
                .other
                .query_row([other_row], |row| {
                    let at: DateTime<Utc> = row.get(1)?;
                    let text = at.format_with_items(format.iter()).to_string();
                    Ok((row.get(0)?, text, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?))
                })
                .optional()?;
            let Some(other) = other else { continue };
            // Ordered by scan time, so `first` is the earlier scan.
            let (first, second) = if other.1 <= this.1 { (&other, &this) } else { (&this, &other) };
            self.insert.execute(params![
                card_id,
                first.0,
                first.1,
                first.2,
                first.3,
                first.4,
                first.5,
                second.0,
                second.1,
                second.2,
                second.3,
                second.4,
                second.5,
                received_at
            ])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    #[test]
    fn the_lookup_seeks_scan_hours_by_hour_and_card() {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::store::sqlite::migrations::apply(&mut conn).expect("migrates");
        let plan: Vec<String> = conn
            .prepare("EXPLAIN QUERY PLAN SELECT redemption, at FROM scan_hours WHERE hour = ?1 AND card = ?2 AND device <> ?3")
            .expect("prepares")
            .query_map(rusqlite::params![493_000, 7, 1], |r| r.get::<_, String>(3))
            .expect("plans")
            .collect::<Result<_, _>>()
            .expect("reads");
        assert!(plan.iter().any(|p| p.contains("SEARCH scan_hours") && p.contains("hour=? AND card=?")), "{plan:?}");
        assert!(!plan.iter().any(|p| p.contains("SCAN")), "{plan:?}");
    }
}
