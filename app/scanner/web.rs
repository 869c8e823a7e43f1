//! The scanner's store in the browser: IndexedDB, every write one transaction with durability
//! `"strict"` that has completed (is on disk) before the call returns, so a redemption survives a
//! reload and a killed browser once the screen says "recorded" (measured for the holder's vault,
//! see docs/ARCHITECTURE.md). Everything is also kept in memory, loaded at open, for fast reads.
//!
//! The database `kaiku-scanner` (version 1) has four object stores:
//!
//! | store          | key                      | value                                                  |
//! |----------------|--------------------------|--------------------------------------------------------|
//! | `redemptions`  | `[device, seq]` (numbers) | the redemption as JSON text; added, never changed     |
//! | `sync_state`   | `id` (key path, UUID text) | `{id, state, reason, attempts}`; only this changes   |
//! | `device`       | `"enrollment"`           | the enrollment as JSON text                            |
//! | `register`     | `"copy"`                 | `{cursor, as_of, keys, cards: Uint8Array}` in one record |
//!
//! **Gapless sequence numbers.** The number is allocated from what is stored, inside the
//! transaction that writes the redemption: `append` reads the device's last key in `redemptions`
//! (a key cursor going backwards), and in that same callback Rust builds the redemption with the
//! next number (a synchronous call back into wasm, so the transaction stays active); then the
//! redemption and its `pending` state are added. Readwrite transactions on the same stores run
//! one after another, so the read and the add cannot interleave with another writer's. The number
//! and the record are committed together or not at all: a failed or aborted write burns no
//! number, and `add` on the `[device, seq]` key would refuse a duplicate. A second tab (or a
//! second store in this page) recording at the same time therefore takes its turn and never
//! makes a gap or a duplicate; when the number allocated is not the one this store expected, it
//! reads what the other wrote into memory. (Sync states marked by another tab are seen after a
//! reload.)
//!
//! The log is also held in memory with an index of each card's last scan time, so the door's
//! "seen here" caution needs no read of the database.
//!
//! rexie and web-sys (without an unstable cfg) cannot ask for strict durability, hence the JS.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use js_sys::{Array, Object, Reflect, Uint8Array};
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::keys::TrustedKeys;
use kaiku_core::redemption::CardFacts;
use kaiku_core::wire::{Cursor, ItemOutcome, Offer, RegisterPage};
use kaiku_core::{CardId, Redemption};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::compact::CompactRegister;
use super::model::{Enrollment, Fields, Logged, Marked, SyncState, answers};
use super::store::{RegisterMeta, ScannerStore, StoreError};

