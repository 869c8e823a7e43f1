//! The redemption log: append-only, committed durably (WAL, synchronous FULL) before "recorded".

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use kaiku_core::CardId;
use kaiku_core::ids::DeviceId;
use kaiku_core::redemption::{CardFacts, OfferKind, Redemption};
use kaiku_core::wire::ItemOutcome;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

pub use super::model::{Fields, Logged, Marked, OfferCount, SyncState, Today};
use super::model::{answers, day_bounds, today_of};
use super::store::StoreError;

/// The last scan time of a card; `max` over the `(card, scanned_at)` index is one seek.
pub const LAST_RECORDED_SQL: &str = "SELECT max(scanned_at) FROM redemptions WHERE json_extract(body, '$.card') = ?1";

/// Why a redemption was not recorded (the same for every backend).
pub type LogError = StoreError;

/// The append-only log of one device.
#[derive(Debug)]
pub struct Log {
    conn: Connection,
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn offer_key(o: OfferKind) -> &'static str {
    match o {
        OfferKind::Ticket => "ticket",
        OfferKind::CoursePlace => "course_place",
    }
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl Log {
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    /// Checks the rules and appends the redemption with the device's next sequence number, in one
    /// transaction. Returns only after the commit is durable.
    pub fn record(&mut self, device: DeviceId, f: Fields, facts: Option<CardFacts>) -> Result<Redemption, LogError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: Option<i64> =
            tx.query_row("SELECT last FROM sequences WHERE device = ?1", [device.0], |r| r.get(0)).optional()?;
        let seq = last.unwrap_or(0) + 1;
        let draft = f.draft(Uuid::now_v7(), device, u64::try_from(seq).map_err(corrupt)?);
        let r = Redemption::new(draft, facts)?;
        let body = serde_json::to_string(&r).map_err(corrupt)?;
        let id = r.id.to_string();
        tx.execute(
            "INSERT INTO sequences (device, last) VALUES (?1, ?2) ON CONFLICT (device) DO UPDATE SET last = ?2",
            params![device.0, seq],
        )?;
        tx.execute(
            "INSERT INTO redemptions (device, seq, id, scanned_at, offer, offer_id, people, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                device.0,
                seq,
                id,
                ts(r.scanned_at),
                offer_key(r.offer),
                r.offer_id.map(|o| o.0),
                u32::from(r.adults) + u32::from(r.children),
                body
            ],
        )?;
        tx.execute("INSERT INTO sync_state (id, state) VALUES (?1, 'pending')", [&id])?;
        tx.commit()?;
        Ok(r)
    }

    /// Up to `limit` redemptions not yet answered by the server, oldest first.
    pub fn pending(&self, limit: usize) -> Result<Vec<Redemption>, LogError> {
        let mut st = self.conn.prepare_cached(
            "SELECT r.body FROM redemptions r JOIN sync_state s ON s.id = r.id
             WHERE s.state = 'pending' ORDER BY r.device, r.seq LIMIT ?1",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = st.query_map([limit], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for body in rows {
            out.push(serde_json::from_str(&body?).map_err(corrupt)?);
        }
        Ok(out)
    }

    /// The devices with redemptions waiting, by device id.
    pub fn pending_devices(&self) -> Result<Vec<DeviceId>, LogError> {
        let mut st = self.conn.prepare_cached(
            "SELECT DISTINCT r.device FROM redemptions r JOIN sync_state s ON s.id = r.id
             WHERE s.state = 'pending' ORDER BY r.device",
        )?;
        let rows = st.query_map([], |r| r.get::<_, u32>(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?.into_iter().map(DeviceId).collect())
    }

    /// Up to `limit` of `device`'s redemptions not yet answered, oldest first.
    pub fn pending_of(&self, device: DeviceId, limit: usize) -> Result<Vec<Redemption>, LogError> {
        let mut st = self.conn.prepare_cached(
            "SELECT r.body FROM redemptions r JOIN sync_state s ON s.id = r.id
             WHERE s.state = 'pending' AND r.device = ?1 ORDER BY r.seq LIMIT ?2",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = st.query_map(params![device.0, limit], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for body in rows {
            out.push(serde_json::from_str(&body?).map_err(corrupt)?);
        }
        Ok(out)
    }

    pub fn pending_count(&self) -> Result<u64, LogError> {
        let n: i64 =
            self.conn.query_row("SELECT count(*) FROM sync_state WHERE state = 'pending'", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Records the server's answer to a batch of `sent` items. Only the sync state changes.
    pub fn mark(&mut self, sent: &[Redemption], outcomes: &[ItemOutcome]) -> Result<Marked, LogError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (changes, m) = answers(sent, outcomes);
        {
            let mut st = tx.prepare_cached(
                "UPDATE sync_state SET state = ?2, reason = ?3, attempts = attempts + 1 WHERE id = ?1 AND state = 'pending'",
            )?;
            for (id, state) in changes {
                let (state, reason) = match state {
                    SyncState::Pending => ("pending", None),
                    SyncState::Accepted => ("accepted", None),
                    SyncState::Duplicate => ("duplicate", None),
                    SyncState::Rejected { reason } => ("rejected", Some(reason)),
                };
                st.execute(params![id.to_string(), state, reason])?;
            }
        }
        tx.commit()?;
        Ok(m)
    }

    /// Every redemption the server refused, with its reason: kept for staff to see.
    pub fn rejected(&self) -> Result<Vec<Logged>, LogError> {
        self.select("WHERE s.state = 'rejected' ORDER BY r.device, r.seq", [])
    }

    /// Every redemption in the log with its state, oldest first.
    pub fn all(&self) -> Result<Vec<Logged>, LogError> {
        self.select("ORDER BY r.device, r.seq", [])
    }

    /// The redemptions of the local day of `now` and the counts per offer.
    pub fn today(&self, now: DateTime<FixedOffset>) -> Result<Today, LogError> {
        let (from, to) = day_bounds(now).ok_or_else(|| corrupt("no local midnight"))?;
        Ok(today_of(self.between(from, to)?))
    }

    /// When `card` was last recorded here, by scan time; the `redemptions_card` index answers.
    pub fn last_recorded(&self, card: CardId) -> Result<Option<DateTime<Utc>>, LogError> {
        let mut st = self.conn.prepare_cached(LAST_RECORDED_SQL)?;
        let at: Option<String> = st.query_row([card.to_string()], |r| r.get(0))?;
        at.map(|t| DateTime::parse_from_rfc3339(&t).map(|t| t.to_utc()).map_err(corrupt)).transpose()
    }

    /// Redemptions scanned in `[from, to)`, by scan time.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Logged>, LogError> {
        self.select("WHERE r.scanned_at >= ?1 AND r.scanned_at < ?2 ORDER BY r.scanned_at, r.seq", [ts(from), ts(to)])
    }

    fn select<P: rusqlite::Params>(&self, tail: &str, p: P) -> Result<Vec<Logged>, LogError> {
        let sql =
            format!("SELECT r.body, s.state, s.reason FROM redemptions r JOIN sync_state s ON s.id = r.id {tail}");
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows =
            st.query_map(p, |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (body, state, reason) = row?;
            let redemption = serde_json::from_str(&body).map_err(corrupt)?;
            let state = match state.as_str() {
                "pending" => SyncState::Pending,
                "accepted" => SyncState::Accepted,
                "duplicate" => SyncState::Duplicate,
                _ => SyncState::Rejected { reason: reason.unwrap_or_default() },
            };
            out.push(Logged { redemption, state });
        }
        Ok(out)
    }
}
