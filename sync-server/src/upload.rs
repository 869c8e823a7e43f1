//! How the server judges one uploaded redemption: pure, shared by every storage backend.
//!
//! Nothing is rolled back: an item the device admitted offline that the register would
//! refuse now is accepted with a flag. Only items that break the card's rules, name another
//! device, venue or another venue's offer, or name a card the register has never had are
//! rejected; the device keeps those and shows them to staff, and the server keeps a copy too.
//!
//! A scan time ahead of the server's clock (beyond `clock_tolerance`) is accepted with the flag
//! `clock_ahead`, not refused: the redemption happened at the door and is kept ("nothing
//! already recorded is lost"); the flag tells the scanner its clock is wrong.

use chrono::{DateTime, TimeDelta, Utc};
use kaiku_core::card::{CardState, state_of};
use kaiku_core::ids::{DeviceId, OfferId};
use kaiku_core::redemption::CardFacts;
use kaiku_core::verdict::VerdictCode;
use kaiku_core::wire::Flag;
use kaiku_core::{Card, CardId, Redemption};
use uuid::Uuid;

use crate::store::DeviceRecord;

/// Settings that shape judging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadRules {
    /// Uploads this long after the scan are flagged late.
    pub late_after: TimeDelta,
    /// A scan time this far ahead of the server's clock is still taken as right.
    pub clock_tolerance: TimeDelta,
    /// The same card at another device (or venue) within this long is flagged for checking.
    pub flag_window: TimeDelta,
}

impl Default for UploadRules {
    fn default() -> Self {
        Self {
            late_after: TimeDelta::hours(24),
            clock_tolerance: TimeDelta::minutes(10),
            flag_window: TimeDelta::hours(1),
        }
    }
}

/// What to do with one readable item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Accept(Vec<Flag>),
    Reject(String),
}

/// Judges `r`, sent by `device`, given the register's card (if any) and the ids of the
/// device's venue's offers (closed ones too: a scan may predate the closing).
pub fn judge(
    r: &Redemption,
    device: &DeviceRecord,
    card: Option<&Card>,
    venue_offers: &[OfferId],
    received_at: DateTime<Utc>,
    rules: UploadRules,
) -> Judgement {
    if let Some(wrong) = not_the_senders(r, device) {
        return wrong;
    }
    if let Some(offer) = r.offer_id.filter(|o| !venue_offers.contains(o)) {
        return Judgement::Reject(format!(
            "the item names offer {offer}, which is not an offer of venue {}: choose one of the venue's own offers",
            device.venue
        ));
    }
    let Some(card) = card else {
        return Judgement::Reject(format!("card {} is not in the register", r.card));
    };
    let facts = CardFacts { kind: card.kind, minors_on_record: card.minors_on_record };
    if let Err(e) = r.check(Some(facts)) {
        return Judgement::Reject(e.to_string());
    }
    let mut flags = time_flags(r, received_at, rules);
    let scanned_on = r.scanned_at.date_naive();
    match state_of(card.status, card.valid_until, scanned_on) {
        CardState::Valid { .. } => {}
        // Revoked only after the scan: the card was good at the door.
        CardState::Revoked { on, .. } if on > scanned_on && scanned_on <= card.valid_until => {}
        CardState::Expired { on } => flags
            .push(Flag::WouldRefuseOnline { verdict: VerdictCode::Expired, reason: format!("card expired on {on}") }),
        CardState::Revoked { on, reason } => flags.push(Flag::WouldRefuseOnline {
            verdict: VerdictCode::Revoked,
            reason: format!("card revoked on {on} ({reason:?})"),
        }),
    }
    Judgement::Accept(flags)
}

/// A scan time ahead of the server's clock, or an upload long after the scan.
fn time_flags(r: &Redemption, received_at: DateTime<Utc>, rules: UploadRules) -> Vec<Flag> {
    let mut flags = Vec::new();
    let ahead = r.scanned_at - received_at;
    if ahead > rules.clock_tolerance {
        flags.push(Flag::ClockAhead { minutes: u32::try_from(ahead.num_minutes()).unwrap_or(u32::MAX) });
    }
    let late = received_at - r.scanned_at;
    if late > rules.late_after {
        flags.push(Flag::LateUpload { hours: u32::try_from(late.num_hours()).unwrap_or(u32::MAX) });
    }
    flags
}

/// The stored redemption a correction names, as far as judging it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    pub device: DeviceId,
    pub card: CardId,
    pub seq: u64,
    /// It is a correction itself.
    pub correction: bool,
    /// The correction that already took it back.
    pub taken_back_by: Option<Uuid>,
}

