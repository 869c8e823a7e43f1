//! Every SQLite file the app keeps on the device (the holder's vault, the scanner's store) is
//! opened here: in the app's data folder, readable by this user only (0600; SQLite gives the
//! `-wal` and `-shm` files the database file's mode), in WAL with synchronous writes, and brought
//! to the newest schema by numbered migrations.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

/// Why a SQLite file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum SqliteError {
    #[error("no home folder for app data")]
    NoHome,
    #[error("{path}: {source}")]
    File { path: String, source: std::io::Error },
    #[error("{path} cannot be opened: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("{path}: {source}")]
    Sql { path: String, source: rusqlite::Error },
    #[error("{path} was made by a newer version of the app (schema {found}, this one knows {known})")]
    Newer { path: String, found: usize, known: usize },
}

/// The app's data folder (`KAIKU_DATA_DIR` overrides it).
pub fn default_dir() -> Result<PathBuf, SqliteError> {
    if let Some(dir) = std::env::var_os("KAIKU_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("fi", "Kaiku", "Kaiku").map(|d| d.data_dir().to_owned()).ok_or(SqliteError::NoHome)
}

/// The path of the file `name` in the data folder, which is made if missing.
pub fn data_file(name: &str) -> Result<PathBuf, SqliteError> {
    let dir = default_dir()?;
    std::fs::create_dir_all(&dir).map_err(|source| SqliteError::File { path: dir.display().to_string(), source })?;
    Ok(dir.join(name))
}

/// Opens (or creates) the database at `path` and applies the `migrations` it has not had yet,
/// each once and in order (its count is the file's `user_version`). A migration is never changed
/// once released: a new schema is a new migration at the end.
pub fn open(path: &Path, migrations: &[&str]) -> Result<Connection, SqliteError> {
    let shown = || path.display().to_string();
    private_file(path).map_err(|source| SqliteError::File { path: shown(), source })?;
    let mut conn = Connection::open(path).map_err(|source| SqliteError::Open { path: shown(), source })?;
    let sql = |source| SqliteError::Sql { path: shown(), source };
    // Set before the first table: pages freed (a replaced register copy) go back to the file system.
    conn.pragma_update(None, "auto_vacuum", "FULL").map_err(sql)?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
    conn.pragma_update(None, "synchronous", "FULL").map_err(sql)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(sql)?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(sql)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
    let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(sql)?;
    let found = usize::try_from(found).unwrap_or(usize::MAX);
    if found > migrations.len() {
        return Err(SqliteError::Newer { path: shown(), found, known: migrations.len() });
    }
    for (done, m) in migrations.iter().enumerate().skip(found) {
        tx.execute_batch(m).map_err(sql)?;
        tx.pragma_update(None, "user_version", i64::try_from(done + 1).unwrap_or(i64::MAX)).map_err(sql)?;
    }
    tx.commit().map_err(sql)?;
    Ok(conn)
}

/// Creates the file readable and writable by this user only, and takes group and others'
/// rights away from one made before.
fn private_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let file = std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(path)?;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST: &str = "CREATE TABLE a (x INTEGER);";
    const SECOND: &str = "ALTER TABLE a ADD COLUMN y TEXT;";

    #[test]
    fn migrations_run_once_each_in_order_across_reopening() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.sqlite");
        open(&path, &[FIRST]).expect("opens at schema 1").execute("INSERT INTO a (x) VALUES (1)", []).expect("row");
        let conn = open(&path, &[FIRST, SECOND]).expect("migrates to schema 2");
        let row: (i64, Option<String>) =
            conn.query_row("SELECT x, y FROM a", [], |r| Ok((r.get(0)?, r.get(1)?))).expect("kept");
        assert_eq!(row, (1, None));
        drop(conn);
        let again = open(&path, &[FIRST, SECOND]).expect("reopens without running them again");
        assert_eq!(again.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).expect("version"), 2);
        assert!(matches!(open(&path, &[FIRST]), Err(SqliteError::Newer { found: 2, known: 1, .. })));
    }

    #[cfg(unix)]
    #[test]
    fn the_database_and_its_wal_are_readable_by_this_user_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.sqlite");
        let conn = open(&path, &[FIRST]).expect("opens");
        conn.execute("INSERT INTO a (x) VALUES (1)", []).expect("a write makes the WAL");
        for file in [path.clone(), dir.path().join("p.sqlite-wal")] {
            let mode = std::fs::metadata(&file).expect("exists").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
        drop(conn);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("loosened");
        drop(open(&path, &[FIRST]).expect("reopens"));
        assert_eq!(std::fs::metadata(&path).expect("exists").permissions().mode() & 0o777, 0o600, "tightened");
    }
}