#[wasm_bindgen(inline_js = r#"
const opened = new Map();
function named(name, message) { const e = new Error(message); e.name = name; return e; }
function db(name) {
  let p = opened.get(name);
  if (!p) {
    p = new Promise((ok, no) => {
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => {
        const d = r.result;
        for (const s of ["redemptions", "device", "register"]) {
          if (!d.objectStoreNames.contains(s)) d.createObjectStore(s);
        }
        if (!d.objectStoreNames.contains("sync_state")) d.createObjectStore("sync_state", { keyPath: "id" });
      };
      r.onsuccess = () => {
        const d = r.result;
        d.onversionchange = () => { d.close(); opened.delete(name); };
        ok(d);
      };
      r.onerror = () => no(r.error);
      r.onblocked = () => no(named("Blocked", "the scanner's storage is held open by another tab"));
    });
    p.catch(() => opened.delete(name));
    opened.set(name, p);
  }
  return p;
}
function finish(tx) {
  return new Promise((ok, no) => {
    tx.oncomplete = () => ok();
    tx.onabort = () => no(tx.error ?? named("AbortError", "the transaction was aborted"));
  });
}
function write(d, stores) { return d.transaction(stores, "readwrite", { durability: "strict" }); }
export async function scanner_load(name) {
  const d = await db(name);
  const tx = d.transaction(["redemptions", "sync_state", "device", "register"], "readonly");
  const done = finish(tx);
  const out = {};
  const ask = (field, r) => { r.onsuccess = () => { out[field] = r.result; }; };
  ask("keys", tx.objectStore("redemptions").getAllKeys());
  ask("bodies", tx.objectStore("redemptions").getAll());
  ask("states", tx.objectStore("sync_state").getAll());
  ask("enrollment", tx.objectStore("device").get("enrollment"));
  ask("register", tx.objectStore("register").get("copy"));
  await done;
  return out;
}
export async function scanner_since(name, device, after) {
  const d = await db(name);
  const tx = d.transaction(["redemptions", "sync_state"], "readonly");
  const done = finish(tx);
  const out = { states: [] };
  const log = tx.objectStore("redemptions");
  const range = IDBKeyRange.bound([device, after + 1], [device, Infinity]);
  log.getAllKeys(range).onsuccess = (e) => { out.keys = e.target.result; };
  const bodies = log.getAll(range);
  bodies.onsuccess = () => {
    out.bodies = bodies.result;
    for (const b of bodies.result) {
      let id = null;
      try { id = JSON.parse(b).id; } catch (_) {}
      if (typeof id !== "string") continue;
      const g = tx.objectStore("sync_state").get(id);
      g.onsuccess = () => { if (g.result !== undefined) out.states.push(g.result); };
    }
  };
  await done;
  return out;
}
export async function scanner_append(name, device, build) {
  const d = await db(name);
  const tx = write(d, ["redemptions", "sync_state"]);
  const done = finish(tx);
  const log = tx.objectStore("redemptions");
  let failed = null;
  const c = log.openKeyCursor(IDBKeyRange.bound([device, 0], [device, Infinity]), "prev");
  c.onsuccess = () => {
    const seq = (c.result ? c.result.key[1] : 0) + 1;
    let made;
    try { made = build(seq); } catch (e) { failed = e; tx.abort(); return; }
    log.add(made[1], [device, seq]);
    tx.objectStore("sync_state").add({ id: made[0], state: "pending", reason: null, attempts: 0 });
  };
  try { await done; } catch (e) { throw failed ?? e; }
}
export async function scanner_mark(name, changes) {
  const d = await db(name);
  const tx = write(d, ["sync_state"]);
  const done = finish(tx);
  const s = tx.objectStore("sync_state");
  for (const [id, state, reason] of JSON.parse(changes)) {
    const g = s.get(id);
    g.onsuccess = () => {
      const o = g.result;
      if (o === undefined || o.state === "pending") s.put({ id, state, reason, attempts: ((o && o.attempts) | 0) + 1 });
    };
  }
  await done;
}
export async function scanner_save(name, enrollment, register) {
  const d = await db(name);
  const stores = [];
  if (enrollment !== undefined) stores.push("device");
  if (register !== undefined) stores.push("register");
  const tx = write(d, stores);
  const done = finish(tx);
  if (enrollment !== undefined) tx.objectStore("device").put(enrollment, "enrollment");
  if (register !== undefined) tx.objectStore("register").put(register, "copy");
  await done;
}
"#)]
extern "C" {
    fn scanner_load(name: &str) -> js_sys::Promise;
    fn scanner_since(name: &str, device: u32, after: f64) -> js_sys::Promise;
    fn scanner_append(name: &str, device: u32, build: &js_sys::Function) -> js_sys::Promise;
    fn scanner_mark(name: &str, changes: &str) -> js_sys::Promise;
    fn scanner_save(name: &str, enrollment: Option<String>, register: JsValue) -> js_sys::Promise;
}

/// Pages applied in memory before the copy is saved again during a long pull (as on SQLite).
const SAVE_EVERY: u32 = 32;

/// Sequence numbers are IndexedDB keys, i.e. JS numbers: exact up to 2^53.
const MAX_SEQ: u64 = 1 << 53;

/// The enrollment as stored (JSON text in the `device` store).
#[derive(Serialize, Deserialize)]
struct StoredEnrollment {
    device: DeviceId,
    token: Option<String>,
    venue: VenueId,
    venue_name: String,
    offers: Vec<Offer>,
    /// Every enrollment's token by device id, kept so that what was recorded under an earlier
    /// enrollment can still be sent.
    #[serde(default)]
    tokens: BTreeMap<u32, String>,
}

impl From<&Enrollment> for StoredEnrollment {
    fn from(e: &Enrollment) -> Self {
        Self {
            device: e.device,
            token: e.token.clone(),
            venue: e.venue,
            venue_name: e.venue_name.clone(),
            offers: e.offers.clone(),
            tokens: BTreeMap::new(),
        }
    }
}

