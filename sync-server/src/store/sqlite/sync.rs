//! Redemption uploads and the scanners' register copy.

use chrono::{DateTime, Utc};
use kaiku_core::card::RevocationReason;
use kaiku_core::verdict::{RegisterEntry, RegisterStatus};
use kaiku_core::wire::{Cursor, ItemOutcome, Outcome, RegisterRecord};
use kaiku_core::{CardId, CardKind, Redemption};
use rusqlite::{Connection, Transaction, params};
use uuid::Uuid;

use super::cards::card_only;
use super::convert::{parse, parse_with, text};
use crate::store::{DeviceRecord, IncomingItem, StoreResult};
use crate::upload::{Judgement, UploadRules, judge};

pub fn upload(
    conn: &mut Connection,
    device: &DeviceRecord,
    items: Vec<IncomingItem>,
    received_at: DateTime<Utc>,
    rules: UploadRules,
) -> StoreResult<Vec<ItemOutcome>> {
    let tx = conn.transaction()?;
    let mut outcomes = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let (id, outcome) = match item {
            IncomingItem::Unreadable { id, raw, reason } => {
                keep_rejected(&tx, device, id, &raw, &reason, received_at)?;
                (id, Outcome::Rejected { reason })
            }
            IncomingItem::Readable(r) => (Some(r.id), store_one(&tx, device, &r, received_at, rules)?),
        };
        outcomes.push(ItemOutcome { index, id, outcome });
    }
    tx.commit()?;
    Ok(outcomes)
}

fn store_one(
    tx: &Transaction<'_>,
    device: &DeviceRecord,
    r: &Redemption,
    received_at: DateTime<Utc>,
    rules: UploadRules,
) -> StoreResult<Outcome> {
    let id = r.id.as_bytes().as_slice();
    let seen = tx.prepare_cached("SELECT 1 FROM redemptions WHERE id = ?1")?.exists([id])?;
    if seen {
        return Ok(Outcome::Duplicate);
    }
    let card = card_only(tx, r.card)?;
    match judge(r, device, card.as_ref(), received_at, rules) {
        Judgement::Reject(reason) => {
            let body = serde_json::to_string(r).unwrap_or_default();
            keep_rejected(tx, device, Some(r.id), &body, &reason, received_at)?;
            Ok(Outcome::Rejected { reason })
        }
        Judgement::Accept(flags) => {
            let community = card.is_some_and(|c| c.kind == CardKind::Community);
            let group =
                (!r.group.is_empty()).then(|| r.group.iter().map(CardId::to_string).collect::<Vec<_>>().join(","));
            let late = flags.iter().any(|f| matches!(f, kaiku_core::wire::Flag::LateUpload { .. }));
            let flag_text = (!flags.is_empty()).then(|| serde_json::to_string(&flags).unwrap_or_default());
            tx.prepare_cached(
                "INSERT INTO redemptions (id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, \
                 group_cards, scanned_at, scanned_on, received_at, entry, verdict, community, late, flags) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            )?
            .execute(params![
                id,
                r.device.0,
                i64::try_from(r.seq).unwrap_or(i64::MAX),
                r.card.to_string(),
                r.venue.0,
                text(&r.offer),
                r.offer_id.map(|o| o.0),
                r.adults,
                r.children,
                group,
                r.scanned_at,
                r.scanned_at.date_naive(),
                received_at,
                text(&r.entry),
                text(&r.verdict),
                community,
                late,
                flag_text,
            ])?;
            Ok(Outcome::Accepted { flags })
        }
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
