//! Storage behind a trait. Handlers see only these types; [`open`] picks the backend from the
//! database setting (a `postgres://` URL or an SQLite file), and nothing outside `store/` knows
//! which one runs.

mod accounts;
pub mod archived;
mod card_request;
pub mod flags;
mod listing;
mod open;
pub mod postgres;
pub mod sqlite;

pub use accounts::{Account, InvitationRecord, NewInvitation, NewSession, SessionRecord};
pub use card_request::{CardRequest, Requested};
pub use listing::{
    CardCounts, CardPage, CardSearch, CardState, DeviceActivity, DistributorEntry, Listed, MAX_PAGE, OfferEntry,
    OfferUses, PageRequest, RegionEntry, UserEntry, VenueEntry, VenueUses,
};
pub use open::{is_postgres, migrate_to, open};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::background::Background;
use kaiku_core::ids::{DeviceId, DistributorId, OfferId, RegionId, VenueId};
use kaiku_core::redemption::OfferKind;
use kaiku_core::wire::{Cursor, ItemOutcome, Offer, RegisterRecord};
use kaiku_core::{Card, CardId, KaikuId, KeyId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::export::{DumpCounts, ExportFilter, RegisterDump};
use crate::import::{ImportRow, RowChange};
use crate::stats::{CrossTab, Dimension, Scope, Statistics};
use crate::throttle::{Throttle, ThrottlePolicy};
use crate::upload::UploadRules;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("storage failure: {0}")]
    Backend(String),
    /// The period reaches into data removed under the retention rule (`crate::retention`).
    #[error("{0}")]
    Purged(String),
    /// Answered again shortly: the store is catching up with a large change.
    #[error("{0}")]
    Unavailable(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A person's role, with the organisation it is scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "role", content = "scope")]
pub enum Role {
    Admin,
    Coordinator(RegionId),
    Distributor(DistributorId),
    Venue(VenueId),
}

/// A user account: a bearer token for a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: i64,
    pub role: Role,
    pub label: String,
    pub secret_hash: Vec<u8>,
    pub revoked: bool,
}

/// An enrolled scanner device of a venue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceRecord {
    pub id: DeviceId,
    pub venue: VenueId,
    pub label: String,
    #[serde(skip)]
    pub secret_hash: Vec<u8>,
    pub enrolled_at: DateTime<Utc>,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistributorInfo {
    pub id: DistributorId,
    pub region: RegionId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueInfo {
    pub id: VenueId,
    pub region: Option<RegionId>,
    pub name: String,
}

/// A card as the register keeps it: the card and the holder's background data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRecord {
    pub card: Card,
    pub background: Option<Background>,
}

/// What happened to a one-time code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeUse<T> {
    Taken(T),
    Unknown,
    AlreadyUsed,
    Expired,
}

/// An issuer key as stored: the secret seed stays on the server.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredKey {
    pub id: KeyId,
    pub seed: [u8; 32],
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// Signed by the key that was active when this one was made; `None` for the first key.
    pub endorsement: Option<kaiku_core::keys::Endorsement>,
    /// From when scanners refuse this key's credentials.
    pub retirement: Option<kaiku_core::keys::Retirement>,
}

/// A signing key to add under the next free id, with its endorsement.
#[derive(Clone)]
pub struct KeyToAdd {
    pub id: KeyId,
    pub seed: [u8; 32],
    pub activate: bool,
    pub endorsement: Option<kaiku_core::keys::Endorsement>,
}

impl std::fmt::Debug for KeyToAdd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyToAdd").field("id", &self.id).field("activate", &self.activate).finish_non_exhaustive()
    }
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredKey").field("id", &self.id).field("active", &self.active).finish_non_exhaustive()
    }
}

/// One item of an upload batch as the handler read it.
#[derive(Debug, Clone, PartialEq)]
pub enum IncomingItem {
    Readable(kaiku_core::Redemption),
    /// Not a redemption: kept as sent, with why.
    Unreadable {
        id: Option<Uuid>,
        raw: String,
        reason: String,
    },
}

