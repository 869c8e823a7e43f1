//! The vault as a table in a SQLite file, opened like every device-side SQLite file
//! (`sqlite_file`).

use std::path::Path;
use std::sync::Mutex;

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};

use super::sqlite_file::{self, SqliteError};
use super::{Vault, VaultError};

const MIGRATIONS: &[&str] = &["CREATE TABLE IF NOT EXISTS vault (key TEXT PRIMARY KEY, value TEXT NOT NULL)"];

#[derive(Debug)]
pub struct SqliteVault {
    conn: Mutex<Connection>,
}

fn io(e: rusqlite::Error) -> VaultError {
    VaultError::Io(e.to_string())
}

fn opening(e: SqliteError) -> VaultError {
    VaultError::Open(e.to_string())
}

impl SqliteVault {
    /// Opens (creating) the vault at `path`.
    pub fn open(path: &Path) -> Result<Self, VaultError> {
        let conn = sqlite_file::open(path, MIGRATIONS).map_err(opening)?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    /// The vault in the user's data folder (`KAIKU_DATA_DIR` overrides it).
    pub fn open_default() -> Result<Self, VaultError> {
        Self::open(&sqlite_file::data_file("kaiku-app.sqlite").map_err(opening)?)
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, VaultError> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn).map_err(io)
    }
}

#[async_trait(?Send)]
impl Vault for SqliteVault {
    async fn get(&self, key: &str) -> Result<Option<String>, VaultError> {
        self.with(|c| c.query_row("SELECT value FROM vault WHERE key = ?1", [key], |r| r.get(0)).optional())
    }

    async fn put(&self, key: &str, value: &str) -> Result<(), VaultError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO vault (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(|_| ())
        })
    }

    async fn delete(&self, key: &str) -> Result<(), VaultError> {
        self.with(|c| c.execute("DELETE FROM vault WHERE key = ?1", [key]).map(|_| ()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn values_survive_reopening_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("v.sqlite");
        {
            let v = SqliteVault::open(&path).expect("opens");
            v.put("card", "{\"a\":1}").await.expect("put");
            v.put("card", "{\"a\":2}").await.expect("overwrite");
            v.put("gone", "x").await.expect("put");
            v.delete("gone").await.expect("delete");
        }
        let v = SqliteVault::open(&path).expect("reopens");
        assert_eq!(v.get("card").await, Ok(Some("{\"a\":2}".into())));
        assert_eq!(v.get("gone").await, Ok(None));
    }
}
