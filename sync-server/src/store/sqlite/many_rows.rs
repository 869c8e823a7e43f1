//! Inserting many rows of integers with few statements: one multi-row `VALUES` statement runs
//! for a whole group of rows, so the per-statement work (binding, stepping, resetting) is paid
//! once a group instead of once a row.

use rusqlite::Connection;

/// Rows one statement inserts.
const GROUP: usize = 64;

/// Runs `head VALUES (...), (...), ...` for `rows`, `GROUP` rows a statement and the rest one
/// by one. `head` is an `INSERT INTO table (columns)` naming `N` columns.
pub fn insert<const N: usize>(conn: &Connection, head: &str, rows: &[[i64; N]]) -> rusqlite::Result<()> {
    let mut groups = rows.chunks_exact(GROUP);
    if rows.len() >= GROUP {
        let mut stmt = conn.prepare_cached(&format!("{head} VALUES {}", values(N, GROUP)))?;
        for group in &mut groups {
            for (i, v) in group.iter().flatten().enumerate() {
                stmt.raw_bind_parameter(i + 1, v)?;
            }
            stmt.raw_execute()?;
        }
    }
    let rest = groups.remainder();
    if !rest.is_empty() {
        let mut stmt = conn.prepare_cached(&format!("{head} VALUES {}", values(N, 1)))?;
        for row in rest {
            for (i, v) in row.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, v)?;
            }
            stmt.raw_execute()?;
        }
    }
    Ok(())
}

/// `(?, ?), (?, ?)` for `rows` rows of `columns` values.
fn values(columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    vec![row; rows].join(", ")
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    #[test]
    fn every_row_is_inserted_whatever_the_count() {
        let conn = Connection::open_in_memory().expect("opens");
        conn.execute_batch("CREATE TABLE t (a INTEGER, b INTEGER)").expect("creates");
        for count in [0, 1, 63, 64, 65, 200] {
            conn.execute("DELETE FROM t", []).expect("empties");
            let rows: Vec<[i64; 2]> = (0..count).map(|i| [i, -i]).collect();
            super::insert(&conn, "INSERT INTO t (a, b)", &rows).expect("inserts");
            let stored: Vec<(i64, i64)> = conn
                .prepare("SELECT a, b FROM t ORDER BY a")
                .expect("prepares")
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("reads")
                .collect::<Result<_, _>>()
                .expect("rows");
            assert_eq!(stored, (0..count).map(|i| (i, -i)).collect::<Vec<_>>(), "{count} rows");
        }
    }
}
