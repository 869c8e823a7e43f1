//! Redemption uploads and the scanners' register copy.

use std::collections::HashMap;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::card::{CardStatus, RevocationReason};
use kaiku_core::ids::{DistributorId, OfferId, RegionId};
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::{RegisterEntry, RegisterStatus};
use kaiku_core::wire::{Cursor, ItemOutcome, Outcome, RegisterRecord};
use kaiku_core::{Card, CardId, CardKind, Redemption};
use rusqlite::{CachedStatement, Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::convert::{parse, parse_with};
use crate::store::{DeviceRecord, IncomingItem, StoreError, StoreResult};
use crate::upload::{Judgement, Undone, UploadRules, judge, judge_correction};

/// The cards uploads have looked up, kept while no card changes: every change to a card gives
/// it the register's next change number, so the largest one, read at the start of each batch
/// (one seek), says whether they are still the register's. Saves a seek into `cards` an item.
#[derive(Debug, Default)]
pub struct CardCache {
    change: i64,
    cards: HashMap<CardId, Option<Card>>,
}

/// Cards kept at most; then the cache starts again (a big register's busy cards come back first).
const CACHED_CARDS: usize = 200_000;

impl CardCache {
    fn check(&mut self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        let change: i64 =
            tx.prepare_cached("SELECT coalesce(max(change_seq), 0) FROM cards")?.query_row([], |r| r.get(0))?;
        if change != self.change || self.cards.len() > CACHED_CARDS {
            self.cards.clear();
            self.change = change;
        }
        Ok(())
    }
}

pub fn upload(
    conn: &mut Connection,
    cache: &mut CardCache,
    device: &DeviceRecord,
    items: Vec<IncomingItem>,
    received_at: DateTime<Utc>,
    rules: UploadRules,
) -> StoreResult<Vec<ItemOutcome>> {
    // IMMEDIATE: the write lock is taken (waiting out a CLI command's write) before anything
    // is read, so the transaction never has to upgrade a stale read snapshot (SQLITE_BUSY).
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // The projector flags with the window of the latest upload (a write only when it changed).
    tx.prepare_cached("UPDATE projection SET flag_window_minutes = ?1 WHERE flag_window_minutes <> ?1")?
        .execute([rules.flag_window.num_minutes()])?;
    cache.check(&tx)?;
    let mut outcomes = Vec::with_capacity(items.len());
    {
        let mut batch = Batch::prepare(&tx, device, received_at, cache)?;
        for (index, item) in items.into_iter().enumerate() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            let (id, outcome) = match item {
                IncomingItem::Unreadable { id, raw, reason } => {
                    keep_rejected(&tx, device, id, &raw, &reason, received_at)?;
                    (id, Outcome::Rejected { reason })
                }
                IncomingItem::Readable(r) => (Some(r.id), batch.store_one(&tx, device, &r, rules)?),
            };
            outcomes.push(ItemOutcome { index, id, outcome });
        }
    }
    tx.commit()?;
    Ok(outcomes)
}

/// What every item of a batch uses: the statements, prepared once per batch, and the time
/// formats, parsed once. Texts are exactly what rusqlite's chrono support would write. Only the
/// redemption is written: what is derived from it (statistics rows, uses to check, the
/// console's counters) is the projector's (`projector`), so an item costs a few B-tree
/// operations (the card, the row, its id).
///
/// A new item is judged and inserted with `ON CONFLICT (id) DO NOTHING`: an id stored before
/// inserts nothing and is a duplicate, without a lookup of its own. A batch sent again is all
/// duplicates, so after a duplicate the next id is looked up first, before its card is read.
/// Either way an item stored before is a duplicate and nothing else about it is decided.
struct Batch<'c> {
    cards: &'c mut CardCache,
    seen: CachedStatement<'c>,
    card: CachedStatement<'c>,
    insert: CachedStatement<'c>,
    /// A correction's target as stored, and the correction that took it back already.
    undone: CachedStatement<'c>,
    /// The device's venue's offers, closed ones too: an item may name only these.
    offers: Vec<OfferId>,
    received_at: DateTime<Utc>,
    received_text: String,
    date_time: Vec<Item<'static>>,
    date: Vec<Item<'static>>,
    after_duplicate: bool,
}

/// rusqlite's text for a `DateTime<Utc>` and a `NaiveDate`.
const DATE_TIME_FORMAT: &str = "%F %T%.f%:z";
const DATE_FORMAT: &str = "%F";

