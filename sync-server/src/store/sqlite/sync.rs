//! Redemption uploads and the scanners' register copy.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kaiku_core::card::RevocationReason;
use kaiku_core::ids::OfferId;
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::{RegisterEntry, RegisterStatus};
use kaiku_core::wire::{Cursor, ItemOutcome, Outcome, RegisterRecord};
use kaiku_core::{CardId, CardKind, Redemption};
use rusqlite::{CachedStatement, Connection, OptionalExtension, Row, params};
use uuid::Uuid;

pub use super::card_cache::CardCache;
use super::card_cache::{self, Known};
use super::convert::{parse, parse_with};
use super::time_text;
use crate::store::{DeviceRecord, IncomingItem, StoreResult};
use crate::upload::{Judgement, Undone, UploadRules, judge, judge_correction};

/// Stores one batch in a transaction of its own, as `group_commit` does with several (tests).
#[cfg(test)]
pub fn upload(
    conn: &mut Connection,
    cache: &mut CardCache,
    device: &DeviceRecord,
    items: Vec<IncomingItem>,
    received_at: DateTime<Utc>,
    rules: UploadRules,
) -> StoreResult<Vec<ItemOutcome>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    cache.check(&tx)?;
    let outcomes = store_batch(&tx, cache, device, &items, received_at, rules)?;
    tx.commit()?;
    Ok(outcomes)
}

/// Stores one batch inside the caller's IMMEDIATE transaction, in which `cache` was checked.
pub fn store_batch(
    conn: &Connection,
    cache: &mut CardCache,
    device: &DeviceRecord,
    items: &[IncomingItem],
    received_at: DateTime<Utc>,
    rules: UploadRules,
) -> StoreResult<Vec<ItemOutcome>> {
    // The projector flags with the window of the latest upload (a write only when it changed).
    conn.prepare_cached("UPDATE projection SET flag_window_minutes = ?1 WHERE flag_window_minutes <> ?1")?
        .execute([rules.flag_window.num_minutes()])?;
    let mut outcomes = Vec::with_capacity(items.len());
    let mut batch = Batch::prepare(conn, device, received_at, cache)?;
    for (index, item) in items.iter().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let (id, outcome) = match item {
            IncomingItem::Unreadable { id, raw, reason } => {
                keep_rejected(conn, device, *id, raw, reason, received_at)?;
                (*id, Outcome::Rejected { reason: reason.clone() })
            }
            IncomingItem::Readable(r) => (Some(r.id), batch.store_one(conn, device, r, rules)?),
        };
        outcomes.push(ItemOutcome { index, id, outcome });
    }
    Ok(outcomes)
}

/// What every item of a batch uses: the statements, prepared once per batch, and the time of
/// receipt as text. Only the redemption is written (with its card's number): what is derived
/// from it (statistics rows, uses to check, the console's counters) is the projector's
/// (`projector`), so an item costs a few B-tree operations (the card, the row, its id).
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
    after_duplicate: bool,
}

impl<'c> Batch<'c> {
    fn prepare(
        conn: &'c Connection,
        device: &DeviceRecord,
        received_at: DateTime<Utc>,
        cards: &'c mut CardCache,
    ) -> StoreResult<Self> {
        let offers = conn
            .prepare_cached("SELECT id FROM offers WHERE venue_id = ?1")?
            .query_map([device.venue.0], |r| Ok(OfferId(r.get(0)?)))?
            .collect::<Result<_, _>>()?;
        Ok(Self {
            cards,
            seen: conn.prepare_cached("SELECT 1 FROM redemptions WHERE id = ?1")?,
            card: conn.prepare_cached(card_cache::LOOKUP)?,
            insert: conn.prepare_cached(
                "INSERT INTO redemptions (id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, \
                 group_cards, scanned_at, scanned_on, received_at, entry, verdict, community, late, flags, undoes, \
                 card_number) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) \
                 ON CONFLICT (id) DO NOTHING",
            )?,
            undone: conn.prepare_cached(
                "SELECT r.device_id, r.card_id, r.seq, r.undoes IS NOT NULL, r.community, \
                 (SELECT c.id FROM redemptions c WHERE c.undoes = r.id) FROM redemptions r WHERE r.id = ?1",
            )?,
            offers,
            received_at,
            received_text: time_text::date_time(&received_at),
            after_duplicate: false,
        })
    }

