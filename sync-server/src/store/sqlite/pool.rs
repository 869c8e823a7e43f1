//! Connections to one SQLite file: a single writer (SQLite allows one at a time) and a few
//! readers, which WAL lets run beside it. Used only from blocking threads.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};

#[derive(Debug)]
pub struct Pool {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

/// Readers kept open between requests.
const IDLE_READERS: usize = 4;

impl Pool {
    /// Opens (creating if needed) the database and applies the migrations.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let mut writer = Connection::open(path)?;
        configure(&writer)?;
        // Only takes effect on a new, empty database (before WAL mode is set).
        writer.pragma_update(None, "page_size", 16_384)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        // The writer keeps the hot pages of the indexes it inserts into in memory (64 MiB).
        writer.pragma_update(None, "cache_size", -65_536)?;
        super::migrations::apply(&mut writer)?;
        Ok(Self { path: path.to_owned(), writer: Mutex::new(writer), readers: Mutex::new(Vec::new()) })
    }

    /// Runs `f` with the writer connection.
    pub fn write<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }

    /// Runs `f` with a reader connection.
    pub fn read<T, E: From<rusqlite::Error>>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        let idle = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            None => {
                // NO_MUTEX: a connection is used by one thread at a time (taken from the pool),
                // and SQLite's own locking of each call was a fifth of a statistics read.
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let c = Connection::open_with_flags(&self.path, flags)?;
                configure(&c)?;
                c
            }
        };
        let out = f(&conn);
        let mut readers = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if readers.len() < IDLE_READERS {
            readers.push(conn);
        }
        out
    }

    /// Copies the live database to `dest` with SQLite's online backup.
    pub fn backup(&self, dest: &Path) -> rusqlite::Result<()> {
        let conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = Connection::open(dest)?;
        let backup = rusqlite::backup::Backup::new(&conn, &mut out)?;
        backup.run_to_completion(1024, std::time::Duration::from_millis(0), None)
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // FULL: an upload the server has answered "accepted" survives a power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}
