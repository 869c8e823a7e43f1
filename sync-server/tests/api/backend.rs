//! Which database a test server runs on: a temporary SQLite file, or, when KAIKU_TEST_POSTGRES
//! names a PostgreSQL server (`tools/with-postgres` starts a throwaway one), a new schema of
//! its own there for each test. Checks that read the database directly run the same SQL on both.

use std::path::{Path, PathBuf};

use kaiku_sync_server::store::is_postgres;

/// The PostgreSQL server the tests run on, if any.
pub fn postgres_server() -> Option<String> {
    std::env::var("KAIKU_TEST_POSTGRES").ok().filter(|s| !s.is_empty())
}

/// The database setting for a new test server: an SQLite file in `dir`, or a fresh schema on
/// the PostgreSQL server (its URL with the schema as the search path).
pub async fn new_database(dir: &Path) -> PathBuf {
    new_database_named(dir, "kaiku-test.sqlite").await
}

/// [`new_database`], with the SQLite file's name.
pub async fn new_database_named(dir: &Path, file: &str) -> PathBuf {
    let Some(server) = postgres_server() else { return dir.join(file) };
    let schema = format!("test_{}", uuid::Uuid::now_v7().simple());
    let (client, connection) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("the test PostgreSQL at {server} answers: {e}"));
    let running = tokio::spawn(connection);
    client.batch_execute(&format!("CREATE SCHEMA {schema}")).await.expect("a schema for the test");
    drop(client);
    let _ = running.await;
    let joiner = if server.contains('?') { '&' } else { '?' };
    PathBuf::from(format!("{server}{joiner}options=-csearch_path%3D{schema}"))
}

/// Runs `f` with a connection to the PostgreSQL database `url`, on a thread of its own (the
/// checks are called from synchronous code inside the tests' runtime).
fn with_postgres<T: Send + 'static>(
    url: &str,
    f: impl for<'c> FnOnce(
        &'c tokio_postgres::Client,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'c>>
    + Send
    + 'static,
) -> T {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async move {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connects");
            tokio::spawn(connection);
            f(&client).await
        })
    })
    .join()
    .expect("the database check finishes")
}

/// A count (or any one integer) that `sql` selects.
pub fn count(database: &Path, sql: &str) -> i64 {
    let sql = sql.to_owned();
    match database.to_str().filter(|_| is_postgres(database)) {
        Some(url) => with_postgres(url, move |c| {
            Box::pin(async move {
                let row = c.query_one(&sql, &[]).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
                match row.try_get::<_, i64>(0) {
                    Ok(n) => n,
                    Err(_) => i64::from(row.get::<_, i32>(0)),
                }
            })
        }),
        None => {
            let conn = rusqlite::Connection::open_with_flags(database, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("the database opens read-only");
            conn.query_row(&sql, [], |r| r.get(0)).expect("the count runs")
        }
    }
}

/// The one text that `sql` selects.
pub fn text(database: &Path, sql: &str) -> String {
    let sql = sql.to_owned();
    match database.to_str().filter(|_| is_postgres(database)) {
        Some(url) => with_postgres(url, move |c| {
            Box::pin(async move { c.query_one(&sql, &[]).await.unwrap_or_else(|e| panic!("{sql}: {e}")).get(0) })
        }),
        None => {
            let conn = rusqlite::Connection::open_with_flags(database, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("the database opens read-only");
            conn.query_row(&sql, [], |r| r.get(0)).expect("the query runs")
        }
    }
}

/// Runs a changing statement; how many rows it changed.
pub fn execute(database: &Path, sql: &str) -> u64 {
    let sql = sql.to_owned();
    match database.to_str().filter(|_| is_postgres(database)) {
        Some(url) => with_postgres(url, move |c| {
            Box::pin(async move { c.execute(&sql, &[]).await.unwrap_or_else(|e| panic!("{sql}: {e}")) })
        }),
        None => {
            let conn = rusqlite::Connection::open(database).expect("the database opens");
            conn.execute(&sql, []).expect("the statement runs") as u64
        }
    }
}

/// Every row of `table`, each as the text of all its cells.
pub fn rows_as_text(database: &Path, table: &str) -> Vec<String> {
    let sql = format!("SELECT * FROM {table}");
    match database.to_str().filter(|_| is_postgres(database)) {
        Some(url) => {
            let sql = format!("SELECT t::text FROM {table} t");
            with_postgres(url, move |c| {
                Box::pin(async move {
                    let rows = c.query(&sql, &[]).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
                    rows.iter().map(|r| r.get::<_, String>(0)).collect()
                })
            })
        }
        None => {
            let conn = rusqlite::Connection::open_with_flags(database, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("the database opens read-only");
            let mut stmt = conn.prepare(&sql).expect("a query");
            let columns = stmt.column_count();
            let mut rows = stmt.query([]).expect("rows");
            let mut out = Vec::new();
            while let Some(row) = rows.next().expect("a row") {
                let cells: Vec<String> = (0..columns)
                    .map(|i| match row.get_ref(i).expect("a cell") {
                        rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        other => format!("{other:?}"),
                    })
                    .collect();
                out.push(cells.join("\u{1f}"));
            }
            out
        }
    }
}

/// A redemption's id as an SQL literal: a `uuid` on PostgreSQL, a 16-byte blob on SQLite.
pub fn id_literal(database: &Path, id: uuid::Uuid) -> String {
    if is_postgres(database) { format!("'{id}'::uuid") } else { format!("x'{}'", id.simple()) }
}

/// True (after saying why) when the test runs on PostgreSQL and is about the SQLite file.
pub fn skip_on_postgres(database: &Path, why: &str) -> bool {
    let skip = is_postgres(database);
    if skip {
        eprintln!("skipped on PostgreSQL: {why}");
    }
    skip
}

/// Another connection (as a CLI command would) writes `sql` in a transaction and holds it open
/// for `hold` before committing; the receiver hears when the write is made.
pub fn write_and_hold(
    database: &Path,
    sql: &str,
    hold: std::time::Duration,
) -> (tokio::sync::oneshot::Receiver<()>, std::thread::JoinHandle<()>) {
    let (locked, is_locked) = tokio::sync::oneshot::channel();
    let (database, sql) = (database.to_owned(), sql.to_owned());
    let writer = std::thread::spawn(move || match database.to_str().filter(|_| is_postgres(&database)) {
        Some(url) => {
            let url = url.to_owned();
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            runtime.block_on(async move {
                let (mut client, connection) =
                    tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connects");
                tokio::spawn(connection);
                let tx = client.transaction().await.expect("begins");
                tx.execute(&sql, &[]).await.expect("writes");
                locked.send(()).expect("the test waits");
                tokio::time::sleep(hold).await;
                tx.commit().await.expect("commits");
            });
        }
        None => {
            let mut conn = rusqlite::Connection::open(&database).expect("opens");
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).expect("locks");
            tx.execute(&sql, []).expect("writes");
            locked.send(()).expect("the test waits");
            std::thread::sleep(hold);
            tx.commit().expect("commits");
        }
    });
    (is_locked, writer)
}
