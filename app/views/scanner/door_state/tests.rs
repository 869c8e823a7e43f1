use chrono::{NaiveDate, TimeZone};
use kaiku_core::KaikuId;
use kaiku_core::card::CardKind;
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::redemption::DoorFields;
use kaiku_core::verdict::{Admission, Evidence, Unverified, VerdictCode};
use uuid::Uuid;

use super::*;

fn id(serial: u32) -> CardId {
    CardId::from(KaikuId::new('A', serial).expect("a card id"))
}

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 18, 0, 0).single().expect("a time") + TimeDelta::seconds(seconds)
}

fn valid(kind: CardKind, minors: u8) -> Verdict {
    Verdict::Valid(Admission {
        card: id(1),
        kind,
        valid_until: NaiveDate::from_ymd_opt(2027, 6, 30).expect("a date"),
        minors_on_record: minors,
        evidence: Evidence::SignedCredential { issued: None },
    })
}

fn shown(verdict: Verdict) -> Shown {
    Shown { input: ScanInput::PlainId(id(1)), verdict, entry: EntryMethod::Qr, at: at(0), cautions: vec![] }
}

fn done(serial: u128) -> Done {
    let fields = DoorFields {
        card: id(1),
        venue: VenueId(1),
        offer: OfferKind::Ticket,
        offer_id: None,
        children: 0,
        group: vec![],
        scanned_at: at(0),
        entry: EntryMethod::Qr,
        verdict: VerdictCode::Valid,
    };
    let redemption = Redemption::new(fields.draft(Uuid::from_u128(serial), DeviceId(1), 1), None).expect("valid");
    Done { redemption, summary: "A001".into(), gate: true, undo_left: UNDO_SECONDS, undone: false }
}

#[test]
fn the_next_person_starts_from_a_clean_form_but_keeps_the_last_record_and_its_undo() {
    let mut m = DoorModel::default();
    m.recorded(done(1));
    m.show(shown(valid(CardKind::Community, 0)));
    assert_eq!(m.done, None, "a new verdict replaces the last confirmation");
    m.children = 2;
    m.add_member(id(2)).expect("added");
    m.adding = true;
    m.error = Some("not recorded".into());
    m.hold = true;
    m.recorded(done(2));
    let undo = m.undoable().map(|r| r.id);
    assert_eq!(undo, Some(Uuid::from_u128(2)));
    assert_eq!(DoorModel { done: m.done.clone(), ..DoorModel::default() }, m, "everything else is reset");
    m.show(shown(valid(CardKind::Personal, 0)));
    m.next_person();
    assert_eq!(m, DoorModel::default(), "next person: nothing left over");
}

#[test]
fn only_a_verified_plain_card_without_cautions_is_recorded_at_once() {
    let plain = shown(valid(CardKind::Personal, 0));
    assert!(plain.records_at_once(OfferKind::Ticket));
    assert!(!shown(valid(CardKind::Personal, 2)).records_at_once(OfferKind::Ticket), "children to choose");
    assert!(shown(valid(CardKind::Personal, 2)).records_at_once(OfferKind::CoursePlace), "no children then");
    assert!(!shown(valid(CardKind::Community, 0)).records_at_once(OfferKind::Ticket), "a group to add");
    let unverified = Verdict::ValidUnverified { card: id(1), why: Unverified::NoRegisterCopy };
    assert!(!shown(unverified).records_at_once(OfferKind::Ticket));
    let expired = Verdict::Expired { card: id(1), on: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date") };
    assert!(!shown(expired).records_at_once(OfferKind::Ticket));
    let seen = Shown { cautions: vec![Caution::SeenHere { at: at(-600), ago: TimeDelta::minutes(10) }], ..plain };
    assert!(!seen.records_at_once(OfferKind::Ticket), "seen here stops for staff");
}

#[test]
fn the_same_code_still_in_front_of_the_camera_is_not_a_new_scan() {
    let mut m = DoorModel::default();
    let card = ScanInput::PlainId(id(1));
    assert!(m.first_sight(&card, at(0)));
    assert!(!m.first_sight(&card, at(2)));
    assert!(!m.first_sight(&card, at(4)), "seen again 2 s after the last sight");
    assert!(m.first_sight(&card, at(8)));
    assert!(m.first_sight(&ScanInput::PlainId(id(2)), at(8)));
}

#[test]
fn group_members_are_checked_against_the_card_the_group_and_the_limit() {
    let mut m = DoorModel::default();
    m.show(shown(valid(CardKind::Community, 0)));
    assert_eq!(m.add_member(id(1)), Err(MemberProblem::Itself));
    assert_eq!(m.add_member(id(2)), Ok(()));
    assert_eq!(m.add_member(id(2)), Err(MemberProblem::Twice));
    for serial in 3..(3 + MAX_GROUP as u32 - 1) {
        m.add_member(id(serial)).expect("room");
    }
    assert_eq!(m.add_member(id(99)), Err(MemberProblem::Full));
}

#[test]
fn undo_counts_down_and_ends() {
    let mut m = DoorModel::default();
    m.recorded(done(1));
    let id = Uuid::from_u128(1);
    assert!(!m.tick(Uuid::from_u128(2)), "another record's countdown stops");
    for left in (1..UNDO_SECONDS).rev() {
        assert!(m.tick(id));
        assert_eq!(m.done.as_ref().map(|d| d.undo_left), Some(left));
    }
    assert!(!m.tick(id));
    assert_eq!(m.undoable(), None, "too late");
    assert!(m.done.is_some(), "the confirmation stays");
}
