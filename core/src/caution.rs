//! Cautions at the door: things staff are told though the card is admitted. The door warns and
//! never refuses for these; a gate that lets people in by itself stops for them.
//!
//! - **Seen here**: this device recorded the same card a short while ago (a shared screenshot,
//!   or a card handed back over the queue).
//! - **Old credential**: a mobile card's credential was issued long ago. The holder's app gets a
//!   new one whenever the card screen opens online, so an old one means a phone offline for
//!   long, or a copy of the code.

use chrono::{DateTime, TimeDelta, Utc};

use crate::verdict::{Admission, Evidence};

/// How long after a record the same card is "seen here", unless the device is set otherwise.
pub const SEEN_WINDOW: TimeDelta = TimeDelta::minutes(30);
/// The longest window a device may be set to: a day.
pub const MAX_SEEN_WINDOW: TimeDelta = TimeDelta::days(1);
/// How old a credential may be before the door mentions it as a caution: the holder's app
/// renews it at every opening online, so a week means a week without either.
pub const CREDENTIAL_RENEWED_WITHIN: TimeDelta = TimeDelta::days(7);

/// Something staff should look at before letting the person in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caution {
    /// This device recorded the same card at `at`, `ago` before this scan.
    SeenHere { at: DateTime<Utc>, ago: TimeDelta },
    /// The mobile card's credential was issued at `issued`, `age` before this scan.
    OldCredential { issued: DateTime<Utc>, age: TimeDelta },
}

/// The "seen here" caution: when this device last recorded the card (`last`) falls within
/// `window` before `now`. A record stamped after `now` (the clock was turned back) counts as
/// just now. A window of zero turns the caution off.
pub fn seen_here(last: Option<DateTime<Utc>>, now: DateTime<Utc>, window: TimeDelta) -> Option<Caution> {
    let at = last?;
    let ago = (now - at).max(TimeDelta::zero());
    (ago < window).then_some(Caution::SeenHere { at, ago })
}

/// How long ago a mobile card's credential was issued, if the admission comes from one that
/// says (version 2). Never negative: a server clock slightly ahead reads as just now.
pub fn credential_age(admission: &Admission, now: DateTime<Utc>) -> Option<(DateTime<Utc>, TimeDelta)> {
    match admission.evidence {
        Evidence::SignedCredential { issued: Some(issued) } => Some((issued, (now - issued).max(TimeDelta::zero()))),
        _ => None,
    }
}

/// The "old credential" caution: the admission's credential was issued `older_than` or more
/// before `now`.
pub fn old_credential(admission: &Admission, now: DateTime<Utc>, older_than: TimeDelta) -> Option<Caution> {
    let (issued, age) = credential_age(admission, now)?;
    (age >= older_than).then_some(Caution::OldCredential { issued, age })
}

#[cfg(test)]
mod tests;