impl<'c> Batch<'c> {
    fn prepare(
        tx: &'c Transaction<'_>,
        device: &DeviceRecord,
        received_at: DateTime<Utc>,
        cards: &'c mut CardCache,
    ) -> StoreResult<Self> {
        let format = |f: &'static str| {
            StrftimeItems::new(f).parse().map_err(|e| StoreError::Backend(format!("time format {f}: {e}")))
        };
        let date_time = format(DATE_TIME_FORMAT)?;
        let offers = tx
            .prepare_cached("SELECT id FROM offers WHERE venue_id = ?1")?
            .query_map([device.venue.0], |r| Ok(OfferId(r.get(0)?)))?
            .collect::<Result<_, _>>()?;
        Ok(Self {
            cards,
            seen: tx.prepare_cached("SELECT 1 FROM redemptions WHERE id = ?1")?,
            card: tx.prepare_cached(
                "SELECT kind, region_id, distributor_id, issued_on, valid_until, status, revoked_reason, revoked_on, \
                 minors FROM cards WHERE id = ?1",
            )?,
            insert: tx.prepare_cached(
                "INSERT INTO redemptions (id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, \
                 group_cards, scanned_at, scanned_on, received_at, entry, verdict, community, late, flags, undoes) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) \
                 ON CONFLICT (id) DO NOTHING",
            )?,
            undone: tx.prepare_cached(
                "SELECT r.device_id, r.card_id, r.seq, r.undoes IS NOT NULL, r.community, \
                 (SELECT c.id FROM redemptions c WHERE c.undoes = r.id) FROM redemptions r WHERE r.id = ?1",
            )?,
            offers,
            received_at,
            received_text: received_at.format_with_items(date_time.iter()).to_string(),
            date_time,
            date: format(DATE_FORMAT)?,
            after_duplicate: false,
        })
    }

    fn store_one(
        &mut self,
        tx: &Transaction<'_>,
        device: &DeviceRecord,
        r: &Redemption,
        rules: UploadRules,
    ) -> StoreResult<Outcome> {
        let id = r.id.as_bytes().as_slice();
        let outcome = if self.after_duplicate && self.seen.exists([id])? {
            Outcome::Duplicate
        } else {
            self.judge_and_store(tx, device, r, rules)?
        };
        self.after_duplicate = matches!(outcome, Outcome::Duplicate);
        Ok(outcome)
    }

    fn judge_and_store(
        &mut self,
        tx: &Transaction<'_>,
        device: &DeviceRecord,
        r: &Redemption,
        rules: UploadRules,
    ) -> StoreResult<Outcome> {
        let id = r.id.as_bytes().as_slice();
        let (judgement, community) = match r.undoes {
            // A correction sent again would find its target taken back (by itself): it is
            // looked up first.
            Some(_) if self.seen.exists([id])? => return Ok(Outcome::Duplicate),
            Some(target) => {
                let undone = self.undone.query_row([target.as_bytes().as_slice()], undone_row).optional()?;
                let judgement = judge_correction(r, device, undone.as_ref().map(|u| &u.0), self.received_at, rules);
                (judgement, undone.is_some_and(|u| u.1))
            }
            None => {
                let card = match self.cards.cards.get(&r.card) {
                    Some(card) => card.clone(),
                    None => {
                        let card = self.card.query_row([r.card.to_string()], |row| card_row(r.card, row)).optional()?;
                        self.cards.cards.insert(r.card, card.clone());
                        card
                    }
                };
                let judgement = judge(r, device, card.as_ref(), &self.offers, self.received_at, rules);
                (judgement, card.is_some_and(|c| c.kind == CardKind::Community))
            }
        };
        match judgement {
            Judgement::Reject(_) if self.seen.exists([id])? => Ok(Outcome::Duplicate),
            Judgement::Reject(reason) => {
                let body = serde_json::to_string(r).unwrap_or_default();
                keep_rejected(tx, device, Some(r.id), &body, &reason, self.received_at)?;
                Ok(Outcome::Rejected { reason })
            }
            Judgement::Accept(flags) => {
                let inserted = self.insert(r, community, &flags)?;
                Ok(if inserted { Outcome::Accepted { flags } } else { Outcome::Duplicate })
            }
        }
    }

    /// Inserts `r` unless its id is stored; whether it was inserted.
    fn insert(&mut self, r: &Redemption, community: bool, flags: &[kaiku_core::wire::Flag]) -> StoreResult<bool> {
        let group = (!r.group.is_empty()).then(|| r.group.iter().map(CardId::to_string).collect::<Vec<_>>().join(","));
        let late = flags.iter().any(|f| matches!(f, kaiku_core::wire::Flag::LateUpload { .. }));
        let flag_text = (!flags.is_empty()).then(|| serde_json::to_string(&flags).unwrap_or_default());
        let inserted = self.insert.execute(params![
            r.id.as_bytes().as_slice(),
            r.device.0,
            i64::try_from(r.seq).unwrap_or(i64::MAX),
            r.card.to_string(),
            r.venue.0,
            offer_text(r.offer),
            r.offer_id.map(|o| o.0),
            r.adults,
            r.children,
            group,
            r.scanned_at.format_with_items(self.date_time.iter()).to_string(),
            r.scanned_at.date_naive().format_with_items(self.date.iter()).to_string(),
            self.received_text,
            entry_text(r.entry),
            r.verdict.as_str(),
            community,
            late,
            flag_text,
            r.undoes.as_ref().map(|u| u.as_bytes().as_slice()),
        ])?;
        Ok(inserted == 1)
    }
}

