//! The embedded default backend: one SQLite file in WAL mode. Every call runs on a blocking
//! thread, never on the async workers.

mod accounts;
mod activity;
mod archive;
mod card_cache;
mod card_requests;
mod cards;
mod convert;
mod devices;
mod export;
mod flag_check;
mod flags;
mod group_commit;
mod handle;
mod import;
mod listing;
mod many_rows;
mod migrations;
mod offers;
mod orgs;
mod pool;
mod projector;
mod projector_task;
mod refresh_secrets;
mod retention;
mod sessions;
mod signing_keys;
mod stats;
mod stats_build;
mod stats_facts;
mod stats_fold;
mod stats_pass;
mod stats_schema;
mod stats_sums;
mod stats_year;
mod sync;
mod time_text;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kaiku_core::ids::{DeviceId, DistributorId, OfferId, RegionId, VenueId};
use kaiku_core::wire::{Cursor, ItemOutcome, Offer, RegisterRecord};
use kaiku_core::{Card, CardId, KaikuId, KeyId};

use super::{
    CardRecord, CodeUse, DateRange, DeviceRecord, DistributorInfo, IncomingItem, NewOffer, Role, Store, StoreResult,
    StoredKey, UserRecord, VenueInfo,
};
use crate::export::{DumpCounts, ExportFilter, RegisterDump};
use crate::import::{ImportRow, RowChange};
use crate::stats::{CrossTab, Dimension, Scope, Statistics};
use crate::store::{
    Account, CardRequest, InvitationRecord, KeyToAdd, NewInvitation, NewSession, Requested, SessionRecord,
};
use crate::throttle::{Throttle, ThrottlePolicy};
use crate::upload::UploadRules;

pub use handle::SqliteStore;
use handle::{blocking, owned};
pub use migrations::latest as schema_version;

#[async_trait]
impl Store for SqliteStore {
    async fn create_region(&self, name: &str) -> StoreResult<RegionId> {
        let name = name.to_owned();
        self.write(move |c| orgs::create_region(c, &name)).await
    }

    async fn region(&self, id: RegionId) -> StoreResult<Option<String>> {
        self.read(move |c| orgs::region(c, id)).await
    }

    async fn create_distributor(&self, region: RegionId, name: &str) -> StoreResult<DistributorId> {
        let name = name.to_owned();
        self.write(move |c| orgs::create_distributor(c, region, &name)).await
    }

    async fn create_venue(&self, region: Option<RegionId>, name: &str) -> StoreResult<VenueId> {
        let name = name.to_owned();
        self.write(move |c| orgs::create_venue(c, region, &name)).await
    }

    async fn distributor(&self, id: DistributorId) -> StoreResult<Option<DistributorInfo>> {
        self.read(move |c| orgs::distributor(c, id)).await
    }

    async fn venue(&self, id: VenueId) -> StoreResult<Option<VenueInfo>> {
        self.read(move |c| orgs::venue(c, id)).await
    }

    async fn create_offer(&self, venue: VenueId, offer: &NewOffer) -> StoreResult<OfferId> {
        let offer = offer.clone();
        self.write(move |c| orgs::create_offer(c, venue, &offer)).await
    }

    async fn offers(&self, venue: VenueId) -> StoreResult<Vec<Offer>> {
        self.read(move |c| orgs::offers(c, venue)).await
    }

    async fn create_user(&self, role: Role, label: &str, secret_hash: &[u8]) -> StoreResult<i64> {
        let (label, hash) = (label.to_owned(), owned(secret_hash));
        self.write(move |c| orgs::create_user(c, role, &label, &hash)).await
    }

    async fn user(&self, id: i64) -> StoreResult<Option<UserRecord>> {
        self.read(move |c| orgs::user(c, id)).await
    }

    async fn revoke_user(&self, id: i64) -> StoreResult<bool> {
        self.write(move |c| orgs::revoke_user(c, id)).await
    }

