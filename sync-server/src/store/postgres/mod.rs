//! The PostgreSQL backend: for a register several server processes share. Nothing another
//! process would need is kept in process memory: uniqueness and order come from the database
//! (primary keys, row locks, the register clock row), so any number of processes may serve.
//! The cards uploads judge by are cached, brought up to date by the register's change numbers
//! with every batch (`card_cache`).

mod accounts;
mod activity;
mod archive;
mod batch;
mod card_cache;
mod card_requests;
mod cards;
mod convert;
mod devices;
mod export;
mod flag_check;
mod flag_task;
mod flags;
mod from_sqlite;
mod import;
mod listing;
mod migrations;
mod offers;
mod orgs;
mod pool;
mod refresh_secrets;
mod retention;
mod sessions;
mod signing_keys;
mod stats;
mod stats_fold;
mod stats_schema;
mod stats_sums;
mod stats_task;
mod sync;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{Client, Pool};
use kaiku_core::ids::{DeviceId, DistributorId, OfferId, RegionId, VenueId};
use kaiku_core::wire::{Cursor, ItemOutcome, Offer, RegisterRecord};
use kaiku_core::{Card, CardId, KaikuId, KeyId};

use super::flags::{FlagFilter, FlaggedUse};
use super::{
    Account, CardCounts, CardPage, CardRecord, CardRequest, CardSearch, CodeUse, DateRange, DeviceActivity,
    DeviceRecord, DistributorEntry, DistributorInfo, IncomingItem, InvitationRecord, KeyToAdd, Listed, NewInvitation,
    NewOffer, NewSession, OfferEntry, PageRequest, PurgeReport, RegionEntry, Requested, Role, SessionRecord, Store,
    StoreError, StoreResult, StoredKey, UserEntry, UserRecord, VenueEntry, VenueInfo, VenueUses,
};
use crate::export::{DumpCounts, ExportFilter, RegisterDump};
use crate::import::{ImportRow, RowChange};
use crate::stats::{CrossTab, Dimension, Scope, Statistics};
use crate::throttle::{Throttle, ThrottlePolicy};
use crate::upload::UploadRules;

pub use from_sqlite::{Moved, describe as describe_move};
pub use migrations::latest as schema_version;

/// The PostgreSQL store: a pool of connections to one database.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// Looks for uses to check after uploads; `None`: only readers catching up do.
    flagger: Option<Arc<flag_task::Background>>,
    /// The cards uploads judge by, brought up to date with each batch.
    cards: Arc<card_cache::CardCache>,
    /// Folds what uploads and register changes noted into the year sums.
    folder: Arc<stats_task::Folder>,
    /// The database URL, for a connection of its own ([`Store::catch_up_blocking`]).
    url: Arc<str>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let mut store = Self::open_leaving_flag_checks(url).await?;
        store.flagger = Some(Arc::default());
        Ok(store)
    }

    /// Like [`PgStore::open`], but no task looks for uses to check after uploads: readers of
    /// them still do first, so every answer is the same. For the test that stops a process
    /// between an upload and that check.
    pub async fn open_leaving_flag_checks(url: &str) -> StoreResult<Self> {
        let pool = pool::open(url).await?;
        let folder = Arc::new(stats_task::Folder::default());
        folder.wake(&pool);
        Ok(Self { pool, flagger: None, cards: Arc::default(), folder, url: url.into() })
    }

    async fn client(&self) -> StoreResult<Client> {
        Ok(self.pool.get().await?)
    }

    /// Folds everything noted into the year sums at once, as an import does at its end: for
    /// a register filled by other means (a bulk load, a benchmark's data).
    pub async fn fold_statistics(&self) -> StoreResult<()> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        stats_fold::fold_all(&tx).await?;
        Ok(tx.commit().await?)
    }
}

#[async_trait]
impl Store for PgStore {
    async fn create_region(&self, name: &str) -> StoreResult<RegionId> {
        orgs::create_region(&self.client().await?, name).await
    }

    async fn region(&self, id: RegionId) -> StoreResult<Option<String>> {
        orgs::region(&self.client().await?, id).await
    }

