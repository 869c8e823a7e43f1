//! Moving a register from an SQLite file into an empty PostgreSQL database (`migrate-to`):
//! every table the PostgreSQL schema shares with SQLite's, row for row, secrets included (the
//! signing keys, tokens' hashes, one-time codes), so holders' credentials, scanners' and staff
//! tokens keep working. SQLite's derived rows (statistics rows, the console's counters) are not
//! carried: PostgreSQL makes its own from the redemptions, corrections included. Each table's rows go in as text, cast by the column's own type, in chunks of
//! one statement each, all in one transaction: either the whole register is moved or nothing.

use std::collections::HashMap;
use std::path::Path;

use deadpool_postgres::GenericClient;
use rusqlite::types::ValueRef;

use super::PgStore;
use super::convert::{count, get};
use super::pool::{exec, one, rows};
use crate::store::{StoreError, StoreResult};

/// The tables moved, parents before children; redemptions in arrival order.
const TABLES: [(&str, &str); 21] = [
    ("regions", "id"),
    ("distributors", "id"),
    ("venues", "id"),
    ("offers", "id"),
    ("users", "id"),
    ("cards", "change_seq"),
    ("card_life_situations", "card_id, situation"),
    ("card_requests", "distributor_id, key"),
    ("activation_codes", "rowid"),
    ("enrollment_codes", "rowid"),
    ("devices", "id"),
    ("signing_keys", "key_id"),
    ("redemptions", "rowid"),
    ("rejected_items", "id"),
    ("invitations", "id"),
    ("sessions", "id"),
    ("sign_in_failures", "key"),
    ("flagged_uses", "id"),
    ("refresh_secrets", "card_id"),
    ("statistics_archive", "scope, period_from, period_to, figures"),
    ("retention", "id"),
];

/// Rows sent in one statement.
const CHUNK: usize = 5_000;

/// Moves each identity sequence past the ids moved in, and the register clock to the last change.
const AFTER_MOVE: &str = "
    DO $$
    DECLARE t text;
    BEGIN
        FOREACH t IN ARRAY ARRAY['regions', 'distributors', 'venues', 'offers', 'users', 'devices', 'rejected_items',
            'invitations', 'sessions', 'flagged_uses'] LOOP
            EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), coalesce(max(id), 0) + 1, false) FROM %I', t, t);
        END LOOP;
    END $$;
    UPDATE register_clock SET n = (SELECT coalesce(max(change_seq), 0) FROM cards);
";

/// How many rows of each table were moved.
pub type Moved = Vec<(&'static str, u64)>;

/// A cell as text for PostgreSQL to cast: blobs as hex (decoded by the statement).
fn cell(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Some(b.iter().map(|x| format!("{x:02x}")).collect()),
    }
}

/// The columns PostgreSQL's `table` takes from SQLite's (`theirs`), with their PostgreSQL types.
async fn shared_columns(c: &impl GenericClient, theirs: &[String], table: &str) -> StoreResult<Vec<(String, String)>> {
    let ours = rows(
        c,
        "SELECT column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' \
         AND NOT (is_identity = 'YES' AND identity_generation = 'ALWAYS' AND column_name = 'n') ORDER BY ordinal_position",
        &[&table],
    )
    .await?;
    let mut out = Vec::new();
    for r in &ours {
        let (name, kind): (String, String) = (get(r, 0)?, get(r, 1)?);
        if theirs.contains(&name) {
            out.push((name, kind));
        }
    }
    Ok(out)
}

fn sqlite_error(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(format!("reading the SQLite register: {e}"))
}

/// The SQL that inserts one chunk of `table`: each column from a text array, cast.
fn insert_sql(table: &str, columns: &[(String, String)]) -> String {
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let arrays: Vec<String> = (1..=columns.len()).map(|i| format!("${i}::text[]")).collect();
    let values: Vec<String> = columns
        .iter()
        .map(|(name, kind)| match kind.as_str() {
            "bytea" => format!("decode(t.{name}, 'hex')"),
            "uuid" => format!("t.{name}::uuid"),
            other => format!("t.{name}::{other}"),
        })
        .collect();
    let mut names_out = names.join(", ");
    let mut values_out = values.join(", ");
    // What SQLite does not keep: the hash a rejected item's body is kept once by.
    if table == "rejected_items" {
        names_out.push_str(", body_hash");
        values_out.push_str(", sha256(convert_to(t.body, 'UTF8'))");
    }
    format!(
        "INSERT INTO {table} ({names_out}) OVERRIDING SYSTEM VALUE SELECT {values_out} \
         FROM unnest({}) WITH ORDINALITY AS t({}, ord) ORDER BY t.ord",
        arrays.join(", "),
        names.join(", ")
    )
}

