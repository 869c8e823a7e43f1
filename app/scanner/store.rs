//! The scanner's storage behind one trait: SQLite on desktop and mobile (`Scanner`), IndexedDB
//! in the browser. The rules that do not depend on where things are kept live here once.

use std::rc::Rc;

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use kaiku_core::Redemption;
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::keys::{KeyError, TrustedKeys};
use kaiku_core::redemption::{CardFacts, RedemptionError};
use kaiku_core::wire::{ItemOutcome, RegisterPage};
use kaiku_core::{CardId, DeviceKnowledge, KeySet};

use super::compact::CompactError;
use super::model::{Enrollment, Fields, Logged, Marked, Status, Today, day_bounds, today_of};
pub use super::register::{RegisterCopy, RegisterMeta};

/// Why the scanner could not do what was asked; nothing recorded before is lost by any of these.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("this device is not enrolled as a venue's scanner")]
    NotEnrolled,
    #[error("the redemption is for venue {asked}, but this device scans for venue {enrolled}")]
    OtherVenue { asked: VenueId, enrolled: VenueId },
    #[error(transparent)]
    Rule(#[from] RedemptionError),
    #[error("the scanner's storage cannot be opened: {0}")]
    Open(String),
    #[error("the scanner's storage failed: {0}")]
    Backend(String),
    #[error("a stored record cannot be read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Register(#[from] CompactError),
    #[error("a stored public key is not usable: {0}")]
    Key(#[from] KeyError),
    #[error("the record cannot be taken back: {0}")]
    Undo(UndoRefused),
}

/// Why a record cannot be taken back at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UndoRefused {
    #[error("another device recorded it")]
    OtherDevice,
    #[error("it is not in this device's log")]
    NotInLog,
    #[error("it was taken back already")]
    AlreadyUndone,
    #[error("it is itself a correction")]
    Correction,
}

impl From<UndoRefused> for StoreError {
    fn from(r: UndoRefused) -> Self {
        StoreError::Undo(r)
    }
}

/// How old a register copy may be before a plain ID it vouches for is only flagged.
pub const STALE_AFTER: TimeDelta = TimeDelta::days(3);

/// A scanner's durable state: enrollment, the append-only redemption log with sync states, and the
/// register copy (held in memory for lookups, saved with its cursor).
#[async_trait(?Send)]
pub trait ScannerStore: std::fmt::Debug {
    async fn enrollment(&self) -> Result<Option<Enrollment>, StoreError>;
    /// Stores the enrollment and the keys it came with (the device's roots of trust), replacing
    /// an earlier one.
    async fn save_enrollment(&self, e: &Enrollment, keys: &TrustedKeys) -> Result<(), StoreError>;
    /// Forgets the device token (un-enrollment); the log stays.
    async fn drop_token(&self) -> Result<(), StoreError>;
    /// Checks the card rules and appends the redemption as the device's next sequence number,
    /// pending; returns only once it is durably stored.
    async fn append(&self, device: DeviceId, f: Fields, facts: Option<CardFacts>) -> Result<Redemption, StoreError>;
    /// Takes back `of`, a record of this enrolled device: appends `of.correction(..)` at `at` as
    /// the device's next sequence number, pending like any record (so it syncs the same way),
    /// and returns it. Nothing is deleted. Refused (with [`UndoRefused`]) for another device's
    /// record, one not in the log, one already taken back, and a correction.
    async fn undo(&self, of: &Redemption, at: DateTime<Utc>) -> Result<Redemption, StoreError>;
    /// Up to `limit` redemptions the server has not answered, oldest first.
    async fn pending(&self, limit: usize) -> Result<Vec<Redemption>, StoreError>;
    async fn pending_count(&self) -> Result<u64, StoreError>;
    /// The devices whose redemptions wait for upload (this one, or what it was before an
    /// un-enrollment), by device id.
    async fn pending_devices(&self) -> Result<Vec<DeviceId>, StoreError>;
    /// Up to `limit` of `device`'s redemptions the server has not answered, oldest first.
    async fn pending_of(&self, device: DeviceId, limit: usize) -> Result<Vec<Redemption>, StoreError>;
    /// The token `device` was enrolled with: kept after un-enrollment and re-enrollment, so that
    /// what was recorded under an earlier enrollment can still be sent.
    async fn token_for(&self, device: DeviceId) -> Result<Option<String>, StoreError>;
    /// Stores the server's answer to `sent`; only sync states change.
    async fn mark(&self, sent: &[Redemption], outcomes: &[ItemOutcome]) -> Result<Marked, StoreError>;
    /// Redemptions scanned in `[from, to)`, by scan time.
    async fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Logged>, StoreError>;
    /// Every redemption the server refused, with its reason: kept for staff to see.
    async fn rejected(&self) -> Result<Vec<Logged>, StoreError>;
    /// When this device last recorded `card` (as the redemption's card, by scan time), leaving
    /// out records taken back and the corrections: what the door's "seen here" caution needs.
    /// Answered from an index, not by reading the log.
    async fn last_recorded(&self, card: CardId) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Applies one register page and saves it with its cursor (a crash resumes from the last saved page).
    async fn apply_page(&self, page: &RegisterPage) -> Result<(), StoreError>;
    /// The register copy as it is now: a snapshot to decide with (cheap: shared, not copied).
    fn register(&self) -> Rc<RegisterCopy>;
    /// Every redemption in the log with its state, by device and sequence number.
    async fn log(&self) -> Result<Vec<Logged>, StoreError>;

