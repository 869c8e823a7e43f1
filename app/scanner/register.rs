//! The device's register copy: a snapshot then deltas by the server's cursor, with the keys.

use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::keys::{KeyError, PublicKeyRecord};
use kaiku_core::verdict::{RegisterEntry, RegisterLookup, RegisterStatus};
use kaiku_core::wire::{Cursor, RegisterPage};
use kaiku_core::{CardId, CardKind, KeySet};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::db::DbError;

/// Where the copy is in the server's change stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterMeta {
    pub cursor: Cursor,
    /// When the copy was last complete (the last page of a pull); `None` before the first.
    pub as_of: Option<DateTime<Utc>>,
    pub keys: Vec<PublicKeyRecord>,
}

/// The register copy on the device.
#[derive(Debug)]
pub struct Register {
    conn: Connection,
}

impl Default for RegisterMeta {
    fn default() -> Self {
        Self { cursor: Cursor(0), as_of: None, keys: Vec::new() }
    }
}

fn corrupt(e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(e.to_string())
}

impl Register {
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    pub fn meta(&self) -> Result<RegisterMeta, DbError> {
        let row: Option<(i64, Option<String>, String)> = self
            .conn
            .query_row("SELECT cursor, as_of, keys FROM register_meta WHERE one = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((cursor, as_of, keys)) = row else { return Ok(RegisterMeta::default()) };
        Ok(RegisterMeta {
            cursor: Cursor(u64::try_from(cursor).map_err(corrupt)?),
            as_of: as_of.map(|t| t.parse::<DateTime<Utc>>().map_err(corrupt)).transpose()?,
            keys: serde_json::from_str(&keys).map_err(corrupt)?,
        })
    }

    /// The public keys the device verifies credentials with.
    pub fn key_set(&self) -> Result<KeySet, RegisterError> {
        Ok(KeySet::from_records(&self.meta()?.keys)?)
    }

    /// Applies one page in one transaction: a snapshot page replaces the copy, a delta page
    /// changes it. `as_of` moves only on the last page (`more` false).
    pub fn apply(&mut self, page: &RegisterPage) -> Result<(), DbError> {
        let old = self.meta()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if page.snapshot {
            tx.execute("DELETE FROM register", [])?;
        }
        {
            let mut st = tx.prepare_cached(
                "INSERT INTO register (card, kind, valid_until, minors, status) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (card) DO UPDATE SET kind = ?2, valid_until = ?3, minors = ?4, status = ?5",
            )?;
            for rec in &page.records {
                let e = &rec.entry;
                st.execute(params![
                    rec.card.to_string(),
                    e.kind.to_byte(),
                    e.valid_until.to_string(),
                    e.minors_on_record,
                    serde_json::to_string(&e.status).map_err(corrupt)?
                ])?;
            }
        }
        let keys = if page.keys.is_empty() { old.keys } else { page.keys.clone() };
        let as_of = if page.more { old.as_of } else { Some(page.as_of) };
        tx.execute(
            "INSERT INTO register_meta (one, cursor, as_of, keys) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (one) DO UPDATE SET cursor = ?1, as_of = ?2, keys = ?3",
            params![
                i64::try_from(page.next.0).map_err(corrupt)?,
                as_of.map(|t| t.to_rfc3339()),
                serde_json::to_string(&keys).map_err(corrupt)?
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Stores keys (as received at enrollment).
    pub fn set_keys(&mut self, keys: &[PublicKeyRecord]) -> Result<(), DbError> {
        let meta = self.meta()?;
        self.conn.execute(
            "INSERT INTO register_meta (one, cursor, as_of, keys) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (one) DO UPDATE SET keys = ?3",
            params![
                i64::try_from(meta.cursor.0).map_err(corrupt)?,
                meta.as_of.map(|t| t.to_rfc3339()),
                serde_json::to_string(keys).map_err(corrupt)?
            ],
        )?;
        Ok(())
    }

    pub fn len(&self) -> Result<u64, DbError> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM register", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub fn is_empty(&self) -> Result<bool, DbError> {
        Ok(self.len()? == 0)
    }

    fn get(&self, card: &CardId) -> Result<Option<RegisterEntry>, DbError> {
        let mut st =
            self.conn.prepare_cached("SELECT kind, valid_until, minors, status FROM register WHERE card = ?1")?;
        let row: Option<(u8, String, u8, String)> =
            st.query_row([card.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).optional()?;
        let Some((kind, valid_until, minors, status)) = row else { return Ok(None) };
        Ok(Some(RegisterEntry {
            kind: CardKind::from_byte(kind).ok_or_else(|| corrupt(format!("card kind {kind}")))?,
            valid_until: valid_until.parse::<NaiveDate>().map_err(corrupt)?,
            minors_on_record: minors,
            status: serde_json::from_str::<RegisterStatus>(&status).map_err(corrupt)?,
        }))
    }
}

impl RegisterLookup for Register {
    /// A card the copy cannot read is treated as not in the copy (admitted, flagged).
    fn lookup(&self, card: &CardId) -> Option<RegisterEntry> {
        self.get(card).ok().flatten()
    }
}

/// Why the register copy's keys are unusable.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("a stored public key is not usable: {0}")]
    Key(#[from] KeyError),
}
