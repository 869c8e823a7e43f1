//! The redemption log: append-only, committed durably (WAL, synchronous FULL) before "recorded".

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeDelta, Utc};
use kaiku_core::CardId;
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::redemption::{CardFacts, EntryMethod, OfferKind, Redemption, RedemptionDraft, RedemptionError};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::wire::{ItemOutcome, Outcome};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use super::db::DbError;

/// Why a redemption was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error(transparent)]
    Rule(#[from] RedemptionError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for LogError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(DbError::Sql(e))
    }
}

/// What staff fill in at the door; the log adds id, device and sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    pub card: CardId,
    pub venue: VenueId,
    pub offer: OfferKind,
    pub offer_id: Option<OfferId>,
    pub children: u8,
    pub group: Vec<CardId>,
    pub scanned_at: DateTime<Utc>,
    pub entry: EntryMethod,
    pub verdict: VerdictCode,
}

/// Where a redemption is on its way to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncState {
    Pending,
    Accepted,
    Duplicate,
    Rejected { reason: String },
}

/// A redemption with its sync state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub redemption: Redemption,
    pub state: SyncState,
}

/// Today's redemptions and counts per offer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Today {
    pub redemptions: Vec<Logged>,
    /// (offer kind, offer id, redemptions, people admitted), in order of first use.
    pub by_offer: Vec<OfferCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferCount {
    pub offer: OfferKind,
    pub offer_id: Option<OfferId>,
    pub redemptions: u32,
    pub people: u32,
}

/// What `mark` did with a server answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Marked {
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    /// Outcomes that named no item sent (left pending, sent again next time).
    pub unmatched: usize,
}

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

fn corrupt(e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(e.to_string())
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
        let draft = RedemptionDraft {
            id: Uuid::now_v7(),
            device,
            seq: u64::try_from(seq).map_err(corrupt)?,
            card: f.card,
            venue: f.venue,
            offer: f.offer,
            offer_id: f.offer_id,
            children: f.children,
            group: f.group,
            scanned_at: f.scanned_at,
            entry: f.entry,
            verdict: f.verdict,
        };
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

    pub fn pending_count(&self) -> Result<u64, LogError> {
        let n: i64 =
            self.conn.query_row("SELECT count(*) FROM sync_state WHERE state = 'pending'", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Records the server's answer to a batch of `sent` items. Only the sync state changes.
    pub fn mark(&mut self, sent: &[Redemption], outcomes: &[ItemOutcome]) -> Result<Marked, LogError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut m = Marked::default();
        {
            let mut st = tx.prepare_cached(
                "UPDATE sync_state SET state = ?2, reason = ?3, attempts = attempts + 1 WHERE id = ?1 AND state = 'pending'",
            )?;
            for o in outcomes {
                let Some(item) = usize::try_from(o.index).ok().and_then(|i| sent.get(i)) else {
                    m.unmatched += 1;
                    continue;
                };
                if o.id.is_some_and(|id| id != item.id) {
                    m.unmatched += 1;
                    continue;
                }
                let (state, reason) = match &o.outcome {
                    Outcome::Accepted { .. } => {
                        m.accepted += 1;
                        ("accepted", None)
                    }
                    Outcome::Duplicate => {
                        m.duplicate += 1;
                        ("duplicate", None)
                    }
                    Outcome::Rejected { reason } => {
                        m.rejected += 1;
                        ("rejected", Some(reason.as_str()))
                    }
                };
                st.execute(params![item.id.to_string(), state, reason])?;
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
        let start = now
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .and_then(|m| m.and_local_timezone(*now.offset()).single())
            .map(|d| d.with_timezone(&Utc))
            .ok_or_else(|| corrupt("no local midnight"))?;
        let end = start + TimeDelta::days(1);
        let redemptions = self.select(
            "WHERE r.scanned_at >= ?1 AND r.scanned_at < ?2 ORDER BY r.scanned_at, r.seq",
            [ts(start), ts(end)],
        )?;
        let mut by_offer: Vec<OfferCount> = Vec::new();
        for l in &redemptions {
            let r = &l.redemption;
            let people = u32::from(r.adults) + u32::from(r.children);
            match by_offer.iter_mut().find(|c| c.offer == r.offer && c.offer_id == r.offer_id) {
                Some(c) => {
                    c.redemptions += 1;
                    c.people += people;
                }
                None => by_offer.push(OfferCount { offer: r.offer, offer_id: r.offer_id, redemptions: 1, people }),
            }
        }
        Ok(Today { redemptions, by_offer })
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
