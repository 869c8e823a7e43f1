//! Imports into the register: a cards file's rows (new and changed cards, one transaction) and
//! a whole dump into an empty register (with its own ids, so statistics read the same).

use kaiku_core::ids::DistributorId;
use rusqlite::{Connection, Transaction, params};

use super::cards::{self, next_change};
use super::convert::text;
use crate::export::{DumpCounts, RegisterDump};
use crate::import::{ImportRow, RowChange, diff};
use crate::store::{CardRecord, StoreError, StoreResult};

pub fn import_cards(
    conn: &mut Connection,
    distributor: DistributorId,
    rows: Vec<ImportRow>,
    dry_run: bool,
) -> StoreResult<Vec<(ImportRow, RowChange)>> {
    // Compared inside the writing transaction, so nothing changes between the diff and the write.
    let tx = conn.transaction()?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let existing = cards::card(&tx, row.record.card.id)?;
        let change = diff(existing.as_ref(), &row.record, distributor);
        out.push((row, change));
    }
    if dry_run || out.iter().any(|(_, c)| matches!(c, RowChange::Refused(_))) {
        return Ok(out); // Dropping the transaction rolls it back: nothing was written anyway.
    }
    let mut change = next_change(&tx)?;
    for (row, c) in &out {
        match c {
            RowChange::New => insert_card(&tx, &row.record, change)?,
            RowChange::Changed(_) => update_card(&tx, &row.record, change)?,
            RowChange::Unchanged | RowChange::Refused(_) => continue,
        }
        change += 1;
    }
    tx.commit()?;
    Ok(out)
}

/// The card's columns after `id`, in the order `insert_card` and `update_card` bind them.
const COLUMNS: [&str; 17] = [
    "kind",
    "region_id",
    "distributor_id",
    "issued_on",
    "valid_until",
    "status",
    "revoked_reason",
    "revoked_on",
    "minors",
    "birth_year",
    "gender",
    "mother_tongue",
    "postal_code",
    "minor_children",
    "minor_grandchildren",
    "legacy_id",
    "change_seq",
];

fn values(r: &CardRecord, change: i64) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value;
    let c = &r.card;
    let b = r.background.as_ref();
    let (status, reason, on) = match c.status {
        kaiku_core::CardStatus::Active => ("active", None, None),
        kaiku_core::CardStatus::Revoked { reason, on } => ("revoked", Some(text(&reason)), Some(on.to_string())),
    };
    let opt_text = |s: Option<String>| s.map_or(Value::Null, Value::Text);
    let opt_int = |n: Option<i64>| n.map_or(Value::Null, Value::Integer);
    vec![
        Value::Text(c.id.to_string()),
        Value::Text(text(&c.kind)),
        Value::Integer(c.region.0.into()),
        Value::Integer(c.distributor.0.into()),
        Value::Text(c.issued_on.to_string()),
        Value::Text(c.valid_until.to_string()),
        Value::Text(status.into()),
        opt_text(reason),
        opt_text(on),
        Value::Integer(c.minors_on_record.into()),
        opt_int(b.map(|b| b.birth_year.into())),
        opt_text(b.map(|b| text(&b.gender))),
        opt_text(b.map(|b| text(&b.mother_tongue))),
        opt_text(b.map(|b| b.postal_code.as_str().to_owned())),
        opt_int(b.map(|b| b.minor_children.into())),
        opt_int(b.map(|b| b.minor_grandchildren.into())),
        Value::Integer(c.id.is_legacy().into()),
        Value::Integer(change),
    ]
}

fn insert_card(tx: &Transaction<'_>, r: &CardRecord, change: i64) -> StoreResult<()> {
    let marks: Vec<String> = (1..=COLUMNS.len() + 1).map(|i| format!("?{i}")).collect();
    let sql = format!("INSERT INTO cards (id, {}) VALUES ({})", COLUMNS.join(", "), marks.join(", "));
    tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values(r, change)))?;
    insert_situations(tx, r)
}

