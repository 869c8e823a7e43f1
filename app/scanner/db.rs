//! The scanner's SQLite file: opened in WAL with synchronous writes, schema made on open.

use std::path::Path;

use rusqlite::Connection;

use super::store::StoreError;

/// Why the scanner's database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the scanner database {path} cannot be opened: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("scanner database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("a stored record cannot be read: {0}")]
    Corrupt(String),
}

impl From<DbError> for StoreError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Open { .. } => StoreError::Open(e.to_string()),
            DbError::Sql(e) => StoreError::Backend(e.to_string()),
            DbError::Corrupt(c) => StoreError::Corrupt(c),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Backend(e.to_string())
    }
}

const SCHEMA: &str = "
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

/// Opens (or creates) the scanner database at `path`.
pub fn open(path: &Path) -> Result<Connection, DbError> {
    let conn = Connection::open(path).map_err(|source| DbError::Open { path: path.display().to_string(), source })?;
    // Set before the first table: a replaced register copy gives its pages back to the file system.
    conn.pragma_update(None, "auto_vacuum", "FULL")?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}