impl From<StoredEnrollment> for Enrollment {
    fn from(e: StoredEnrollment) -> Self {
        Self { device: e.device, token: e.token, venue: e.venue, venue_name: e.venue_name, offers: e.offers }
    }
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// "Name: message" of a JS error or DOMException, or whatever the value says of itself.
fn describe(e: &JsValue) -> String {
    let field = |k: &str| Reflect::get(e, &JsValue::from_str(k)).ok().and_then(|v| v.as_string());
    match (field("name"), field("message")) {
        (Some(n), Some(m)) => format!("{n}: {m}"),
        (None, Some(m)) => m,
        _ => e.as_string().or_else(|| js_sys::JSON::stringify(e).ok().map(String::from)).unwrap_or_default(),
    }
}

fn backend(e: JsValue) -> StoreError {
    StoreError::Backend(describe(&e))
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text(obj: &JsValue, key: &str) -> Result<String, StoreError> {
    get(obj, key).as_string().ok_or_else(|| corrupt(format!("{key} is not text")))
}

/// A whole number stored as a JS number.
fn whole(v: &JsValue, max: u64) -> Option<u64> {
    let f = v.as_f64()?;
    // In range and whole, so the conversion is exact.
    (f >= 0.0 && f <= max as f64 && f.fract() == 0.0).then_some(f as u64)
}

fn state_key(s: &SyncState) -> (&'static str, Option<&str>) {
    match s {
        SyncState::Pending => ("pending", None),
        SyncState::Accepted => ("accepted", None),
        SyncState::Duplicate => ("duplicate", None),
        SyncState::Rejected { reason } => ("rejected", Some(reason)),
    }
}

fn state_from(v: &JsValue) -> Result<SyncState, StoreError> {
    Ok(match text(v, "state")?.as_str() {
        "pending" => SyncState::Pending,
        "accepted" => SyncState::Accepted,
        "duplicate" => SyncState::Duplicate,
        "rejected" => SyncState::Rejected { reason: get(v, "reason").as_string().unwrap_or_default() },
        other => return Err(corrupt(format!("unknown sync state {other:?}"))),
    })
}

/// The log as stored: by `(device, seq)`, with an index by id and each card's last scan time.
#[derive(Debug, Default)]
struct LogCopy {
    items: BTreeMap<(u32, u64), Logged>,
    by_id: HashMap<Uuid, (u32, u64)>,
    /// When each card was last recorded: the door's "seen here" caution.
    last_by_card: HashMap<CardId, DateTime<Utc>>,
    pending: u64,
}

impl LogCopy {
    /// Reads the loaded `keys`, `bodies` and `states`; every body must match its key.
    fn read(loaded: &JsValue) -> Result<Self, StoreError> {
        let mut log = Self::default();
        for l in Self::entries(loaded)? {
            log.insert(l);
        }
        Ok(log)
    }

    /// The redemptions of `loaded` with their states, in key order.
    fn entries(loaded: &JsValue) -> Result<Vec<Logged>, StoreError> {
        let keys = Array::from(&get(loaded, "keys"));
        let bodies = Array::from(&get(loaded, "bodies"));
        if keys.length() != bodies.length() {
            return Err(corrupt("the log's keys and records do not pair up"));
        }
        let mut states: HashMap<String, SyncState> = HashMap::new();
        for v in Array::from(&get(loaded, "states")).iter() {
            states.insert(text(&v, "id")?, state_from(&v)?);
        }
        let mut log = Vec::with_capacity(usize::try_from(keys.length()).unwrap_or(0));
        for (key, body) in keys.iter().zip(bodies.iter()) {
            let key = Array::from(&key);
            let device = whole(&key.get(0), u64::from(u32::MAX)).and_then(|d| u32::try_from(d).ok());
            let (Some(device), Some(seq)) = (device, whole(&key.get(1), MAX_SEQ)) else {
                return Err(corrupt("a redemption's key is not [device, seq]"));
            };
            let body = body.as_string().ok_or_else(|| corrupt(format!("redemption {device}/{seq} is not text")))?;
            let r: Redemption =
                serde_json::from_str(&body).map_err(|e| corrupt(format!("redemption {device}/{seq}: {e}")))?;
            if r.device.0 != device || r.seq != seq {
                return Err(corrupt(format!("redemption {device}/{seq} holds {}/{}", r.device.0, r.seq)));
            }
            // A missing state is taken as pending: sent again, the server keeps one.
            let state = states.remove(&r.id.to_string()).unwrap_or(SyncState::Pending);
            log.push(Logged { redemption: r, state });
        }
        Ok(log)
    }

    fn insert(&mut self, l: Logged) {
        let key = (l.redemption.device.0, l.redemption.seq);
        if l.state == SyncState::Pending {
            self.pending += 1;
        }
        self.by_id.insert(l.redemption.id, key);
        let at = l.redemption.scanned_at;
        self.last_by_card.entry(l.redemption.card).and_modify(|t| *t = (*t).max(at)).or_insert(at);
        if let Some(old) = self.items.insert(key, l)
            && old.state == SyncState::Pending
        {
            self.pending -= 1;
        }
    }

    /// The device's last sequence number (0 before its first redemption).
    fn last_seq(&self, device: DeviceId) -> u64 {
        self.items.range((device.0, 0)..=(device.0, u64::MAX)).next_back().map_or(0, |(k, _)| k.1)
    }
}

/// The stored enrollment and the tokens of every enrollment.
fn read_enrollment(loaded: &JsValue) -> Result<(Option<Enrollment>, BTreeMap<u32, String>), StoreError> {
    let v = get(loaded, "enrollment");
    if v.is_undefined() || v.is_null() {
        return Ok((None, BTreeMap::new()));
    }
    let json = v.as_string().ok_or_else(|| corrupt("the enrollment is not text"))?;
    let mut e: StoredEnrollment = serde_json::from_str(&json).map_err(|e| corrupt(format!("the enrollment: {e}")))?;
    let mut tokens = std::mem::take(&mut e.tokens);
    if let Some(t) = &e.token {
        tokens.entry(e.device.0).or_insert_with(|| t.clone());
    }
    Ok((Some(e.into()), tokens))
}

fn read_register(loaded: &JsValue) -> Result<(CompactRegister, RegisterMeta), StoreError> {
    let v = get(loaded, "register");
    if v.is_undefined() || v.is_null() {
        return Ok((CompactRegister::default(), RegisterMeta::default()));
    }
    let cursor = text(&v, "cursor")?.parse::<u64>().map_err(|e| corrupt(format!("the register cursor: {e}")))?;
    let as_of = get(&v, "as_of");
    let as_of = if as_of.is_null() || as_of.is_undefined() {
        None
    } else {
        let t = as_of.as_string().ok_or_else(|| corrupt("the register date is not text"))?;
        Some(t.parse::<DateTime<Utc>>().map_err(|e| corrupt(format!("the register date: {e}")))?)
    };
    let keys = serde_json::from_str(&text(&v, "keys")?).map_err(|e| corrupt(format!("the stored keys: {e}")))?;
    let cards = get(&v, "cards").dyn_into::<Uint8Array>().map_err(|_| corrupt("the register cards are not bytes"))?;
    let copy = CompactRegister::decode(&cards.to_vec())?;
    Ok((copy, RegisterMeta { cursor: Cursor(cursor), as_of, keys }))
}

/// The venue scanner's store in the browser (see the module doc for the layout).
#[derive(Debug)]
pub struct IdbScanner {
    name: String,
    enrollment: Option<Enrollment>,
    /// Every enrollment's token by device id.
    tokens: BTreeMap<u32, String>,
    log: LogCopy,
    register: CompactRegister,
    meta: RegisterMeta,
    /// Register pages applied since the last save.
    unsaved: u32,
}

impl IdbScanner {
    /// Opens (or creates) the database `db_name` and loads everything into memory.
    pub async fn open(db_name: &str) -> Result<Self, StoreError> {
        let loaded = JsFuture::from(scanner_load(db_name)).await.map_err(|e| StoreError::Open(describe(&e)))?;
        let (register, meta) = read_register(&loaded)?;
        let (enrollment, tokens) = read_enrollment(&loaded)?;
        Ok(Self {
            name: db_name.to_owned(),
            enrollment,
            tokens,
            log: LogCopy::read(&loaded)?,
            register,
            meta,
            unsaved: 0,
        })
    }

    /// Every redemption in the log with its state, by device and sequence number.
    pub fn all(&self) -> impl Iterator<Item = &Logged> + '_ {
        self.log.items.values()
    }

    /// Reads what another tab (or another store in this page) appended for `device` after the
    /// last number this store knows.
    async fn catch_up(&mut self, device: DeviceId, after: u64) -> Result<(), StoreError> {
        // Exact: sequence numbers stay below 2^53.
        let loaded = JsFuture::from(scanner_since(&self.name, device.0, after as f64)).await.map_err(backend)?;
        for l in LogCopy::entries(&loaded)? {
            self.log.insert(l);
        }
        Ok(())
    }

    /// The register record: `{cursor, as_of, keys, cards}`.
    fn register_record(&self, meta: &RegisterMeta) -> Result<JsValue, StoreError> {
        let o = Object::new();
        let keys = serde_json::to_string(&meta.keys).map_err(corrupt)?;
        // A copy of its own: a view into wasm memory would store all of that memory.
        let cards = Uint8Array::from(self.register.encode().as_slice());
        for (k, v) in [
            ("cursor", JsValue::from_str(&meta.cursor.0.to_string())),
            ("as_of", meta.as_of.map_or(JsValue::NULL, |t| JsValue::from_str(&t.to_rfc3339()))),
            ("keys", JsValue::from_str(&keys)),
            ("cards", cards.into()),
        ] {
            Reflect::set(&o, &JsValue::from_str(k), &v).map_err(backend)?;
        }
        Ok(o.into())
    }

    async fn save(&self, enrollment: Option<&Enrollment>, register: JsValue) -> Result<(), StoreError> {
        let stored = enrollment.map(|e| {
            let mut stored = StoredEnrollment::from(e);
            stored.tokens = self.tokens.clone();
            if let Some(t) = &e.token {
                stored.tokens.insert(e.device.0, t.clone());
            }
            stored
        });
        let enrollment = stored.map(|e| serde_json::to_string(&e)).transpose().map_err(corrupt)?;
        JsFuture::from(scanner_save(&self.name, enrollment, register)).await.map(|_| ()).map_err(backend)
    }

    async fn save_register(&mut self) -> Result<(), StoreError> {
        let record = self.register_record(&self.meta)?;
        self.save(None, record).await?;
        self.unsaved = 0;
        Ok(())
    }
}

#[async_trait(?Send)]
impl ScannerStore for IdbScanner {
    async fn enrollment(&self) -> Result<Option<Enrollment>, StoreError> {
        Ok(self.enrollment.clone())
    }

