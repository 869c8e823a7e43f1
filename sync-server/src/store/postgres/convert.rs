//! Conversions between Rust values and PostgreSQL columns, and the driver's errors as the
//! store's. Ids are `bigint` columns: every `u32` id fits, and one read back that does not is a
//! storage failure, never a panic.

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, ToSql};

use crate::store::{StoreError, StoreResult};

/// A parameter list built at run time.
pub type Params = Vec<Box<dyn ToSql + Sync + Send>>;

/// The parameters as the driver takes them.
pub fn refs(params: &Params) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect()
}

/// The snake_case name serde gives a unit enum variant.
pub fn text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The enum variant named `s`.
pub fn parse<T: DeserializeOwned>(s: &str) -> StoreResult<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| StoreError::Backend(format!("a stored value '{s}' does not read: {e}")))
}

/// A value through a parsing function, its error as a storage failure.
pub fn parse_with<T, E: std::fmt::Display>(s: &str, f: impl FnOnce(&str) -> Result<T, E>) -> StoreResult<T> {
    f(s).map_err(|e| StoreError::Backend(format!("a stored value '{s}' does not read: {e}")))
}

/// Column `i` of `row` as `T`.
pub fn get<'a, T: FromSql<'a>>(row: &'a Row, i: usize) -> StoreResult<T> {
    Ok(row.try_get(i)?)
}

/// Column `i` as a `u32` id.
pub fn id(row: &Row, i: usize) -> StoreResult<u32> {
    let n: i64 = row.try_get(i)?;
    u32::try_from(n).map_err(|_| StoreError::Backend(format!("stored id {n} is out of range")))
}

/// Column `i` as an optional `u32` id.
pub fn opt_id(row: &Row, i: usize) -> StoreResult<Option<u32>> {
    let n: Option<i64> = row.try_get(i)?;
    n.map(|n| u32::try_from(n).map_err(|_| StoreError::Backend(format!("stored id {n} is out of range")))).transpose()
}

/// Column `i` (an `integer`) as a small unsigned number.
pub fn small<T: TryFrom<i32>>(row: &Row, i: usize) -> StoreResult<T> {
    let n: i32 = row.try_get(i)?;
    T::try_from(n).map_err(|_| StoreError::Backend(format!("stored number {n} is out of range")))
}

/// A count (`bigint`) as `u64`.
pub fn count(row: &Row, i: usize) -> StoreResult<u64> {
    let n: Option<i64> = row.try_get(i)?;
    Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        match e.code() {
            // The database's own text names tables and columns: it goes to the log, not the client.
            Some(c)
                if *c == SqlState::UNIQUE_VIOLATION
                    || *c == SqlState::FOREIGN_KEY_VIOLATION
                    || *c == SqlState::CHECK_VIOLATION
                    || *c == SqlState::NOT_NULL_VIOLATION =>
            {
                tracing::warn!(error = %e, "a write broke a constraint of the database");
                StoreError::Conflict("that conflicts with something already in the register".into())
            }
            // A NUL character or invalid text sent by a client: PostgreSQL's text cannot hold it.
            Some(c) if *c == SqlState::CHARACTER_NOT_IN_REPERTOIRE || *c == SqlState::UNTRANSLATABLE_CHARACTER => {
                StoreError::Conflict("text with a NUL character cannot be stored: remove it".into())
            }
            _ => StoreError::Backend(match e.as_db_error() {
                Some(db) => format!("{e}: {}", db.message()),
                None => e.to_string(),
            }),
        }
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::Backend(format!("no database connection: {e}"))
    }
}
