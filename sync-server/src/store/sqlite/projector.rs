//! The projector: what is derived from the stored redemptions (the statistics' `use_facts`,
//! the flag lookups' `scan_hours`, uses to check, the console's counters per venue, day and
//! offer and per device) is written here, from the redemptions uploads have stored, a chunk of
//! new rows at a time, sorted by key so that each B-tree is written page by page. An upload
//! stores only the redemption, so that a batch costs a few B-tree operations an item.
//!
//! A step reads and works out everything on a reader connection ([`plan`]), so uploads go on
//! meanwhile, then writes it in one short IMMEDIATE transaction ([`apply`]) that also moves
//! `projection.through`, the last row done, and only if no one moved it since: processes
//! sharing the file take turns, and a crash between an upload and its projection loses
//! nothing (the next step starts where the last commit left off). Every reader of derived data
//! catches up first (`SqliteStore::catch_up`).
//!
//! A correction (`undoes`) counts nowhere, and neither does the use it takes back: its
//! use_facts row is marked `undone`, its counters are taken off, and it leaves the flag lookups
//! and every pair of uses to check it was in.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use kaiku_core::redemption::OfferKind;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::convert::parse;
use super::flag_check::{self, Pair};
use super::many_rows;
use super::stats_facts::packed;
use crate::store::StoreResult;

/// Rows projected in one step: large enough that a chunk's rows share index pages, small
/// enough that an upload waits for one step's writes a few milliseconds at most.
pub const CHUNK: usize = 8_000;

/// One redemption as the projector reads it.
#[derive(Debug, Clone)]
pub struct Row {
    pub rowid: i64,
    pub id: Vec<u8>,
    pub device: u32,
    pub card_id: String,
    pub venue: u32,
    pub offer: OfferKind,
    pub offer_id: Option<u32>,
    pub adults: u8,
    pub children: u8,
    /// As stored (the flagged pairs keep it so).
    pub scanned_at: String,
    /// The scan in Unix seconds.
    pub at: i64,
    pub received_at: String,
    pub community: bool,
    pub undoes: Option<Vec<u8>>,
    /// Its card's number, if the card has one.
    pub card: Option<i64>,
}

impl Row {
    /// The `use_facts` day: days since 1970-01-01.
    fn day(&self) -> i64 {
        self.at.div_euclid(86_400)
    }
}

/// With the card's number: kept by the upload, looked up only when it is not.
const COLUMNS: &str = "r.rowid, r.id, r.device_id, r.card_id, r.venue_id, r.offer, r.offer_id, r.adults, \
                       r.children, r.scanned_at, r.received_at, r.community, r.undoes, \
                       coalesce(r.card_number, (SELECT n.n FROM card_numbers n WHERE n.id = r.card_id))";

const FROM: &str = "redemptions r";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let scanned_at: String = r.get(9)?;
    let at = match seconds(&scanned_at) {
        Some(at) => at,
        None => r.get::<_, DateTime<Utc>>(9)?.timestamp(),
    };
    let offer = match r.get_ref(5)?.as_str()? {
        "ticket" => OfferKind::Ticket,
        "course_place" => OfferKind::CoursePlace,
        other => parse(other, 5)?,
    };
    Ok(Row {
        rowid: r.get(0)?,
        id: r.get(1)?,
        device: r.get(2)?,
        card_id: r.get(3)?,
        venue: r.get(4)?,
        offer,
        offer_id: r.get(6)?,
        adults: r.get(7)?,
        children: r.get(8)?,
        scanned_at,
        at,
        received_at: r.get(10)?,
        community: r.get(11)?,
        undoes: r.get(12)?,
        card: r.get(13)?,
    })
}

