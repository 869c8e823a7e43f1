//! Tests of the upload's storage: duplicates, enum texts, cards changed between batches.

use chrono::{NaiveDate, TimeZone};
use kaiku_core::Card;

use super::*;
use crate::store::sqlite::convert::text;

fn outcomes(conn: &mut Connection, device: &DeviceRecord, items: &[&Redemption]) -> Vec<&'static str> {
    let items = items.iter().map(|r| IncomingItem::Readable((*r).clone())).collect();
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 18, 0, 0).single().expect("time");
    let rules = UploadRules { late_after: chrono::TimeDelta::hours(24), ..UploadRules::default() };
    let outcomes = upload(conn, &mut CardCache::default(), device, items, at, rules).expect("uploads");
    outcomes
        .iter()
        .map(|o| match o.outcome {
            Outcome::Accepted { .. } => "accepted",
            Outcome::Duplicate => "duplicate",
            Outcome::Rejected { .. } => "rejected",
        })
        .collect()
}

/// A fresh register with one region, distributor and venue, personal card A1 issued on
/// 2026-01-01, and door device 1 of the venue.
fn register_with_one_card() -> (Connection, Card, DeviceRecord) {
    use kaiku_core::card::Validity;
    use kaiku_core::ids::DeviceId;

    use crate::store::sqlite::{cards, migrations, orgs};

    let mut conn = Connection::open_in_memory().expect("opens");
    migrations::apply(&mut conn).expect("migrates");
    let region = orgs::create_region(&conn, "Region").expect("region");
    let distributor = orgs::create_distributor(&conn, region, "Distributor").expect("distributor");
    let venue = orgs::create_venue(&conn, Some(region), "Venue").expect("venue");
    let issued = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let id = CardId::from(kaiku_core::KaikuId::new('A', 1).expect("card id"));
    let card =
        Card::issue(id, CardKind::Personal, region, distributor, issued, Validity::TwelveMonths, 0).expect("issues");
    cards::insert_card(&mut conn, &crate::store::CardRecord { card: card.clone(), background: None }).expect("inserts");
    let enrolled_at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().expect("time");
    let device =
        DeviceRecord { id: DeviceId(1), venue, label: "door".into(), secret_hash: vec![], enrolled_at, revoked: false };
    (conn, card, device)
}

