//! Redemption uploads and the scanners' register copy. A batch is judged from one round trip
//! of reads (the venue's offers, the batch's cards, the uses its corrections take back, locked;
//! pipelined on one connection) and written in one more (`batch`): an id stored before, by this
//! process or another, is a duplicate, decided by the primary key. The cards come from the
//! process's cache, brought up to date with the register's changes in the same round trip
//! (`card_cache`). Uses to check are looked for after the commit (`flag_check`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient};
use kaiku_core::card::RevocationReason;
use kaiku_core::ids::{DeviceId, OfferId};
use kaiku_core::verdict::{RegisterEntry, RegisterStatus};
use kaiku_core::wire::{Cursor, Flag, ItemOutcome, Outcome, RegisterRecord};
use kaiku_core::{Card, CardId, CardKind, Redemption};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use super::batch::{NewRows, Rejected};
use super::card_cache::CardCache;
use super::convert::{get, id, parse, parse_with, small};
use super::pool::rows;
use crate::store::{DeviceRecord, IncomingItem, StoreResult};
use crate::upload::{Judgement, Undone, UploadRules, judge, judge_correction};

/// A correction's target as stored, with its community flag (the correction repeats its card).
type Target = (Undone, bool);

fn target_row(r: &Row) -> StoreResult<(Uuid, Target)> {
    let undone = Undone {
        device: DeviceId(id(r, 1)?),
        card: parse_with(get::<&str>(r, 2)?, CardId::parse)?,
        seq: u64::try_from(get::<i64>(r, 3)?).unwrap_or(0),
        correction: get(r, 4)?,
        taken_back_by: get(r, 5)?,
    };
    Ok((get(r, 0)?, (undone, get::<i32>(r, 6)? != 0)))
}

/// The uses the batch's corrections name, locked until the upload commits, so that two
/// processes judging corrections of one use take turns (the second finds it taken back).
async fn targets(c: &impl GenericClient, targets: &[Uuid]) -> StoreResult<HashMap<Uuid, Target>> {
    if targets.is_empty() {
        return Ok(HashMap::new());
    }
    let found = rows(
        c,
        "SELECT id, device_id, card_id, seq, undoes IS NOT NULL, undone_by, community FROM redemptions \
         WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        &[&targets],
    )
    .await?;
    found.iter().map(target_row).collect()
}

/// Which of `ids` are stored.
async fn stored(c: &impl GenericClient, ids: &[Uuid]) -> StoreResult<HashSet<Uuid>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    rows(c, "SELECT id FROM redemptions WHERE id = ANY($1)", &[&ids]).await?.iter().map(|r| get(r, 0)).collect()
}

/// An item's outcome, or `None` while its insert decides between accepted and duplicate (or,
/// refused, whether its id is stored).
type Pending = (Option<Uuid>, Option<Outcome>, Vec<Flag>);

/// Judges the batch in order: what to insert, what was refused, and each item's outcome so far.
struct Judging<'a> {
    device: &'a DeviceRecord,
    offers: Vec<OfferId>,
    cards: HashMap<String, Card>,
    targets: HashMap<Uuid, Target>,
    /// Ids stored before: the corrections' (one sent again would find its use taken back by
    /// itself), or all of a batch sent again.
    stored: HashSet<Uuid>,
    received_at: DateTime<Utc>,
    rules: UploadRules,
    new_rows: NewRows,
    rejected: Rejected,
    /// Uses taken back by a correction of this batch: the correction.
    taken: HashMap<Uuid, Uuid>,
    /// The ids accepted so far: a later item with one is a duplicate.
    accepted: HashMap<Uuid, (Undone, bool)>,
}

impl Judging<'_> {
    fn item(&mut self, r: &Redemption) -> Pending {
        if self.accepted.contains_key(&r.id) || self.stored.contains(&r.id) {
            return (Some(r.id), Some(Outcome::Duplicate), Vec::new());
        }
        let (judgement, community) = match r.undoes {
            Some(target) => {
                // Stored wins over this batch: a use sent again beside its correction is a duplicate.
                let mut undone = self.targets.get(&target).or_else(|| self.accepted.get(&target)).cloned();
                if let Some((u, _)) = &mut undone {
                    u.taken_back_by = u.taken_back_by.or_else(|| self.taken.get(&target).copied());
                    // Taken back by this very correction (another process stored it meanwhile).
                    if u.taken_back_by == Some(r.id) {
                        return (Some(r.id), Some(Outcome::Duplicate), Vec::new());
                    }
                }
                let judged =
                    judge_correction(r, self.device, undone.as_ref().map(|u| &u.0), self.received_at, self.rules);
                (judged, undone.is_some_and(|u| u.1))
            }
            None => {
                let card = self.cards.get(&r.card.to_string());
                let judged = judge(r, self.device, card, &self.offers, self.received_at, self.rules);
                (judged, card.is_some_and(|c| c.kind == CardKind::Community))
            }
        };
        match judgement {
            Judgement::Reject(reason) => {
                self.rejected.readable(r, &reason);
                (Some(r.id), Some(Outcome::Rejected { reason }), Vec::new())
            }
            Judgement::Accept(flags) => {
                self.new_rows.push(r, community, &flags);
                if let Some(target) = r.undoes {
                    self.taken.insert(target, r.id);
                }
                let undone = Undone {
                    device: r.device,
                    card: r.card,
                    seq: r.seq,
                    correction: r.undoes.is_some(),
                    taken_back_by: None,
                };
                self.accepted.insert(r.id, (undone, community));
                (Some(r.id), None, flags)
            }
        }
    }
}