    async fn create_distributor(&self, region: RegionId, name: &str) -> StoreResult<DistributorId> {
        orgs::create_distributor(&self.client().await?, region, name).await
    }

    async fn create_venue(&self, region: Option<RegionId>, name: &str) -> StoreResult<VenueId> {
        orgs::create_venue(&self.client().await?, region, name).await
    }

    async fn distributor(&self, id: DistributorId) -> StoreResult<Option<DistributorInfo>> {
        orgs::distributor(&self.client().await?, id).await
    }

    async fn venue(&self, id: VenueId) -> StoreResult<Option<VenueInfo>> {
        orgs::venue(&self.client().await?, id).await
    }

    async fn create_offer(&self, venue: VenueId, offer: &NewOffer) -> StoreResult<OfferId> {
        orgs::create_offer(&self.client().await?, venue, offer).await
    }

    async fn offers(&self, venue: VenueId) -> StoreResult<Vec<Offer>> {
        orgs::offers(&self.client().await?, venue).await
    }

    async fn create_user(&self, role: Role, label: &str, secret_hash: &[u8]) -> StoreResult<i64> {
        orgs::create_user(&self.client().await?, role, label, secret_hash).await
    }

    async fn user(&self, id: i64) -> StoreResult<Option<UserRecord>> {
        orgs::user(&self.client().await?, id).await
    }

    async fn revoke_user(&self, id: i64) -> StoreResult<bool> {
        orgs::revoke_user(&self.client().await?, id).await
    }

    async fn create_invited_user(&self, role: Role, label: &str, invitation: &NewInvitation) -> StoreResult<i64> {
        accounts::create_invited_user(&mut self.client().await?, role, label, invitation).await
    }

    async fn reinvite_user(&self, user: i64, invitation: &NewInvitation) -> StoreResult<bool> {
        accounts::reinvite_user(&mut self.client().await?, user, invitation).await
    }

    async fn invitation(&self, code_hash: &[u8]) -> StoreResult<Option<InvitationRecord>> {
        accounts::invitation(&self.client().await?, code_hash).await
    }

    async fn accept_invitation(
        &self,
        code_hash: &[u8],
        now: DateTime<Utc>,
        username: &str,
        password_hash: &str,
    ) -> StoreResult<CodeUse<i64>> {
        accounts::accept_invitation(&mut self.client().await?, code_hash, now, username, password_hash).await
    }

    async fn account(&self, user: i64) -> StoreResult<Option<Account>> {
        accounts::account(&self.client().await?, user).await
    }

    async fn account_by_username(&self, username: &str) -> StoreResult<Option<Account>> {
        accounts::account_by_username(&self.client().await?, username).await
    }

    async fn create_session(&self, session: &NewSession) -> StoreResult<i64> {
        sessions::create_session(&self.client().await?, session).await
    }

    async fn session(&self, id: i64) -> StoreResult<Option<SessionRecord>> {
        sessions::session(&self.client().await?, id).await
    }

    async fn touch_session(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        sessions::touch_session(&self.client().await?, id, now).await
    }

    async fn end_session(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        sessions::end_session(&self.client().await?, id, now).await
    }

    async fn sign_in_throttle(&self, key: &[u8]) -> StoreResult<Option<Throttle>> {
        sessions::throttle(&self.client().await?, key).await
    }

    async fn record_sign_in_failure(
        &self,
        key: &[u8],
        now: DateTime<Utc>,
        policy: ThrottlePolicy,
    ) -> StoreResult<Throttle> {
        sessions::record_failure(&mut self.client().await?, key, now, policy).await
    }

    async fn clear_sign_in_failures(&self, key: &[u8]) -> StoreResult<()> {
        sessions::clear_failures(&self.client().await?, key).await
    }

    async fn insert_card(&self, record: &CardRecord) -> StoreResult<()> {
        cards::insert_card(&mut self.client().await?, record).await
    }

    async fn insert_requested_card(&self, record: &CardRecord, request: &CardRequest) -> StoreResult<Requested> {
        card_requests::insert_requested_card(&mut self.client().await?, record, request).await
    }

    async fn next_card_id(&self, letter: char) -> StoreResult<Option<KaikuId>> {
        cards::next_card_id(&self.client().await?, letter).await
    }

