//! Real storage faults: a database locked by another process is answered 500 with a
//! reference only (the log has SQLite's own words), and a backup taken by the real binary
//! while the server writes all the time finishes and holds every row stored before it began.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::helpers::{item, noon, spawn_app};

/// What the server logs, kept in memory.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

// One thread: the server's tasks run on the test's thread, where the log below is installed.
#[tokio::test(flavor = "current_thread")]
async fn a_locked_database_is_answered_with_a_reference_and_the_details_stay_in_the_log() {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let app = spawn_app().await;
    if app.skip_on_postgres("SQLite's one write lock on the file, taken by another process") {
        return;
    }
    // Another process's write transaction holds the database's one write lock.
    let other = rusqlite::Connection::open(app.db_path()).expect("opens");
    other.execute_batch("BEGIN EXCLUSIVE").expect("takes the write lock");

    let r = app.post("/api/v1/regions", Some(&app.admin), json!({"name": "Kainuu"})).await;
    assert_eq!(r.status, 500, "{}", r.text);
    let body: Value = r.value();
    assert_eq!(body["code"], "internal");
    let reference = body["reference"].as_str().expect("a reference").to_owned();
    assert!(body["error"].as_str().is_some_and(|e| e.contains(&reference)), "{}", r.text);
    for word in ["locked", "sqlite", "database", "busy", "regions"] {
        assert!(!r.text.to_lowercase().contains(word), "the answer tells the storage's words ({word}): {}", r.text);
    }
    let logged = log.text();
    let line = logged.lines().find(|l| l.contains(&reference)).unwrap_or_else(|| panic!("not logged: {logged}"));
    assert!(line.contains("database is locked"), "the log keeps the details: {line}");

    other.execute_batch("ROLLBACK").expect("lets go");
    let r = app.post("/api/v1/regions", Some(&app.admin), json!({"name": "Kainuu"})).await;
    assert_eq!(r.status, 201, "works again once the lock is gone: {}", r.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_steady_writes_finishes_with_every_row_stored_before_it() {
    let app = Arc::new(spawn_app().await);
    if app.skip_on_postgres("the backup command copies the SQLite file (PostgreSQL is backed up with pg_dump)") {
        return;
    }
    let region = app.region("Kainuu").await;
    let d = app.distributor(region, "Kunta").await;
    let venue = app.venue(Some(region), "Kirjasto").await;
    let device = Arc::new(app.device(venue).await);
    let issued = app.now().date_naive() - TimeDelta::days(300);
    let mut cards = Vec::new();
    for _ in 0..50 {
        cards.push(app.personal_card(d, issued, 0).await.id);
    }
    let cards = Arc::new(cards);
    // One card's uses two minutes apart or more: each scan is far from the same card's others.
    let at = move |k: usize| noon(issued) + TimeDelta::minutes(2 * k as i64);
    // A register larger than the 1024 pages one step of SQLite's online backup copied (which
    // started over after each step the server wrote between).
    for batch in 0..100 {
        let scans = (0..1_000).map(|i| device.ticket(cards[i % 50], at(batch * 1_000 + i))).collect();
        app.redeem_via_store(&device, scans).await;
    }

    let pages = app.count("SELECT page_count FROM pragma_page_count()");
    assert!(pages > 1024, "more than one step of the old backup: {pages} pages");

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (app, device, stop, cards) = (app.clone(), device.clone(), stop.clone(), cards.clone());
        tokio::spawn(async move {
            let mut written = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let scans: Vec<Value> =
                    (0..20).map(|i| item(&device.ticket(cards[i % 50], at(100_000 + written as usize + i)))).collect();
                app.upload_ok(&device, &scans).await;
                written += 20;
            }
            written
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = app.count("SELECT count(*) FROM redemptions");
    let dest = app.db_path().with_file_name("backup.sqlite");
    let bin = env!("CARGO_BIN_EXE_kaiku-sync-server");
    let (db, out) = (app.db_path(), dest.clone());
    let backup = tokio::task::spawn_blocking(move || {
        std::process::Command::new(bin).arg("--database").arg(db).arg("backup").arg(out).output()
    });
    let done = tokio::time::timeout(Duration::from_secs(120), backup)
        .await
        .expect("the backup finishes under steady writes")
        .expect("joins")
        .expect("the binary runs");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.await.expect("the writer ends");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(written > 0, "the server kept writing");

    let copy = rusqlite::Connection::open(&dest).expect("the backup opens");
    let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("checks");
    assert_eq!(check, "ok");
    let rows: i64 = copy.query_row("SELECT count(*) FROM redemptions", [], |r| r.get(0)).expect("counts");
    assert!(rows >= before, "the backup has {rows} rows, {before} were stored before it began");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dest).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the backup is the owner's alone");
    }
}
