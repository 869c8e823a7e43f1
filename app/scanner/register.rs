//! The device's register copy on SQLite: the compact copy held in memory for lookups, saved as
//! one blob in the same row as its cursor, so a saved cursor always matches the saved cards.

use chrono::{DateTime, Utc};
use kaiku_core::keys::TrustedKeys;
use kaiku_core::verdict::{RegisterEntry, RegisterLookup};
use kaiku_core::wire::{Cursor, RegisterPage};
use kaiku_core::{CardId, KeySet};
use rusqlite::{Connection, OptionalExtension, params};

use super::compact::CompactRegister;
pub use super::store::RegisterMeta;
use super::store::StoreError;

/// Pages applied in memory before the copy is saved again during a long pull.
const SAVE_EVERY: u32 = 32;

/// The register copy on the device.
#[derive(Debug)]
pub struct Register {
    conn: Connection,
    copy: CompactRegister,
    meta: RegisterMeta,
    /// Pages applied since the last save.
    unsaved: u32,
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl Register {
    /// Loads the saved copy (an empty one if none was saved).
    pub fn load(conn: Connection) -> Result<Self, StoreError> {
        let row: Option<(i64, Option<String>, String, Vec<u8>)> = conn
            .query_row("SELECT cursor, as_of, keys, cards FROM register_copy WHERE one = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let (meta, copy) = match row {
            None => (RegisterMeta::default(), CompactRegister::default()),
            Some((cursor, as_of, keys, cards)) => (
                RegisterMeta {
                    cursor: Cursor(u64::try_from(cursor).map_err(corrupt)?),
                    as_of: as_of.map(|t| t.parse::<DateTime<Utc>>().map_err(corrupt)).transpose()?,
                    keys: serde_json::from_str(&keys).map_err(corrupt)?,
                },
                CompactRegister::decode(&cards)?,
            ),
        };
        Ok(Self { conn, copy, meta, unsaved: 0 })
    }

    pub fn meta(&self) -> &RegisterMeta {
        &self.meta
    }

    /// The public keys the device verifies credentials with, and the retired ones.
    pub fn key_set(&self) -> Result<KeySet, StoreError> {
        Ok(self.meta.keys.key_set()?)
    }

    pub fn copy(&self) -> &CompactRegister {
        &self.copy
    }

    /// Applies one page: a snapshot's first page empties the copy. Saved on the last page of a
    /// pull and every few pages of a long one.
    pub fn apply(&mut self, page: &RegisterPage) -> Result<(), StoreError> {
        if page.snapshot {
            self.copy.clear();
        }
        self.copy.apply(&page.records);
        self.meta = self.meta.after(page);
        self.unsaved += 1;
        if !page.more || self.unsaved >= SAVE_EVERY {
            self.save()?;
        }
        Ok(())
    }

    /// Stores the trusted keys (as received at enrollment: the roots).
    pub fn set_keys(&mut self, keys: &TrustedKeys) -> Result<(), StoreError> {
        self.meta.keys = keys.clone();
        self.save()
    }

    /// Writes the copy and its meta in one statement.
    pub fn save(&mut self) -> Result<(), StoreError> {
        let m = &self.meta;
        self.conn.execute(
            "INSERT INTO register_copy (one, cursor, as_of, keys, cards) VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (one) DO UPDATE SET cursor = ?1, as_of = ?2, keys = ?3, cards = ?4",
            params![
                i64::try_from(m.cursor.0).map_err(corrupt)?,
                m.as_of.map(|t| t.to_rfc3339()),
                serde_json::to_string(&m.keys).map_err(corrupt)?,
                self.copy.encode()
            ],
        )?;
        self.unsaved = 0;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.copy.len()
    }

    pub fn is_empty(&self) -> bool {
        self.copy.is_empty()
    }
}

impl RegisterLookup for Register {
    fn lookup(&self, card: &CardId) -> Option<RegisterEntry> {
        self.copy.get(card)
    }
}
