//! The real sync server for the scanner's end-to-end tests: on 127.0.0.1 over one SQLite
//! file, stopped and started again on the same port and file; reading its rows back; users.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use kaiku_core::ids::VenueId;
use kaiku_sync_server::Settings;
use kaiku_sync_server::clock::SystemClock;
use kaiku_sync_server::startup::{AppState, Application};
use kaiku_sync_server::store::sqlite::SqliteStore;
use kaiku_sync_server::store::{Role, Store};
use kaiku_sync_server::{auth, codes, keys};
use tokio::task::JoinHandle;
use uuid::Uuid;

/// A real server on 127.0.0.1 over one SQLite file, which can be stopped and started again.
pub struct Server {
    pub store: Arc<SqliteStore>,
    pub port: u16,
    stop: Arc<AtomicBool>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    /// Starts a server on `port` (0: a free one) over `db`; `first` adds a signing key.
    pub async fn start(db: &Path, port: u16, first: bool) -> Self {
        Self::start_with(db, port, first, |_| {}).await
    }

    /// Like [`Server::start`], with settings that `tweak` changes first.
    pub async fn start_with(db: &Path, port: u16, first: bool, tweak: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = Settings {
            addr: ([127, 0, 0, 1], port).into(),
            database: db.to_owned(),
            // Tests make many token-free calls from 127.0.0.1; tests that are about limits set their own.
            public_burst: 1_000_000,
            token_burst: 1_000_000,
            ..Settings::default()
        };
        tweak(&mut settings);
        let store = Arc::new(SqliteStore::open(db).expect("the database opens"));
        if first {
            keys::add(store.as_ref(), &SystemClock, true).await.expect("a signing key");
        }
        let state = AppState { store: store.clone(), clock: Arc::new(SystemClock), settings: Arc::new(settings) };
        let app = Application::build(state).await.expect("the server binds");
        let port = app.port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let task = tokio::spawn(app.run_until(async move {
            while !flag.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
        Self { store, port, stop, task: Some(task) }
    }

    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops gracefully (answers in flight are finished) and waits until the port is free.
    pub async fn shut_down(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.task.take() {
            t.await.expect("the server task ends").expect("the server stops cleanly");
        }
    }

    /// A one-time enrollment code for a device of `venue`.
    pub async fn enrollment_code(&self, venue: VenueId) -> String {
        let code = codes::new_one_time_code();
        self.store
            .create_enrollment_code(venue, &codes::code_hash(&code), Utc::now() + TimeDelta::hours(1))
            .await
            .expect("an enrollment code");
        code
    }

    /// A user with `role`, made through the store: its bearer token.
    pub async fn user_token(&self, role: Role) -> String {
        let secret = codes::new_secret();
        let id = self.store.create_user(role, "test user", &codes::hash(&secret)).await.expect("a user");
        auth::user_token(id, &secret)
    }
}

/// One number from the server's database, read beside the running server.
pub fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("the server database opens read-only");
    conn.query_row(sql, [], |r| r.get(0)).expect("the count runs")
}

/// How many times each redemption id is stored on the server.
pub fn stored_ids(db: &Path) -> HashMap<Uuid, usize> {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("the server database opens read-only");
    let mut stmt = conn.prepare("SELECT id FROM redemptions").expect("the query prepares");
    let rows = stmt
        .query_map([], |r| {
            Ok(match r.get::<_, rusqlite::types::Value>(0)? {
                rusqlite::types::Value::Blob(b) => Uuid::from_slice(&b).expect("a 16-byte id"),
                rusqlite::types::Value::Text(t) => Uuid::parse_str(&t).expect("a textual id"),
                other => panic!("a redemption id stored as {other:?}"),
            })
        })
        .expect("the query runs");
    let mut ids = HashMap::new();
    for id in rows {
        *ids.entry(id.expect("a row")).or_insert(0) += 1;
    }
    ids
}