fn update_card(tx: &Transaction<'_>, r: &CardRecord, change: i64) -> StoreResult<()> {
    let sets: Vec<String> = COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 2)).collect();
    let sql = format!("UPDATE cards SET {} WHERE id = ?1", sets.join(", "));
    let n = tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values(r, change)))?;
    if n != 1 {
        return Err(StoreError::NotFound(format!("card {} is not registered", r.card.id)));
    }
    tx.prepare_cached("DELETE FROM card_life_situations WHERE card_id = ?1")?.execute([r.card.id.to_string()])?;
    insert_situations(tx, r)
}

fn insert_situations(tx: &Transaction<'_>, r: &CardRecord) -> StoreResult<()> {
    let mut stmt = tx.prepare_cached("INSERT INTO card_life_situations (card_id, situation) VALUES (?1, ?2)")?;
    for s in r.background.as_ref().map(|b| b.life_situations.as_slice()).unwrap_or_default() {
        stmt.execute(params![r.card.id.to_string(), text(s)])?;
    }
    Ok(())
}

pub fn import_dump(conn: &mut Connection, dump: &RegisterDump) -> StoreResult<DumpCounts> {
    let tx = conn.transaction()?;
    let used: i64 = tx.query_row(
        "SELECT (SELECT count(*) FROM regions) + (SELECT count(*) FROM cards) + (SELECT count(*) FROM redemptions) \
         + (SELECT count(*) FROM venues)",
        [],
        |r| r.get(0),
    )?;
    if used > 0 {
        return Err(StoreError::Conflict(
            "the register is not empty: a dump is imported only into a new server (after init)".into(),
        ));
    }
    let mut n = DumpCounts::default();
    for r in &dump.regions {
        n.regions += tx.execute("INSERT INTO regions (id, name) VALUES (?1, ?2)", params![r.id.0, r.name])? as u64;
    }
    for d in &dump.distributors {
        n.distributors += tx.execute(
            "INSERT INTO distributors (id, region_id, name) VALUES (?1, ?2, ?3)",
            params![d.id.0, d.region.0, d.name],
        )? as u64;
    }
    for v in &dump.venues {
        n.venues += tx.execute(
            "INSERT INTO venues (id, region_id, name) VALUES (?1, ?2, ?3)",
            params![v.id.0, v.region.map(|r| r.0), v.name],
        )? as u64;
    }
    for o in &dump.offers {
        n.offers += tx.execute(
            "INSERT INTO offers (id, venue_id, name, kind, place_limit, closed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![o.id.0, o.venue.0, o.name, text(&o.kind), o.limit, o.closed_at],
        )? as u64;
    }
    // Devices keep their ids (redemptions name them) but not their tokens: they enroll again.
    for d in &dump.devices {
        n.devices += tx.execute(
            "INSERT INTO devices (id, venue_id, label, secret_hash, enrolled_at, revoked_at) VALUES (?1, ?2, ?3, x'', ?4, ?5)",
            params![d.id.0, d.venue.0, d.label, d.enrolled_at, dump.exported_at],
        )? as u64;
    }
    let first = next_change(&tx)?;
    let mut seen = std::collections::HashSet::new();
    for (change, c) in (first..).zip(&dump.cards) {
        if !seen.insert(c.card.id) {
            return Err(StoreError::Conflict(format!("card {} is in the dump twice", c.card.id)));
        }
        insert_card(&tx, &CardRecord { card: c.card.clone(), background: c.background.clone() }, change)?;
        n.cards += 1;
    }
    // What is derived from the redemptions inserted here (statistics rows, uses to check, the
    // console's counters) is the projector's, from the first row on: the register is empty.
    tx.execute("UPDATE projection SET through = 0", [])?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO redemptions (id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, \
             group_cards, scanned_at, scanned_on, received_at, entry, verdict, community, late, flags, undoes) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        )?;
        for r in &dump.redemptions {
            let group =
                (!r.group.is_empty()).then(|| r.group.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
            let flags = (!r.flags.is_empty()).then(|| serde_json::to_string(&r.flags).unwrap_or_default());
            n.redemptions += insert.execute(params![
                r.id.as_bytes().as_slice(),
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
                r.received_at,
                text(&r.entry),
                r.verdict.as_str(),
                r.community,
                r.late,
                flags,
                r.undoes.as_ref().map(|u| u.as_bytes().as_slice()),
            ])? as u64;
        }
    }
    tx.commit()?;
    Ok(n)
}
