//! Redemption uploads and the scanners' register copy. A batch is read in one round trip (the
//! venue's offers, the batch's cards and which of its ids are stored, pipelined) and written in
//! one (`UNNEST` of column arrays, `ON CONFLICT (id) DO NOTHING`): an id stored before, by this
//! process or another, is a duplicate, decided by the primary key.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient};
use kaiku_core::card::RevocationReason;
use kaiku_core::ids::OfferId;
use kaiku_core::verdict::{RegisterEntry, RegisterStatus};
use kaiku_core::wire::{Cursor, Flag, ItemOutcome, Outcome, RegisterRecord};
use kaiku_core::{Card, CardId, CardKind, Redemption};
use sha2::{Digest, Sha256};
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use super::cards::card_from_row;
use super::convert::{get, id, parse, parse_with, small, text};
use super::flag_check;
use super::pool::{exec, rows};
use crate::store::{DeviceRecord, IncomingItem, StoreResult};
use crate::upload::{Judgement, UploadRules, judge};

/// The columns of the redemptions a batch inserts, one array each.
#[derive(Default)]
struct NewRows {
    id: Vec<Uuid>,
    device: Vec<i64>,
    seq: Vec<i64>,
    card: Vec<String>,
    venue: Vec<i64>,
    offer: Vec<String>,
    offer_id: Vec<Option<i64>>,
    adults: Vec<i32>,
    children: Vec<i32>,
    group: Vec<Option<String>>,
    scanned_at: Vec<DateTime<Utc>>,
    scanned_on: Vec<chrono::NaiveDate>,
    entry: Vec<String>,
    verdict: Vec<String>,
    community: Vec<i32>,
    late: Vec<i32>,
    flags: Vec<Option<String>>,
}

impl NewRows {
    fn push(&mut self, r: &Redemption, community: bool, flags: &[Flag]) {
        self.id.push(r.id);
        self.device.push(r.device.0.into());
        self.seq.push(i64::try_from(r.seq).unwrap_or(i64::MAX));
        self.card.push(r.card.to_string());
        self.venue.push(r.venue.0.into());
        self.offer.push(text(&r.offer));
        self.offer_id.push(r.offer_id.map(|o| o.0.into()));
        self.adults.push(r.adults.into());
        self.children.push(r.children.into());
        self.group
            .push((!r.group.is_empty()).then(|| r.group.iter().map(CardId::to_string).collect::<Vec<_>>().join(",")));
        self.scanned_at.push(r.scanned_at);
        self.scanned_on.push(r.scanned_at.date_naive());
        self.entry.push(text(&r.entry));
        self.verdict.push(r.verdict.as_str().to_owned());
        self.community.push(community.into());
        self.late.push(flags.iter().any(|f| matches!(f, Flag::LateUpload { .. })).into());
        self.flags.push((!flags.is_empty()).then(|| serde_json::to_string(flags).unwrap_or_default()));
    }

    /// Inserts the rows; the ids actually inserted (the others were stored before).
    async fn insert(&self, c: &impl GenericClient, received_at: DateTime<Utc>) -> StoreResult<HashSet<Uuid>> {
        if self.id.is_empty() {
            return Ok(HashSet::new());
        }
        let inserted = rows(
            c,
            "INSERT INTO redemptions (id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, \
             group_cards, scanned_at, scanned_on, received_at, entry, verdict, community, late, flags) \
             SELECT t.id, t.device_id, t.seq, t.card_id, t.venue_id, t.offer, t.offer_id, t.adults, t.children, \
             t.group_cards, t.scanned_at, t.scanned_on, $13, t.entry, t.verdict, t.community, t.late, t.flags \
             FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], \
             $7::bigint[], $8::integer[], $9::integer[], $10::text[], $11::timestamptz[], $12::date[], \
             $14::text[], $15::text[], $16::integer[], $17::integer[], $18::text[]) \
             AS t(id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, group_cards, \
             scanned_at, scanned_on, entry, verdict, community, late, flags) \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            &[
                &self.id,
                &self.device,
                &self.seq,
                &self.card,
                &self.venue,
                &self.offer,
                &self.offer_id,
                &self.adults,
                &self.children,
                &self.group,
                &self.scanned_at,
                &self.scanned_on,
                &received_at,
                &self.entry,
                &self.verdict,
                &self.community,
                &self.late,
                &self.flags,
            ],
        )
        .await?;
        inserted.iter().map(|r| get(r, 0)).collect()
    }
}

