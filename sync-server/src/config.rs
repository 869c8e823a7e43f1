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
    /// The SQLite database file, or a `postgres://` URL of a PostgreSQL database.
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
    // Limits on connections and requests (sync-server/src/serve.rs, rate_limit.rs).
    /// A client must send a request's headers within this many seconds.
    pub header_read_timeout_secs: u64,
    /// A request's body must arrive within this many seconds.
    pub body_read_timeout_secs: u64,
    /// A request must be answered within this many seconds, or it is answered 503.
    pub request_timeout_secs: u64,
    /// Open connections at most; more wait to be accepted.
    pub max_connections: usize,
    /// Requests handled at once at most; more are answered 503 with `Retry-After`.
    pub max_in_flight_requests: usize,
    /// Requests to the routes that need no token handled at once at most, from all addresses.
    pub public_max_in_flight: usize,
    /// Requests a minute from one address (IPv6: one /64) to the routes that need no token.
    pub public_requests_per_minute: u32,
    /// How many of those may come at once before the per-minute rate applies.
    pub public_burst: u32,
    /// Requests a minute with one bearer token (a device, a user, a session).
    pub token_requests_per_minute: u32,
    /// How many of those may come at once before the per-minute rate applies.
    pub token_burst: u32,
    /// On stop, requests under way get this many seconds to finish; then connections are cut.
    pub shutdown_deadline_secs: u64,
    // Uses to check and scan times (sync-server/src/upload.rs).
    /// The same card scanned by two devices within this many minutes is flagged for checking.
    pub flag_window_minutes: i64,
    /// A scan time up to this many minutes ahead of the server's clock is taken as right;
    /// further ahead it is kept with the flag `clock_ahead`.
    pub clock_tolerance_minutes: i64,
    // Retention (sync-server/src/retention.rs).
    /// Uses and closed cards' background data of year Y are kept until the end of Y + this
    /// many years; then purged, their statistics kept as whole months and years.
    pub retention_years: u32,
    // Mobile credentials (sync-server/src/routes/holder.rs).
    /// The credential version the server issues: 2 carries the issue time; 1 for as long as
    /// some scanner runs an app that cannot read version 2 (it would show the card damaged).
    pub credential_version: u8,
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
            header_read_timeout_secs: 10,
            body_read_timeout_secs: 30,
            request_timeout_secs: 60,
            max_connections: 1024,
            max_in_flight_requests: 256,
            public_max_in_flight: 16,
            public_requests_per_minute: 60,
            public_burst: 20,
            token_requests_per_minute: 6_000,
            token_burst: 600,
            shutdown_deadline_secs: 10,
            flag_window_minutes: 60,
            clock_tolerance_minutes: 10,
            retention_years: 2,
            credential_version: 2,
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
const KEYS: &[&str] = &[
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
    "header_read_timeout_secs",
    "body_read_timeout_secs",
    "request_timeout_secs",
    "max_connections",
    "max_in_flight_requests",
    "public_max_in_flight",
    "public_requests_per_minute",
    "public_burst",
    "token_requests_per_minute",
    "token_burst",
    "shutdown_deadline_secs",
    "flag_window_minutes",
    "clock_tolerance_minutes",
    "retention_years",
    "credential_version",
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
        for &key in KEYS {
            if let Ok(value) = std::env::var(format!("KAIKU_{}", key.to_uppercase())) {
                table.insert(key.to_owned(), env_value(&value));
            }
        }
        let settings: Self = table.try_into().map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.check_ranges()?;
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

/// The allowed range of each numeric setting. Out of range is refused at start with the
/// setting's name: a page size of 0 or a day count that overflows a date would otherwise
/// panic inside a handler.
impl Settings {
    fn ranges(&self) -> Vec<(&'static str, i128, i128, i128)> {
        let n = |v: usize| i128::try_from(v).unwrap_or(i128::MAX);
        vec![
            ("enrollment_code_minutes", self.enrollment_code_minutes.into(), 1, 525_600),
            ("activation_code_days", self.activation_code_days.into(), 1, 3_650),
            ("max_batch_items", n(self.max_batch_items), 1, n(kaiku_core::wire::MAX_BATCH_ITEMS)),
            ("max_body_bytes", n(self.max_body_bytes), 1024, 1 << 30),
            ("late_after_hours", self.late_after_hours.into(), 1, 87_600),
            ("register_page_size", n(self.register_page_size), 1, 1_000_000),
            ("invitation_days", self.invitation_days.into(), 1, 3_650),
            ("session_idle_minutes", self.session_idle_minutes.into(), 1, 525_600),
            ("session_max_hours", self.session_max_hours.into(), 1, 87_600),
            ("sign_in_max_failures", self.sign_in_max_failures.into(), 2, 1_000_000),
            ("sign_in_lock_minutes", self.sign_in_lock_minutes.into(), 1, 525_600),
            ("sign_in_address_failures", self.sign_in_address_failures.into(), 1, 1_000_000),
            ("header_read_timeout_secs", self.header_read_timeout_secs.into(), 1, 600),
            ("body_read_timeout_secs", self.body_read_timeout_secs.into(), 1, 3_600),
            ("request_timeout_secs", self.request_timeout_secs.into(), 1, 3_600),
            ("max_connections", n(self.max_connections), 1, 1_000_000),
            ("max_in_flight_requests", n(self.max_in_flight_requests), 1, 1_000_000),
            ("public_max_in_flight", n(self.public_max_in_flight), 1, 1_000_000),
            ("public_requests_per_minute", self.public_requests_per_minute.into(), 1, 1_000_000),
            ("public_burst", self.public_burst.into(), 1, 1_000_000),
            ("token_requests_per_minute", self.token_requests_per_minute.into(), 1, 1_000_000),
            ("token_burst", self.token_burst.into(), 1, 1_000_000),
            ("shutdown_deadline_secs", self.shutdown_deadline_secs.into(), 1, 3_600),
            ("flag_window_minutes", self.flag_window_minutes.into(), 1, 1_440),
            ("clock_tolerance_minutes", self.clock_tolerance_minutes.into(), 0, 1_440),
            ("retention_years", self.retention_years.into(), 1, 50),
            ("credential_version", self.credential_version.into(), 1, 2),
        ]
    }

    fn check_ranges(&self) -> Result<(), ConfigError> {
        for (name, value, min, max) in self.ranges() {
            if !(min..=max).contains(&value) {
                return Err(ConfigError::Invalid(format!("{name} is {value}: it must be {min} to {max}")));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod range_tests {
    use super::*;

    fn refused(tweak: impl FnOnce(&mut Settings)) -> String {
        let mut s = Settings::default();
        tweak(&mut s);
        s.validate().expect_err("out of range is refused").to_string()
    }

    #[test]
    fn the_defaults_are_within_every_range() {
        Settings::default().validate().expect("the defaults are valid");
        for (name, value, min, max) in Settings::default().ranges() {
            assert!((min..=max).contains(&value), "{name} = {value} is outside {min}..={max}");
            assert!(KEYS.contains(&name), "{name} is not a settable key");
        }
    }

    #[test]
    fn every_numeric_setting_has_a_range() {
        let table = toml::Table::try_from(Settings::default()).expect("settings serialise");
        let ranged: Vec<&str> = Settings::default().ranges().iter().map(|r| r.0).collect();
        for (key, value) in table {
            if value.is_integer() {
                assert!(ranged.contains(&key.as_str()), "{key} has no range in Settings::ranges");
            }
        }
    }

    #[test]
    fn a_setting_out_of_range_is_refused_with_its_name_and_range() {
        let e = refused(|s| s.register_page_size = 0);
        assert!(e.contains("register_page_size is 0: it must be 1 to 1000000"), "{e}");
        let e = refused(|s| s.activation_code_days = 100_000_000);
        assert!(e.contains("activation_code_days") && e.contains("1 to 3650"), "{e}");
        let e = refused(|s| s.max_batch_items = 5_000);
        assert!(e.contains("max_batch_items is 5000: it must be 1 to 1000"), "{e}");
        let e = refused(|s| s.session_idle_minutes = -5);
        assert!(e.contains("session_idle_minutes is -5"), "{e}");
        assert!(refused(|s| s.header_read_timeout_secs = 0).contains("header_read_timeout_secs"));
        assert!(refused(|s| s.public_burst = 0).contains("public_burst"));
        assert!(refused(|s| s.shutdown_deadline_secs = 86_400).contains("shutdown_deadline_secs"));
    }

    #[test]
    fn every_range_is_checked_at_both_ends() {
        for (name, _, min, max) in Settings::default().ranges() {
            for bad in [min - 1, max + 1] {
                let mut table = toml::Table::try_from(Settings::default()).expect("settings serialise");
                table.insert(name.to_owned(), toml::Value::Integer(i64::try_from(bad).expect("fits")));
                // A negative value for an unsigned setting is refused already when read.
                let refused = match table.try_into::<Settings>() {
                    Err(_) => true,
                    Ok(settings) => settings.validate().is_err_and(|e| e.to_string().contains(name)),
                };
                assert!(refused, "{name} = {bad} is accepted");
            }
        }
    }

    #[test]
    fn an_environment_style_value_out_of_range_names_the_setting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kaiku.toml");
        std::fs::write(&path, "register_page_size = 0\n").expect("write");
        let err = Settings::load(Some(&path)).expect_err("a page size of 0 is refused");
        assert!(err.to_string().contains("register_page_size"), "{err}");
    }
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