    async fn card(&self, id: CardId) -> StoreResult<Option<CardRecord>> {
        cards::card(&self.client().await?, id).await
    }

    async fn update_card(&self, card: &Card) -> StoreResult<()> {
        cards::update_card(&mut self.client().await?, card).await
    }

    async fn create_activation_code(
        &self,
        card: CardId,
        code_hash: &[u8],
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        cards::create_activation_code(&self.client().await?, card, code_hash, expires_at).await
    }

    async fn take_activation_code(&self, code_hash: &[u8], now: DateTime<Utc>) -> StoreResult<CodeUse<CardId>> {
        cards::take_activation_code(&mut self.client().await?, code_hash, now).await
    }

    async fn create_enrollment_code(
        &self,
        venue: VenueId,
        code_hash: &[u8],
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        devices::create_enrollment_code(&self.client().await?, venue, code_hash, expires_at).await
    }

    async fn enroll_device(
        &self,
        code_hash: &[u8],
        now: DateTime<Utc>,
        label: &str,
        secret_hash: &[u8],
    ) -> StoreResult<CodeUse<DeviceRecord>> {
        devices::enroll_device(&mut self.client().await?, code_hash, now, label, secret_hash).await
    }

    async fn device(&self, id: DeviceId) -> StoreResult<Option<DeviceRecord>> {
        devices::device(&self.client().await?, id).await
    }

    async fn devices(&self, venue: VenueId) -> StoreResult<Vec<DeviceRecord>> {
        devices::devices(&self.client().await?, venue).await
    }

    async fn revoke_device(&self, id: DeviceId) -> StoreResult<bool> {
        devices::revoke_device(&self.client().await?, id).await
    }

    async fn signing_keys(&self) -> StoreResult<Vec<StoredKey>> {
        signing_keys::all(&self.client().await?).await
    }

    async fn add_signing_key(&self, key: KeyToAdd, now: DateTime<Utc>) -> StoreResult<()> {
        signing_keys::add(&mut self.client().await?, &key, now).await
    }

    async fn retire_signing_key(&self, retirement: kaiku_core::keys::Retirement) -> StoreResult<bool> {
        signing_keys::retire(&self.client().await?, &retirement).await
    }

    async fn activate_signing_key(&self, id: KeyId) -> StoreResult<bool> {
        signing_keys::activate(&mut self.client().await?, id).await
    }

    async fn upload(
        &self,
        device: &DeviceRecord,
        items: Vec<IncomingItem>,
        received_at: DateTime<Utc>,
        rules: UploadRules,
    ) -> StoreResult<Vec<ItemOutcome>> {
        let outcomes = sync::upload(&mut self.client().await?, &self.cards, device, items, received_at, rules).await?;
        if let Some(f) = &self.flagger {
            f.wake(&self.pool);
        }
        self.folder.wake(&self.pool);
        Ok(outcomes)
    }

    async fn register_page(&self, after: Cursor, limit: usize) -> StoreResult<(Vec<RegisterRecord>, Cursor, bool)> {
        sync::register_page(&self.client().await?, after, limit).await
    }

    async fn statistics(&self, scope: Scope, range: DateRange) -> StoreResult<Statistics> {
        // Should much be noted, the request waits a moment for the fold (`stats_sums`).
        self.folder.wake(&self.pool);
        let c = self.client().await?;
        flag_check::catch_up(&c).await?;
        archive::statistics(&c, scope, range).await
    }

    async fn cross_tab(&self, scope: Scope, range: DateRange, by: &[Dimension]) -> StoreResult<CrossTab> {
        self.folder.wake(&self.pool);
        archive::cross_tab(&self.client().await?, scope, range, by).await
    }

    async fn purge(&self, keep_from: NaiveDate, dry_run: bool) -> StoreResult<PurgeReport> {
        flag_check::catch_up(&self.client().await?).await?;
        self.purge_before(keep_from, dry_run).await
    }

    async fn import_cards(
        &self,
        distributor: DistributorId,
        rows: Vec<ImportRow>,
        dry_run: bool,
    ) -> StoreResult<Vec<(ImportRow, RowChange)>> {
        import::import_cards(&mut self.client().await?, distributor, rows, dry_run).await
    }