/// The Unix seconds of a time as an upload stores it (`YYYY-MM-DD HH:MM:SS[.f]+00:00`, in
/// UTC); `None` for any other text, which rusqlite's conversion reads.
fn seconds(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if b.len() < 25 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !text.ends_with("+00:00") || !(b[19] == b'+' || b[19] == b'.') {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(digits(0..4)?).ok()?, digits(5..7)?, digits(8..10)?)?;
    let time = chrono::NaiveTime::from_hms_opt(digits(11..13)?, digits(14..16)?, digits(17..19)?)?;
    Some(date.and_time(time).and_utc().timestamp())
}

/// Whether redemptions are stored that the projector has not done yet.
pub fn behind(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT (SELECT coalesce(max(rowid), 0) FROM redemptions) > (SELECT through FROM projection WHERE id = 1)",
        [],
        |r| r.get(0),
    )
}

/// A card as use_facts and scan_hours key it: its number, or (rarely: a card numbered in no
/// other way) the place in [`Plan::new_cards`] of the ID to number when the plan is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CardKey {
    Number(i64),
    New(usize),
}

/// A use taken back that an earlier step projected.
#[derive(Debug)]
struct TakeBack {
    day: i64,
    rowid: i64,
    id: Vec<u8>,
    /// Its scan_hours key (hour, card), when it has one.
    hour: Option<(i64, i64)>,
}

/// Everything one step writes, worked out from one snapshot.
#[derive(Debug)]
pub struct Plan {
    /// `projection.through` in the snapshot: the plan is applied only if it is still so.
    through: i64,
    last: i64,
    full: bool,
    new_cards: Vec<String>,
    take_backs: Vec<TakeBack>,
    /// day, row, card, packed facts, undone; in key order.
    facts: Vec<(i64, i64, CardKey, i64, bool)>,
    /// hour, card, row, device, time; in key order.
    hours: Vec<(i64, CardKey, i64, u32, i64)>,
    pairs: Vec<Pair>,
    counters: Counters,
}

