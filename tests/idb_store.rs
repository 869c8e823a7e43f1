//! The browser's stores on a real IndexedDB in headless Chromium (`./kaiku test`, step
//! `wasm_test`): the scanner's log keeps gapless sequence numbers across a reopen and with two
//! stores on one database, an undo is a correction made once, the server's answers and the
//! register copy survive a reopen, and the holder's vault keeps what was put and forgets what was
//! deleted. Each test has a database of its own (a fresh name a run), and every reopen reads back
//! from IndexedDB, not from memory.

#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use futures_util::future::join;
use kaiku::scanner::idb::IdbScannerStore;
use kaiku::scanner::store::UndoRefused;
use kaiku::scanner::{Enrollment, Fields, ScannerStore, StoreError, SyncState};
use kaiku::storage::{IndexedDbVault, Vault, load, save};
use kaiku_core::card::{CardKind, RevocationReason};
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::keys::{IssuerKey, KeyId, KeySet, TrustedKeys};
use kaiku_core::redemption::{CardFacts, EntryMethod, OfferKind};
use kaiku_core::verdict::{RegisterEntry, RegisterLookup, RegisterStatus, VerdictCode};
use kaiku_core::wire::{Cursor, ItemOutcome, Offer, Outcome, RegisterPage, RegisterRecord};
use kaiku_core::{CardId, KaikuId, Redemption};
use uuid::Uuid;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const DEVICE: DeviceId = DeviceId(7);
const VENUE: VenueId = VenueId(2);

/// A database name no earlier test or run has used.
fn fresh(what: &str) -> String {
    format!("kaiku-test-{what}-{}", Uuid::now_v7())
}

/// Opens the scanner's store on the database `name`, as the app does.
async fn open(name: &str) -> IdbScannerStore {
    IdbScannerStore::open(name).await.expect("the scanner's IndexedDB store opens")
}

fn issuer() -> IssuerKey {
    IssuerKey::from_seed(KeyId(1), [9; 32])
}

fn card(serial: u32) -> CardId {
    CardId::from(KaikuId::new('A', serial).expect("a card id"))
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a time")
}

/// A store on a fresh database, enrolled as `DEVICE` at `VENUE`.
async fn enrolled(name: &str) -> IdbScannerStore {
    let s = open(name).await;
    let e = Enrollment {
        device: DEVICE,
        token: Some("device-token".into()),
        venue: VENUE,
        venue_name: "Northern hall".into(),
        offers: vec![Offer { id: OfferId(4), name: "Concert".into(), kind: OfferKind::Ticket, limit: None }],
    };
    let keys = TrustedKeys::enroll(&KeySet::new([issuer().public()]).records(), &[]);
    s.save_enrollment(&e, &keys).await.expect("the enrollment is stored");
    s
}

/// What staff fill in for a plain card admitted to the concert.
fn door(serial: u32) -> Fields {
    Fields {
        card: card(serial),
        venue: VENUE,
        offer: OfferKind::Ticket,
        offer_id: Some(OfferId(4)),
        children: 0,
        group: Vec::new(),
        scanned_at: Utc::now(),
        entry: EntryMethod::Qr,
        verdict: VerdictCode::Valid,
    }
}

const PLAIN: Option<CardFacts> = Some(CardFacts { kind: CardKind::Personal, minors_on_record: 0 });

async fn record(s: &IdbScannerStore, serial: u32) -> Redemption {
    s.record(door(serial), PLAIN).await.expect("the redemption is recorded")
}

/// The sequence numbers of what the store holds pending, oldest first.
async fn pending_seqs(s: &IdbScannerStore) -> Vec<u64> {
    s.pending(100).await.expect("the pending redemptions").iter().map(|r| r.seq).collect()
}

fn ids(rs: &[Redemption]) -> Vec<Uuid> {
    rs.iter().map(|r| r.id).collect()
}