/// One chunk of a table's rows, column by column, or the read's failure.
type Chunk = StoreResult<(usize, Vec<Vec<Option<String>>>)>;

/// Reads each `select` in turn in one read transaction (one snapshot of a register that may
/// still be served), sending its rows in chunks; on a blocking thread of its own.
fn read_tables(source: &Path, selects: &[String], send: &tokio::sync::mpsc::Sender<Chunk>) -> StoreResult<()> {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let sqlite = rusqlite::Connection::open_with_flags(source, flags).map_err(sqlite_error)?;
    sqlite.execute_batch("BEGIN").map_err(sqlite_error)?;
    for (i, select) in selects.iter().enumerate() {
        let mut stmt = sqlite.prepare(select).map_err(sqlite_error)?;
        let width = stmt.column_count();
        let mut rows = stmt.query([]).map_err(sqlite_error)?;
        let mut chunk: Vec<Vec<Option<String>>> = vec![Vec::new(); width];
        while let Some(row) = rows.next().map_err(sqlite_error)? {
            for (c, column) in chunk.iter_mut().enumerate() {
                column.push(cell(row.get_ref(c).map_err(sqlite_error)?));
            }
            if chunk.first().is_some_and(|c| c.len() >= CHUNK) {
                let full = std::mem::replace(&mut chunk, vec![Vec::new(); width]);
                if send.blocking_send(Ok((i, full))).is_err() {
                    return Ok(());
                }
            }
        }
        if chunk.first().is_some_and(|c| !c.is_empty()) && send.blocking_send(Ok((i, chunk))).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

impl PgStore {
    /// Moves the SQLite register at `source` into this (empty) database, in one transaction.
    pub async fn move_from_sqlite(&self, source: &Path) -> StoreResult<Moved> {
        if !source.is_file() {
            return Err(StoreError::NotFound(format!("no SQLite register at {}", source.display())));
        }
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let used = one(
            &tx,
            "SELECT (SELECT count(*) FROM regions) + (SELECT count(*) FROM cards) + (SELECT count(*) FROM redemptions) \
             + (SELECT count(*) FROM signing_keys) + (SELECT count(*) FROM users)",
            &[],
        )
        .await?;
        if count(&used, 0)? > 0 {
            return Err(StoreError::Conflict("the PostgreSQL database is not empty: move into a new one".into()));
        }
        let (mut inserts, mut selects) = (Vec::new(), Vec::new());
        for (table, order) in TABLES {
            let theirs = sqlite_columns(source, table)?;
            let columns = shared_columns(&tx, &theirs, table).await?;
            let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
            selects.push(format!("SELECT {} FROM {table} ORDER BY {order}", names.join(", ")));
            inserts.push(insert_sql(table, &columns));
        }
        let (send, mut chunks) = tokio::sync::mpsc::channel::<Chunk>(2);
        let path = source.to_owned();
        let reader = tokio::task::spawn_blocking(move || read_tables(&path, &selects, &send));
        let mut moved: Moved = TABLES.iter().map(|(t, _)| (*t, 0)).collect();
        while let Some(chunk) = chunks.recv().await {
            let (i, columns) = chunk?;
            let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                columns.iter().map(|c| c as &(dyn tokio_postgres::types::ToSql + Sync)).collect();
            let n = exec(&tx, &inserts[i], &params).await?;
            if let Some(m) = moved.get_mut(i) {
                m.1 += n;
            }
        }
        reader.await.map_err(|e| StoreError::Backend(format!("reading the SQLite register failed: {e}")))??;
        tx.batch_execute(AFTER_MOVE).await?;
        // SQLite's counters and statistics rows are its own: these are made from the redemptions.
        tx.batch_execute(super::migrations::LINK_CORRECTIONS).await?;
        tx.batch_execute(super::migrations::RECOUNT).await?;
        super::stats_fold::fold_all(&tx).await?;
        tx.commit().await?;
        Ok(moved)
    }
}

/// The column names of SQLite's `table`.
fn sqlite_columns(source: &Path, table: &str) -> StoreResult<Vec<String>> {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let sqlite = rusqlite::Connection::open_with_flags(source, flags).map_err(sqlite_error)?;
    let mut stmt = sqlite.prepare(&format!("SELECT name FROM pragma_table_info('{table}')")).map_err(sqlite_error)?;
    let names = stmt.query_map([], |r| r.get(0)).and_then(|rows| rows.collect()).map_err(sqlite_error)?;
    Ok(names)
}

/// The counts of a move, as a line per table.
pub fn describe(moved: &Moved) -> String {
    let by: HashMap<&str, u64> = moved.iter().copied().collect();
    TABLES.iter().map(|(t, _)| format!("{t}: {}\n", by.get(t).copied().unwrap_or(0))).collect()
}
