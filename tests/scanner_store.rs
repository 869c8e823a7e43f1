//! The scanner's SQLite store as the door and the sync share it (its methods take `&self`):
//! overlapping records keep the sequence numbers gapless, also from two stores on one file; the
//! door's undo appends a pending correction with the next number and is refused when it cannot
//! be one; and the seen-here caution and today's counts leave out what was taken back.

use chrono::{DateTime, TimeDelta, Utc};
use kaiku::scanner::store::UndoRefused;
use kaiku::scanner::{Enrollment, Fields, ScannerStore, SqliteScannerStore, StoreError, SyncState};
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::keys::TrustedKeys;
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::{CardId, KaikuId, Redemption};
use uuid::Uuid;

const DEVICE: DeviceId = DeviceId(4);
const VENUE: VenueId = VenueId(2);

fn card(serial: u32) -> CardId {
    CardId::from(KaikuId::new('A', serial).expect("a card id"))
}

fn ticket(serial: u32, at: DateTime<Utc>) -> Fields {
    Fields {
        card: card(serial),
        venue: VENUE,
        offer: OfferKind::Ticket,
        offer_id: None,
        children: 0,
        group: Vec::new(),
        scanned_at: at,
        entry: EntryMethod::Qr,
        verdict: VerdictCode::Valid,
    }
}

async fn enrolled(path: &std::path::Path) -> SqliteScannerStore {
    let s = SqliteScannerStore::open(path).expect("the scanner database opens");
    let e = Enrollment {
        device: DEVICE,
        token: Some("kd1.token".into()),
        venue: VENUE,
        venue_name: "Arctic hall".into(),
        offers: Vec::new(),
    };
    s.save_enrollment(&e, &TrustedKeys::default()).await.expect("enrolled");
    s
}

async fn record(s: &SqliteScannerStore, serial: u32, at: DateTime<Utc>) -> Redemption {
    ScannerStore::record(s, ticket(serial, at), None).await.expect("recorded")
}

fn seqs(s: &SqliteScannerStore) -> Vec<u64> {
    s.log().expect("the log").iter().map(|l| l.redemption.seq).collect()
}

#[tokio::test]
async fn overlapping_records_take_the_next_numbers_without_a_gap_also_from_two_stores() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("scanner.sqlite");
    let door = enrolled(&path).await;
    let now = Utc::now();
    let (a, b) = tokio::join!(record(&door, 1, now), record(&door, 2, now));
    let mut both = [a.seq, b.seq];
    both.sort_unstable();
    assert_eq!(both, [1, 2], "two records in flight at once");

    let other = SqliteScannerStore::open(&path).expect("a second store on the same file");
    let (c, d) = tokio::join!(record(&door, 3, now), record(&other, 4, now));
    let mut next = [c.seq, d.seq];
    next.sort_unstable();
    assert_eq!(next, [3, 4], "the second store continues the same numbering");
    assert_eq!(seqs(&door), [1, 2, 3, 4]);
    assert_eq!(door.pending_count().expect("a count"), 4);
}

#[tokio::test]
async fn an_undo_appends_a_pending_correction_with_the_next_number_and_deletes_nothing() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("scanner.sqlite");
    let s = enrolled(&path).await;
    let first = record(&s, 1, Utc::now()).await;
    let second = record(&s, 2, Utc::now()).await;
    let at = Utc::now();
    let correction = s.undo(&first, at).await.expect("taken back");
    assert_eq!((correction.seq, correction.undoes, correction.card), (3, Some(first.id), first.card));
    assert_eq!((correction.device, correction.scanned_at), (DEVICE, at));
    assert_ne!(correction.id, first.id);

    let reopened = SqliteScannerStore::open(&path).expect("opens again");
    let log = reopened.log().expect("the log");
    assert_eq!(log.iter().map(|l| l.redemption.id).collect::<Vec<_>>(), [first.id, second.id, correction.id]);
    assert_eq!(log[2].redemption, correction, "the correction reads back whole");
    assert!(log.iter().all(|l| l.state == SyncState::Pending), "the correction waits for the server like any record");
    let sent = reopened.pending(10).await.expect("pending");
    assert_eq!(sent.last(), Some(&correction), "and is sent by the same upload");
}

#[tokio::test]
async fn an_undo_is_refused_for_a_record_taken_back_already_a_correction_and_another_devices() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let s = enrolled(&dir.path().join("scanner.sqlite")).await;
    let r = record(&s, 1, Utc::now()).await;
    let correction = s.undo(&r, Utc::now()).await.expect("taken back once");
    let refused = |e: Result<Redemption, StoreError>| match e {
        Err(StoreError::Undo(why)) => why,
        other => panic!("not refused as an undo: {other:?}"),
    };
    let again = s.undo(&r, Utc::now()).await;
    assert!(again.as_ref().is_err_and(|e| e.to_string().contains("taken back already")), "{again:?}");
    assert_eq!(refused(again), UndoRefused::AlreadyUndone);
    assert_eq!(refused(s.undo(&correction, Utc::now()).await), UndoRefused::Correction);
    let elsewhere = Redemption { device: DeviceId(9), ..r.clone() };
    assert_eq!(refused(s.undo(&elsewhere, Utc::now()).await), UndoRefused::OtherDevice);
    let unknown = Redemption { id: Uuid::now_v7(), ..r.clone() };
    assert_eq!(refused(s.undo(&unknown, Utc::now()).await), UndoRefused::NotInLog);
    assert_eq!(seqs(&s), [1, 2], "a refused undo burns no number");
}

#[tokio::test]
async fn seen_here_and_todays_counts_leave_out_what_was_taken_back() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let s = enrolled(&dir.path().join("scanner.sqlite")).await;
    // Midday of a fixed day: the records fall on the same day wherever the test runs.
    let now = DateTime::parse_from_rfc3339("2026-06-15T12:00:00+00:00").expect("a time").to_utc();
    let earlier = record(&s, 1, now - TimeDelta::minutes(30)).await;
    let later = record(&s, 1, now - TimeDelta::minutes(5)).await;
    record(&s, 2, now - TimeDelta::minutes(4)).await;
    assert_eq!(s.last_recorded(card(1)).await.expect("answers"), Some(later.scanned_at));

    s.undo(&later, now).await.expect("taken back");
    assert_eq!(
        s.last_recorded(card(1)).await.expect("answers"),
        Some(earlier.scanned_at),
        "the undone one is not seen"
    );
    s.undo(&earlier, now).await.expect("taken back");
    assert_eq!(s.last_recorded(card(1)).await.expect("answers"), None, "nor is the correction");

    let today = s.today(now.fixed_offset()).await.expect("today");
    assert_eq!(today.redemptions.len(), 5, "the list keeps every record and correction");
    let counted: u32 = today.by_offer.iter().map(|c| c.redemptions).sum();
    assert_eq!(counted, 1, "only card 2's ticket counts");
}
