//! The scanner device on SQLite: its log, its register copy and its enrollment in one file.

use std::path::Path;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::keys::TrustedKeys;
use kaiku_core::redemption::CardFacts;
use kaiku_core::wire::{ItemOutcome, RegisterPage};
use kaiku_core::{CardId, Redemption};
use rusqlite::{Connection, OptionalExtension, params};

use super::compact::CompactRegister;
use super::db;
use super::log::Log;
pub use super::model::{Enrollment, Fields, Logged, Marked, Status};
use super::register::{Register, RegisterMeta};
pub use super::store::StoreError as ScannerError;
use super::store::{ScannerStore, StoreError, recording_device};

/// The venue scanner's engine on SQLite (desktop and mobile).
#[derive(Debug)]
pub struct Scanner {
    pub log: Log,
    pub register: Register,
    conn: Connection,
}

impl Scanner {
    /// Opens (or creates) the scanner's database file and loads the register copy.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self { log: Log::new(db::open(path)?), register: Register::load(db::open(path)?)?, conn: db::open(path)? })
    }

    /// The stored enrollment, if the device was ever enrolled.
    pub fn enrollment(&self) -> Result<Option<Enrollment>, StoreError> {
        let row: Option<(u32, Option<String>, u32, String, String)> = self
            .conn
            .query_row("SELECT device, token, venue, venue_name, offers FROM device WHERE one = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        let Some((device, token, venue, venue_name, offers)) = row else { return Ok(None) };
        Ok(Some(Enrollment {
            device: DeviceId(device),
            token,
            venue: VenueId(venue),
            venue_name,
            offers: serde_json::from_str(&offers).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        }))
    }

    fn store_enrollment(&mut self, e: &Enrollment, keys: &TrustedKeys) -> Result<(), StoreError> {
        let offers = serde_json::to_string(&e.offers).map_err(|x| StoreError::Corrupt(x.to_string()))?;
        let keys_json = serde_json::to_string(keys).map_err(|x| StoreError::Corrupt(x.to_string()))?;
        self.conn.execute(
            "INSERT INTO device (one, device, token, venue, venue_name, offers, keys) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (one) DO UPDATE SET device = ?1, token = ?2, venue = ?3, venue_name = ?4, offers = ?5, keys = ?6",
            params![e.device.0, e.token, e.venue.0, e.venue_name, offers, keys_json],
        )?;
        if let Some(token) = &e.token {
            self.conn.execute(
                "INSERT INTO tokens (device, token) VALUES (?1, ?2) ON CONFLICT (device) DO UPDATE SET token = ?2",
                params![e.device.0, token],
            )?;
        }
        self.register.set_keys(keys)
    }

    pub(super) fn forget_token(&mut self) -> Result<(), StoreError> {
        self.conn.execute("UPDATE device SET token = NULL WHERE one = 1", [])?;
        Ok(())
    }

    /// Records a redemption durably for this enrolled device; returns after the commit.
    pub fn record(&mut self, fields: Fields, facts: Option<CardFacts>) -> Result<Redemption, StoreError> {
        let device = recording_device(self.enrollment()?, &fields)?;
        self.log.record(device, fields, facts)
    }

    /// The pending count and the age of the register copy at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> Result<Status, StoreError> {
        Ok(Status::at(self.log.pending_count()?, self.register.meta().as_of, now))
    }
}

#[async_trait(?Send)]
impl ScannerStore for Scanner {
    async fn enrollment(&self) -> Result<Option<Enrollment>, StoreError> {
        Scanner::enrollment(self)
    }

    async fn save_enrollment(&mut self, e: &Enrollment, keys: &TrustedKeys) -> Result<(), StoreError> {
        self.store_enrollment(e, keys)
    }

    async fn drop_token(&mut self) -> Result<(), StoreError> {
        self.forget_token()
    }

    async fn append(
        &mut self,
        device: DeviceId,
        f: Fields,
        facts: Option<CardFacts>,
    ) -> Result<Redemption, StoreError> {
        self.log.record(device, f, facts)
    }

    async fn pending(&self, limit: usize) -> Result<Vec<Redemption>, StoreError> {
        self.log.pending(limit)
    }

    async fn pending_count(&self) -> Result<u64, StoreError> {
        self.log.pending_count()
    }

    async fn pending_devices(&self) -> Result<Vec<DeviceId>, StoreError> {
        self.log.pending_devices()
    }

    async fn pending_of(&self, device: DeviceId, limit: usize) -> Result<Vec<Redemption>, StoreError> {
        self.log.pending_of(device, limit)
    }

    async fn token_for(&self, device: DeviceId) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row("SELECT token FROM tokens WHERE device = ?1", [device.0], |r| r.get(0)).optional()?)
    }

    async fn mark(&mut self, sent: &[Redemption], outcomes: &[ItemOutcome]) -> Result<Marked, StoreError> {
        self.log.mark(sent, outcomes)
    }

    async fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Logged>, StoreError> {
        self.log.between(from, to)
    }

    async fn rejected(&self) -> Result<Vec<Logged>, StoreError> {
        self.log.rejected()
    }

    async fn last_recorded(&self, card: CardId) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.log.last_recorded(card)
    }

    async fn apply_page(&mut self, page: &RegisterPage) -> Result<(), StoreError> {
        self.register.apply(page)
    }

    fn register(&self) -> &CompactRegister {
        self.register.copy()
    }

    fn register_meta(&self) -> &RegisterMeta {
        self.register.meta()
    }
}