    async fn save_enrollment(&mut self, e: &Enrollment, keys: &TrustedKeys) -> Result<(), StoreError> {
        let meta = RegisterMeta { keys: keys.clone(), ..self.meta.clone() };
        let record = self.register_record(&meta)?;
        self.save(Some(e), record).await?;
        if let Some(t) = &e.token {
            self.tokens.insert(e.device.0, t.clone());
        }
        self.enrollment = Some(e.clone());
        self.meta = meta;
        self.unsaved = 0;
        Ok(())
    }

    async fn drop_token(&mut self) -> Result<(), StoreError> {
        let Some(e) = &self.enrollment else { return Ok(()) };
        let e = Enrollment { token: None, ..e.clone() };
        self.save(Some(&e), JsValue::UNDEFINED).await?;
        self.enrollment = Some(e);
        Ok(())
    }

    async fn append(
        &mut self,
        device: DeviceId,
        f: Fields,
        facts: Option<CardFacts>,
    ) -> Result<Redemption, StoreError> {
        let known = self.log.last_seq(device);
        // The rules do not depend on the number: a refused redemption opens no transaction.
        Redemption::new(f.clone().draft(Uuid::nil(), device, known + 1), facts)?;
        let id = Uuid::now_v7();
        // Called by the transaction with the number it allocated: the stored record is built here.
        let made: Rc<RefCell<Option<Result<Redemption, StoreError>>>> = Rc::default();
        let build = Closure::<dyn FnMut(JsValue) -> Result<Array, JsValue>>::new({
            let made = Rc::clone(&made);
            move |seq: JsValue| {
                let built = whole(&seq, MAX_SEQ - 1)
                    .ok_or_else(|| StoreError::Backend("the log is full".into()))
                    .and_then(|seq| Ok(Redemption::new(f.clone().draft(id, device, seq), facts)?))
                    .and_then(|r| Ok((serde_json::to_string(&r).map_err(corrupt)?, r)));
                match built {
                    Ok((body, r)) => {
                        *made.borrow_mut() = Some(Ok(r));
                        Ok(Array::of2(&JsValue::from_str(&id.to_string()), &JsValue::from_str(&body)))
                    }
                    Err(e) => {
                        let thrown = JsValue::from_str(&e.to_string());
                        *made.borrow_mut() = Some(Err(e));
                        Err(thrown)
                    }
                }
            }
        });
        let written = JsFuture::from(scanner_append(&self.name, device.0, build.as_ref().unchecked_ref())).await;
        let made = made.borrow_mut().take();
        let r = match (written, made) {
            (Ok(_), Some(Ok(r))) => r,
            (Err(_), Some(Err(e))) => return Err(e),
            (Err(e), _) => return Err(backend(e)),
            (Ok(_), _) => return Err(StoreError::Backend("the log's transaction wrote nothing".into())),
        };
        // Durable now. Numbers between the last known one and this were written by another tab.
        if r.seq > known + 1 {
            // Best effort: the redemption is recorded whatever this read does.
            let _ = self.catch_up(device, known).await;
        }
        self.log.insert(Logged { redemption: r.clone(), state: SyncState::Pending });
        Ok(r)
    }