/// Works out the next step from a snapshot of `conn`; `None` when there is nothing to do.
pub fn plan(conn: &Connection) -> StoreResult<Option<Plan>> {
    let tx = conn.unchecked_transaction()?;
    let (through, window_minutes): (i64, i64) =
        tx.query_row("SELECT through, flag_window_minutes FROM projection WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let rows: Vec<Row> = tx
        .prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE r.rowid > ?1 ORDER BY r.rowid LIMIT ?2"))?
        .query_map(params![through, CHUNK as i64], row)?
        .collect::<Result<_, _>>()?;
    let Some(last) = rows.last().map(|r| r.rowid) else { return Ok(None) };
    let mut counters = Counters::default();
    let (keys, new_cards) = card_keys(&rows);
    let (take_backs, undone) = take_back(&tx, &rows, through, &mut counters)?;
    let counted = |r: &Row| r.undoes.is_none() && !undone.contains(&r.rowid);

    // Every row, corrections too: a period's redemptions are found through these (export, purge).
    let mut facts: Vec<_> = rows.iter().zip(&keys).map(|(r, k)| (r.day(), r.rowid, *k, fact(r), !counted(r))).collect();
    facts.sort_unstable_by_key(|f| (f.0, f.1));
    let uses: Vec<(&Row, CardKey)> = rows.iter().zip(keys).filter(|(r, _)| counted(r)).collect();
    let mut hours: Vec<_> =
        uses.iter().map(|(r, card)| (flag_check::hour(r.at), *card, r.rowid, r.device, r.at)).collect();
    hours.sort_unstable_by_key(|h| (h.0, h.1, h.2));
    let taken: HashSet<i64> = take_backs.iter().map(|t| t.rowid).collect();
    let pairs = flag_check::pairs(&tx, &uses, &taken, window_minutes.max(0) * 60)?;
    for r in &rows {
        counters.device(r, i64::from(counted(r)));
        if counted(r) {
            counters.venue(r, 1);
        }
    }
    tx.commit()?;
    Ok(Some(Plan { through, last, full: rows.len() == CHUNK, new_cards, take_backs, facts, hours, pairs, counters }))
}

fn fact(r: &Row) -> i64 {
    packed(r.venue, r.community, r.offer, r.adults, r.children)
}

/// Writes `plan` unless another step has moved the cursor since its snapshot; whether there
/// may be more to do.
///
/// Its commit does not wait for the disk (synchronous NORMAL, for this transaction only):
/// everything it writes is worked out again from the cursor it moves, the next upload's synced
/// commit takes it to disk too, and a power cut before that loses only this step.
pub fn apply(conn: &mut Connection, plan: Plan) -> StoreResult<bool> {
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let applied = write(conn, plan);
    conn.pragma_update(None, "synchronous", "FULL")?;
    applied
}

fn write(conn: &mut Connection, plan: Plan) -> StoreResult<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let through: i64 = tx.query_row("SELECT through FROM projection WHERE id = 1", [], |r| r.get(0))?;
    if through != plan.through {
        return Ok(true);
    }
    let mut numbered = Vec::with_capacity(plan.new_cards.len());
    for id in &plan.new_cards {
        tx.prepare_cached("INSERT INTO card_numbers (id) VALUES (?1) ON CONFLICT (id) DO NOTHING")?.execute([id])?;
        numbered.push(
            tx.prepare_cached("SELECT n FROM card_numbers WHERE id = ?1")?.query_row([id], |r| r.get::<_, i64>(0))?,
        );
    }
    let card = |k: CardKey| match k {
        CardKey::Number(n) => n,
        CardKey::New(i) => numbered[i],
    };
    for t in &plan.take_backs {
        tx.prepare_cached("UPDATE use_facts SET undone = 1 WHERE day = ?1 AND redemption = ?2")?
            .execute(params![t.day, t.rowid])?;
        flag_check::forget(&tx, &t.id, t.hour.map(|(hour, card)| (hour, card, t.rowid)))?;
    }
    let facts: Vec<[i64; 5]> = plan
        .facts
        .iter()
        .map(|&(day, rowid, c, facts, undone)| [day, rowid, card(c), facts, i64::from(undone)])
        .collect();
    many_rows::insert(&tx, "INSERT INTO use_facts (day, redemption, card, facts, undone)", &facts)?;
    let hours: Vec<[i64; 5]> =
        plan.hours.iter().map(|&(hour, c, rowid, device, at)| [hour, card(c), rowid, i64::from(device), at]).collect();
    many_rows::insert(&tx, "INSERT INTO scan_hours (hour, card, redemption, device, at)", &hours)?;
    flag_check::write(&tx, &plan.pairs)?;
    plan.counters.write(&tx)?;
    tx.prepare_cached("UPDATE projection SET through = ?1 WHERE id = 1")?.execute([plan.last])?;
    tx.commit()?;
    Ok(plan.full)
}

/// One step on one connection (the tests): [`plan`], then [`apply`].
#[cfg(test)]
pub fn step(conn: &mut Connection) -> StoreResult<bool> {
    match plan(conn)? {
        Some(p) => apply(conn, p),
        None => Ok(false),
    }
}

/// The card key of each of `rows`, and the IDs without a number (each once).
fn card_keys(rows: &[Row]) -> (Vec<CardKey>, Vec<String>) {
    let mut new: HashMap<&str, usize> = HashMap::new();
    let keys = rows
        .iter()
        .map(|r| match r.card {
            Some(n) => CardKey::Number(n),
            None => {
                let next = new.len();
                CardKey::New(*new.entry(r.card_id.as_str()).or_insert(next))
            }
        })
        .collect();
    let mut ids: Vec<(&str, usize)> = new.into_iter().collect();
    ids.sort_unstable_by_key(|(_, i)| *i);
    (keys, ids.into_iter().map(|(id, _)| id.to_owned()).collect())
}

