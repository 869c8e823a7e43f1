//! The scanner's store in the browser: IndexedDB (opened through `storage::idb`), every write
//! one transaction with durability `"strict"` that has completed (is on disk) before the call
//! returns, so a redemption survives a reload and a killed browser once the screen says
//! "recorded" (measured for the holder's vault, see docs/ARCHITECTURE.md). Everything is also
//! kept in memory, loaded at open, for fast reads.
//!
//! The database (version 2) has five object stores:
//!
//! | store          | key                        | value                                                  |
//! |----------------|----------------------------|--------------------------------------------------------|
//! | `redemptions`  | `[device, seq]` (numbers)  | the whole redemption as JSON text; added, never changed |
//! | `sync_state`   | `id` (key path, UUID text) | `{id, state, reason, attempts}`; only this changes     |
//! | `device`       | `"enrollment"`             | the enrollment as JSON text                            |
//! | `register`     | `"copy"`                   | `{cursor, as_of, keys, cards: Uint8Array}` in one record |
//! | `undone`       | id of a record taken back  | the id of the correction that took it back (version 2) |
//!
//! **Gapless sequence numbers.** The number is allocated from what is stored, inside the
//! transaction that writes the redemption: the append reads the device's last key in
//! `redemptions` (a key cursor going backwards), and in that same callback Rust builds the
//! redemption with the next number (a synchronous call back into wasm, so the transaction stays
//! active); then the redemption and its `pending` state are added. Readwrite transactions on the
//! same stores run one after another, so the read and the add cannot interleave with another
//! writer's: two overlapping `record` calls of this store, a second store in this page or a
//! second tab each take their turn and never make a gap or a duplicate. The number and the
//! record are committed together or not at all: a failed or aborted write burns no number. When
//! the number allocated is not the one this store expected, it reads what the other wrote into
//! memory. (Sync states marked by another tab are seen after a reload.)
//!
//! A correction (the door's undo) is appended the same way and also adds its undone record's id
//! to `undone`, whose key refuses a second correction of the same record.

mod js;
mod log_copy;
mod records;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use js_sys::{Array, Object};
use kaiku_core::ids::DeviceId;
use kaiku_core::keys::TrustedKeys;
use kaiku_core::redemption::CardFacts;
use kaiku_core::wire::{ItemOutcome, RegisterPage};
use kaiku_core::{CardId, Redemption};
use uuid::Uuid;
use wasm_bindgen::prelude::*;

use super::model::{Enrollment, Fields, Logged, Marked, SyncState, answers};
use super::register::{RegisterCopy, RegisterSlot};
use super::store::{ScannerStore, StoreError, UndoRefused, undoing_device};
use crate::storage::idb::{Idb, IdbError};
use log_copy::LogCopy;
use records::{MAX_SEQ, backend, corrupt, enrollment_text, read_enrollment, read_register, register_record, whole};

const LOG: &str = "redemptions";
const STATES: &str = "sync_state";
const DEVICE: &str = "device";
const REGISTER: &str = "register";
const UNDONE: &str = "undone";

/// What the store holds in memory besides the register copy.
#[derive(Debug, Default)]
struct Held {
    enrollment: Option<Enrollment>,
    /// Every enrollment's token by device id.
    tokens: BTreeMap<u32, String>,
    log: LogCopy,
}

/// The venue scanner's store in the browser (see the module doc for the layout). What it holds
/// in memory is borrowed only between awaits; the database orders overlapping writes.
#[derive(Debug)]
pub struct IdbScannerStore {
    db: Idb,
    held: RefCell<Held>,
    register: RegisterSlot,
}

/// Builds the record to append from the sequence number the transaction allocated.
type Build = Box<dyn Fn(u64) -> Result<Redemption, StoreError>>;

impl IdbScannerStore {
    /// Opens (or creates, or upgrades) the database `db_name` and loads everything into memory.
    pub async fn open(db_name: &str) -> Result<Self, StoreError> {
        let db = Idb {
            name: db_name.to_owned(),
            version: 2,
            stores: &[(LOG, None), (STATES, Some("id")), (DEVICE, None), (REGISTER, None), (UNDONE, None)],
        };
        let opening = |e: IdbError| StoreError::Open(e.to_string());
        let tx = db.transaction(&[LOG, STATES, DEVICE, REGISTER], false).await.map_err(opening)?;
        let loaded = Object::new();
        js::scanner_load(&tx.raw, &loaded).map_err(|e| opening(e.into()))?;
        tx.done().await.map_err(opening)?;
        let register = RegisterSlot::new(read_register(&loaded)?);
        let (enrollment, tokens) = read_enrollment(&loaded)?;
        let held = Held { enrollment, tokens, log: LogCopy::read(&loaded)? };
        Ok(Self { db, held: RefCell::new(held), register })
    }

