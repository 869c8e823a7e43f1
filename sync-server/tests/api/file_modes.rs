//! The database, its -wal and -shm files and backups are the server user's alone (0600): they
//! hold the signing keys' seeds and the register.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use kaiku_sync_server::store::Store;
use kaiku_sync_server::store::sqlite::SqliteStore;

use crate::helpers::spawn_app;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

fn side(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

#[tokio::test]
async fn the_database_its_wal_and_shm_and_a_backup_are_readable_by_the_owner_only() {
    let app = spawn_app().await;
    if app.skip_on_postgres("file modes of the SQLite file, its -wal and -shm and its backup") {
        return;
    }
    // A write through the server, so that the -wal and -shm files are in use.
    let r = app.post("/api/v1/signing-keys", Some(&app.admin), serde_json::json!({})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let db = app.db_path();
    for file in [db.clone(), side(&db, "-wal"), side(&db, "-shm")] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    let backup = db.with_file_name("backup.sqlite");
    app.store.backup_to(&backup).await.expect("backs up");
    assert_eq!(mode(&backup), 0o600);
}

#[tokio::test]
async fn an_older_database_left_readable_by_others_is_made_private_when_opened() {
    let dir = tempfile::tempdir().expect("a folder");
    let db = dir.path().join("old.sqlite");
    drop(SqliteStore::open(&db).expect("opens"));
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let store = SqliteStore::open(&db).expect("opens again");
    assert_eq!(mode(&db), 0o600);
    assert!(store.signing_keys().await.expect("reads").is_empty());
}