    async fn export_register(&self, filter: ExportFilter, now: DateTime<Utc>) -> StoreResult<RegisterDump> {
        export::export_register(&mut self.client().await?, filter, now).await
    }

    async fn import_dump(&self, dump: RegisterDump) -> StoreResult<DumpCounts> {
        import::import_dump(&mut self.client().await?, &dump).await
    }

    async fn search_cards(&self, search: &CardSearch) -> StoreResult<CardPage> {
        listing::search_cards(&self.client().await?, search).await
    }

    async fn list_regions(&self, only: Option<RegionId>) -> StoreResult<Vec<RegionEntry>> {
        listing::regions(&self.client().await?, only).await
    }

    async fn list_distributors(
        &self,
        region: Option<RegionId>,
        page: PageRequest,
    ) -> StoreResult<Listed<DistributorEntry>> {
        listing::distributors(&self.client().await?, region, page).await
    }

    async fn list_venues(&self, region: Option<RegionId>, page: PageRequest) -> StoreResult<Listed<VenueEntry>> {
        listing::venues(&self.client().await?, region, page).await
    }

    async fn list_users(&self, region: Option<RegionId>, page: PageRequest) -> StoreResult<Listed<UserEntry>> {
        listing::users(&self.client().await?, region, page).await
    }

    async fn venue_offers(&self, venue: VenueId) -> StoreResult<Vec<OfferEntry>> {
        offers::venue_offers(&self.client().await?, venue).await
    }

    async fn offer(&self, id: OfferId) -> StoreResult<Option<OfferEntry>> {
        offers::offer(&self.client().await?, id).await
    }

    async fn update_offer(&self, id: OfferId, change: &NewOffer) -> StoreResult<OfferEntry> {
        offers::update_offer(&mut self.client().await?, id, change).await
    }

    async fn close_offer(&self, id: OfferId, now: DateTime<Utc>) -> StoreResult<OfferEntry> {
        offers::close_offer(&mut self.client().await?, id, now).await
    }

    async fn device_activity(&self, venue: VenueId) -> StoreResult<Vec<DeviceActivity>> {
        activity::device_activity(&self.client().await?, venue).await
    }

    async fn venue_uses(&self, venue: VenueId, range: DateRange) -> StoreResult<VenueUses> {
        activity::venue_uses(&self.client().await?, venue, range).await
    }

    async fn card_counts(&self, distributor: DistributorId, year: i32, today: NaiveDate) -> StoreResult<CardCounts> {
        activity::card_counts(&self.client().await?, distributor, year, today).await
    }

    fn catch_up_blocking(&self) -> StoreResult<()> {
        // On a thread and connection of its own: the caller may be blocking the runtime that
        // runs the pool's connections.
        let url = self.url.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| StoreError::Backend(format!("catching up: no runtime: {e}")))?;
            runtime.block_on(async move { flag_check::catch_up(&pool::sized(&url, 1)?.get().await?).await })
        })
        .join()
        .map_err(|_| StoreError::Backend("catching up: the thread failed".into()))?
    }

    async fn flagged_uses(&self, filter: FlagFilter) -> StoreResult<Listed<FlaggedUse>> {
        let c = self.client().await?;
        flag_check::catch_up(&c).await?;
        flags::list(&c, filter).await
    }

    async fn refresh_secret(&self, card: CardId) -> StoreResult<Option<Vec<u8>>> {
        refresh_secrets::refresh_secret(&self.client().await?, card).await
    }

    async fn set_refresh_secret(&self, card: CardId, secret_hash: &[u8], now: DateTime<Utc>) -> StoreResult<()> {
        refresh_secrets::set_refresh_secret(&self.client().await?, card, secret_hash, now).await
    }

    async fn backup_to(&self, _dest: &std::path::Path) -> StoreResult<()> {
        Err(StoreError::Backend(
            "a PostgreSQL register is backed up with the database's own tools (pg_dump, or pg_basebackup with \
             WAL archiving for point-in-time recovery), not with this command"
                .into(),
        ))
    }
}
