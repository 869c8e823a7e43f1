//! The scanner device: its log, its register copy and its enrollment, all in one SQLite file.

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use kaiku_core::Redemption;
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::keys::PublicKeyRecord;
use kaiku_core::redemption::CardFacts;
use kaiku_core::wire::Offer;
use rusqlite::{Connection, OptionalExtension, params};

use super::db::{self, DbError};
use super::log::{Fields, Log, LogError};
use super::register::Register;

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

/// What the scanner screen always shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub pending: u64,
    pub register_as_of: Option<DateTime<Utc>>,
    /// How old the register copy is at `now`; `None` before the first pull.
    pub register_age: Option<TimeDelta>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScannerError {
    #[error("this device is not enrolled as a venue's scanner")]
    NotEnrolled,
    #[error("the redemption is for venue {asked}, but this device scans for venue {enrolled}")]
    OtherVenue { asked: VenueId, enrolled: VenueId },
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for ScannerError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(DbError::Sql(e))
    }
}

/// The venue scanner's engine.
#[derive(Debug)]
pub struct Scanner {
    pub log: Log,
    pub register: Register,
    conn: Connection,
}

impl Scanner {
    /// Opens (or creates) the scanner's database file.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        Ok(Self { log: Log::new(db::open(path)?), register: Register::new(db::open(path)?), conn: db::open(path)? })
    }

    /// The stored enrollment, if the device was ever enrolled.
    pub fn enrollment(&self) -> Result<Option<Enrollment>, DbError> {
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
            offers: serde_json::from_str(&offers).map_err(|e| DbError::Corrupt(e.to_string()))?,
        }))
    }

    pub(super) fn store_enrollment(&mut self, e: &Enrollment, keys: &[PublicKeyRecord]) -> Result<(), DbError> {
        let offers = serde_json::to_string(&e.offers).map_err(|x| DbError::Corrupt(x.to_string()))?;
        let keys_json = serde_json::to_string(keys).map_err(|x| DbError::Corrupt(x.to_string()))?;
        self.conn.execute(
            "INSERT INTO device (one, device, token, venue, venue_name, offers, keys) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (one) DO UPDATE SET device = ?1, token = ?2, venue = ?3, venue_name = ?4, offers = ?5, keys = ?6",
            params![e.device.0, e.token, e.venue.0, e.venue_name, offers, keys_json],
        )?;
        self.register.set_keys(keys)?;
        Ok(())
    }

    pub(super) fn drop_token(&mut self) -> Result<(), DbError> {
        self.conn.execute("UPDATE device SET token = NULL WHERE one = 1", [])?;
        Ok(())
    }

    /// Records a redemption durably for this enrolled device; returns after the commit.
    pub fn record(&mut self, fields: Fields, facts: Option<CardFacts>) -> Result<Redemption, ScannerError> {
        let e = self.enrollment()?.filter(|e| e.token.is_some()).ok_or(ScannerError::NotEnrolled)?;
        if fields.venue != e.venue {
            return Err(ScannerError::OtherVenue { asked: fields.venue, enrolled: e.venue });
        }
        Ok(self.log.record(e.device, fields, facts)?)
    }

    /// The pending count and the age of the register copy at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> Result<Status, ScannerError> {
        let as_of = self.register.meta()?.as_of;
        Ok(Status { pending: self.log.pending_count()?, register_as_of: as_of, register_age: as_of.map(|t| now - t) })
    }
}
