//! A redemption: one use of a card at a venue, as a device records it at the door.
//!
//! The rules of the card are enforced by [`Redemption::new`] on the device and again by
//! [`Redemption::check`] on the server, where the register supplies the card's facts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::background::MAX_MINORS;
use crate::card::CardKind;
use crate::card_id::CardId;
use crate::ids::{DeviceId, OfferId, VenueId};
use crate::verdict::{Admission, VerdictCode};

/// Most group members a community card can take at once (a small group is 2-5 people).
pub const MAX_GROUP: usize = 9;

/// A free admission ticket or a free course place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    Ticket,
    CoursePlace,
}

/// How the card's code reached the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryMethod {
    Qr,
    Barcode,
    Typed,
}

/// What the device (or the register) knows of the card being redeemed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardFacts {
    pub kind: CardKind,
    pub minors_on_record: u8,
}

impl From<&Admission> for CardFacts {
    fn from(a: &Admission) -> Self {
        Self { kind: a.kind, minors_on_record: a.minors_on_record }
    }
}

/// What the door may ask for a card, by the rules [`Redemption::check`] enforces: the form
/// offers only these, and a card with nothing to choose can be recorded without a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choices {
    /// Most children's tickets: the minors on record, none with a course place.
    pub children: u8,
    /// Group members may be added (a community card, or a card admitted unverified).
    pub group: bool,
    /// A group member is needed before the card can be recorded (a community card).
    pub group_needed: bool,
}

impl Choices {
    /// For a card with `facts` (`None`: admitted unverified, so the register's bounds apply)
    /// and an offer of `offer`.
    pub fn for_card(facts: Option<CardFacts>, offer: OfferKind) -> Self {
        let community = facts.is_none_or(|f| f.kind == CardKind::Community);
        let children = match (offer, facts) {
            (OfferKind::CoursePlace, _) => 0,
            (OfferKind::Ticket, Some(f)) if f.kind == CardKind::Personal => f.minors_on_record,
            (OfferKind::Ticket, _) => MAX_MINORS,
        };
        Self {
            children,
            group: community && offer == OfferKind::Ticket,
            group_needed: facts.is_some_and(|f| f.kind == CardKind::Community),
        }
    }

    /// One adult, no children, no group: nothing for staff to choose.
    pub fn nothing(&self) -> bool {
        self.children == 0 && !self.group && !self.group_needed
    }
}

/// A rule of the card that a redemption breaks. Messages are for staff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedemptionError {
    #[error("children's tickets are only for events, never with a course place")]
    ChildrenWithCoursePlace,
    #[error("a community card is never for course places")]
    CommunityCoursePlace,
    #[error("a community card needs at least one group member with their own card")]
    CommunityWithoutGroup,
    #[error("a personal card has no group members; scan each member's own card")]
    GroupOnPersonalCard,
    #[error("{asked} children's tickets asked, but the card has {on_record} (grand)children on record")]
    TooManyChildren { asked: u8, on_record: u8 },
    #[error("a group has at most {MAX_GROUP} members besides the card holder")]
    GroupTooLarge,
    #[error("group member {0} is listed twice or is the community card itself")]
    RepeatedGroupMember(CardId),
    #[error("{adults} adults recorded, but the card holder and {members} group members make {expected}")]
    AdultsMismatch { adults: u8, members: usize, expected: usize },
    #[error("a scan with the verdict '{}' is not admitted and cannot be recorded", .0.as_str())]
    NotAdmitted(VerdictCode),
    #[error("sequence numbers start at 1")]
    ZeroSequence,
    #[error("a correction cannot take back itself")]
    UndoesItself,
}

/// One recorded use of a card. Append-only: never edited once recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Redemption {
    /// Made on the device (UUIDv7): the server de-duplicates by it.
    pub id: Uuid,
    pub device: DeviceId,
    /// The device's own counter, from 1, without gaps.
    pub seq: u64,
    pub card: CardId,
    pub venue: VenueId,
    pub offer: OfferKind,
    /// The venue's event or course, when the venue lists them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<OfferId>,
    pub adults: u8,
    pub children: u8,
    /// The group members' own card IDs (community cards only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<CardId>,
    /// By the device's clock.
    pub scanned_at: DateTime<Utc>,
    pub entry: EntryMethod,
    pub verdict: VerdictCode,
    /// Set on a correction (staff's undo at the door): the id of this device's earlier
    /// redemption it takes back. It repeats that redemption's fields and is counted nowhere;
    /// the undone redemption stays on record too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<Uuid>,
}

