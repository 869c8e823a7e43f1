//! What the scanner keeps and shows, independent of where it is stored: door fields, sync states,
//! today's counts, and the pure rules shared by every storage backend.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::redemption::{OfferKind, Redemption};
use kaiku_core::wire::{ItemOutcome, Offer, Outcome};
use uuid::Uuid;

/// What enrollment gave the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment {
    pub device: DeviceId,
    /// `None` once un-enrolled (the log stays).
    pub token: Option<String>,
    pub venue: VenueId,
    pub venue_name: String,
    pub offers: Vec<Offer>,
}

impl Enrollment {
    /// Enrolled now (not un-enrolled).
    pub fn is_active(&self) -> bool {
        self.token.is_some()
    }
}

/// What the scanner screen always shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub pending: u64,
    pub register_as_of: Option<DateTime<Utc>>,
    /// How old the register copy is at `now`; `None` before the first pull.
    pub register_age: Option<TimeDelta>,
}

impl Status {
    /// The status with `pending` redemptions and a register copy complete `as_of`, at `now`.
    pub fn at(pending: u64, as_of: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Self {
        Self { pending, register_as_of: as_of, register_age: as_of.map(|t| now - t) }
    }
}

/// What staff fill in at the door (core's [`DoorFields`]); the store adds id, device and
/// sequence number with `draft`.
pub use kaiku_core::redemption::DoorFields as Fields;

/// Where a redemption is on its way to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncState {
    Pending,
    Accepted,
    Duplicate,
    Rejected { reason: String },
}

/// A redemption with its sync state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub redemption: Redemption,
    pub state: SyncState,
}

/// Today's redemptions and counts per offer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Today {
    pub redemptions: Vec<Logged>,
    /// Counts per offer, in order of first use.
    pub by_offer: Vec<OfferCount>,
}

/// Redemptions and people admitted for one offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferCount {
    pub offer: OfferKind,
    pub offer_id: Option<OfferId>,
    pub redemptions: u32,
    pub people: u32,
}

/// What marking a server answer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Marked {
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    /// Outcomes that named no item sent (left pending, sent again next time).
    pub unmatched: usize,
}

/// The UTC bounds of the local day `now` falls on.
pub fn day_bounds(now: DateTime<FixedOffset>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let start = now.date_naive().and_hms_opt(0, 0, 0)?.and_local_timezone(*now.offset()).single()?;
    let start = start.with_timezone(&Utc);
    Some((start, start + TimeDelta::days(1)))
}

/// Today's view of the redemptions of one day, in the order given. The counts leave out the
/// corrections and the records they take back (the door's undo); the list keeps both.
pub fn today_of(redemptions: Vec<Logged>) -> Today {
    let undone: std::collections::HashSet<Uuid> = redemptions.iter().filter_map(|l| l.redemption.undoes).collect();
    let mut by_offer: Vec<OfferCount> = Vec::new();
    for l in redemptions.iter().filter(|l| l.redemption.undoes.is_none() && !undone.contains(&l.redemption.id)) {
        let r = &l.redemption;
        let people = u32::from(r.adults) + u32::from(r.children);
        match by_offer.iter_mut().find(|c| c.offer == r.offer && c.offer_id == r.offer_id) {
            Some(c) => {
                c.redemptions += 1;
                c.people += people;
            }
            None => by_offer.push(OfferCount { offer: r.offer, offer_id: r.offer_id, redemptions: 1, people }),
        }
    }
    Today { redemptions, by_offer }
}

/// Pairs the server's outcomes with the items `sent`: the new state of each answered item,
/// by its place in `sent`, and the counts. Outcomes naming no item sent are counted, not applied.
pub fn answers(sent: &[Redemption], outcomes: &[ItemOutcome]) -> (Vec<(Uuid, SyncState)>, Marked) {
    let mut m = Marked::default();
    let mut changes = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        let Some(item) = usize::try_from(o.index).ok().and_then(|i| sent.get(i)) else {
            m.unmatched += 1;
            continue;
        };
        if o.id.is_some_and(|id| id != item.id) {
            m.unmatched += 1;
            continue;
        }
        let state = match &o.outcome {
            Outcome::Accepted { .. } => {
                m.accepted += 1;
                SyncState::Accepted
            }
            Outcome::Duplicate => {
                m.duplicate += 1;
                SyncState::Duplicate
            }
            Outcome::Rejected { reason } => {
                m.rejected += 1;
                SyncState::Rejected { reason: reason.clone() }
            }
        };
        changes.push((item.id, state));
    }
    (changes, m)
}