pub async fn upload(
    c: &mut Client,
    cards: &CardCache,
    device: &DeviceRecord,
    items: Vec<IncomingItem>,
    received_at: DateTime<Utc>,
    rules: UploadRules,
) -> StoreResult<Vec<ItemOutcome>> {
    let readable: Vec<&Redemption> =
        items.iter().filter_map(|i| if let IncomingItem::Readable(r) = i { Some(r) } else { None }).collect();
    let card_ids: Vec<String> = readable
        .iter()
        .filter(|r| r.undoes.is_none())
        .map(|r| r.card.to_string())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    // The corrections, and the first item: stored, the batch is likely sent again (its answer
    // was lost), and all its ids are looked up before anything is judged.
    let mut known: Vec<Uuid> = readable.iter().filter(|r| r.undoes.is_some()).map(|r| r.id).collect();
    known.extend(readable.first().map(|r| r.id));
    let undone: Vec<Uuid> = readable.iter().filter_map(|r| r.undoes).collect();
    let tx = c.transaction().await?;
    // The reads at once: the driver pipelines them on the one connection.
    let venue = i64::from(device.venue.0);
    let venue_param: [&(dyn ToSql + Sync); 1] = [&venue];
    let (offers, cards, targets, mut known) = tokio::try_join!(
        rows(&tx, "SELECT id FROM offers WHERE venue_id = $1", &venue_param),
        cards.cards(&tx, &card_ids),
        targets(&tx, &undone),
        stored(&tx, &known),
    )?;
    if readable.first().is_some_and(|r| known.contains(&r.id)) {
        known.extend(stored(&tx, &readable.iter().map(|r| r.id).collect::<Vec<_>>()).await?);
    }
    let mut judging = Judging {
        device,
        offers: offers.iter().map(|r| id(r, 0).map(OfferId)).collect::<StoreResult<_>>()?,
        cards,
        targets,
        stored: known,
        received_at,
        rules,
        new_rows: NewRows::default(),
        rejected: Rejected::default(),
        taken: HashMap::new(),
        accepted: HashMap::new(),
    };
    let readable: HashSet<Uuid> = readable.iter().map(|r| r.id).collect();
    let mut pending: Vec<Pending> = Vec::with_capacity(items.len());
    for item in &items {
        pending.push(match item {
            IncomingItem::Unreadable { id, raw, reason } => {
                judging.rejected.unreadable(*id, raw.clone(), reason);
                (*id, Some(Outcome::Rejected { reason: reason.clone() }), Vec::new())
            }
            IncomingItem::Readable(r) => judging.item(r),
        });
    }
    let Judging { new_rows, rejected, .. } = judging;
    // In order, pipelined: which refused ids are stored, the inserts, the uses taken back.
    let check = Uuid::now_v7();
    let (stored, inserted, (), _) = tokio::try_join!(
        rejected.stored(&tx),
        new_rows.insert(&tx, device, received_at, check, rules.flag_window),
        rejected.insert(&tx, device, received_at),
        new_rows.take_back(&tx),
    )?;
    // Uses to check are looked for after the commit (`flag_check`), so that another process's
    // uses committed meanwhile are seen too.
    tx.commit().await?;
    Ok(pending
        .into_iter()
        .enumerate()
        .map(|(index, (id, outcome, flags))| {
            let outcome = match (outcome, id) {
                (Some(Outcome::Rejected { .. }), Some(id)) if readable.contains(&id) && stored.contains(&id) => {
                    Outcome::Duplicate
                }
                (Some(outcome), _) => outcome,
                (None, Some(id)) if inserted.contains(&id) => Outcome::Accepted { flags },
                (None, _) => Outcome::Duplicate,
            };
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