#[wasm_bindgen_test]
async fn sequence_numbers_go_on_without_a_gap_after_a_reopen() {
    let name = fresh("seq");
    let s = enrolled(&name).await;
    let mut made = Vec::new();
    for serial in 1..=3 {
        made.push(record(&s, serial).await);
    }
    drop(s);

    let s = open(&name).await;
    for serial in 4..=5 {
        made.push(record(&s, serial).await);
    }
    // Two at once, the second started before the first is stored: each takes its own number.
    let (sixth, seventh) = join(record(&s, 6), record(&s, 7)).await;
    made.extend([sixth, seventh]);
    made.sort_by_key(|r| r.seq);
    assert_eq!(made.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7]);
    assert!(made.iter().all(|r| r.device == DEVICE), "all recorded as the enrolled device");
    assert_eq!(s.pending(100).await.expect("the pending redemptions"), made, "the store's own view");
    drop(s);

    let s = open(&name).await;
    let stored = s.pending(100).await.expect("the pending redemptions");
    assert_eq!(stored, made, "every redemption is stored as recorded, in order");
    assert_eq!(s.pending_count().await.expect("the count"), 7);
    assert_eq!(s.pending_devices().await.expect("the devices"), [DEVICE]);
}

#[wasm_bindgen_test]
async fn a_redemption_breaking_the_card_rules_takes_no_number() {
    let name = fresh("refused");
    let s = enrolled(&name).await;
    record(&s, 1).await;
    let three_children = Fields { children: 3, ..door(2) };
    let refused = s.record(three_children, PLAIN).await;
    assert!(refused.is_err(), "a card with no children on record admits none: {refused:?}");
    assert_eq!(record(&s, 3).await.seq, 2, "the refused one burnt no number");
    drop(s);
    assert_eq!(pending_seqs(&open(&name).await).await, [1, 2]);
}

/// The server's answer to the first three of four: accepted, already had it, refused.
fn answer(sent: &[Redemption]) -> Vec<ItemOutcome> {
    let outcomes = [
        Outcome::Accepted { flags: Vec::new() },
        Outcome::Duplicate,
        Outcome::Rejected { reason: "the card was revoked before the scan".into() },
    ];
    outcomes
        .into_iter()
        .enumerate()
        .map(|(i, outcome)| ItemOutcome { index: i as u32, id: Some(sent[i].id), outcome })
        .collect()
}

#[wasm_bindgen_test]
async fn the_servers_answers_are_kept_across_a_reopen() {
    let name = fresh("marks");
    let s = enrolled(&name).await;
    for serial in 1..=4 {
        record(&s, serial).await;
    }
    let sent = s.pending(100).await.expect("the pending redemptions");
    let marked = s.mark(&sent, &answer(&sent)).await.expect("the answer is stored");
    assert_eq!((marked.accepted, marked.duplicate, marked.rejected, marked.unmatched), (1, 1, 1, 0));
    assert_eq!(pending_seqs(&s).await, [4], "only the unanswered one is pending");
    drop(s);

    let s = open(&name).await;
    assert_eq!(s.pending_count().await.expect("the count"), 1);
    assert_eq!(pending_seqs(&s).await, [4]);
    let rejected = s.rejected().await.expect("the rejected ones");
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].redemption, sent[2]);
    let reason = "the card was revoked before the scan".to_string();
    assert_eq!(rejected[0].state, SyncState::Rejected { reason });
    let day = s.between(sent[0].scanned_at, Utc::now() + TimeDelta::seconds(1)).await.expect("the day");
    let states: Vec<SyncState> = day.into_iter().map(|l| l.state).collect();
    assert_eq!(states[..3], [SyncState::Accepted, SyncState::Duplicate, rejected[0].state.clone()]);
    assert_eq!(states[3], SyncState::Pending);

    // An answer to something already answered changes nothing; one naming no item is counted.
    let again = vec![
        ItemOutcome { index: 0, id: Some(sent[0].id), outcome: Outcome::Rejected { reason: "late".into() } },
        ItemOutcome { index: 1, id: Some(sent[3].id), outcome: Outcome::Duplicate },
    ];
    let marked = s.mark(&sent[..2], &again).await.expect("the second answer is stored");
    assert_eq!(marked.unmatched, 1);
    drop(s);
    let s = open(&name).await;
    assert_eq!(s.rejected().await.expect("the rejected ones").len(), 1, "the accepted one stays accepted");
    assert_eq!(pending_seqs(&s).await, [4], "the mismatched answer left the last one pending");
}

