//! Imports into the register: a cards file's rows (new and changed cards, one transaction) and
//! a whole dump into an empty register (with its own ids, so statistics read the same).

use deadpool_postgres::{Client, GenericClient};
use kaiku_core::CardId;
use kaiku_core::ids::DistributorId;
use uuid::Uuid;

use super::cards::{self, replace_with};
use super::convert::{count, text};
use super::migrations::{LINK_CORRECTIONS, RECOUNT};
use super::pool::{exec, next_changes, one};
use crate::export::{DumpCounts, RedemptionRow, RegisterDump};
use crate::import::{ImportRow, RowChange, diff};
use crate::store::{CardRecord, StoreError, StoreResult};

pub async fn import_cards(
    c: &mut Client,
    distributor: DistributorId,
    rows: Vec<ImportRow>,
    dry_run: bool,
) -> StoreResult<Vec<(ImportRow, RowChange)>> {
    let tx = c.transaction().await?;
    let ids: Vec<String> = rows.iter().map(|r| r.record.card.id.to_string()).collect();
    // The cards are locked while compared, so nothing changes between the diff and the write.
    exec(&tx, "SELECT 1 FROM cards WHERE id = ANY($1) FOR UPDATE", &[&ids]).await?;
    let existing = cards::cards(&tx, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let change = diff(existing.get(&row.record.card.id.to_string()), &row.record, distributor);
        out.push((row, change));
    }
    if dry_run || out.iter().any(|(_, c)| matches!(c, RowChange::Refused(_))) {
        return Ok(out); // Dropping the transaction rolls it back: nothing was written anyway.
    }
    let changes = out.iter().filter(|(_, c)| matches!(c, RowChange::New | RowChange::Changed(_))).count();
    if changes == 0 {
        return Ok(out);
    }
    let mut change = next_changes(&tx, changes as i64).await?;
    let mut new = Vec::new();
    for (row, c) in &out {
        match c {
            RowChange::New => new.push((&row.record, change)),
            RowChange::Changed(_) => replace_with(&tx, &row.record, change).await?,
            RowChange::Unchanged | RowChange::Refused(_) => continue,
        }
        change += 1;
    }
    if let Some(id) = cards::insert_many(&tx, &new).await?.first() {
        return Err(StoreError::Conflict(format!("card {id} was registered meanwhile")));
    }
    tx.commit().await?;
    Ok(out)
}

