//! kaiku-sync-server: the register that distributors, venues' scanners, holders' apps and
//! regions talk to. axum on tokio; storage behind the [`store::Store`] trait, with SQLite as
//! the embedded default.

pub mod auth;
pub mod clock;
pub mod codes;
pub mod config;
pub mod demo;
pub mod disclosure;
pub mod error;
pub mod export;
pub mod extract;
pub mod idempotency;
pub mod import;
pub mod keys;
pub mod openapi;
pub mod passwords;
pub mod rate_limit;
pub mod request_limits;
pub mod retention;
pub mod routes;
pub mod serve;
pub mod startup;
pub mod stats;
pub mod stats_csv;
pub mod store;
pub mod throttle;
pub mod upload;

pub use config::Settings;
pub use startup::Application;