/// A new offer of a venue.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOffer {
    pub name: String,
    pub kind: OfferKind,
    #[serde(default)]
    pub limit: Option<u32>,
}

/// A date range, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What a purge removed (or, in a dry run, would remove), by kind: counts only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    /// The first day whose uses are kept; everything before it is purged.
    pub keep_from: NaiveDate,
    /// Years whose statistics were archived as whole months and years before their uses went.
    pub archived_years: Vec<i32>,
    /// Archived statistics answers stored (0 in a dry run).
    pub archived_answers: u64,
    pub redemptions: u64,
    /// The statistics rows derived from them (`use_facts`, `card_numbers`).
    pub use_facts: u64,
    pub card_numbers: u64,
    /// Upload items that were not redemptions, kept as sent.
    pub rejected_items: u64,
    /// Pairs of uses that were flagged for checking.
    pub flagged_uses: u64,
    /// Closed cards whose holder's background data were cleared.
    pub backgrounds: u64,
}

/// The register's storage.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug + 'static {
    // Organisations and people.
    async fn create_region(&self, name: &str) -> StoreResult<RegionId>;
    /// The region's name, if it exists.
    async fn region(&self, id: RegionId) -> StoreResult<Option<String>>;
    async fn create_distributor(&self, region: RegionId, name: &str) -> StoreResult<DistributorId>;
    async fn create_venue(&self, region: Option<RegionId>, name: &str) -> StoreResult<VenueId>;
    async fn distributor(&self, id: DistributorId) -> StoreResult<Option<DistributorInfo>>;
    async fn venue(&self, id: VenueId) -> StoreResult<Option<VenueInfo>>;
    async fn create_offer(&self, venue: VenueId, offer: &NewOffer) -> StoreResult<OfferId>;
    /// The venue's open offers: what scanners may book (closed ones are left out).
    async fn offers(&self, venue: VenueId) -> StoreResult<Vec<Offer>>;
    async fn create_user(&self, role: Role, label: &str, secret_hash: &[u8]) -> StoreResult<i64>;
    async fn user(&self, id: i64) -> StoreResult<Option<UserRecord>>;
    async fn revoke_user(&self, id: i64) -> StoreResult<bool>;

    // Staff sign-in: invitations, passwords, sessions, failed sign-ins.
    /// Creates a user with no bearer token and no password yet, and its first invitation.
    async fn create_invited_user(&self, role: Role, label: &str, invitation: &NewInvitation) -> StoreResult<i64>;
    /// A new invitation for an active user; its earlier unused ones expire now. `false` if
    /// there is no active user `user`.
    async fn reinvite_user(&self, user: i64, invitation: &NewInvitation) -> StoreResult<bool>;
    async fn invitation(&self, code_hash: &[u8]) -> StoreResult<Option<InvitationRecord>>;
    /// Uses the invitation (once): sets the user's username and password hash and ends its
    /// sessions, in one transaction. `Conflict` if another user has the username.
    async fn accept_invitation(
        &self,
        code_hash: &[u8],
        now: DateTime<Utc>,
        username: &str,
        password_hash: &str,
    ) -> StoreResult<CodeUse<i64>>;
    async fn account(&self, user: i64) -> StoreResult<Option<Account>>;
    /// The account with this (stored, lower-case) username.
    async fn account_by_username(&self, username: &str) -> StoreResult<Option<Account>>;
    async fn create_session(&self, session: &NewSession) -> StoreResult<i64>;
    async fn session(&self, id: i64) -> StoreResult<Option<SessionRecord>>;
    /// Records that the session was used at `now` (it stays alive while used).
    async fn touch_session(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()>;
    /// Ends a session; `false` if it had ended already.
    async fn end_session(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool>;
    async fn sign_in_throttle(&self, key: &[u8]) -> StoreResult<Option<Throttle>>;
    /// Counts one more failed sign-in under `key` (atomically) and returns the new state.
    async fn record_sign_in_failure(
        &self,
        key: &[u8],
        now: DateTime<Utc>,
        policy: ThrottlePolicy,
    ) -> StoreResult<Throttle>;
    async fn clear_sign_in_failures(&self, key: &[u8]) -> StoreResult<()>;

    // Cards.
    /// Stores a new card; `Conflict` if its ID is taken.
    async fn insert_card(&self, record: &CardRecord) -> StoreResult<()>;
    /// Stores a new card and the key it was sent with, in one transaction; if the distributor
    /// used the key before, stores nothing and names that card. `Conflict` if the ID is taken.
    async fn insert_requested_card(&self, record: &CardRecord, request: &CardRequest) -> StoreResult<Requested>;
    /// The first serial after the highest Kaiku ID used in the series of `letter`.
    async fn next_card_id(&self, letter: char) -> StoreResult<Option<KaikuId>>;
    async fn card(&self, id: CardId) -> StoreResult<Option<CardRecord>>;
    /// Saves a renewed or revoked card; scanners see it in their next register delta.
    async fn update_card(&self, card: &Card) -> StoreResult<()>;
    async fn create_activation_code(
        &self,
        card: CardId,
        code_hash: &[u8],
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn take_activation_code(&self, code_hash: &[u8], now: DateTime<Utc>) -> StoreResult<CodeUse<CardId>>;

    // Devices.
    async fn create_enrollment_code(
        &self,
        venue: VenueId,
        code_hash: &[u8],
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Uses the code (once) and enrolls a device of its venue with the given token hash.
    async fn enroll_device(
        &self,
        code_hash: &[u8],
        now: DateTime<Utc>,
        label: &str,
        secret_hash: &[u8],
    ) -> StoreResult<CodeUse<DeviceRecord>>;
    async fn device(&self, id: DeviceId) -> StoreResult<Option<DeviceRecord>>;
    async fn devices(&self, venue: VenueId) -> StoreResult<Vec<DeviceRecord>>;
    async fn revoke_device(&self, id: DeviceId) -> StoreResult<bool>;

    // Signing keys.
    async fn signing_keys(&self) -> StoreResult<Vec<StoredKey>>;
    /// Adds a key under `key.id`; when `activate`, it becomes the one new credentials are signed
    /// with. `Conflict` if the id is taken (another key was added meanwhile).
    async fn add_signing_key(&self, key: KeyToAdd, now: DateTime<Utc>) -> StoreResult<()>;
    /// Stores a key's (signed) retirement, replacing an earlier one; `false` if no such key.
    async fn retire_signing_key(&self, retirement: kaiku_core::keys::Retirement) -> StoreResult<bool>;
    /// Makes a published key the one new credentials are signed with; `false` if unknown.
    async fn activate_signing_key(&self, id: KeyId) -> StoreResult<bool>;

    // Sync.
    /// Stores what is new in a batch, in one transaction; one outcome per item.
    async fn upload(
        &self,
        device: &DeviceRecord,
        items: Vec<IncomingItem>,
        received_at: DateTime<Utc>,
        rules: UploadRules,
    ) -> StoreResult<Vec<ItemOutcome>>;
    /// Register records changed after `after`, oldest change first, at most `limit`.
    async fn register_page(&self, after: Cursor, limit: usize) -> StoreResult<(Vec<RegisterRecord>, Cursor, bool)>;

    // Statistics.
    async fn statistics(&self, scope: Scope, range: DateRange) -> StoreResult<Statistics>;
    async fn cross_tab(&self, scope: Scope, range: DateRange, by: &[Dimension]) -> StoreResult<CrossTab>;

    // Retention.
    /// Archives the statistics of every year before `keep_from` (a 1 January) as whole months
    /// and years, then deletes those years' uses and the background data of cards closed before
    /// it, in short transactions. With `dry_run`, only counts. Running it again removes nothing
    /// more. Statistics of a purged whole month or year are answered from the archive after.
    async fn purge(&self, keep_from: NaiveDate, dry_run: bool) -> StoreResult<PurgeReport>;

    // Import and export.
    /// Compares each row with the register and, unless `dry_run` or a row is refused, stores the
    /// new and changed ones in one transaction (each change gets a new register change number;
    /// unchanged rows keep theirs). One outcome per row, in order.
    async fn import_cards(
        &self,
        distributor: DistributorId,
        rows: Vec<ImportRow>,
        dry_run: bool,
    ) -> StoreResult<Vec<(ImportRow, RowChange)>>;
    /// Everything in the register that `filter` selects, for export.
    async fn export_register(&self, filter: ExportFilter, now: DateTime<Utc>) -> StoreResult<RegisterDump>;
    /// Stores a dump into an empty register with its ids, in one transaction; `Conflict` if not empty.
    async fn import_dump(&self, dump: RegisterDump) -> StoreResult<DumpCounts>;

    // The staff console's listings.
    /// A page of the cards `search` finds, in card ID order, and how many it finds in all.
    async fn search_cards(&self, search: &CardSearch) -> StoreResult<CardPage>;
    /// Every region, or only `only`.
    async fn list_regions(&self, only: Option<RegionId>) -> StoreResult<Vec<RegionEntry>>;
    /// Distributors of every region, or of `region`.
    async fn list_distributors(
        &self,
        region: Option<RegionId>,
        page: PageRequest,
    ) -> StoreResult<Listed<DistributorEntry>>;
    /// Venues of every region (pop-up venues too), or of `region`.
    async fn list_venues(&self, region: Option<RegionId>, page: PageRequest) -> StoreResult<Listed<VenueEntry>>;
    /// Every user, or (with `region`) the distributor and venue users of that region.
    async fn list_users(&self, region: Option<RegionId>, page: PageRequest) -> StoreResult<Listed<UserEntry>>;
    /// Every offer of the venue, closed ones included ([`Store::offers`] has only open ones).
    async fn venue_offers(&self, venue: VenueId) -> StoreResult<Vec<OfferEntry>>;
    async fn offer(&self, id: OfferId) -> StoreResult<Option<OfferEntry>>;
    /// Changes an open offer; `NotFound` if unknown, `Conflict` if closed.
    async fn update_offer(&self, id: OfferId, change: &NewOffer) -> StoreResult<OfferEntry>;
    /// Closes an open offer: kept, its uses still count, scanners no longer get it.
    async fn close_offer(&self, id: OfferId, now: DateTime<Utc>) -> StoreResult<OfferEntry>;
    /// The venue's devices, each with its last sync and how many redemptions it sent.
    async fn device_activity(&self, venue: VenueId) -> StoreResult<Vec<DeviceActivity>>;
    /// The venue's uses scanned in `range`, per offer.
    async fn venue_uses(&self, venue: VenueId, range: DateRange) -> StoreResult<VenueUses>;
    /// The distributor's cards handed out and revoked in `year`, active and expiring as of `today`.
    async fn card_counts(&self, distributor: DistributorId, year: i32, today: NaiveDate) -> StoreResult<CardCounts>;

    // Uses to check and holders' refresh secrets.
    /// A page of the flagged uses (one card at two devices within the window), newest first.
    async fn flagged_uses(&self, filter: flags::FlagFilter) -> StoreResult<Listed<flags::FlaggedUse>>;
    /// The hash of the card's refresh secret, if an activation gave it one.
    async fn refresh_secret(&self, card: CardId) -> StoreResult<Option<Vec<u8>>>;
    /// Keeps the hash of the card's new refresh secret (an earlier one stops working).
    async fn set_refresh_secret(&self, card: CardId, secret_hash: &[u8], now: DateTime<Utc>) -> StoreResult<()>;

    // Backup.
    /// A consistent copy of the live register to the file `dest`, where the backend makes one
    /// itself (SQLite); other backends say which of their own tools to use instead.
    async fn backup_to(&self, dest: &std::path::Path) -> StoreResult<()>;

    /// Writes on this thread what is derived from stored uploads but not written yet, for
    /// callers that then read the database directly (tests, tools) and may block. A backend
    /// whose uploads answer only once everything is derived has nothing to do.
    fn catch_up_blocking(&self) -> StoreResult<()> {
        Ok(())
    }
}