    async fn pending(&self, limit: usize) -> Result<Vec<Redemption>, StoreError> {
        Ok(self
            .log
            .items
            .values()
            .filter(|l| l.state == SyncState::Pending)
            .take(limit)
            .map(|l| l.redemption.clone())
            .collect())
    }

    async fn pending_count(&self) -> Result<u64, StoreError> {
        Ok(self.log.pending)
    }

    async fn pending_devices(&self) -> Result<Vec<DeviceId>, StoreError> {
        let mut devices: Vec<DeviceId> = Vec::new();
        for l in self.log.items.values().filter(|l| l.state == SyncState::Pending) {
            if devices.last() != Some(&l.redemption.device) {
                devices.push(l.redemption.device);
            }
        }
        Ok(devices)
    }

    async fn pending_of(&self, device: DeviceId, limit: usize) -> Result<Vec<Redemption>, StoreError> {
        Ok(self
            .log
            .items
            .range((device.0, 0)..=(device.0, u64::MAX))
            .map(|(_, l)| l)
            .filter(|l| l.state == SyncState::Pending)
            .take(limit)
            .map(|l| l.redemption.clone())
            .collect())
    }

    async fn token_for(&self, device: DeviceId) -> Result<Option<String>, StoreError> {
        Ok(self.tokens.get(&device.0).cloned())
    }