    async fn create_invited_user(&self, role: Role, label: &str, invitation: &NewInvitation) -> StoreResult<i64> {
        let (label, inv) = (label.to_owned(), invitation.clone());
        self.write(move |c| accounts::create_invited_user(c, role, &label, &inv)).await
    }

    async fn reinvite_user(&self, user: i64, invitation: &NewInvitation) -> StoreResult<bool> {
        let inv = invitation.clone();
        self.write(move |c| accounts::reinvite_user(c, user, &inv)).await
    }

    async fn invitation(&self, code_hash: &[u8]) -> StoreResult<Option<InvitationRecord>> {
        let hash = owned(code_hash);
        self.read(move |c| accounts::invitation(c, &hash)).await
    }

    async fn accept_invitation(
        &self,
        code_hash: &[u8],
        now: DateTime<Utc>,
        username: &str,
        password_hash: &str,
    ) -> StoreResult<CodeUse<i64>> {
        let (hash, name, password) = (owned(code_hash), username.to_owned(), password_hash.to_owned());
        self.write(move |c| accounts::accept_invitation(c, &hash, now, &name, &password)).await
    }

    async fn account(&self, user: i64) -> StoreResult<Option<Account>> {
        self.read(move |c| accounts::account(c, user)).await
    }

    async fn account_by_username(&self, username: &str) -> StoreResult<Option<Account>> {
        let name = username.to_owned();
        self.read(move |c| accounts::account_by_username(c, &name)).await
    }

    async fn create_session(&self, session: &NewSession) -> StoreResult<i64> {
        let session = session.clone();
        self.write(move |c| sessions::create_session(c, &session)).await
    }

    async fn session(&self, id: i64) -> StoreResult<Option<SessionRecord>> {
        self.read(move |c| sessions::session(c, id)).await
    }

    async fn touch_session(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        self.write(move |c| sessions::touch_session(c, id, now)).await
    }

    async fn end_session(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        self.write(move |c| sessions::end_session(c, id, now)).await
    }

    async fn sign_in_throttle(&self, key: &[u8]) -> StoreResult<Option<Throttle>> {
        let key = owned(key);
        self.read(move |c| sessions::throttle(c, &key)).await
    }

    async fn record_sign_in_failure(
        &self,
        key: &[u8],
        now: DateTime<Utc>,
        policy: ThrottlePolicy,
    ) -> StoreResult<Throttle> {
        let key = owned(key);
        self.write(move |c| sessions::record_failure(c, &key, now, policy)).await
    }

    async fn clear_sign_in_failures(&self, key: &[u8]) -> StoreResult<()> {
        let key = owned(key);
        self.write(move |c| sessions::clear_failures(c, &key)).await
    }

    async fn insert_card(&self, record: &CardRecord) -> StoreResult<()> {
        let record = record.clone();
        self.write(move |c| cards::insert_card(c, &record)).await
    }

    async fn insert_requested_card(&self, record: &CardRecord, request: &CardRequest) -> StoreResult<Requested> {
        let (record, request) = (record.clone(), request.clone());
        self.write(move |c| card_requests::insert_requested_card(c, &record, &request)).await
    }

    async fn next_card_id(&self, letter: char) -> StoreResult<Option<KaikuId>> {
        self.read(move |c| cards::next_card_id(c, letter)).await
    }

    async fn card(&self, id: CardId) -> StoreResult<Option<CardRecord>> {
        self.read(move |c| cards::card(c, id)).await
    }

    async fn update_card(&self, card: &Card) -> StoreResult<()> {
        let card = card.clone();
        self.write(move |c| cards::update_card(c, &card)).await
    }

    async fn create_activation_code(
        &self,
        card: CardId,
        code_hash: &[u8],
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let hash = owned(code_hash);
        self.write(move |c| cards::create_activation_code(c, card, &hash, expires_at)).await
    }