    fn store_one(
        &mut self,
        conn: &Connection,
        device: &DeviceRecord,
        r: &Redemption,
        rules: UploadRules,
    ) -> StoreResult<Outcome> {
        let id = r.id.as_bytes().as_slice();
        let outcome = if self.after_duplicate && self.seen.exists([id])? {
            Outcome::Duplicate
        } else {
            self.judge_and_store(conn, device, r, rules)?
        };
        self.after_duplicate = matches!(outcome, Outcome::Duplicate);
        Ok(outcome)
    }

    fn judge_and_store(
        &mut self,
        conn: &Connection,
        device: &DeviceRecord,
        r: &Redemption,
        rules: UploadRules,
    ) -> StoreResult<Outcome> {
        let id = r.id.as_bytes().as_slice();
        let (judgement, community, card) = match r.undoes {
            // A correction sent again would find its target taken back (by itself): it is
            // looked up first.
            Some(_) if self.seen.exists([id])? => return Ok(Outcome::Duplicate),
            Some(target) => {
                let undone = self.undone.query_row([target.as_bytes().as_slice()], undone_row).optional()?;
                let judgement = judge_correction(r, device, undone.as_ref().map(|u| &u.0), self.received_at, rules);
                (judgement, undone.is_some_and(|u| u.1), None)
            }
            None => {
                let known = self.cards.get(&mut self.card, r.card)?;
                let card = known.as_ref().map(|k| &k.card);
                let judgement = judge(r, device, card, &self.offers, self.received_at, rules);
                (judgement, card.is_some_and(|c| c.kind == CardKind::Community), known)
            }
        };
        match judgement {
            Judgement::Reject(_) if self.seen.exists([id])? => Ok(Outcome::Duplicate),
            Judgement::Reject(reason) => {
                let body = serde_json::to_string(r).unwrap_or_default();
                keep_rejected(conn, device, Some(r.id), &body, &reason, self.received_at)?;
                Ok(Outcome::Rejected { reason })
            }
            Judgement::Accept(flags) => {
                let inserted = self.insert(r, community, &flags, card.as_ref())?;
                Ok(if inserted { Outcome::Accepted { flags } } else { Outcome::Duplicate })
            }
        }
    }

    /// Inserts `r` unless its id is stored; whether it was inserted. `card`: its card as looked
    /// up (a correction's is not).
    fn insert(
        &mut self,
        r: &Redemption,
        community: bool,
        flags: &[kaiku_core::wire::Flag],
        card: Option<&Arc<Known>>,
    ) -> StoreResult<bool> {
        let group = (!r.group.is_empty()).then(|| r.group.iter().map(CardId::to_string).collect::<Vec<_>>().join(","));
        let late = flags.iter().any(|f| matches!(f, kaiku_core::wire::Flag::LateUpload { .. }));
        let flag_text = (!flags.is_empty()).then(|| serde_json::to_string(&flags).unwrap_or_default());
        let card_text = match card {
            Some(k) => std::borrow::Cow::Borrowed(k.text.as_str()),
            None => std::borrow::Cow::Owned(r.card.to_string()),
        };
        let inserted = self.insert.execute(params![
            r.id.as_bytes().as_slice(),
            r.device.0,
            i64::try_from(r.seq).unwrap_or(i64::MAX),
            card_text,
            r.venue.0,
            offer_text(r.offer),
            r.offer_id.map(|o| o.0),
            r.adults,
            r.children,
            group,
            time_text::date_time(&r.scanned_at),
            time_text::date(r.scanned_at.date_naive()),
            self.received_text,
            entry_text(r.entry),
            r.verdict.as_str(),
            community,
            late,
            flag_text,
            r.undoes.as_ref().map(|u| u.as_bytes().as_slice()),
            card.and_then(|k| k.number),
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
    tx: &Connection,
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
