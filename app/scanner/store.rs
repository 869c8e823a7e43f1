//! The scanner's storage behind one trait: SQLite on desktop and mobile (`Scanner`), IndexedDB
//! in the browser. The rules that do not depend on where things are kept live here once.

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use kaiku_core::Redemption;
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::keys::{KeyError, TrustedKeys};
use kaiku_core::redemption::{CardFacts, RedemptionError};
use kaiku_core::wire::{Cursor, ItemOutcome, RegisterPage};
use kaiku_core::{CardId, DeviceKnowledge, KeySet};

use super::compact::{CompactError, CompactRegister};
use super::model::{Enrollment, Fields, Logged, Marked, Status, Today, day_bounds, today_of};

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
}

/// Where the register copy is in the server's change stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterMeta {
    pub cursor: Cursor,
    /// When the copy was last complete (the last page of a pull); `None` before the first.
    pub as_of: Option<DateTime<Utc>>,
    /// The keys this device trusts (roots from enrollment, then endorsed ones), the retirements
    /// it knows, and what the latest page offered that it refused.
    pub keys: TrustedKeys,
}

impl Default for RegisterMeta {
    fn default() -> Self {
        Self { cursor: Cursor(0), as_of: None, keys: TrustedKeys::default() }
    }
}

impl RegisterMeta {
    /// The meta after `page`: its cursor, `as_of` only on a last page, and the keys a trusted
    /// key endorsed and the retirements a trusted key signed. Anything else is refused (and
    /// logged); the trusted set stays. A device that trusts no key yet takes the page's as roots.
    pub fn after(&self, page: &RegisterPage) -> Self {
        let keys = if self.keys.is_empty() {
            TrustedKeys::enroll(&page.keys, &page.retirements)
        } else {
            self.keys.learn(&page.keys, &page.endorsements, &page.retirements)
        };
        // Said once, not on every page of a pull that carries the same keys.
        for r in keys.refused.iter().filter(|r| !self.keys.refused.contains(r)) {
            let what = if r.retirement { "retirement of key" } else { "key" };
            dioxus::logger::tracing::warn!("refused the {what} {} offered by the server: {}", r.key_id, r.why);
        }
        Self { cursor: page.next, as_of: if page.more { self.as_of } else { Some(page.as_of) }, keys }
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
    async fn save_enrollment(&mut self, e: &Enrollment, keys: &TrustedKeys) -> Result<(), StoreError>;
    /// Forgets the device token (un-enrollment); the log stays.
    async fn drop_token(&mut self) -> Result<(), StoreError>;
    /// Checks the card rules and appends the redemption as the device's next sequence number,
    /// pending; returns only once it is durably stored.
    async fn append(&mut self, device: DeviceId, f: Fields, facts: Option<CardFacts>)
    -> Result<Redemption, StoreError>;
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
    async fn mark(&mut self, sent: &[Redemption], outcomes: &[ItemOutcome]) -> Result<Marked, StoreError>;
    /// Redemptions scanned in `[from, to)`, by scan time.
    async fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Logged>, StoreError>;
    /// Every redemption the server refused, with its reason: kept for staff to see.
    async fn rejected(&self) -> Result<Vec<Logged>, StoreError>;
    /// When this device last recorded `card` (as the redemption's card, by scan time): what the
    /// door's "seen here" caution needs. Answered from an index, not by reading the log.
    async fn last_recorded(&self, card: CardId) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Applies one register page and saves it with its cursor (a crash resumes from the last saved page).
    async fn apply_page(&mut self, page: &RegisterPage) -> Result<(), StoreError>;
    fn register(&self) -> &CompactRegister;
    fn register_meta(&self) -> &RegisterMeta;

    /// Records a redemption for the enrolled venue; returns after the durable commit.
    async fn record(&mut self, f: Fields, facts: Option<CardFacts>) -> Result<Redemption, StoreError> {
        let device = recording_device(self.enrollment().await?, &f)?;
        self.append(device, f, facts).await
    }

    /// The pending count and the age of the register copy at `now`.
    async fn status(&self, now: DateTime<Utc>) -> Result<Status, StoreError> {
        Ok(Status::at(self.pending_count().await?, self.register_meta().as_of, now))
    }

    /// The redemptions of the local day of `now` and the counts per offer.
    async fn today(&self, now: DateTime<FixedOffset>) -> Result<Today, StoreError> {
        let (from, to) = day_bounds(now).ok_or_else(|| StoreError::Corrupt("no local midnight".into()))?;
        Ok(today_of(self.between(from, to).await?))
    }

    /// The public keys the device verifies credentials with, and the retired ones.
    fn key_set(&self) -> Result<KeySet, StoreError> {
        Ok(self.register_meta().keys.key_set()?)
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

/// What `decide` needs from a store, borrowed.
pub fn knowledge<'a, S: ScannerStore + ?Sized>(store: &'a S, keys: &'a KeySet) -> DeviceKnowledge<'a, CompactRegister> {
    DeviceKnowledge {
        keys,
        register: store.register(),
        register_as_of: store.register_meta().as_of,
        stale_after: STALE_AFTER,
    }
}
