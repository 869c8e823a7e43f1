//! Redemption uploads and the scanners' register copy.

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::card::{CardStatus, RevocationReason};
use kaiku_core::ids::{DistributorId, RegionId};
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::{RegisterEntry, RegisterStatus};
use kaiku_core::wire::{Cursor, ItemOutcome, Outcome, RegisterRecord};
use kaiku_core::{Card, CardId, CardKind, Redemption};
use rusqlite::{CachedStatement, Connection, OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::convert::{parse, parse_with};
use super::stats_facts::FactWriter;
use crate::store::{DeviceRecord, IncomingItem, StoreError, StoreResult};
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
    {
        let mut batch = Batch::prepare(&tx, received_at)?;
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
/// formats, parsed once. Texts are exactly what rusqlite's chrono support would write.
///
/// A new item is judged and inserted with `ON CONFLICT (id) DO NOTHING`: an id stored before
/// inserts nothing and is a duplicate, without a lookup of its own. A batch sent again is all
/// duplicates, so after a duplicate the next id is looked up first, before its card is read.
/// Either way an item stored before is a duplicate and nothing else about it is decided.
struct Batch<'c> {
    seen: CachedStatement<'c>,
    card: CachedStatement<'c>,
    insert: CachedStatement<'c>,
    facts: FactWriter<'c>,
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
    fn prepare(tx: &'c Transaction<'_>, received_at: DateTime<Utc>) -> StoreResult<Self> {
        let format = |f: &'static str| {
            StrftimeItems::new(f).parse().map_err(|e| StoreError::Backend(format!("time format {f}: {e}")))
        };
        let date_time = format(DATE_TIME_FORMAT)?;
        Ok(Self {
            seen: tx.prepare_cached("SELECT 1 FROM redemptions WHERE id = ?1")?,
            card: tx.prepare_cached(
                "SELECT kind, region_id, distributor_id, issued_on, valid_until, status, revoked_reason, revoked_on, \
                 minors FROM cards WHERE id = ?1",
            )?,
            insert: tx.prepare_cached(
                "INSERT INTO redemptions (id, device_id, seq, card_id, venue_id, offer, offer_id, adults, children, \
                 group_cards, scanned_at, scanned_on, received_at, entry, verdict, community, late, flags) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) \
                 ON CONFLICT (id) DO NOTHING",
            )?,
            facts: FactWriter::prepare(tx)?,
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
        let card_id = r.card.to_string();
        let card = self.card.query_row([&card_id], |row| card_row(r.card, row)).optional()?;
        match judge(r, device, card.as_ref(), self.received_at, rules) {
            Judgement::Reject(_) if self.seen.exists([id])? => Ok(Outcome::Duplicate),
            Judgement::Reject(reason) => {
                let body = serde_json::to_string(r).unwrap_or_default();
                keep_rejected(tx, device, Some(r.id), &body, &reason, self.received_at)?;
                Ok(Outcome::Rejected { reason })
            }
            Judgement::Accept(flags) => {
                let community = card.is_some_and(|c| c.kind == CardKind::Community);
                let group =
                    (!r.group.is_empty()).then(|| r.group.iter().map(CardId::to_string).collect::<Vec<_>>().join(","));
                let late = flags.iter().any(|f| matches!(f, kaiku_core::wire::Flag::LateUpload { .. }));
                let flag_text = (!flags.is_empty()).then(|| serde_json::to_string(&flags).unwrap_or_default());
                let scanned_at = r.scanned_at.format_with_items(self.date_time.iter()).to_string();
                let scanned_on = r.scanned_at.date_naive().format_with_items(self.date.iter()).to_string();
                let inserted = self.insert.execute(params![
                    id,
                    r.device.0,
                    i64::try_from(r.seq).unwrap_or(i64::MAX),
                    card_id,
                    r.venue.0,
                    offer_text(r.offer),
                    r.offer_id.map(|o| o.0),
                    r.adults,
                    r.children,
                    group,
                    scanned_at,
                    scanned_on,
                    self.received_text,
                    entry_text(r.entry),
                    r.verdict.as_str(),
                    community,
                    late,
                    flag_text,
                ])?;
                if inserted != 1 {
                    return Ok(Outcome::Duplicate);
                }
                self.facts.write(tx, tx.last_insert_rowid(), r, &card_id, community)?;
                Ok(Outcome::Accepted { flags })
            }
        }
    }
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
fn offer_text(o: OfferKind) -> &'static str {
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
mod tests {
    use chrono::TimeZone;
    use rusqlite::types::{ToSql, ToSqlOutput, Value};

    use super::*;
    use crate::store::sqlite::convert::text;

    fn sql_text(v: &dyn ToSql) -> String {
        match v.to_sql().expect("converts") {
            ToSqlOutput::Owned(Value::Text(s)) => s,
            other => panic!("not text: {other:?}"),
        }
    }

    #[test]
    fn times_are_stored_as_rusqlite_writes_them() {
        let items = StrftimeItems::new(DATE_TIME_FORMAT).parse().expect("format");
        let date = StrftimeItems::new(DATE_FORMAT).parse().expect("format");
        let base = Utc.with_ymd_and_hms(2026, 11, 21, 17, 42, 5).single().expect("time");
        for nanos in [0, 1, 1_000, 120_000_000, 123_456_000, 999_999_999] {
            let t = base + chrono::TimeDelta::nanoseconds(nanos);
            assert_eq!(t.format_with_items(items.iter()).to_string(), sql_text(&t));
            let d = t.date_naive();
            assert_eq!(d.format_with_items(date.iter()).to_string(), sql_text(&d));
        }
    }

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

    fn outcomes(conn: &mut Connection, device: &DeviceRecord, items: &[&Redemption]) -> Vec<&'static str> {
        let items = items.iter().map(|r| IncomingItem::Readable((*r).clone())).collect();
        let at = Utc.with_ymd_and_hms(2026, 11, 21, 18, 0, 0).single().expect("time");
        let rules = UploadRules { late_after: chrono::TimeDelta::hours(24) };
        let outcomes = upload(conn, device, items, at, rules).expect("uploads");
        outcomes
            .iter()
            .map(|o| match o.outcome {
                Outcome::Accepted { .. } => "accepted",
                Outcome::Duplicate => "duplicate",
                Outcome::Rejected { .. } => "rejected",
            })
            .collect()
    }

    #[test]
    fn an_id_stored_before_is_a_duplicate_wherever_it_comes_in_a_batch() {
        use kaiku_core::card::Validity;
        use kaiku_core::ids::DeviceId;
        use kaiku_core::redemption::{DoorFields, RedemptionDraft};
        use kaiku_core::verdict::VerdictCode;

        use crate::store::sqlite::{cards, migrations, orgs};

        let mut conn = Connection::open_in_memory().expect("opens");
        migrations::apply(&mut conn).expect("migrates");
        let region = orgs::create_region(&conn, "Region").expect("region");
        let distributor = orgs::create_distributor(&conn, region, "Distributor").expect("distributor");
        let venue = orgs::create_venue(&conn, Some(region), "Venue").expect("venue");
        let issued = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let card_id = CardId::from(kaiku_core::KaikuId::new('A', 1).expect("card id"));
        let card = Card::issue(card_id, CardKind::Personal, region, distributor, issued, Validity::TwelveMonths, 0)
            .expect("issues");
        cards::insert_card(&mut conn, &crate::store::CardRecord { card, background: None }).expect("inserts");
        let enrolled_at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().expect("time");
        let device = DeviceRecord {
            id: DeviceId(1),
            venue,
            label: "door".into(),
            secret_hash: vec![],
            enrolled_at,
            revoked: false,
        };
        let item = |seq: u64, card: CardId| {
            let draft = RedemptionDraft {
                id: Uuid::now_v7(),
                device: device.id,
                seq,
                door: DoorFields {
                    card,
                    venue,
                    offer: OfferKind::Ticket,
                    offer_id: None,
                    children: 0,
                    group: vec![],
                    scanned_at: Utc.with_ymd_and_hms(2026, 11, 21, 17, 0, 0).single().expect("time"),
                    entry: EntryMethod::Qr,
                    verdict: VerdictCode::Valid,
                },
            };
            Redemption::new(draft, None).expect("valid")
        };
        let (a, b, c) = (item(1, card_id), item(2, card_id), item(3, card_id));
        let unknown = item(4, CardId::from(kaiku_core::KaikuId::new('A', 2).expect("card id")));
        // The id of `a` with a card the register does not have: still a duplicate of `a`.
        let a_changed = Redemption { card: unknown.card, ..a.clone() };

        assert_eq!(outcomes(&mut conn, &device, &[&a, &b]), ["accepted", "accepted"]);
        assert_eq!(
            outcomes(&mut conn, &device, &[&a, &c, &b, &c, &unknown, &a_changed, &a]),
            ["duplicate", "accepted", "duplicate", "duplicate", "rejected", "duplicate", "duplicate"]
        );
        assert_eq!(outcomes(&mut conn, &device, &[&a_changed, &unknown]), ["duplicate", "rejected"]);
        let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect("counts");
        assert_eq!(count("SELECT count(*) FROM redemptions"), 3);
        assert_eq!(count("SELECT count(*) FROM rejected_items"), 1);
    }

    #[test]
    fn enum_texts_are_the_serde_names() {
        for o in [OfferKind::Ticket, OfferKind::CoursePlace] {
            assert_eq!(offer_text(o), text(&o));
        }
        for e in [EntryMethod::Qr, EntryMethod::Barcode, EntryMethod::Typed] {
            assert_eq!(entry_text(e), text(&e));
        }
        for v in [kaiku_core::verdict::VerdictCode::Valid, kaiku_core::verdict::VerdictCode::ValidUnverified] {
            assert_eq!(v.as_str(), text(&v));
        }
    }
}