/// A plain ticket use of `card` by `device`, its `seq`th, scanned on 2026-11-21.
fn use_of(card: CardId, device: &DeviceRecord, seq: u64) -> Redemption {
    use kaiku_core::redemption::{DoorFields, RedemptionDraft};
    use kaiku_core::verdict::VerdictCode;

    let draft = RedemptionDraft {
        id: Uuid::now_v7(),
        device: device.id,
        seq,
        door: DoorFields {
            card,
            venue: device.venue,
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
}

#[test]
fn an_id_stored_before_is_a_duplicate_wherever_it_comes_in_a_batch() {
    let (mut conn, card, device) = register_with_one_card();
    let card_id = card.id;
    let item = |seq: u64, card: CardId| use_of(card, &device, seq);
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
fn a_projector_step_leaves_every_upload_commit_synced_to_disk() {
    let (mut conn, card, device) = register_with_one_card();
    conn.pragma_update(None, "synchronous", "FULL").expect("sets");
    let item = use_of(card.id, &device, 1);
    assert_eq!(outcomes(&mut conn, &device, &[&item]), ["accepted"]);

    assert!(!crate::store::sqlite::projector::step(&mut conn).expect("steps"), "one step does all");
    let through: i64 = conn.query_row("SELECT through FROM projection", [], |r| r.get(0)).expect("reads");
    let synchronous: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).expect("reads");
    assert_eq!((through, synchronous), (1, 2), "projected, and FULL (2) again for the next upload");
}

/// One use of `card` by `door` and one by another door (device 2), stored as one group commit.
fn store_two_doors_in_one_group(
    conn: &mut Connection,
    card: CardId,
    door: &DeviceRecord,
) -> Vec<StoreResult<Vec<ItemOutcome>>> {
    let other = DeviceRecord { id: kaiku_core::ids::DeviceId(2), label: "other door".into(), ..door.clone() };
    let batches = vec![
        (door.clone(), vec![IncomingItem::Readable(use_of(card, door, 1))]),
        (other.clone(), vec![IncomingItem::Readable(use_of(card, &other, 1))]),
    ];
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 18, 0, 0).single().expect("time");
    super::super::group_commit::Uploads::default().store_group(conn, batches, at, UploadRules::default())
}

#[test]
fn a_batch_that_fails_in_a_group_undoes_only_its_own_items() {
    let (mut conn, card, door) = register_with_one_card();
    // Storage trouble for the other door's rows only.
    conn.execute_batch(
        "CREATE TEMP TRIGGER trouble BEFORE INSERT ON redemptions WHEN NEW.device_id = 2 \
         BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;",
    )
    .expect("creates the trigger");

    let answers = store_two_doors_in_one_group(&mut conn, card.id, &door);

    assert!(matches!(&answers[0], Ok(o) if matches!(o[0].outcome, Outcome::Accepted { .. })), "{answers:?}");
    assert!(answers[1].is_err(), "{answers:?}");
    let stored: Vec<i64> = conn
        .prepare("SELECT device_id FROM redemptions")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("reads");
    assert_eq!(stored, [1], "the door's use is stored once, the other door's not at all");
}

#[test]
fn a_group_on_a_locked_file_fails_every_batch_and_stores_nothing() {
    let (memory, card, door) = register_with_one_card();
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("kaiku.sqlite");
    memory.execute("VACUUM INTO ?1", [path.to_str().expect("utf-8")]).expect("copies");
    let mut conn = Connection::open(&path).expect("opens");
    // No waiting for the lock: the test shows the answer, not the wait.
    conn.busy_timeout(std::time::Duration::ZERO).expect("sets");
    let blocker = Connection::open(&path).expect("opens");
    blocker.execute_batch("BEGIN IMMEDIATE").expect("takes the write lock");

    let answers = store_two_doors_in_one_group(&mut conn, card.id, &door);

    assert!(answers.iter().all(Result::is_err), "{answers:?}");
    blocker.execute_batch("ROLLBACK").expect("lets go");
    let stored: i64 = conn.query_row("SELECT count(*) FROM redemptions", [], |r| r.get(0)).expect("counts");
    assert_eq!(stored, 0);
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

#[test]
fn a_card_changed_between_two_batches_is_judged_as_it_is_now() {
    use kaiku_core::card::RevocationReason;
    use kaiku_core::redemption::{DoorFields, RedemptionDraft};
    use kaiku_core::verdict::VerdictCode;
    use kaiku_core::wire::Flag;

    use crate::store::sqlite::cards;

    let (mut conn, mut card, device) = register_with_one_card();
    let (id, venue) = (card.id, device.venue);
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 17, 0, 0).single().expect("time");
    let scan = |seq: u64| {
        let door = DoorFields {
            card: id,
            venue,
            offer: OfferKind::Ticket,
            offer_id: None,
            children: 0,
            group: vec![],
            scanned_at: at,
            entry: EntryMethod::Qr,
            verdict: VerdictCode::Valid,
        };
        IncomingItem::Readable(
            Redemption::new(RedemptionDraft { id: Uuid::now_v7(), device: device.id, seq, door }, None).expect("valid"),
        )
    };
    let rules = UploadRules::default();
    let mut cache = CardCache::default();
    let first = upload(&mut conn, &mut cache, &device, vec![scan(1)], at, rules).expect("uploads");
    assert_eq!(first[0].outcome, Outcome::Accepted { flags: vec![] });
    // Revoked before the next scan (the same cache, as the server keeps it).
    card.revoke(RevocationReason::Stolen, NaiveDate::from_ymd_opt(2026, 11, 10).expect("date")).expect("revokes");
    cards::update_card(&mut conn, &card).expect("updates");
    let second = upload(&mut conn, &mut cache, &device, vec![scan(2)], at, rules).expect("uploads");
    assert!(
        matches!(&second[0].outcome, Outcome::Accepted { flags } if matches!(flags[..], [Flag::WouldRefuseOnline { .. }])),
        "{second:?}"
    );
}
