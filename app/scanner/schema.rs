//! The scanner's SQLite file: its schema as migrations, and how its errors read.

use std::path::Path;

use rusqlite::Connection;

use super::store::StoreError;
use crate::storage::sqlite_file;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Backend(e.to_string())
    }
}

/// The first schema, as released: every table made if missing (files from before migrations).
const FIRST: &str = "
CREATE TABLE IF NOT EXISTS device (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    device INTEGER NOT NULL,
    token TEXT,
    venue INTEGER NOT NULL,
    venue_name TEXT NOT NULL,
    offers TEXT NOT NULL,
    keys TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    device INTEGER PRIMARY KEY,
    token TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sequences (
    device INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS redemptions (
    device INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    scanned_at TEXT NOT NULL,
    offer TEXT NOT NULL,
    offer_id INTEGER,
    people INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (device, seq)
);
CREATE INDEX IF NOT EXISTS redemptions_scanned_at ON redemptions (scanned_at);
-- When did this device last record a card: the door's seen-here caution.
CREATE INDEX IF NOT EXISTS redemptions_card ON redemptions (json_extract(body, '$.card'), scanned_at);
CREATE TABLE IF NOT EXISTS sync_state (
    id TEXT PRIMARY KEY REFERENCES redemptions (id),
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'duplicate', 'rejected')),
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sync_state_state ON sync_state (state);
CREATE TABLE IF NOT EXISTS register_copy (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    cursor INTEGER NOT NULL,
    as_of TEXT,
    keys TEXT NOT NULL,
    cards BLOB NOT NULL
);
";

/// Corrections (the door's undo): a record names the one it takes back, each at most once; the
/// seen-here index carries what tells corrections and records taken back apart, so it alone
/// answers.
const UNDO: &str = "
ALTER TABLE redemptions ADD COLUMN undoes TEXT;
CREATE UNIQUE INDEX redemptions_undoes ON redemptions (undoes) WHERE undoes IS NOT NULL;
DROP INDEX redemptions_card;
CREATE INDEX redemptions_card ON redemptions (json_extract(body, '$.card'), scanned_at, undoes, id);
";

/// The migrations in order; a new schema is a new one at the end, never a change to one here.
const MIGRATIONS: &[&str] = &[FIRST, UNDO];

/// Opens (or creates) the scanner database at `path`.
pub fn open(path: &Path) -> Result<Connection, StoreError> {
    sqlite_file::open(path, MIGRATIONS).map_err(|e| StoreError::Open(e.to_string()))
}
