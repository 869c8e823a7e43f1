//! The scanner's store on SQLite (desktop and mobile): its log, its register copy and its
//! enrollment in one file, over one connection. Every call runs its statements to the end
//! without awaiting, so the connection is never borrowed across an await and two overlapping
//! calls (the door recording while a sync marks) simply take turns.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::keys::TrustedKeys;
use kaiku_core::redemption::CardFacts;
use kaiku_core::wire::{Cursor, ItemOutcome, RegisterPage};
use kaiku_core::{CardId, Redemption};
use rusqlite::{Connection, OptionalExtension, params};

use super::compact::CompactRegister;
use super::log;
use super::model::{Enrollment, Fields, Logged, Marked, Status};
use super::register::{RegisterCopy, RegisterMeta, RegisterSlot};
use super::schema;
use super::store::{ScannerStore, StoreError, recording_device, undoing_device};

/// The venue scanner's store on SQLite.
#[derive(Debug)]
pub struct SqliteScannerStore {
    conn: RefCell<Connection>,
    register: RegisterSlot,
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl SqliteScannerStore {
    /// Opens (or creates) the scanner's database file and loads the register copy.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = schema::open(path)?;
        let register = RegisterSlot::new(load_register(&conn)?);
        Ok(Self { conn: RefCell::new(conn), register })
    }

    /// Runs `f` on the connection; it returns before anything else can ask for it.
    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        f(&mut self.conn.borrow_mut())
    }

    /// The stored enrollment, if the device was ever enrolled.
    pub fn enrollment(&self) -> Result<Option<Enrollment>, StoreError> {
        let row: Option<(u32, Option<String>, u32, String, String)> = self.with(|c| {
            Ok(c.query_row("SELECT device, token, venue, venue_name, offers FROM device WHERE one = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?)
        })?;
        let Some((device, token, venue, venue_name, offers)) = row else { return Ok(None) };
        Ok(Some(Enrollment {
            device: DeviceId(device),
            token,
            venue: VenueId(venue),
            venue_name,
            offers: serde_json::from_str(&offers).map_err(corrupt)?,
        }))
    }

    /// Records a redemption durably for this enrolled device; returns after the commit.
    pub fn record(&self, fields: Fields, facts: Option<CardFacts>) -> Result<Redemption, StoreError> {
        let device = recording_device(self.enrollment()?, &fields)?;
        self.with(|c| log::append(c, device, fields, facts))
    }

    /// The pending count and the age of the register copy at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> Result<Status, StoreError> {
        Ok(Status::at(self.pending_count()?, self.register.get().meta.as_of, now))
    }

    /// How many redemptions wait for the server.
    pub fn pending_count(&self) -> Result<u64, StoreError> {
        self.with(|c| log::pending_count(c))
    }

    /// Every redemption in the log with its state, by device and sequence number.
    pub fn log(&self) -> Result<Vec<Logged>, StoreError> {
        self.with(|c| log::all(c))
    }

    fn save_register(&self, copy: &RegisterCopy) -> Result<(), StoreError> {
        let m = &copy.meta;
        let keys = serde_json::to_string(&m.keys).map_err(corrupt)?;
        let cursor = i64::try_from(m.cursor.0).map_err(corrupt)?;
        self.with(|c| {
            c.execute(
                "INSERT INTO register_copy (one, cursor, as_of, keys, cards) VALUES (1, ?1, ?2, ?3, ?4)
                 ON CONFLICT (one) DO UPDATE SET cursor = ?1, as_of = ?2, keys = ?3, cards = ?4",
                params![cursor, m.as_of.map(|t| t.to_rfc3339()), keys, copy.cards.encode()],
            )?;
            Ok(())
        })
    }
}