    /// Reads what another tab (or another store in this page) appended for `device` after the
    /// last number this store knows.
    async fn catch_up(&self, device: DeviceId, after: u64) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[LOG, STATES], false).await.map_err(backend)?;
        let loaded = Object::new();
        // Exact: sequence numbers stay below 2^53.
        js::scanner_since(&tx.raw, device.0, after as f64, &loaded).map_err(backend)?;
        tx.done().await.map_err(backend)?;
        let entries = LogCopy::entries(&loaded)?;
        let mut held = self.held.borrow_mut();
        for l in entries {
            held.log.insert(l);
        }
        Ok(())
    }

    /// Saves the enrollment `e` and/or the register `copy` in one transaction.
    async fn save(&self, e: Option<&Enrollment>, copy: Option<&RegisterCopy>) -> Result<(), StoreError> {
        let e = e.map(|e| enrollment_text(e, &self.held.borrow().tokens)).transpose()?;
        let copy = copy.map(register_record).transpose()?;
        let stores: Vec<&str> = [(DEVICE, e.is_some()), (REGISTER, copy.is_some())]
            .into_iter()
            .filter_map(|(s, some)| some.then_some(s))
            .collect();
        let tx = self.db.transaction(&stores, true).await.map_err(backend)?;
        if let Some(e) = e {
            tx.put(DEVICE, "enrollment", &JsValue::from_str(&e)).map_err(backend)?;
        }
        if let Some(copy) = copy {
            tx.put(REGISTER, "copy", &copy).map_err(backend)?;
        }
        tx.done().await.map_err(backend)
    }

    /// Appends what `build` makes of the next sequence number of `device` (see the module doc),
    /// pending; `undoes` for a correction. `known` is the last number this store knows.
    async fn append_next(
        &self,
        device: DeviceId,
        known: u64,
        undoes: Option<Uuid>,
        build: Build,
    ) -> Result<Redemption, StoreError> {
        // Called by the transaction with the number it allocated: the stored record is built here.
        let made: Rc<RefCell<Option<Result<Redemption, StoreError>>>> = Rc::default();
        let callback = Closure::<dyn FnMut(JsValue) -> Result<Array, JsValue>>::new({
            let made = Rc::clone(&made);
            move |seq: JsValue| {
                let built = whole(&seq, MAX_SEQ - 1)
                    .ok_or_else(|| StoreError::Backend("the log is full".into()))
                    .and_then(&build)
                    .and_then(|r| Ok((serde_json::to_string(&r).map_err(corrupt)?, r)));
                match built {
                    Ok((body, r)) => {
                        let id = JsValue::from_str(&r.id.to_string());
                        *made.borrow_mut() = Some(Ok(r));
                        Ok(Array::of2(&id, &JsValue::from_str(&body)))
                    }
                    Err(e) => {
                        let thrown = JsValue::from_str(&e.to_string());
                        *made.borrow_mut() = Some(Err(e));
                        Err(thrown)
                    }
                }
            }
        });
        let stores: &[&str] = if undoes.is_some() { &[LOG, STATES, UNDONE] } else { &[LOG, STATES] };
        let tx = self.db.transaction(stores, true).await.map_err(backend)?;
        js::scanner_append(&tx.raw, device.0, undoes.map(|u| u.to_string()), callback.as_ref().unchecked_ref())
            .map_err(backend)?;
        let written = tx.done().await;
        let made = made.borrow_mut().take();
        let r = match (written, made) {
            (Ok(()), Some(Ok(r))) => r,
            (Err(_), Some(Err(e))) => return Err(e),
            (Err(e), _) if undoes.is_some() && e.name == "ConstraintError" => {
                return Err(UndoRefused::AlreadyUndone.into());
            }
            (Err(e), _) => return Err(backend(e)),
            (Ok(()), _) => return Err(StoreError::Backend("the log's transaction wrote nothing".into())),
        };
        // Durable now. Numbers between the last known one and this were written by another tab.
        if r.seq > known + 1 {
            // Best effort: the redemption is recorded whatever this read does.
            let _ = self.catch_up(device, known).await;
        }
        self.held.borrow_mut().log.insert(Logged { redemption: r.clone(), state: SyncState::Pending });
        Ok(r)
    }

    fn pending_where(&self, device: Option<DeviceId>, limit: usize) -> Vec<Redemption> {
        let held = self.held.borrow();
        let all: Box<dyn Iterator<Item = &Logged>> = match device {
            Some(d) => Box::new(held.log.of(d)),
            None => Box::new(held.log.items.values()),
        };
        all.filter(|l| l.state == SyncState::Pending).take(limit).map(|l| l.redemption.clone()).collect()
    }
}

#[async_trait(?Send)]
impl ScannerStore for IdbScannerStore {
    async fn enrollment(&self) -> Result<Option<Enrollment>, StoreError> {
        Ok(self.held.borrow().enrollment.clone())
    }

    async fn save_enrollment(&self, e: &Enrollment, keys: &TrustedKeys) -> Result<(), StoreError> {
        let copy = self.register.with_keys(keys);
        self.save(Some(e), Some(&copy)).await?;
        let mut held = self.held.borrow_mut();
        if let Some(t) = &e.token {
            held.tokens.insert(e.device.0, t.clone());
        }
        held.enrollment = Some(e.clone());
        self.register.set(copy);
        Ok(())
    }

