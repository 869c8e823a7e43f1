//! The door's state as one value: what is on screen for the person at the door, changed only
//! through the steps here, so "ready for the next person" is one reset. `door.rs` runs the
//! steps (store, camera, sounds); `form.rs` reads the value and edits the choices in it.

use chrono::{DateTime, TimeDelta, Utc};
use kaiku_core::caution::Caution;
use kaiku_core::redemption::{CardFacts, Choices, EntryMethod, MAX_GROUP, OfferKind};
use kaiku_core::verdict::{Signal as Door, Verdict};
use kaiku_core::{CardId, Redemption, ScanInput};

/// The same code seen again within this time is the same card still in front of the camera.
pub const SAME_CODE_MS: i64 = 3_000;
/// How long the last record can be undone at the door.
pub const UNDO_SECONDS: u8 = 8;

/// A scan and its verdict, on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub input: ScanInput,
    pub verdict: Verdict,
    pub entry: EntryMethod,
    pub at: DateTime<Utc>,
    /// What staff should look at though the card is let in ("seen here", an old credential).
    pub cautions: Vec<Caution>,
}

impl Shown {
    pub fn admits(&self) -> bool {
        self.verdict.signal() != Door::Refuse
    }

    /// What the device knows of the card: `None` when it was admitted unverified (or refused).
    pub fn facts(&self) -> Option<CardFacts> {
        match &self.verdict {
            Verdict::Valid(a) => Some(CardFacts::from(a)),
            _ => None,
        }
    }

    /// What the form may ask for this card and an offer of `offer` (core's rules); nothing for
    /// a refused card.
    pub fn choices(&self, offer: OfferKind) -> Choices {
        if self.admits() {
            Choices::for_card(self.facts(), offer)
        } else {
            Choices { children: 0, group: false, group_needed: false }
        }
    }

    /// Gate mode records it without a tap: a verified yes with no caution and nothing to choose.
    /// Everything else (children, a community card, "seen here", unverified) stops for staff.
    pub fn records_at_once(&self, offer: OfferKind) -> bool {
        matches!(self.verdict, Verdict::Valid(_)) && self.cautions.is_empty() && self.choices(offer).nothing()
    }
}

/// The last record: its confirmation, and its undo while the seconds last.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    pub redemption: Redemption,
    /// "A001 0010 12 · 1 adult · Hamlet · Ticket".
    pub summary: String,
    /// Recorded by gate mode with no tap: the big confirmation.
    pub gate: bool,
    /// Seconds left to undo it; 0 is too late.
    pub undo_left: u8,
    /// Its correction is logged.
    pub undone: bool,
}

/// Why a group member's card is not added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberProblem {
    /// The community card itself.
    Itself,
    Twice,
    Full,
}

/// Everything the door screen shows for the person in front of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoorModel {
    pub shown: Option<Shown>,
    /// Children's tickets asked (kept within the card's limit by [`DoorModel::kids`]).
    pub children: u8,
    pub group: Vec<CardId>,
    /// Group members are being scanned or typed.
    pub adding: bool,
    /// The last group member's check: accepted or not, and the words.
    pub member_note: Option<(bool, String)>,
    pub error: Option<String>,
    /// A record is being written.
    pub busy: bool,
    /// Gate mode is recording the shown card by itself: there is nothing to tap.
    pub gate_recording: bool,
    pub done: Option<Done>,
    /// A scan was set aside because a yes waits to be recorded.
    pub hold: bool,
    last_seen: Option<(ScanInput, DateTime<Utc>)>,
}

impl DoorModel {
    /// Ready for the next person: the verdict and all chosen for it go. What was recorded last
    /// (and its undo), a record being written and the camera's last code stay.
    pub fn next_person(&mut self) {
        *self = Self { done: self.done.take(), busy: self.busy, last_seen: self.last_seen.take(), ..Self::default() };
    }

    /// A new verdict: the last confirmation goes with the rest.
    pub fn show(&mut self, shown: Shown) {
        self.next_person();
        self.done = None;
        self.shown = Some(shown);
    }

    /// Recorded: the door is ready for the next person and says what was recorded.
    pub fn recorded(&mut self, done: Done) {
        self.next_person();
        self.done = Some(done);
    }

    /// Whether a code from the camera is new, not the same card still in front of it.
    pub fn first_sight(&mut self, input: &ScanInput, at: DateTime<Utc>) -> bool {
        let repeat = self
            .last_seen
            .as_ref()
            .is_some_and(|(seen, when)| seen == input && at - *when < TimeDelta::milliseconds(SAME_CODE_MS));
        self.last_seen = Some((input.clone(), at));
        !repeat
    }

    /// Whether a yes is waiting to be recorded (a new scan would lose it).
    pub fn yes_waits(&self) -> bool {
        self.shown.as_ref().is_some_and(Shown::admits)
    }

    /// Children's tickets asked, within `limit`.
    pub fn kids(&self, limit: u8) -> u8 {
        self.children.min(limit)
    }

    /// Adds a group member's card (already checked as valid) to the shown community card.
    pub fn add_member(&mut self, card: CardId) -> Result<(), MemberProblem> {
        let main = self.shown.as_ref().and_then(|s| s.verdict.card());
        if main == Some(card) {
            Err(MemberProblem::Itself)
        } else if self.group.contains(&card) {
            Err(MemberProblem::Twice)
        } else if self.group.len() >= MAX_GROUP {
            Err(MemberProblem::Full)
        } else {
            self.group.push(card);
            Ok(())
        }
    }

    /// One second less to undo `id`; false once there is nothing left to count down.
    pub fn tick(&mut self, id: uuid::Uuid) -> bool {
        match self.done.as_mut().filter(|d| d.redemption.id == id && !d.undone) {
            Some(d) if d.undo_left > 0 => {
                d.undo_left -= 1;
                d.undo_left > 0
            }
            _ => false,
        }
    }

    /// The record that can still be undone.
    pub fn undoable(&self) -> Option<&Redemption> {
        self.done.as_ref().filter(|d| d.undo_left > 0 && !d.undone).map(|d| &d.redemption)
    }
}

#[cfg(test)]
mod tests;
