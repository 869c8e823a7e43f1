//! The vault as a table in a SQLite file (WAL, synchronous FULL).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Vault, VaultError};

#[derive(Debug)]
pub struct SqliteVault {
    conn: Mutex<Connection>,
}

fn io(e: rusqlite::Error) -> VaultError {
    VaultError::Io(e.to_string())
}

impl SqliteVault {
    /// Opens (creating) the vault at `path`.
    pub fn open(path: &Path) -> Result<Self, VaultError> {
        let conn = Connection::open(path).map_err(|e| VaultError::Open(format!("{}: {e}", path.display())))?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(io)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(io)?;
        conn.execute_batch("CREATE TABLE IF NOT EXISTS vault (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            .map_err(io)?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    /// The vault in the user's data folder (`KAIKU_DATA_DIR` overrides it).
    pub fn open_default() -> Result<Self, VaultError> {
        let dir = default_dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| VaultError::Open(format!("{}: {e}", dir.display())))?;
        Self::open(&dir.join("kaiku-app.sqlite"))
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, VaultError> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn).map_err(io)
    }
}

pub fn default_dir() -> Result<PathBuf, VaultError> {
    if let Some(dir) = std::env::var_os("KAIKU_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("fi", "Kaiku", "Kaiku")
        .map(|d| d.data_dir().to_owned())
        .ok_or_else(|| VaultError::Open("no home folder for app data".into()))
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