/// What a device sent that was not stored, kept so that nothing it sent is lost.
#[derive(Default)]
struct Rejected {
    id: Vec<Option<Uuid>>,
    body: Vec<String>,
    hash: Vec<Vec<u8>>,
    reason: Vec<String>,
}

impl Rejected {
    fn push(&mut self, id: Option<Uuid>, body: String, reason: &str) {
        self.hash.push(Sha256::digest(body.as_bytes()).to_vec());
        self.id.push(id);
        self.body.push(body);
        self.reason.push(reason.to_owned());
    }

    async fn insert(&self, c: &impl GenericClient, device: &DeviceRecord, at: DateTime<Utc>) -> StoreResult<()> {
        if self.body.is_empty() {
            return Ok(());
        }
        exec(
            c,
            "INSERT INTO rejected_items (device_id, redemption_id, body, body_hash, reason, received_at) \
             SELECT $1, t.id, t.body, t.hash, t.reason, $6 \
             FROM unnest($2::uuid[], $3::text[], $4::bytea[], $5::text[]) AS t(id, body, hash, reason) \
             ON CONFLICT (device_id, body_hash) DO NOTHING",
            &[&i64::from(device.id.0), &self.id, &self.body, &self.hash, &self.reason, &at],
        )
        .await?;
        Ok(())
    }
}

/// The batch's registered cards, without their holders' background data (a judgement needs
/// none of it), by ID.
async fn cards_to_judge(c: &impl GenericClient, ids: &[String]) -> StoreResult<HashMap<String, Card>> {
    let found = rows(
        c,
        "SELECT id, kind, region_id, distributor_id, issued_on, valid_until, status, revoked_reason, revoked_on, minors \
         FROM cards WHERE id = ANY($1)",
        &[&ids],
    )
    .await?;
    found.iter().map(|r| Ok((get::<String>(r, 0)?, card_from_row(r)?))).collect()
}