/// The saved register copy (an empty one if none was saved).
fn load_register(conn: &Connection) -> Result<RegisterCopy, StoreError> {
    let row: Option<(i64, Option<String>, String, Vec<u8>)> = conn
        .query_row("SELECT cursor, as_of, keys, cards FROM register_copy WHERE one = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((cursor, as_of, keys, cards)) = row else { return Ok(RegisterCopy::default()) };
    Ok(RegisterCopy {
        cards: CompactRegister::decode(&cards)?,
        meta: RegisterMeta {
            cursor: Cursor(u64::try_from(cursor).map_err(corrupt)?),
            as_of: as_of.map(|t| t.parse::<DateTime<Utc>>().map_err(corrupt)).transpose()?,
            keys: serde_json::from_str(&keys).map_err(corrupt)?,
        },
    })
}

#[async_trait(?Send)]
impl ScannerStore for SqliteScannerStore {
    async fn enrollment(&self) -> Result<Option<Enrollment>, StoreError> {
        SqliteScannerStore::enrollment(self)
    }

    async fn save_enrollment(&self, e: &Enrollment, keys: &TrustedKeys) -> Result<(), StoreError> {
        let offers = serde_json::to_string(&e.offers).map_err(corrupt)?;
        let keys_json = serde_json::to_string(keys).map_err(corrupt)?;
        self.with(|c| {
            c.execute(
                "INSERT INTO device (one, device, token, venue, venue_name, offers, keys) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (one) DO UPDATE SET device = ?1, token = ?2, venue = ?3, venue_name = ?4, offers = ?5, keys = ?6",
                params![e.device.0, e.token, e.venue.0, e.venue_name, offers, keys_json],
            )?;
            if let Some(token) = &e.token {
                c.execute(
                    "INSERT INTO tokens (device, token) VALUES (?1, ?2) ON CONFLICT (device) DO UPDATE SET token = ?2",
                    params![e.device.0, token],
                )?;
            }
            Ok(())
        })?;
        let copy = self.register.with_keys(keys);
        self.save_register(&copy)?;
        self.register.set(copy);
        Ok(())
    }

    async fn drop_token(&self) -> Result<(), StoreError> {
        self.with(|c| Ok(c.execute("UPDATE device SET token = NULL WHERE one = 1", []).map(|_| ())?))
    }

    async fn append(&self, device: DeviceId, f: Fields, facts: Option<CardFacts>) -> Result<Redemption, StoreError> {
        self.with(|c| log::append(c, device, f, facts))
    }

    async fn undo(&self, of: &Redemption, at: DateTime<Utc>) -> Result<Redemption, StoreError> {
        let device = undoing_device(self.enrollment()?, of)?;
        self.with(|c| log::undo(c, device, of, at))
    }

    async fn pending(&self, limit: usize) -> Result<Vec<Redemption>, StoreError> {
        self.with(|c| log::pending(c, limit))
    }

    async fn pending_count(&self) -> Result<u64, StoreError> {
        SqliteScannerStore::pending_count(self)
    }

    async fn pending_devices(&self) -> Result<Vec<DeviceId>, StoreError> {
        self.with(|c| log::pending_devices(c))
    }

    async fn pending_of(&self, device: DeviceId, limit: usize) -> Result<Vec<Redemption>, StoreError> {
        self.with(|c| log::pending_of(c, device, limit))
    }

    async fn token_for(&self, device: DeviceId) -> Result<Option<String>, StoreError> {
        self.with(|c| {
            Ok(c.query_row("SELECT token FROM tokens WHERE device = ?1", [device.0], |r| r.get(0)).optional()?)
        })
    }

    async fn mark(&self, sent: &[Redemption], outcomes: &[ItemOutcome]) -> Result<Marked, StoreError> {
        self.with(|c| log::mark(c, sent, outcomes))
    }

    async fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Logged>, StoreError> {
        self.with(|c| log::between(c, from, to))
    }

    async fn rejected(&self) -> Result<Vec<Logged>, StoreError> {
        self.with(|c| log::rejected(c))
    }

    async fn last_recorded(&self, card: CardId) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.with(|c| log::last_recorded(c, card))
    }

    async fn apply_page(&self, page: &RegisterPage) -> Result<(), StoreError> {
        if let Some(copy) = self.register.apply(page) {
            self.save_register(&copy)?;
            self.register.saved();
        }
        Ok(())
    }

    fn register(&self) -> Rc<RegisterCopy> {
        self.register.get()
    }

    async fn log(&self) -> Result<Vec<Logged>, StoreError> {
        SqliteScannerStore::log(self)
    }
}