/// What staff fill in at the door; the device adds the id, itself and the sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorFields {
    pub card: CardId,
    pub venue: VenueId,
    pub offer: OfferKind,
    pub offer_id: Option<OfferId>,
    pub children: u8,
    pub group: Vec<CardId>,
    /// By the device's clock.
    pub scanned_at: DateTime<Utc>,
    pub entry: EntryMethod,
    pub verdict: VerdictCode,
}

impl DoorFields {
    /// The draft of the redemption these fields make, as the `seq`-th of `device`.
    pub fn draft(self, id: Uuid, device: DeviceId, seq: u64) -> RedemptionDraft {
        RedemptionDraft { id, device, seq, door: self }
    }
}

/// A redemption before the rules are checked: the door's fields, numbered by the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionDraft {
    pub id: Uuid,
    pub device: DeviceId,
    pub seq: u64,
    pub door: DoorFields,
}

impl Redemption {
    /// A redemption that keeps the rules, given what is known of the card (`None` when the
    /// card was admitted unverified: the server checks it again against the register).
    pub fn new(draft: RedemptionDraft, facts: Option<CardFacts>) -> Result<Self, RedemptionError> {
        let RedemptionDraft { id, device, seq, door: d } = draft;
        let adults = u8::try_from(1 + d.group.len()).map_err(|_| RedemptionError::GroupTooLarge)?;
        let r = Self {
            id,
            device,
            seq,
            card: d.card,
            venue: d.venue,
            offer: d.offer,
            offer_id: d.offer_id,
            adults,
            children: d.children,
            group: d.group,
            scanned_at: d.scanned_at,
            entry: d.entry,
            verdict: d.verdict,
            undoes: None,
        };
        r.check(facts)?;
        Ok(r)
    }

    /// The correction that takes this redemption back, logged as `device`'s `seq`-th record at
    /// `at`: the same card, offer and people, so it passes the same checks.
    pub fn correction(&self, id: Uuid, seq: u64, at: DateTime<Utc>) -> Self {
        Self { id, seq, scanned_at: at, undoes: Some(self.id), ..self.clone() }
    }

    /// Checks the rules of the card; the server calls this with the register's facts.
    pub fn check(&self, facts: Option<CardFacts>) -> Result<(), RedemptionError> {
        if self.seq == 0 {
            return Err(RedemptionError::ZeroSequence);
        }
        if self.undoes == Some(self.id) {
            return Err(RedemptionError::UndoesItself);
        }
        if !matches!(self.verdict, VerdictCode::Valid | VerdictCode::ValidUnverified) {
            return Err(RedemptionError::NotAdmitted(self.verdict));
        }
        self.check_group()?;
        if self.offer == OfferKind::CoursePlace && self.children > 0 {
            return Err(RedemptionError::ChildrenWithCoursePlace);
        }
        match facts {
            Some(f) => self.check_facts(f),
            None if self.children > MAX_MINORS => {
                Err(RedemptionError::TooManyChildren { asked: self.children, on_record: MAX_MINORS })
            }
            None => Ok(()),
        }
    }

    fn check_group(&self) -> Result<(), RedemptionError> {
        if self.group.len() > MAX_GROUP {
            return Err(RedemptionError::GroupTooLarge);
        }
        for (i, member) in self.group.iter().enumerate() {
            if *member == self.card || self.group[..i].contains(member) {
                return Err(RedemptionError::RepeatedGroupMember(*member));
            }
        }
        let expected = 1 + self.group.len();
        if usize::from(self.adults) != expected {
            return Err(RedemptionError::AdultsMismatch { adults: self.adults, members: self.group.len(), expected });
        }
        Ok(())
    }

    fn check_facts(&self, facts: CardFacts) -> Result<(), RedemptionError> {
        match facts.kind {
            CardKind::Community if self.offer == OfferKind::CoursePlace => Err(RedemptionError::CommunityCoursePlace),
            CardKind::Community if self.group.is_empty() => Err(RedemptionError::CommunityWithoutGroup),
            CardKind::Community if self.children > MAX_MINORS => {
                Err(RedemptionError::TooManyChildren { asked: self.children, on_record: MAX_MINORS })
            }
            CardKind::Community => Ok(()),
            CardKind::Personal if !self.group.is_empty() => Err(RedemptionError::GroupOnPersonalCard),
            CardKind::Personal if self.children > facts.minors_on_record => {
                Err(RedemptionError::TooManyChildren { asked: self.children, on_record: facts.minors_on_record })
            }
            CardKind::Personal => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