/// Asserts that `result` is the undo refused for `why`.
#[track_caller]
fn assert_refused(result: Result<Redemption, StoreError>, why: UndoRefused) {
    assert!(matches!(result, Err(StoreError::Undo(w)) if w == why), "refused as {why:?}: {result:?}");
}

#[wasm_bindgen_test]
async fn an_undo_is_a_numbered_correction_and_happens_once() {
    let name = fresh("undo");
    let s = enrolled(&name).await;
    let first = record(&s, 1).await;
    let second = record(&s, 2).await;
    let other = open(&name).await;
    let undo = s.undo(&first, Utc::now()).await.expect("the first record is taken back");
    assert_eq!((undo.seq, undo.undoes, undo.card), (3, Some(first.id), first.card), "a correction of its own");
    assert_refused(s.undo(&first, Utc::now()).await, UndoRefused::AlreadyUndone);
    assert_refused(s.undo(&undo, Utc::now()).await, UndoRefused::Correction);
    // The other store loaded the log before the undo: the database refuses the second one.
    assert_refused(other.undo(&first, Utc::now()).await, UndoRefused::AlreadyUndone);
    assert_eq!(record(&other, 4).await.seq, 4, "a refused undo takes no number");
    drop((s, other));

    let s = open(&name).await;
    let stored = s.pending(100).await.expect("the pending redemptions");
    assert_eq!(ids(&stored[..3]), ids(&[first.clone(), second, undo]), "nothing deleted; the correction syncs too");
    assert_refused(s.undo(&first, Utc::now()).await, UndoRefused::AlreadyUndone);
}

fn active(days: i64) -> RegisterEntry {
    RegisterEntry {
        kind: CardKind::Personal,
        valid_until: NaiveDate::from_ymd_opt(2030, 1, 1).expect("a date") + TimeDelta::days(days),
        minors_on_record: 0,
        status: RegisterStatus::Active,
    }
}

fn page(snapshot: bool, cards: &[(u32, RegisterEntry)], next: u64, more: bool, as_of: &str) -> RegisterPage {
    RegisterPage {
        snapshot,
        records: cards.iter().map(|&(serial, entry)| RegisterRecord { card: card(serial), entry }).collect(),
        next: Cursor(next),
        more,
        as_of: at(as_of),
        keys: KeySet::new([issuer().public()]).records(),
        endorsements: Vec::new(),
        retirements: Vec::new(),
    }
}

