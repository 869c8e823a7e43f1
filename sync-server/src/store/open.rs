//! Which backend runs: the database setting decides, here and nowhere else.

use std::path::Path;
use std::sync::Arc;

use super::{Store, StoreError, StoreResult, postgres, sqlite};

/// Whether the database setting names a PostgreSQL database (a `postgres://` or
/// `postgresql://` URL) rather than an SQLite file.
pub fn is_postgres(database: &Path) -> bool {
    database.to_str().is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// Opens the register the database setting names: PostgreSQL for a `postgres://` URL, else the
/// SQLite file at that path (created if new). Either way the schema is brought up to date.
pub async fn open(database: &Path) -> StoreResult<Arc<dyn Store>> {
    if is_postgres(database) {
        let url = database.to_str().unwrap_or_default();
        return Ok(Arc::new(postgres::PgStore::open(url).await?));
    }
    let path = database.to_owned();
    let store = tokio::task::spawn_blocking(move || sqlite::SqliteStore::open(&path))
        .await
        .map_err(|e| StoreError::Backend(format!("opening the database failed: {e}")))??;
    Ok(Arc::new(store))
}

/// Moves the SQLite register `source` into the empty PostgreSQL database `target` (a
/// `postgres://` URL), secrets included, in one transaction; what was moved, a line per table.
pub async fn migrate_to(source: &Path, target: &Path) -> StoreResult<String> {
    if is_postgres(source) || !is_postgres(target) {
        return Err(StoreError::Conflict(
            "migrate-to moves an SQLite register (--database FILE) into PostgreSQL (a postgres:// URL)".into(),
        ));
    }
    let store = postgres::PgStore::open(target.to_str().unwrap_or_default()).await?;
    Ok(postgres::describe_move(&store.move_from_sqlite(source).await?))
}
