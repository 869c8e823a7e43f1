//! How the browser store's records look in IndexedDB: the enrollment as JSON text, the register
//! copy as `{cursor, as_of, keys, cards}`, sync states as `{id, state, reason, attempts}`; and
//! reading JS values back strictly (a record that does not read is corrupt, never guessed).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use js_sys::{Object, Reflect, Uint8Array};
use kaiku_core::ids::{DeviceId, VenueId};
use kaiku_core::wire::{Cursor, Offer};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use crate::scanner::compact::CompactRegister;
use crate::scanner::model::{Enrollment, SyncState};
use crate::scanner::register::{RegisterCopy, RegisterMeta};
use crate::scanner::store::StoreError;
use crate::storage::idb::{IdbError, field};

/// Sequence numbers are IndexedDB keys, i.e. JS numbers: exact up to 2^53.
pub const MAX_SEQ: u64 = 1 << 53;

pub fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

pub fn backend(e: impl Into<IdbError>) -> StoreError {
    StoreError::Backend(e.into().to_string())
}

pub fn text(obj: &JsValue, key: &str) -> Result<String, StoreError> {
    field(obj, key).as_string().ok_or_else(|| corrupt(format!("{key} is not text")))
}

/// A whole number stored as a JS number.
pub fn whole(v: &JsValue, max: u64) -> Option<u64> {
    let f = v.as_f64()?;
    // In range and whole, so the conversion is exact.
    (f >= 0.0 && f <= max as f64 && f.fract() == 0.0).then_some(f as u64)
}

pub fn state_key(s: &SyncState) -> (&'static str, Option<&str>) {
    match s {
        SyncState::Pending => ("pending", None),
        SyncState::Accepted => ("accepted", None),
        SyncState::Duplicate => ("duplicate", None),
        SyncState::Rejected { reason } => ("rejected", Some(reason)),
    }
}

pub fn state_from(v: &JsValue) -> Result<SyncState, StoreError> {
    Ok(match text(v, "state")?.as_str() {
        "pending" => SyncState::Pending,
        "accepted" => SyncState::Accepted,
        "duplicate" => SyncState::Duplicate,
        "rejected" => SyncState::Rejected { reason: field(v, "reason").as_string().unwrap_or_default() },
        other => return Err(corrupt(format!("unknown sync state {other:?}"))),
    })
}

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

/// The stored text of enrollment `e`, with `tokens` (every enrollment's) and its own.
pub fn enrollment_text(e: &Enrollment, tokens: &BTreeMap<u32, String>) -> Result<String, StoreError> {
    let mut tokens = tokens.clone();
    if let Some(t) = &e.token {
        tokens.insert(e.device.0, t.clone());
    }
    let stored = StoredEnrollment {
        device: e.device,
        token: e.token.clone(),
        venue: e.venue,
        venue_name: e.venue_name.clone(),
        offers: e.offers.clone(),
        tokens,
    };
    serde_json::to_string(&stored).map_err(corrupt)
}

/// The stored enrollment and the tokens of every enrollment.
pub fn read_enrollment(loaded: &JsValue) -> Result<(Option<Enrollment>, BTreeMap<u32, String>), StoreError> {
    let v = field(loaded, "enrollment");
    if v.is_undefined() || v.is_null() {
        return Ok((None, BTreeMap::new()));
    }
    let json = v.as_string().ok_or_else(|| corrupt("the enrollment is not text"))?;
    let e: StoredEnrollment = serde_json::from_str(&json).map_err(|e| corrupt(format!("the enrollment: {e}")))?;
    let mut tokens = e.tokens;
    if let Some(t) = &e.token {
        tokens.entry(e.device.0).or_insert_with(|| t.clone());
    }
    let e = Enrollment { device: e.device, token: e.token, venue: e.venue, venue_name: e.venue_name, offers: e.offers };
    Ok((Some(e), tokens))
}

/// The register record: `{cursor, as_of, keys, cards}`.
pub fn register_record(copy: &RegisterCopy) -> Result<JsValue, StoreError> {
    let o = Object::new();
    let meta = &copy.meta;
    let keys = serde_json::to_string(&meta.keys).map_err(corrupt)?;
    // A copy of its own: a view into wasm memory would store all of that memory.
    let cards = Uint8Array::from(copy.cards.encode().as_slice());
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

pub fn read_register(loaded: &JsValue) -> Result<RegisterCopy, StoreError> {
    let v = field(loaded, "register");
    if v.is_undefined() || v.is_null() {
        return Ok(RegisterCopy::default());
    }
    let cursor = text(&v, "cursor")?.parse::<u64>().map_err(|e| corrupt(format!("the register cursor: {e}")))?;
    let as_of = field(&v, "as_of");
    let as_of = if as_of.is_null() || as_of.is_undefined() {
        None
    } else {
        let t = as_of.as_string().ok_or_else(|| corrupt("the register date is not text"))?;
        Some(t.parse::<DateTime<Utc>>().map_err(|e| corrupt(format!("the register date: {e}")))?)
    };
    let keys = serde_json::from_str(&text(&v, "keys")?).map_err(|e| corrupt(format!("the stored keys: {e}")))?;
    let cards = field(&v, "cards").dyn_into::<Uint8Array>().map_err(|_| corrupt("the register cards are not bytes"))?;
    let cards = CompactRegister::decode(&cards.to_vec())?;
    Ok(RegisterCopy { cards, meta: RegisterMeta { cursor: Cursor(cursor), as_of, keys } })
}
