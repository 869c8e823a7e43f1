//! Conversions between Rust values and SQLite columns.

use rusqlite::ErrorCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::store::StoreError;

/// The snake_case name serde gives a unit enum variant.
pub fn text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The enum variant named `s`, or a conversion error naming the column.
pub fn parse<T: DeserializeOwned>(s: &str, column: usize) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e)))
}

/// A typed value from a text column through `FromStr`-like parsing.
pub fn parse_with<T, E: std::error::Error + Send + Sync + 'static>(
    s: &str,
    column: usize,
    f: impl FnOnce(&str) -> Result<T, E>,
) -> rusqlite::Result<T> {
    f(s).map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e)))
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            // The storage's own text names tables and columns: it goes to the log, not the client.
            Some(ErrorCode::ConstraintViolation) => {
                tracing::warn!(error = %e, "a write broke a constraint of the database");
                StoreError::Conflict("that conflicts with something already in the register".into())
            }
            _ => StoreError::Backend(e.to_string()),
        }
    }
}
