use chrono::TimeZone;

use super::*;
use crate::card_id::KaikuId;

fn id(serial: u32) -> CardId {
    CardId::from(KaikuId::new('A', serial).expect("valid"))
}

fn draft() -> RedemptionDraft {
    door().draft(Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001), DeviceId(1), 1)
}

fn door() -> DoorFields {
    DoorFields {
        card: id(1),
        venue: VenueId(10),
        offer: OfferKind::Ticket,
        offer_id: None,
        children: 0,
        group: vec![],
        scanned_at: Utc.with_ymd_and_hms(2026, 11, 21, 18, 0, 0).single().expect("time"),
        entry: EntryMethod::Qr,
        verdict: VerdictCode::Valid,
    }
}

/// The standard draft with other door fields.
fn with(door: DoorFields) -> RedemptionDraft {
    RedemptionDraft { door, ..draft() }
}

const PERSONAL: Option<CardFacts> = Some(CardFacts { kind: CardKind::Personal, minors_on_record: 2 });
const COMMUNITY: Option<CardFacts> = Some(CardFacts { kind: CardKind::Community, minors_on_record: 0 });

#[test]
fn one_adult_ticket_is_the_common_case() {
    let r = Redemption::new(draft(), PERSONAL).expect("valid");
    assert_eq!((r.adults, r.children), (1, 0));
}

#[test]
fn children_come_only_with_tickets() {
    let ok = with(DoorFields { children: 2, ..door() });
    assert_eq!(Redemption::new(ok, PERSONAL).map(|r| r.children), Ok(2));
    let course = with(DoorFields { children: 1, offer: OfferKind::CoursePlace, ..door() });
    assert_eq!(Redemption::new(course, PERSONAL), Err(RedemptionError::ChildrenWithCoursePlace));
}

#[test]
fn children_beyond_those_on_record_are_refused_with_both_numbers() {
    let d = with(DoorFields { children: 3, ..door() });
    let err = Redemption::new(d, PERSONAL).expect_err("too many");
    assert_eq!(err, RedemptionError::TooManyChildren { asked: 3, on_record: 2 });
    assert_eq!(err.to_string(), "3 children's tickets asked, but the card has 2 (grand)children on record");
}

#[test]
fn a_community_card_needs_a_group_member_and_never_takes_course_places() {
    assert_eq!(Redemption::new(draft(), COMMUNITY), Err(RedemptionError::CommunityWithoutGroup));
    let group = with(DoorFields { group: vec![id(2), id(3)], children: 2, ..door() });
    let r = Redemption::new(group.clone(), COMMUNITY).expect("valid");
    assert_eq!(r.adults, 3);
    let course = with(DoorFields { offer: OfferKind::CoursePlace, children: 0, ..group.door });
    assert_eq!(Redemption::new(course, COMMUNITY), Err(RedemptionError::CommunityCoursePlace));
}

#[test]
fn group_members_are_distinct_own_cards_and_only_on_community_cards() {
    let twice = with(DoorFields { group: vec![id(2), id(2)], ..door() });
    assert_eq!(Redemption::new(twice, COMMUNITY), Err(RedemptionError::RepeatedGroupMember(id(2))));
    let itself = with(DoorFields { group: vec![id(1)], ..door() });
    assert_eq!(Redemption::new(itself, COMMUNITY), Err(RedemptionError::RepeatedGroupMember(id(1))));
    let personal = with(DoorFields { group: vec![id(2)], ..door() });
    assert_eq!(Redemption::new(personal, PERSONAL), Err(RedemptionError::GroupOnPersonalCard));
    let big = with(DoorFields { group: (2..=11).map(id).collect(), ..door() });
    assert_eq!(Redemption::new(big, COMMUNITY), Err(RedemptionError::GroupTooLarge));
}

#[test]
fn an_unverified_card_is_recorded_with_the_rules_that_need_no_register() {
    let d = with(DoorFields { verdict: VerdictCode::ValidUnverified, children: 4, ..door() });
    assert!(Redemption::new(d.clone(), None).is_ok());
    let course = with(DoorFields { offer: OfferKind::CoursePlace, ..d.door });
    assert_eq!(Redemption::new(course, None), Err(RedemptionError::ChildrenWithCoursePlace));
}

#[test]
fn a_refused_scan_cannot_be_recorded() {
    let d = with(DoorFields { verdict: VerdictCode::Expired, ..door() });
    assert_eq!(Redemption::new(d, PERSONAL), Err(RedemptionError::NotAdmitted(VerdictCode::Expired)));
}