/// Judges a correction (`r.undoes` is set), given the redemption it names as stored (if it is).
/// A correction takes back a use; the card's rules were checked on that use and are not asked
/// again (the register may have changed since), and the register would refuse nothing.
pub fn judge_correction(
    r: &Redemption,
    device: &DeviceRecord,
    undone: Option<&Undone>,
    received_at: DateTime<Utc>,
    rules: UploadRules,
) -> Judgement {
    let Some(target) = r.undoes else { return Judgement::Reject("the item is not a correction".into()) };
    if let Some(wrong) = not_the_senders(r, device) {
        return wrong;
    }
    if let Err(e) = r.check(None) {
        return Judgement::Reject(e.to_string());
    }
    let Some(u) = undone else {
        return Judgement::Reject(format!("the correction takes back redemption {target}, which is not on record"));
    };
    if u.device != device.id {
        return Judgement::Reject(format!(
            "the correction takes back redemption {target}, which device {} recorded: a device takes back only its own",
            u.device
        ));
    }
    if u.card != r.card {
        return Judgement::Reject(format!(
            "the correction takes back redemption {target}, a use of card {}, not of card {}",
            u.card, r.card
        ));
    }
    if u.correction {
        return Judgement::Reject(format!(
            "the correction takes back redemption {target}, which is a correction itself"
        ));
    }
    if u.seq >= r.seq {
        return Judgement::Reject(format!(
            "the correction (seq {}) takes back redemption {target} (seq {}), which is not earlier",
            r.seq, u.seq
        ));
    }
    if let Some(by) = u.taken_back_by {
        return Judgement::Reject(format!(
            "the correction takes back redemption {target}, which correction {by} has already taken back"
        ));
    }
    Judgement::Accept(time_flags(r, received_at, rules))
}

