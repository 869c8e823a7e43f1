//! Integration tests of the sync server: the real server on 127.0.0.1 (a free port) with a
//! temporary SQLite file, talked to over HTTP; with KAIKU_TEST_POSTGRES set (tools/with-postgres),
//! the same tests on a fresh PostgreSQL schema each.

mod auth_matrix;
mod backend;
mod bodies;
mod card_requests;
mod console_api;
mod console_venue;
mod credential_time;
mod cross_tab;
mod csv_formulas;
mod demo;
mod differencing;
mod enrollment;
mod export;
mod file_modes;
mod flagged_uses;
mod fuzz;
mod helpers;
mod holder;
mod import;
mod import_export_http;
mod key_chain;
mod limits;
mod moving;
mod projection;
mod region_setup;
mod restart;
mod retention;
mod sign_in;
mod signing_keys;
mod statistics;
mod statistics_periods;
mod statistics_year_sums;
mod store_faults;
mod two_servers;
mod undo;
mod upload;
mod upload_checks;
