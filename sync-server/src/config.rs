//! Settings in layers: built-in defaults, then an optional TOML file, then `KAIKU_*`
//! environment variables, then command-line flags (applied by the binary).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Everything the server can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The SQLite database file.
    pub database: PathBuf,
    /// How long a device enrollment code stays usable.
    pub enrollment_code_minutes: i64,
    /// How long a holder's activation code stays usable.
    pub activation_code_days: i64,
    /// Most redemptions in one upload batch.
    pub max_batch_items: usize,
    /// Largest request body accepted (after decompression).
    pub max_body_bytes: usize,
    /// An upload this long after the scan is marked late.
    pub late_after_hours: i64,
    /// Most register records in one page of the scanners' register copy.
    pub register_page_size: usize,
    /// Series letter for cards the server numbers itself (mobile-only cards).
    pub mobile_series: char,
    /// A folder with the built web app to serve at `/`, if any.
    pub web_root: Option<PathBuf>,
    /// How long a staff invitation (to set username and password) stays usable.
    pub invitation_days: i64,
    /// A staff session ends after this long without a request.
    pub session_idle_minutes: i64,
    /// A staff session ends this long after sign-in, however busy.
    pub session_max_hours: i64,
    /// Wrong passwords in a row that lock an account (the ones before slow it down).
    pub sign_in_max_failures: u32,
    /// How long a locked account stays locked; failures further apart are not counted together.
    pub sign_in_lock_minutes: i64,
    /// Failed sign-ins from one client address before its tries are slowed down.
    pub sign_in_address_failures: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: PathBuf::from("kaiku.sqlite"),
            enrollment_code_minutes: 24 * 60,
            activation_code_days: 30,
            max_batch_items: kaiku_core::wire::MAX_BATCH_ITEMS,
            max_body_bytes: 4 * 1024 * 1024,
            late_after_hours: 24,
            register_page_size: 100_000,
            mobile_series: 'K',
            web_root: None,
            invitation_days: 7,
            session_idle_minutes: 12 * 60,
            session_max_hours: 24,
            sign_in_max_failures: 5,
            sign_in_lock_minutes: 15,
            sign_in_address_failures: 20,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the settings file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("settings are not valid: {0}")]
    Invalid(String),
}

/// The setting names, also the suffixes of their `KAIKU_*` environment variables.
const KEYS: [&str; 16] = [
    "addr",
    "database",
    "enrollment_code_minutes",
    "activation_code_days",
    "max_batch_items",
    "max_body_bytes",
    "late_after_hours",
    "register_page_size",
    "mobile_series",
    "web_root",
    "invitation_days",
    "session_idle_minutes",
    "session_max_hours",
    "sign_in_max_failures",
    "sign_in_lock_minutes",
    "sign_in_address_failures",
];

impl Settings {
    /// Defaults, overlaid by `file` (if given) and then by the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
                toml::from_str::<toml::Table>(&text).map_err(|e| ConfigError::Invalid(e.to_string()))?
            }
            None => toml::Table::new(),
        };
        for key in KEYS {
            if let Ok(value) = std::env::var(format!("KAIKU_{}", key.to_uppercase())) {
                table.insert(key.to_owned(), env_value(&value));
            }
        }
        let settings: Self = table.try_into().map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.max_batch_items == 0 || self.max_body_bytes < 1024 {
            return Err(ConfigError::Invalid("max_batch_items must be > 0 and max_body_bytes >= 1024".into()));
        }
        let sign_in =
            [self.invitation_days, self.session_idle_minutes, self.session_max_hours, self.sign_in_lock_minutes];
        let bad_span = sign_in.iter().any(|v| !(1..=1_000_000).contains(v));
        if bad_span || self.sign_in_max_failures < 2 || self.sign_in_address_failures < 1 {
            return Err(ConfigError::Invalid(
                "invitation_days, session_* and sign_in_lock_minutes must be 1 to 1000000, \
                 sign_in_max_failures >= 2 and sign_in_address_failures >= 1"
                    .into(),
            ));
        }
        kaiku_core::KaikuId::new(self.mobile_series, 0)
            .map_err(|e| ConfigError::Invalid(format!("mobile_series: {e}")))?;
        Ok(())
    }
}

fn env_value(raw: &str) -> toml::Value {
    raw.parse::<i64>().map(toml::Value::Integer).unwrap_or_else(|_| toml::Value::String(raw.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_overrides_defaults_and_unknown_keys_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kaiku.toml");
        std::fs::write(&path, "addr = \"127.0.0.1:9999\"\nmax_batch_items = 10\n").expect("write");
        let s = Settings::load(Some(&path)).expect("loads");
        assert_eq!(s.addr.port(), 9999);
        assert_eq!(s.max_batch_items, 10);
        assert_eq!(s.activation_code_days, 30);

        std::fs::write(&path, "adr = \"127.0.0.1:9999\"\n").expect("write");
        let err = Settings::load(Some(&path)).expect_err("typo refused");
        assert!(err.to_string().contains("adr"), "{err}");
    }

    #[test]
    fn a_bad_series_letter_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kaiku.toml");
        std::fs::write(&path, "mobile_series = \"Z\"\n").expect("write");
        assert!(Settings::load(Some(&path)).is_err());
    }
}