#[test]
fn the_server_check_catches_a_tampered_adult_count_and_a_zero_sequence() {
    let mut r = Redemption::new(draft(), PERSONAL).expect("valid");
    r.adults = 4;
    assert_eq!(r.check(PERSONAL), Err(RedemptionError::AdultsMismatch { adults: 4, members: 0, expected: 1 }));
    r.adults = 1;
    r.seq = 0;
    assert_eq!(r.check(PERSONAL), Err(RedemptionError::ZeroSequence));
}

#[test]
fn redemptions_round_trip_through_json_and_refuse_unknown_fields() {
    let r = Redemption::new(with(DoorFields { group: vec![id(2)], ..door() }), COMMUNITY).expect("valid");
    let json = serde_json::to_string(&r).expect("ser");
    assert_eq!(serde_json::from_str::<Redemption>(&json).expect("de"), r);
    let with_name = json.replacen('{', r#"{"holder_name":"Maija","#, 1);
    assert!(serde_json::from_str::<Redemption>(&with_name).is_err());
}

#[test]
fn a_correction_repeats_the_undone_redemption_and_names_it() {
    let r = Redemption::new(draft(), PERSONAL).expect("valid");
    let later = r.scanned_at + chrono::TimeDelta::seconds(4);
    let undo = r.correction(Uuid::from_u128(2), 2, later);
    assert_eq!((undo.undoes, undo.seq, undo.scanned_at, undo.card), (Some(r.id), 2, later, r.card));
    assert_eq!(undo.check(PERSONAL), Ok(()));
    let json = serde_json::to_string(&undo).expect("serialises");
    assert_eq!(serde_json::from_str::<Redemption>(&json).expect("reads back"), undo);
    assert!(!serde_json::to_string(&r).expect("serialises").contains("undoes"), "plain uses stay as before");
    let itself = Redemption { undoes: Some(undo.id), ..undo };
    assert_eq!(itself.check(PERSONAL), Err(RedemptionError::UndoesItself));
}

const PLAIN: Option<CardFacts> = Some(CardFacts { kind: CardKind::Personal, minors_on_record: 0 });

#[test]
fn the_doors_choices_are_exactly_what_check_accepts() {
    for facts in [PLAIN, PERSONAL, COMMUNITY, None] {
        for offer in [OfferKind::Ticket, OfferKind::CoursePlace] {
            let choices = Choices::for_card(facts, offer);
            if facts == COMMUNITY && offer == OfferKind::CoursePlace {
                // The verdict refuses it before any form.
                assert_eq!(Redemption::new(draft(), facts).map(|_| ()), Err(RedemptionError::CommunityWithoutGroup));
                continue;
            }
            let group = if choices.group_needed { vec![id(2)] } else { vec![] };
            let at = |children, group: Vec<CardId>| with(DoorFields { children, offer, group, ..door() });
            let what = format!("{facts:?} {offer:?}");
            assert!(
                Redemption::new(at(choices.children, group.clone()), facts).is_ok(),
                "{what}: the limit is allowed"
            );
            assert!(
                Redemption::new(at(choices.children + 1, group.clone()), facts).is_err(),
                "{what}: one more is not"
            );
            let with_member = Redemption::new(at(0, vec![id(3)]), facts);
            if choices.group {
                assert!(with_member.is_ok(), "{what}: a group member");
            } else if facts.is_some() {
                // Unverified, the device cannot tell; the server checks with the register's facts.
                assert!(with_member.is_err(), "{what}: no group member");
            }
            if choices.group_needed {
                assert!(Redemption::new(at(0, vec![]), facts).is_err(), "{what}: no group");
            }
        }
    }
}

#[test]
fn only_a_personal_card_with_no_children_on_record_has_nothing_to_choose() {
    assert!(Choices::for_card(PLAIN, OfferKind::Ticket).nothing());
    assert!(Choices::for_card(PERSONAL, OfferKind::CoursePlace).nothing(), "no children with a course place");
    assert!(!Choices::for_card(PERSONAL, OfferKind::Ticket).nothing(), "children on record");
    assert!(!Choices::for_card(COMMUNITY, OfferKind::Ticket).nothing(), "a community card needs its group");
    assert!(!Choices::for_card(None, OfferKind::Ticket).nothing(), "an unverified card may bring children");
    assert_eq!(Choices::for_card(None, OfferKind::Ticket).children, MAX_MINORS);
}