    async fn drop_token(&self) -> Result<(), StoreError> {
        let Some(e) = self.held.borrow().enrollment.clone() else { return Ok(()) };
        let e = Enrollment { token: None, ..e };
        self.save(Some(&e), None).await?;
        self.held.borrow_mut().enrollment = Some(e);
        Ok(())
    }

    async fn append(&self, device: DeviceId, f: Fields, facts: Option<CardFacts>) -> Result<Redemption, StoreError> {
        let known = self.held.borrow().log.last_seq(device);
        // The rules do not depend on the number: a refused redemption opens no transaction.
        Redemption::new(f.clone().draft(Uuid::nil(), device, known + 1), facts)?;
        let id = Uuid::now_v7();
        let build = move |seq| Ok(Redemption::new(f.clone().draft(id, device, seq), facts)?);
        self.append_next(device, known, None, Box::new(build)).await
    }

    async fn undo(&self, of: &Redemption, at: DateTime<Utc>) -> Result<Redemption, StoreError> {
        let device = undoing_device(self.held.borrow().enrollment.clone(), of)?;
        let (stored, known) = {
            let held = self.held.borrow();
            let stored = held.log.get(&of.id).filter(|l| l.redemption.device == device).ok_or(UndoRefused::NotInLog)?;
            if stored.redemption.undoes.is_some() {
                return Err(UndoRefused::Correction.into());
            }
            if held.log.undone.contains(&of.id) {
                return Err(UndoRefused::AlreadyUndone.into());
            }
            (stored.redemption.clone(), held.log.last_seq(device))
        };
        let id = Uuid::now_v7();
        let build = move |seq| Ok(stored.correction(id, seq, at));
        self.append_next(device, known, Some(of.id), Box::new(build)).await
    }

    async fn pending(&self, limit: usize) -> Result<Vec<Redemption>, StoreError> {
        Ok(self.pending_where(None, limit))
    }

    async fn pending_count(&self) -> Result<u64, StoreError> {
        Ok(self.held.borrow().log.pending)
    }

    async fn pending_devices(&self) -> Result<Vec<DeviceId>, StoreError> {
        let mut devices: Vec<DeviceId> = Vec::new();
        for l in self.held.borrow().log.items.values().filter(|l| l.state == SyncState::Pending) {
            if devices.last() != Some(&l.redemption.device) {
                devices.push(l.redemption.device);
            }
        }
        Ok(devices)
    }

    async fn pending_of(&self, device: DeviceId, limit: usize) -> Result<Vec<Redemption>, StoreError> {
        Ok(self.pending_where(Some(device), limit))
    }

    async fn token_for(&self, device: DeviceId) -> Result<Option<String>, StoreError> {
        Ok(self.held.borrow().tokens.get(&device.0).cloned())
    }

    async fn mark(&self, sent: &[Redemption], outcomes: &[ItemOutcome]) -> Result<Marked, StoreError> {
        let (changes, m) = answers(sent, outcomes);
        if changes.is_empty() {
            return Ok(m);
        }
        let rows: Vec<(String, &str, Option<&str>)> = changes
            .iter()
            .map(|(id, s)| {
                let (state, reason) = records::state_key(s);
                (id.to_string(), state, reason)
            })
            .collect();
        let json = serde_json::to_string(&rows).map_err(corrupt)?;
        let tx = self.db.transaction(&[STATES], true).await.map_err(backend)?;
        js::scanner_mark(&tx.raw, &json).map_err(backend)?;
        tx.done().await.map_err(backend)?;
        let mut held = self.held.borrow_mut();
        let log = &mut held.log;
        for (id, state) in changes {
            let Some(l) = log.by_id.get(&id).and_then(|k| log.items.get_mut(k)) else { continue };
            if l.state == SyncState::Pending {
                l.state = state;
                log.pending -= 1;
            }
        }
        Ok(m)
    }

    async fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Logged>, StoreError> {
        let held = self.held.borrow();
        let mut out: Vec<Logged> = held
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
        let held = self.held.borrow();
        Ok(held.log.items.values().filter(|l| matches!(l.state, SyncState::Rejected { .. })).cloned().collect())
    }

    async fn last_recorded(&self, card: CardId) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self.held.borrow().log.last_by_card.get(&card).copied())
    }

    async fn apply_page(&self, page: &RegisterPage) -> Result<(), StoreError> {
        if let Some(copy) = self.register.apply(page) {
            self.save(None, Some(&copy)).await?;
            self.register.saved();
        }
        Ok(())
    }

    fn register(&self) -> Rc<RegisterCopy> {
        self.register.get()
    }

    async fn log(&self) -> Result<Vec<Logged>, StoreError> {
        Ok(self.held.borrow().log.items.values().cloned().collect())
    }
}
