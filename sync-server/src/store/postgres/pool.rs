//! Connections to one PostgreSQL database through a pool, and statements prepared once per
//! connection.

use std::str::FromStr;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};

use super::migrations;
use crate::store::{StoreError, StoreResult};

/// Connections kept: enough for the request handlers of one process; several processes share
/// the database's `max_connections`.
const POOL_SIZE: usize = 16;

/// Opens a pool on `url` (`postgres://user@host:port/db`, `?options=-csearch_path%3Dname` for
/// another schema) and brings the schema up to date.
pub async fn open(url: &str) -> StoreResult<Pool> {
    let pool = sized(url, POOL_SIZE)?;
    let mut client = pool.get().await?;
    migrations::apply(&mut client).await?;
    Ok(pool)
}

/// A pool of at most `size` connections to `url`, connecting when first asked.
pub fn sized(url: &str, size: usize) -> StoreResult<Pool> {
    let config = tokio_postgres::Config::from_str(url)
        .map_err(|e| StoreError::Backend(format!("the database URL does not read: {e}")))?;
    let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    Pool::builder(manager)
        .max_size(size)
        .build()
        .map_err(|e| StoreError::Backend(format!("cannot make the connection pool: {e}")))
}

/// Runs a statement (prepared once per connection) and returns its rows.
pub async fn rows(c: &impl GenericClient, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<Vec<Row>> {
    let statement = c.prepare_cached(sql).await?;
    Ok(c.query(&statement, params).await?)
}

/// The one row a statement returns, if any.
pub async fn row(c: &impl GenericClient, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<Option<Row>> {
    let statement = c.prepare_cached(sql).await?;
    Ok(c.query_opt(&statement, params).await?)
}

/// The one row a statement must return.
pub async fn one(c: &impl GenericClient, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<Row> {
    let statement = c.prepare_cached(sql).await?;
    Ok(c.query_one(&statement, params).await?)
}

/// Runs a statement and returns how many rows it changed.
pub async fn exec(c: &impl GenericClient, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<u64> {
    let statement = c.prepare_cached(sql).await?;
    Ok(c.execute(&statement, params).await?)
}

/// The register's next `count` change numbers, the first returned: taken under the one row
/// lock of `register_clock`, held until the transaction ends, so changes commit in number order.
pub async fn next_changes(c: &impl GenericClient, count: i64) -> StoreResult<i64> {
    let r = one(c, "UPDATE register_clock SET n = n + $1 WHERE id = 1 RETURNING n", &[&count]).await?;
    let last: i64 = r.try_get(0)?;
    Ok(last - count + 1)
}