/// The uses the chunk's corrections take back: those an earlier step projected, to be taken
/// off everything derived from them, and the rowids of those in this chunk, from which nothing
/// is derived.
fn take_back(
    tx: &Connection,
    rows: &[Row],
    through: i64,
    counters: &mut Counters,
) -> StoreResult<(Vec<TakeBack>, HashSet<i64>)> {
    let (mut earlier, mut in_chunk) = (Vec::new(), HashSet::new());
    let mut target = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = ?1"))?;
    for undoes in rows.iter().filter_map(|r| r.undoes.as_ref()) {
        // Gone only if purged since (`retention`): nothing derived from it is left either.
        let Some(u) = target.query_row([undoes], row).optional()? else { continue };
        if u.rowid > through {
            in_chunk.insert(u.rowid);
            continue;
        }
        counters.venue(&u, -1);
        counters.device_uses(u.device, -1);
        earlier.push(TakeBack {
            day: u.day(),
            rowid: u.rowid,
            hour: u.card.map(|c| (flag_check::hour(u.at), c)),
            id: u.id,
        });
    }
    Ok((earlier, in_chunk))
}

/// A venue's uses of a day and offer: uses, adults, children, course places, community uses.
type VenueDay = [i64; 5];

/// The console's counters a chunk changes, summed before they are written.
#[derive(Debug, Default)]
struct Counters {
    venues: HashMap<(u32, i64, u32, &'static str), VenueDay>,
    /// Per device: the last upload's time and the uses to add.
    devices: HashMap<u32, (String, i64)>,
}

impl Counters {
    /// Adds `sign` times `r` to its venue's day.
    fn venue(&mut self, r: &Row, sign: i64) {
        let key = (r.venue, r.day(), r.offer_id.unwrap_or(0), super::sync::offer_text(r.offer));
        let c = self.venues.entry(key).or_default();
        let course = i64::from(r.offer == OfferKind::CoursePlace);
        let add = [1, i64::from(r.adults), i64::from(r.children), course, i64::from(r.community)];
        for (total, n) in c.iter_mut().zip(add) {
            *total += sign * n;
        }
    }

    /// `r` was received (its device synced then) and adds `uses`.
    fn device(&mut self, r: &Row, uses: i64) {
        let d = self.devices.entry(r.device).or_default();
        if r.received_at > d.0 {
            d.0.clone_from(&r.received_at);
        }
        d.1 += uses;
    }

    fn device_uses(&mut self, device: u32, uses: i64) {
        self.devices.entry(device).or_default().1 += uses;
    }

    fn write(self, tx: &Connection) -> rusqlite::Result<()> {
        let mut venue = tx.prepare_cached(
            "INSERT INTO venue_day_uses (venue_id, day, offer_id, offer, uses, adults, children, course_places, \
             community_uses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
             ON CONFLICT (venue_id, day, offer_id, offer) DO UPDATE SET uses = uses + excluded.uses, \
             adults = adults + excluded.adults, children = children + excluded.children, \
             course_places = course_places + excluded.course_places, \
             community_uses = community_uses + excluded.community_uses",
        )?;
        let mut venues: Vec<_> = self.venues.into_iter().collect();
        venues.sort_unstable_by_key(|(k, _)| *k);
        for ((v, day, offer_id, offer), c) in venues {
            venue.execute(params![v, day, offer_id, offer, c[0], c[1], c[2], c[3], c[4]])?;
        }
        // Every device here has a row of the chunk, so a time (a correction is its device's too).
        let mut device = tx.prepare_cached(
            "INSERT INTO device_uses (device_id, last_sync, uses) VALUES (?1, ?2, ?3) \
             ON CONFLICT (device_id) DO UPDATE SET last_sync = max(last_sync, excluded.last_sync), \
             uses = uses + excluded.uses",
        )?;
        for (d, (last_sync, uses)) in self.devices {
            device.execute(params![d, last_sync, uses])?;
        }
        Ok(())
    }
}