/// Inserts a dump's redemptions in one statement.
async fn insert_redemptions(c: &impl GenericClient, rows: &[RedemptionRow]) -> StoreResult<u64> {
    let col = |f: &dyn Fn(&RedemptionRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let devices: Vec<i64> = rows.iter().map(|r| r.device.0.into()).collect();
    let seqs: Vec<i64> = rows.iter().map(|r| i64::try_from(r.seq).unwrap_or(i64::MAX)).collect();
    let venues: Vec<i64> = rows.iter().map(|r| r.venue.0.into()).collect();
    let offer_ids: Vec<Option<i64>> = rows.iter().map(|r| r.offer_id.map(|o| o.0.into())).collect();
    let adults: Vec<i32> = rows.iter().map(|r| r.adults.into()).collect();
    let children: Vec<i32> = rows.iter().map(|r| r.children.into()).collect();
    let groups: Vec<Option<String>> = rows
        .iter()
        .map(|r| (!r.group.is_empty()).then(|| r.group.iter().map(CardId::to_string).collect::<Vec<_>>().join(",")))
        .collect();
    let scanned_at: Vec<_> = rows.iter().map(|r| r.scanned_at).collect();
    let received_at: Vec<_> = rows.iter().map(|r| r.received_at).collect();
    let community: Vec<i32> = rows.iter().map(|r| r.community.into()).collect();
    let late: Vec<i32> = rows.iter().map(|r| r.late.into()).collect();
    let flags: Vec<Option<String>> = rows
        .iter()
        .map(|r| (!r.flags.is_empty()).then(|| serde_json::to_string(&r.flags).unwrap_or_default()))
        .collect();
    exec(
        c,
        "INSERT INTO redemptions (id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, \
         group_cards, scanned_at, scanned_on, received_at, entry, verdict, community, late, flags, undoes) \
         SELECT t.id, t.device_id, t.seq, t.card_id, t.venue_id, t.offer, t.offer_id, t.adults, t.children, \
         t.group_cards, t.scanned_at, (t.scanned_at AT TIME ZONE 'UTC')::date, t.received_at, t.entry, t.verdict, \
         t.community, t.late, t.flags, t.undoes \
         FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], \
         $8::integer[], $9::integer[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::text[], \
         $14::text[], $15::integer[], $16::integer[], $17::text[], $18::uuid[]) WITH ORDINALITY \
         AS t(id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, group_cards, scanned_at, \
         received_at, entry, verdict, community, late, flags, undoes, ord) ORDER BY t.ord",
        &[
            &ids,
            &devices,
            &seqs,
            &col(&|r| r.card.to_string()),
            &venues,
            &col(&|r| text(&r.offer)),
            &offer_ids,
            &adults,
            &children,
            &groups,
            &scanned_at,
            &received_at,
            &col(&|r| text(&r.entry)),
            &col(&|r| r.verdict.as_str().to_owned()),
            &community,
            &late,
            &flags,
            &rows.iter().map(|r| r.undoes).collect::<Vec<_>>(),
        ],
    )
    .await
}

/// Moves each identity sequence past the ids a dump brought in.
const RESET_SEQUENCES: &str = "
    SELECT setval(pg_get_serial_sequence('regions', 'id'), coalesce(max(id), 0) + 1, false) FROM regions;
    SELECT setval(pg_get_serial_sequence('distributors', 'id'), coalesce(max(id), 0) + 1, false) FROM distributors;
    SELECT setval(pg_get_serial_sequence('venues', 'id'), coalesce(max(id), 0) + 1, false) FROM venues;
    SELECT setval(pg_get_serial_sequence('offers', 'id'), coalesce(max(id), 0) + 1, false) FROM offers;
    SELECT setval(pg_get_serial_sequence('devices', 'id'), coalesce(max(id), 0) + 1, false) FROM devices;
";

pub async fn import_dump(c: &mut Client, dump: &RegisterDump) -> StoreResult<DumpCounts> {
    let tx = c.transaction().await?;
    let used = one(
        &tx,
        "SELECT (SELECT count(*) FROM regions) + (SELECT count(*) FROM cards) + (SELECT count(*) FROM redemptions) \
         + (SELECT count(*) FROM venues)",
        &[],
    )
    .await?;
    if count(&used, 0)? > 0 {
        return Err(StoreError::Conflict(
            "the register is not empty: a dump is imported only into a new server (after init)".into(),
        ));
    }
    let mut n = DumpCounts::default();
    for r in &dump.regions {
        n.regions +=
            exec(&tx, "INSERT INTO regions (id, name) VALUES ($1, $2)", &[&i64::from(r.id.0), &r.name]).await?;
    }
    for d in &dump.distributors {
        n.distributors += exec(
            &tx,
            "INSERT INTO distributors (id, region_id, name) VALUES ($1, $2, $3)",
            &[&i64::from(d.id.0), &i64::from(d.region.0), &d.name],
        )
        .await?;
    }
    for v in &dump.venues {
        n.venues += exec(
            &tx,
            "INSERT INTO venues (id, region_id, name) VALUES ($1, $2, $3)",
            &[&i64::from(v.id.0), &v.region.map(|r| i64::from(r.0)), &v.name],
        )
        .await?;
    }
    for o in &dump.offers {
        n.offers += exec(
            &tx,
            "INSERT INTO offers (id, venue_id, name, kind, place_limit, closed_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &i64::from(o.id.0),
                &i64::from(o.venue.0),
                &o.name,
                &text(&o.kind),
                &o.limit.map(i64::from),
                &o.closed_at,
            ],
        )
        .await?;
    }
    // Devices keep their ids (redemptions name them) but not their tokens: they enroll again.
    for d in &dump.devices {
        n.devices += exec(
            &tx,
            "INSERT INTO devices (id, venue_id, label, secret_hash, enrolled_at, revoked_at) \
             VALUES ($1, $2, $3, '\\x'::bytea, $4, $5)",
            &[&i64::from(d.id.0), &i64::from(d.venue.0), &d.label, &d.enrolled_at, &dump.exported_at],
        )
        .await?;
    }
    if !dump.cards.is_empty() {
        let first = next_changes(&tx, dump.cards.len() as i64).await?;
        let records: Vec<(CardRecord, i64)> = (first..)
            .zip(&dump.cards)
            .map(|(change, c)| (CardRecord { card: c.card.clone(), background: c.background.clone() }, change))
            .collect();
        for chunk in records.chunks(10_000) {
            let chunk: Vec<(&CardRecord, i64)> = chunk.iter().map(|(r, change)| (r, *change)).collect();
            if let Some(id) = cards::insert_many(&tx, &chunk).await?.first() {
                return Err(StoreError::Conflict(format!("card {id} is in the dump twice")));
            }
            n.cards += chunk.len() as u64;
        }
    }
    for chunk in dump.redemptions.chunks(10_000) {
        n.redemptions += insert_redemptions(&tx, chunk).await?;
    }
    // The uses the corrections take back, and the console's counters, from the rows just in.
    tx.batch_execute(LINK_CORRECTIONS).await?;
    tx.batch_execute(RECOUNT).await?;
    tx.batch_execute(RESET_SEQUENCES).await?;
    // The year sums of everything just in, committed with it: no backlog for the task.
    super::stats_fold::fold_all(&tx).await?;
    tx.commit().await?;
    Ok(n)
}