/// A use or a correction must name the device that sent it and that device's venue.
fn not_the_senders(r: &Redemption, device: &DeviceRecord) -> Option<Judgement> {
    if r.device != device.id {
        return Some(Judgement::Reject(format!(
            "the item names device {}, but device {} sent it",
            r.device, device.id
        )));
    }
    if r.venue != device.venue {
        return Some(Judgement::Reject(format!(
            "the item names venue {}, but this device belongs to venue {}",
            r.venue, device.venue
        )));
    }
    None
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};
    use kaiku_core::card::{CardKind, RevocationReason, Validity};
    use kaiku_core::ids::{DeviceId, DistributorId, RegionId, VenueId};
    use kaiku_core::redemption::{DoorFields, EntryMethod, OfferKind, RedemptionDraft};
    use kaiku_core::{CardId, KaikuId};
    use uuid::Uuid;

    use super::*;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).single().expect("time")
    }

    fn device() -> DeviceRecord {
        DeviceRecord {
            id: DeviceId(1),
            venue: VenueId(7),
            label: "door".into(),
            secret_hash: vec![],
            enrolled_at: at(1, 0),
            revoked: false,
        }
    }

    fn card() -> Card {
        let issued = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let id = CardId::from(KaikuId::new('A', 1).expect("valid"));
        Card::issue(id, CardKind::Personal, RegionId(1), DistributorId(1), issued, Validity::TwelveMonths, 1)
            .expect("issues")
    }

    fn redemption(children: u8, offer: OfferKind) -> Redemption {
        let d = RedemptionDraft {
            id: Uuid::now_v7(),
            device: DeviceId(1),
            seq: 1,
            door: DoorFields {
                card: card().id,
                venue: VenueId(7),
                offer,
                offer_id: None,
                children,
                group: vec![],
                scanned_at: at(20, 12),
                entry: EntryMethod::Typed,
                verdict: VerdictCode::ValidUnverified,
            },
        };
        Redemption::new(d, None).expect("valid draft")
    }

    const RULES: UploadRules = UploadRules {
        late_after: TimeDelta::hours(24),
        clock_tolerance: TimeDelta::minutes(10),
        flag_window: TimeDelta::hours(1),
    };

    #[test]
    fn a_good_item_is_accepted_without_flags() {
        assert_eq!(
            judge(&redemption(1, OfferKind::Ticket), &device(), Some(&card()), &[], at(20, 13), RULES),
            Judgement::Accept(vec![])
        );
    }

    #[test]
    fn the_register_facts_catch_what_the_offline_device_could_not() {
        let j = judge(&redemption(2, OfferKind::Ticket), &device(), Some(&card()), &[], at(20, 13), RULES);
        assert_eq!(
            j,
            Judgement::Reject("2 children's tickets asked, but the card has 1 (grand)children on record".into())
        );
        let j = judge(&redemption(0, OfferKind::Ticket), &device(), None, &[], at(20, 13), RULES);
        assert!(matches!(j, Judgement::Reject(reason) if reason.contains("not in the register")));
    }

    #[test]
    fn a_revoked_card_admitted_offline_is_accepted_and_flagged_late() {
        let mut c = card();
        c.revoke(RevocationReason::Lost, NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")).expect("revokes");
        let Judgement::Accept(flags) =
            judge(&redemption(0, OfferKind::Ticket), &device(), Some(&c), &[], at(23, 12), RULES)
        else {
            panic!("should be accepted");
        };
        assert!(matches!(flags[0], Flag::LateUpload { hours: 72 }), "{flags:?}");
        assert!(matches!(&flags[1], Flag::WouldRefuseOnline { verdict: VerdictCode::Revoked, .. }), "{flags:?}");
    }

    #[test]
    fn a_card_revoked_after_the_scan_was_good_at_the_door_and_is_not_flagged() {
        let mut c = card();
        c.revoke(RevocationReason::Stolen, NaiveDate::from_ymd_opt(2026, 11, 21).expect("date")).expect("revokes");
        // Scanned on the 20th, sent on the 21st after the revocation.
        let j = judge(&redemption(0, OfferKind::Ticket), &device(), Some(&c), &[], at(21, 9), RULES);
        assert_eq!(j, Judgement::Accept(vec![]));
    }

    #[test]
    fn an_item_of_another_device_or_venue_is_rejected() {
        let mut r = redemption(0, OfferKind::Ticket);
        r.device = DeviceId(2);
        assert!(matches!(judge(&r, &device(), Some(&card()), &[], at(20, 13), RULES), Judgement::Reject(_)));
        let mut r = redemption(0, OfferKind::Ticket);
        r.venue = VenueId(8);
        assert!(matches!(judge(&r, &device(), Some(&card()), &[], at(20, 13), RULES), Judgement::Reject(_)));
    }

    #[test]
    fn an_offer_of_another_venue_is_rejected_and_the_venues_own_is_accepted() {
        let mut r = redemption(0, OfferKind::Ticket);
        r.offer_id = Some(OfferId(3));
        let own = [OfferId(1), OfferId(2)];
        let j = judge(&r, &device(), Some(&card()), &own, at(20, 13), RULES);
        assert!(
            matches!(&j, Judgement::Reject(reason) if reason.contains("offer 3") && reason.contains("venue 7")),
            "{j:?}"
        );
        r.offer_id = Some(OfferId(2));
        assert_eq!(judge(&r, &device(), Some(&card()), &own, at(20, 13), RULES), Judgement::Accept(vec![]));
    }

    #[test]
    fn a_scan_ahead_of_the_servers_clock_is_kept_and_flagged_beyond_the_tolerance() {
        let r = redemption(0, OfferKind::Ticket);
        // Scanned at 12:00; received at 11:55 is within the ten minutes, 11:30 is not.
        let received = at(20, 12) - TimeDelta::minutes(5);
        assert_eq!(judge(&r, &device(), Some(&card()), &[], received, RULES), Judgement::Accept(vec![]));
        let received = at(20, 12) - TimeDelta::minutes(30);
        assert_eq!(
            judge(&r, &device(), Some(&card()), &[], received, RULES),
            Judgement::Accept(vec![Flag::ClockAhead { minutes: 30 }])
        );
    }

    #[test]
    fn a_correction_takes_back_only_an_earlier_use_of_the_same_device_and_card_once() {
        let used = redemption(0, OfferKind::Ticket);
        let undo = used.correction(Uuid::now_v7(), 2, at(20, 12) + TimeDelta::minutes(1));
        let stored = Undone { device: DeviceId(1), card: card().id, seq: 1, correction: false, taken_back_by: None };
        let judged = |u: Option<&Undone>| judge_correction(&undo, &device(), u, at(20, 13), RULES);
        assert_eq!(judged(Some(&stored)), Judgement::Accept(vec![]));
        let refused = |u: Undone, says: &str| match judged(Some(&u)) {
            Judgement::Reject(reason) => assert!(reason.contains(says), "{reason}"),
            other => panic!("accepted {u:?}: {other:?}"),
        };
        refused(Undone { device: DeviceId(2), ..stored.clone() }, "which device 2 recorded");
        refused(Undone { card: CardId::from(KaikuId::new('A', 2).expect("valid")), ..stored.clone() }, "a use of card");
        refused(Undone { seq: 2, ..stored.clone() }, "not earlier");
        refused(Undone { correction: true, ..stored.clone() }, "a correction itself");
        let by = Uuid::now_v7();
        refused(Undone { taken_back_by: Some(by), ..stored.clone() }, &format!("correction {by} has already"));
        assert!(matches!(judged(None), Judgement::Reject(reason) if reason.contains("not on record")));
        // A plain use is judged by `judge`, not here.
        let plain = judge_correction(&used, &device(), Some(&stored), at(20, 13), RULES);
        assert!(matches!(plain, Judgement::Reject(_)));
    }
}