#[wasm_bindgen_test]
async fn the_register_copy_and_its_cursor_survive_a_reopen() {
    let name = fresh("register");
    let s = enrolled(&name).await;
    // The first pull: a snapshot in two pages (only the first says so, as the server sends it).
    s.apply_page(&page(true, &[(11, active(0)), (12, active(1))], 2, true, "2026-03-01T10:00:00Z"))
        .await
        .expect("the first page is applied");
    assert_eq!(s.register().meta.as_of, None, "a pull is complete only on its last page");
    s.apply_page(&page(false, &[(13, active(2))], 3, false, "2026-03-01T10:00:05Z"))
        .await
        .expect("the last page is applied");
    drop(s);

    let s = open(&name).await;
    assert_eq!(s.register().meta.cursor, Cursor(3));
    assert_eq!(s.register().meta.as_of, Some(at("2026-03-01T10:00:05Z")));
    assert_eq!(s.register().cards.len(), 3);
    for (serial, days) in [(11, 0), (12, 1), (13, 2)] {
        assert_eq!(s.register().lookup(&card(serial)), Some(active(days)), "card {serial}");
    }
    assert!(s.key_set().expect("the keys").get(KeyId(1)).is_some(), "the trusted key came back too");

    // A later pull brings only the changes: one card revoked, one new.
    let revoked = RegisterEntry {
        status: RegisterStatus::Revoked {
            reason: RevocationReason::Lost,
            on: NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date"),
        },
        ..active(1)
    };
    s.apply_page(&page(false, &[(12, revoked), (14, active(3))], 5, false, "2026-03-02T08:30:00Z"))
        .await
        .expect("the delta page is applied");
    drop(s);

    let s = open(&name).await;
    assert_eq!(s.register().meta.cursor, Cursor(5));
    assert_eq!(s.register().meta.as_of, Some(at("2026-03-02T08:30:00Z")));
    assert_eq!(s.register().cards.len(), 4);
    assert_eq!(s.register().lookup(&card(11)), Some(active(0)), "untouched by the delta");
    assert_eq!(s.register().lookup(&card(12)), Some(revoked));
    assert_eq!(s.register().lookup(&card(14)), Some(active(3)));
    assert_eq!(s.register().lookup(&card(15)), None);
    let e = s.enrollment().await.expect("the enrollment").expect("still enrolled");
    assert_eq!((e.device, e.venue), (DEVICE, VENUE), "saving the register kept the enrollment");
}

#[wasm_bindgen_test]
async fn two_stores_on_one_database_share_one_gapless_log() {
    let name = fresh("two");
    let a = enrolled(&name).await;
    let first = record(&a, 1).await;
    let b = open(&name).await;
    let second = record(&b, 2).await;
    let third = record(&a, 3).await;
    let fourth = record(&b, 4).await;
    let made = [first, second, third, fourth];
    assert_eq!(made.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3, 4], "one number each, in turn");

    // Each store read in what the other wrote before its own number.
    assert_eq!(ids(&a.pending(100).await.expect("a's pending")), ids(&made[..3]));
    assert_eq!(ids(&b.pending(100).await.expect("b's pending")), ids(&made));
    assert_eq!(a.last_recorded(card(2)).await.expect("a's index"), Some(made[1].scanned_at));

    // Both at once: neither waits for the other, the database gives each its turn.
    let (fifth, sixth) = join(record(&a, 5), record(&b, 6)).await;
    let mut made = made.to_vec();
    made.extend([fifth, sixth]);
    made.sort_by_key(|r| r.seq);
    assert_eq!(made.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
    drop((a, b));

    let s = open(&name).await;
    assert_eq!(s.pending(100).await.expect("the pending redemptions"), made, "stored once each");
}

#[wasm_bindgen_test]
async fn the_holders_vault_keeps_its_values_across_a_reopen() {
    let name = fresh("vault");
    let vault = IndexedDbVault::open(&name).await.expect("the vault opens");
    assert_eq!(vault.get("card").await.expect("a read"), None, "a new vault is empty");
    vault.put("card", r#"{"serial":1}"#).await.expect("put");
    vault.put("lang", r#""fi""#).await.expect("put");
    vault.put("card", r#"{"serial":2}"#).await.expect("put again");
    save(&vault, "prefs", &vec![3_u8, 1, 4]).await.expect("a typed value is saved");
    vault.delete("lang").await.expect("delete");
    vault.delete("never-there").await.expect("deleting a missing key is no error");
    drop(vault);

    let vault = IndexedDbVault::open(&name).await.expect("the vault opens again");
    assert_eq!(vault.get("card").await.expect("a read").as_deref(), Some(r#"{"serial":2}"#), "the last put wins");
    assert_eq!(vault.get("lang").await.expect("a read"), None, "deleted stays deleted");
    assert_eq!(load::<Vec<u8>>(&vault, "prefs").await.expect("a typed read"), Some(vec![3, 1, 4]));
    let other = IndexedDbVault::open(&fresh("vault-other")).await.expect("another vault opens");
    assert_eq!(other.get("card").await.expect("a read"), None, "vaults do not share values");
}