    /// Records a redemption for the enrolled venue; returns after the durable commit.
    async fn record(&self, f: Fields, facts: Option<CardFacts>) -> Result<Redemption, StoreError> {
        let device = recording_device(self.enrollment().await?, &f)?;
        self.append(device, f, facts).await
    }

    /// The pending count and the age of the register copy at `now`.
    async fn status(&self, now: DateTime<Utc>) -> Result<Status, StoreError> {
        Ok(Status::at(self.pending_count().await?, self.register().meta.as_of, now))
    }

    /// The redemptions of the local day of `now` and the counts per offer.
    async fn today(&self, now: DateTime<FixedOffset>) -> Result<Today, StoreError> {
        let (from, to) = day_bounds(now).ok_or_else(|| StoreError::Corrupt("no local midnight".into()))?;
        Ok(today_of(self.between(from, to).await?))
    }

    /// The public keys the device verifies credentials with, and the retired ones.
    fn key_set(&self) -> Result<KeySet, StoreError> {
        self.register().key_set()
    }
}

/// The device a redemption of `f` is recorded as: enrolled now, for the venue `f` names.
pub fn recording_device(enrollment: Option<Enrollment>, f: &Fields) -> Result<DeviceId, StoreError> {
    let e = enrollment.filter(Enrollment::is_active).ok_or(StoreError::NotEnrolled)?;
    if f.venue != e.venue {
        return Err(StoreError::OtherVenue { asked: f.venue, enrolled: e.venue });
    }
    Ok(e.device)
}

/// The device an undo of `of` is recorded as: the enrolled one, which must have recorded `of`.
pub fn undoing_device(enrollment: Option<Enrollment>, of: &Redemption) -> Result<DeviceId, StoreError> {
    let e = enrollment.filter(Enrollment::is_active).ok_or(StoreError::NotEnrolled)?;
    if of.device != e.device {
        return Err(UndoRefused::OtherDevice.into());
    }
    if of.undoes.is_some() {
        return Err(UndoRefused::Correction.into());
    }
    Ok(e.device)
}

/// What `decide` needs from a register copy, borrowed.
pub fn knowledge<'a>(register: &'a RegisterCopy, keys: &'a KeySet) -> DeviceKnowledge<'a, RegisterCopy> {
    DeviceKnowledge { keys, register, register_as_of: register.meta.as_of, stale_after: STALE_AFTER }
}