    async fn mark(&mut self, sent: &[Redemption], outcomes: &[ItemOutcome]) -> Result<Marked, StoreError> {
        let (changes, m) = answers(sent, outcomes);
        if changes.is_empty() {
            return Ok(m);
        }
        let rows: Vec<(String, &str, Option<&str>)> = changes
            .iter()
            .map(|(id, s)| {
                let (state, reason) = state_key(s);
                (id.to_string(), state, reason)
            })
            .collect();
        let json = serde_json::to_string(&rows).map_err(corrupt)?;
        JsFuture::from(scanner_mark(&self.name, &json)).await.map_err(backend)?;
        for (id, state) in changes {
            let Some(l) = self.log.by_id.get(&id).and_then(|k| self.log.items.get_mut(k)) else { continue };
            if l.state == SyncState::Pending {
                l.state = state;
                self.log.pending -= 1;
            }
        }
        Ok(m)
    }

    async fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Logged>, StoreError> {
        let mut out: Vec<Logged> = self
            .log
            .items
            .values()
            .filter(|l| l.redemption.scanned_at >= from && l.redemption.scanned_at < to)
            .cloned()
            .collect();
        out.sort_by_key(|l| (l.redemption.scanned_at, l.redemption.seq));
        Ok(out)
    }

    async fn rejected(&self) -> Result<Vec<Logged>, StoreError> {
        Ok(self.log.items.values().filter(|l| matches!(l.state, SyncState::Rejected { .. })).cloned().collect())
    }

    async fn last_recorded(&self, card: CardId) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self.log.last_by_card.get(&card).copied())
    }

    async fn apply_page(&mut self, page: &RegisterPage) -> Result<(), StoreError> {
        if page.snapshot {
            self.register.clear();
        }
        self.register.apply(&page.records);
        self.meta = self.meta.after(page);
        self.unsaved += 1;
        if !page.more || self.unsaved >= SAVE_EVERY {
            self.save_register().await?;
        }
        Ok(())
    }

    fn register(&self) -> &CompactRegister {
        &self.register
    }

    fn register_meta(&self) -> &RegisterMeta {
        &self.meta
    }
}
