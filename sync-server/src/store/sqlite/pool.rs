//! Connections to one SQLite file: a single writer (SQLite allows one at a time) and a few
//! readers, which WAL lets run beside it. Used only from blocking threads.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};

use crate::store::{StoreError, StoreResult};

#[derive(Debug)]
pub struct Pool {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Copies the WAL into the database beside the writer ([`Pool::checkpoint`]).
    checkpointer: Mutex<Option<Connection>>,
}

/// WAL pages after which a commit checkpoints by itself: only when [`Pool::checkpoint`] has not
/// run for a long while (64 MiB of 16 KiB pages), so uploads do not wait for checkpoints.
const AUTOCHECKPOINT_PAGES: i64 = 4_096;

/// Readers kept open between requests.
const IDLE_READERS: usize = 4;

impl Pool {
    /// Opens (creating if needed) the database and applies the migrations.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        private_file(path)?;
        let mut writer = Connection::open(path)?;
        configure(&writer)?;
        // Only takes effect on a new, empty database (before WAL mode is set).
        writer.pragma_update(None, "page_size", 16_384)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        // The writer keeps the hot pages of the indexes it inserts into in memory (64 MiB).
        writer.pragma_update(None, "cache_size", -65_536)?;
        writer.pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES)?;
        super::migrations::apply(&mut writer)?;
        Ok(Self {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            checkpointer: Mutex::new(None),
        })
    }

    /// Copies what the WAL holds into the database file on a connection of its own (a PASSIVE
    /// checkpoint waits for no reader or writer), so that the writer's commits seldom have to.
    pub fn checkpoint(&self) -> rusqlite::Result<()> {
        let mut conn = self.checkpointer.lock().unwrap_or_else(|p| p.into_inner());
        if conn.is_none() {
            let c = Connection::open(&self.path)?;
            configure(&c)?;
            *conn = Some(c);
        }
        if let Some(c) = conn.as_ref() {
            c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        }
        Ok(())
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

    /// Copies the live database to `dest` with `VACUUM INTO` on a reader: one read transaction,
    /// so one consistent snapshot that finishes however busy the writers are (the online backup
    /// API starts over whenever another connection writes, and under steady uploads from the
    /// server it could start over forever). The copy goes to a new private file (0600) beside
    /// `dest`, renamed over it when whole: an earlier backup is only ever replaced by a whole one.
    pub fn backup(&self, dest: &Path) -> StoreResult<()> {
        let name = dest.file_name().and_then(|n| n.to_str()).unwrap_or("backup");
        let partial = dest.with_file_name(format!(".{name}.partial"));
        let _ = std::fs::remove_file(&partial);
        create_private(&partial)
            .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", partial.display())))?;
        let Some(target) = partial.to_str() else {
            let _ = std::fs::remove_file(&partial);
            return Err(StoreError::Backend(format!("the path {} is not UTF-8", dest.display())));
        };
        let copied = self.read(|c| c.execute("VACUUM INTO ?1", [target]).map(|_| ()).map_err(StoreError::from));
        let renamed = copied.and_then(|()| {
            std::fs::rename(&partial, dest)
                .map_err(|e| StoreError::Backend(format!("cannot move the backup to {}: {e}", dest.display())))
        });
        if renamed.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        renamed
    }
}

/// Creates a new, empty file that only its owner can read and write (0600 on Unix): database
/// copies hold the signing keys' seeds and the holders' background data.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // FULL: an upload the server has answered "accepted" survives a power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // The statement journal every card insert needs (its trigger numbers the card) stays in
    // memory instead of a temporary file written and synced for each row.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Makes the database file `path` readable and writable by the server's user only (0600), with
/// its `-wal`, `-shm` and `-journal` files if they are there: they hold the signing keys' seeds
/// and the register. The file is created empty first so that SQLite never creates it with the
/// default mode, and SQLite gives a new `-wal`, `-shm` or `-journal` the database file's mode.
fn private_file(path: &Path) -> rusqlite::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let io = |e: std::io::Error| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(format!("{}: {e}", path.display())),
            )
        };
        std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(path).map_err(io)?;
        let private = std::fs::Permissions::from_mode(0o600);
        std::fs::set_permissions(path, private.clone()).map_err(io)?;
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            match std::fs::set_permissions(&side, private.clone()) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
                _ => {}
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