/// A correction's target as `Batch::undone` reads it, and its community flag (the correction
/// repeats its card, so it is the correction's too).
fn undone_row(row: &Row<'_>) -> rusqlite::Result<(Undone, bool)> {
    let taken_back_by = match row.get::<_, Option<Vec<u8>>>(5)? {
        Some(bytes) => Some(
            Uuid::from_slice(&bytes)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Blob, Box::new(e)))?,
        ),
        None => None,
    };
    let undone = Undone {
        device: kaiku_core::ids::DeviceId(row.get(0)?),
        card: parse_with(&row.get::<_, String>(1)?, 1, CardId::parse)?,
        seq: u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0),
        correction: row.get(3)?,
        taken_back_by,
    };
    Ok((undone, row.get(4)?))
}

/// The card as `cards::card` reads it (without the holder's background and the id, which the
/// item gives), with the usual texts matched directly; anything else goes through the general
/// conversions.
fn card_row(id: CardId, r: &Row<'_>) -> rusqlite::Result<Card> {
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
    Ok(Card {
        id,
        kind,
        region: RegionId(r.get(1)?),
        distributor: DistributorId(r.get(2)?),
        issued_on: date_column(r, 3)?,
        valid_until: date_column(r, 4)?,
        status,
        minors_on_record: r.get(8)?,
    })
}

/// A `YYYY-MM-DD` column read directly; other texts go through rusqlite's conversion.
fn date_column(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
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

/// The serde names of the stored enums (checked against `convert::text` in the tests).
pub(super) fn offer_text(o: OfferKind) -> &'static str {
    match o {
        OfferKind::Ticket => "ticket",
        OfferKind::CoursePlace => "course_place",
    }
}

fn entry_text(e: EntryMethod) -> &'static str {
    match e {
        EntryMethod::Qr => "qr",
        EntryMethod::Barcode => "barcode",
        EntryMethod::Typed => "typed",
    }
}

/// Keeps what a device sent that was not stored, so that nothing it sent is lost.
fn keep_rejected(
    tx: &Transaction<'_>,
    device: &DeviceRecord,
    id: Option<Uuid>,
    body: &str,
    reason: &str,
    received_at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO rejected_items (device_id, redemption_id, body, reason, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![device.id.0, id.map(|u| u.as_bytes().to_vec()), body, reason, received_at])?;
    Ok(())
}

pub fn register_page(
    conn: &Connection,
    after: Cursor,
    limit: usize,
) -> StoreResult<(Vec<RegisterRecord>, Cursor, bool)> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, valid_until, minors, status, revoked_reason, revoked_on, change_seq FROM cards \
         WHERE change_seq > ?1 ORDER BY change_seq LIMIT ?2",
    )?;
    let after_i = i64::try_from(after.0).unwrap_or(i64::MAX);
    let mut next = after;
    let mut records = Vec::with_capacity(limit.min(100_000));
    let mut rows = stmt.query(params![after_i, i64::try_from(limit).unwrap_or(i64::MAX) + 1])?;
    while let Some(r) = rows.next()? {
        if records.len() == limit {
            return Ok((records, next, true));
        }
        let status = match r.get::<_, String>(4)?.as_str() {
            "revoked" => RegisterStatus::Revoked {
                reason: parse::<RevocationReason>(&r.get::<_, String>(5)?, 5)?,
                on: r.get(6)?,
            },
            _ => RegisterStatus::Active,
        };
        records.push(RegisterRecord {
            card: parse_with(&r.get::<_, String>(0)?, 0, CardId::parse)?,
            entry: RegisterEntry {
                kind: parse(&r.get::<_, String>(1)?, 1)?,
                valid_until: r.get(2)?,
                minors_on_record: r.get(3)?,
                status,
            },
        });
        next = Cursor(u64::try_from(r.get::<_, i64>(7)?).unwrap_or(0));
    }
    Ok((records, next, false))
}

#[cfg(test)]
#[path = "sync_tests.rs"]
mod tests;