pub async fn upload(
    c: &mut Client,
    device: &DeviceRecord,
    items: Vec<IncomingItem>,
    received_at: DateTime<Utc>,
    rules: UploadRules,
) -> StoreResult<Vec<ItemOutcome>> {
    let readable: Vec<&Redemption> =
        items.iter().filter_map(|i| if let IncomingItem::Readable(r) = i { Some(r) } else { None }).collect();
    let ids: Vec<Uuid> = readable.iter().map(|r| r.id).collect();
    let card_ids: Vec<String> =
        readable.iter().map(|r| r.card.to_string()).collect::<HashSet<_>>().into_iter().collect();
    let tx = c.transaction().await?;
    // Three reads at once: the driver pipelines them on the one connection.
    let venue = i64::from(device.venue.0);
    let (venue_param, ids_param): ([&(dyn ToSql + Sync); 1], [&(dyn ToSql + Sync); 1]) = ([&venue], [&ids]);
    let (offers, known, seen) = tokio::try_join!(
        rows(&tx, "SELECT id FROM offers WHERE venue_id = $1", &venue_param),
        cards_to_judge(&tx, &card_ids),
        rows(&tx, "SELECT id FROM redemptions WHERE id = ANY($1)", &ids_param),
    )?;
    let offers: Vec<OfferId> = offers.iter().map(|r| id(r, 0).map(OfferId)).collect::<StoreResult<_>>()?;
    let mut seen: HashSet<Uuid> = seen.iter().map(|r| get(r, 0)).collect::<StoreResult<_>>()?;
    let mut new_rows = NewRows::default();
    let mut rejected = Rejected::default();
    // Per item: its outcome, or `None` while its insert decides between accepted and duplicate.
    let mut pending: Vec<(Option<Uuid>, Option<Outcome>, Vec<Flag>)> = Vec::with_capacity(items.len());
    for item in &items {
        match item {
            IncomingItem::Unreadable { id, raw, reason } => {
                rejected.push(*id, raw.clone(), reason);
                pending.push((*id, Some(Outcome::Rejected { reason: reason.clone() }), Vec::new()));
            }
            IncomingItem::Readable(r) if seen.contains(&r.id) => {
                pending.push((Some(r.id), Some(Outcome::Duplicate), Vec::new()))
            }
            IncomingItem::Readable(r) => {
                let card = known.get(&r.card.to_string());
                match judge(r, device, card, &offers, received_at, rules) {
                    Judgement::Reject(reason) => {
                        rejected.push(Some(r.id), serde_json::to_string(r).unwrap_or_default(), &reason);
                        pending.push((Some(r.id), Some(Outcome::Rejected { reason }), Vec::new()));
                    }
                    Judgement::Accept(flags) => {
                        let community = card.is_some_and(|c| c.kind == CardKind::Community);
                        new_rows.push(r, community, &flags);
                        // A later item with the same id in this batch is a duplicate of this one.
                        seen.insert(r.id);
                        pending.push((Some(r.id), None, flags));
                    }
                }
            }
        }
    }
    let (inserted, ()) =
        tokio::try_join!(new_rows.insert(&tx, received_at), rejected.insert(&tx, device, received_at))?;
    tx.commit().await?;
    if !inserted.is_empty() {
        let stored: Vec<Uuid> = inserted.iter().copied().collect();
        // After the commit, so that another process's uses committed meanwhile are seen too.
        if let Err(e) = flag_check::flag(&*c, &stored, rules.flag_window, received_at).await {
            tracing::warn!(error = %e, "uses to check were not looked for in an upload");
        }
    }
    Ok(pending
        .into_iter()
        .enumerate()
        .map(|(index, (id, outcome, flags))| {
            let outcome = outcome.unwrap_or_else(|| match id {
                Some(id) if inserted.contains(&id) => Outcome::Accepted { flags },
                _ => Outcome::Duplicate,
            });
            ItemOutcome { index: u32::try_from(index).unwrap_or(u32::MAX), id, outcome }
        })
        .collect())
}

pub async fn register_page(
    c: &impl GenericClient,
    after: Cursor,
    limit: usize,
) -> StoreResult<(Vec<RegisterRecord>, Cursor, bool)> {
    let found = rows(
        c,
        "SELECT id, kind, valid_until, minors, status, revoked_reason, revoked_on, change_seq FROM cards \
         WHERE change_seq > $1 ORDER BY change_seq LIMIT $2",
        &[&i64::try_from(after.0).unwrap_or(i64::MAX), &(i64::try_from(limit).unwrap_or(i64::MAX - 1) + 1)],
    )
    .await?;
    let mut next = after;
    let mut records = Vec::with_capacity(limit.min(found.len()));
    for r in &found {
        if records.len() == limit {
            return Ok((records, next, true));
        }
        let status = match get::<&str>(r, 4)? {
            "revoked" => RegisterStatus::Revoked {
                reason: parse::<RevocationReason>(get::<Option<&str>>(r, 5)?.unwrap_or_default())?,
                on: get::<Option<chrono::NaiveDate>>(r, 6)?.unwrap_or_default(),
            },
            _ => RegisterStatus::Active,
        };
        records.push(RegisterRecord {
            card: parse_with(get::<&str>(r, 0)?, CardId::parse)?,
            entry: RegisterEntry {
                kind: parse(get::<&str>(r, 1)?)?,
                valid_until: get(r, 2)?,
                minors_on_record: small(r, 3)?,
                status,
            },
        });
        next = Cursor(u64::try_from(get::<i64>(r, 7)?).unwrap_or(0));
    }
    Ok((records, next, false))
}
