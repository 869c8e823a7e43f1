//! The scanner's log as the browser store holds it in memory: by `(device, seq)`, with an index
//! by id, what each correction takes back, and each card's last scan time (the door's "seen
//! here" caution, answered without reading the database).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use js_sys::Array;
use kaiku_core::ids::DeviceId;
use kaiku_core::{CardId, Redemption};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use super::records::{MAX_SEQ, corrupt, state_from, text, whole};
use crate::scanner::model::{Logged, SyncState};
use crate::scanner::store::StoreError;
use crate::storage::idb::field;

#[derive(Debug, Default)]
pub struct LogCopy {
    pub items: BTreeMap<(u32, u64), Logged>,
    pub by_id: HashMap<Uuid, (u32, u64)>,
    /// The records a correction takes back.
    pub undone: HashSet<Uuid>,
    /// When each card was last recorded, corrections and records taken back left out.
    pub last_by_card: HashMap<CardId, DateTime<Utc>>,
    pub pending: u64,
}

impl LogCopy {
    /// Reads the loaded `keys`, `bodies` and `states`; every body must match its key.
    pub fn read(loaded: &JsValue) -> Result<Self, StoreError> {
        let mut log = Self::default();
        for l in Self::entries(loaded)? {
            log.insert(l);
        }
        Ok(log)
    }

    /// The redemptions of `loaded` with their states, in key order.
    pub fn entries(loaded: &JsValue) -> Result<Vec<Logged>, StoreError> {
        let keys = Array::from(&field(loaded, "keys"));
        let bodies = Array::from(&field(loaded, "bodies"));
        if keys.length() != bodies.length() {
            return Err(corrupt("the log's keys and records do not pair up"));
        }
        let mut states: HashMap<String, SyncState> = HashMap::new();
        for v in Array::from(&field(loaded, "states")).iter() {
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

    /// Adds (or replaces, when read again) one record.
    pub fn insert(&mut self, l: Logged) {
        let key = (l.redemption.device.0, l.redemption.seq);
        let (id, card, at, undoes) = (l.redemption.id, l.redemption.card, l.redemption.scanned_at, l.redemption.undoes);
        if l.state == SyncState::Pending {
            self.pending += 1;
        }
        self.by_id.insert(id, key);
        if let Some(old) = self.items.insert(key, l)
            && old.state == SyncState::Pending
        {
            self.pending -= 1;
        }
        match undoes {
            Some(undone) => {
                self.undone.insert(undone);
                self.last_again(card);
            }
            None if !self.undone.contains(&id) => {
                self.last_by_card.entry(card).and_modify(|t| *t = (*t).max(at)).or_insert(at);
            }
            None => {}
        }
    }

    /// Works out `card`'s last scan time again after one of its records was taken back (rare:
    /// reading the whole log is fine).
    fn last_again(&mut self, card: CardId) {
        let last = self
            .items
            .values()
            .map(|l| &l.redemption)
            .filter(|r| r.card == card && r.undoes.is_none() && !self.undone.contains(&r.id))
            .map(|r| r.scanned_at)
            .max();
        match last {
            Some(t) => self.last_by_card.insert(card, t),
            None => self.last_by_card.remove(&card),
        };
    }

    /// The device's last sequence number (0 before its first redemption).
    pub fn last_seq(&self, device: DeviceId) -> u64 {
        self.items.range((device.0, 0)..=(device.0, u64::MAX)).next_back().map_or(0, |(k, _)| k.1)
    }

    /// The device's records in the log, in order.
    pub fn of(&self, device: DeviceId) -> impl Iterator<Item = &Logged> + '_ {
        self.items.range((device.0, 0)..=(device.0, u64::MAX)).map(|(_, l)| l)
    }

    pub fn get(&self, id: &Uuid) -> Option<&Logged> {
        self.by_id.get(id).and_then(|k| self.items.get(k))
    }
}