    async fn take_activation_code(&self, code_hash: &[u8], now: DateTime<Utc>) -> StoreResult<CodeUse<CardId>> {
        let hash = owned(code_hash);
        self.write(move |c| cards::take_activation_code(c, &hash, now)).await
    }

    async fn create_enrollment_code(
        &self,
        venue: VenueId,
        code_hash: &[u8],
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let hash = owned(code_hash);
        self.write(move |c| devices::create_enrollment_code(c, venue, &hash, expires_at)).await
    }

    async fn enroll_device(
        &self,
        code_hash: &[u8],
        now: DateTime<Utc>,
        label: &str,
        secret_hash: &[u8],
    ) -> StoreResult<CodeUse<DeviceRecord>> {
        let (hash, label, secret) = (owned(code_hash), label.to_owned(), owned(secret_hash));
        self.write(move |c| devices::enroll_device(c, &hash, now, &label, &secret)).await
    }

    async fn device(&self, id: DeviceId) -> StoreResult<Option<DeviceRecord>> {
        self.read(move |c| devices::device(c, id)).await
    }

    async fn devices(&self, venue: VenueId) -> StoreResult<Vec<DeviceRecord>> {
        self.read(move |c| devices::devices(c, venue)).await
    }

    async fn revoke_device(&self, id: DeviceId) -> StoreResult<bool> {
        self.write(move |c| devices::revoke_device(c, id)).await
    }

    async fn signing_keys(&self) -> StoreResult<Vec<StoredKey>> {
        self.read(signing_keys::all).await
    }

    async fn add_signing_key(&self, key: KeyToAdd, now: DateTime<Utc>) -> StoreResult<()> {
        self.write(move |c| signing_keys::add(c, &key, now)).await
    }

    async fn retire_signing_key(&self, retirement: kaiku_core::keys::Retirement) -> StoreResult<bool> {
        self.write(move |c| signing_keys::retire(c, &retirement)).await
    }

    async fn activate_signing_key(&self, id: KeyId) -> StoreResult<bool> {
        self.write(move |c| signing_keys::activate(c, id)).await
    }

    async fn upload(
        &self,
        device: &DeviceRecord,
        items: Vec<IncomingItem>,
        received_at: DateTime<Utc>,
        rules: UploadRules,
    ) -> StoreResult<Vec<ItemOutcome>> {
        let outcomes = self.uploads.upload(&self.pool, device.clone(), items, received_at, rules).await?;
        if let Some(p) = &self.projector {
            p.wake(&self.pool);
        }
        Ok(outcomes)
    }

    async fn register_page(&self, after: Cursor, limit: usize) -> StoreResult<(Vec<RegisterRecord>, Cursor, bool)> {
        self.read(move |c| sync::register_page(c, after, limit)).await
    }

    async fn statistics(&self, scope: Scope, range: DateRange) -> StoreResult<Statistics> {
        self.catch_up().await?;
        self.fold_for(scope, range).await?;
        self.read(move |c| archive::statistics(c, scope, range)).await
    }

    async fn cross_tab(&self, scope: Scope, range: DateRange, by: &[Dimension]) -> StoreResult<CrossTab> {
        let by = by.to_vec();
        self.catch_up().await?;
        self.fold_for(scope, range).await?;
        self.read(move |c| archive::cross_tab(c, scope, range, &by)).await
    }

    async fn purge(&self, keep_from: chrono::NaiveDate, dry_run: bool) -> StoreResult<crate::store::PurgeReport> {
        self.catch_up().await?;
        self.purge_before(keep_from, dry_run).await
    }

    async fn import_cards(
        &self,
        distributor: DistributorId,
        rows: Vec<ImportRow>,
        dry_run: bool,
    ) -> StoreResult<Vec<(ImportRow, RowChange)>> {
        self.write(move |c| import::import_cards(c, distributor, rows, dry_run)).await
    }

    async fn export_register(&self, filter: ExportFilter, now: DateTime<Utc>) -> StoreResult<RegisterDump> {
        self.catch_up().await?;
        self.read(move |c| export::export_register(c, filter, now)).await
    }

    async fn import_dump(&self, dump: RegisterDump) -> StoreResult<DumpCounts> {
        self.write(move |c| import::import_dump(c, &dump)).await
    }

    async fn search_cards(&self, search: &crate::store::CardSearch) -> StoreResult<crate::store::CardPage> {
        let search = search.clone();
        self.read(move |c| listing::search_cards(c, &search)).await
    }

    async fn list_regions(&self, only: Option<RegionId>) -> StoreResult<Vec<crate::store::RegionEntry>> {
        self.read(move |c| listing::regions(c, only)).await
    }

    async fn list_distributors(
        &self,
        region: Option<RegionId>,
        page: crate::store::PageRequest,
    ) -> StoreResult<crate::store::Listed<crate::store::DistributorEntry>> {
        self.read(move |c| listing::distributors(c, region, page)).await
    }

    async fn list_venues(
        &self,
        region: Option<RegionId>,
        page: crate::store::PageRequest,
    ) -> StoreResult<crate::store::Listed<crate::store::VenueEntry>> {
        self.read(move |c| listing::venues(c, region, page)).await
    }

    async fn list_users(
        &self,
        region: Option<RegionId>,
        page: crate::store::PageRequest,
    ) -> StoreResult<crate::store::Listed<crate::store::UserEntry>> {
        self.read(move |c| listing::users(c, region, page)).await
    }

    async fn venue_offers(&self, venue: VenueId) -> StoreResult<Vec<crate::store::OfferEntry>> {
        self.read(move |c| offers::venue_offers(c, venue)).await
    }

    async fn offer(&self, id: OfferId) -> StoreResult<Option<crate::store::OfferEntry>> {
        self.read(move |c| offers::offer(c, id)).await
    }

    async fn update_offer(&self, id: OfferId, change: &NewOffer) -> StoreResult<crate::store::OfferEntry> {
        let change = change.clone();
        self.write(move |c| offers::update_offer(c, id, &change)).await
    }

    async fn close_offer(&self, id: OfferId, now: DateTime<Utc>) -> StoreResult<crate::store::OfferEntry> {
        self.write(move |c| offers::close_offer(c, id, now)).await
    }

    async fn device_activity(&self, venue: VenueId) -> StoreResult<Vec<crate::store::DeviceActivity>> {
        self.catch_up().await?;
        self.read(move |c| activity::device_activity(c, venue)).await
    }

    async fn venue_uses(&self, venue: VenueId, range: DateRange) -> StoreResult<crate::store::VenueUses> {
        self.catch_up().await?;
        self.read(move |c| activity::venue_uses(c, venue, range)).await
    }

    async fn card_counts(
        &self,
        distributor: DistributorId,
        year: i32,
        today: chrono::NaiveDate,
    ) -> StoreResult<crate::store::CardCounts> {
        self.read(move |c| activity::card_counts(c, distributor, year, today)).await
    }

    async fn flagged_uses(
        &self,
        filter: crate::store::flags::FlagFilter,
    ) -> StoreResult<crate::store::Listed<crate::store::flags::FlaggedUse>> {
        self.catch_up().await?;
        self.read(move |c| flags::list(c, filter)).await
    }

    async fn refresh_secret(&self, card: CardId) -> StoreResult<Option<Vec<u8>>> {
        self.read(move |c| refresh_secrets::refresh_secret(c, card)).await
    }

    async fn set_refresh_secret(&self, card: CardId, secret_hash: &[u8], now: DateTime<Utc>) -> StoreResult<()> {
        let hash = owned(secret_hash);
        self.write(move |c| refresh_secrets::set_refresh_secret(c, card, &hash, now)).await
    }

    async fn backup_to(&self, dest: &std::path::Path) -> StoreResult<()> {
        self.backup(dest).await
    }

    fn catch_up_blocking(&self) -> StoreResult<()> {
        SqliteStore::catch_up_blocking(self)
    }
}
