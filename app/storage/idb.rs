//! IndexedDB for everything the app keeps in the browser (the holder's vault, the scanner's
//! store): a database opened once per page by name and version, its object stores made on
//! upgrade; a connection that closes when another tab asks for a newer version, so that tab can
//! upgrade (this page opens it again on its next call); writes in transactions with durability
//! `"strict"`, on disk when they complete; and errors that keep the DOMException's name.
//!
//! rexie and web-sys (without an unstable cfg) cannot ask for strict durability, hence the JS.

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
const opened = new Map();
function named(name, message) { const e = new Error(message); e.name = name; return e; }
export function idb_open(name, version, stores) {
  let p = opened.get(name);
  if (!p) {
    p = new Promise((ok, no) => {
      const r = indexedDB.open(name, version);
      r.onupgradeneeded = () => {
        const d = r.result;
        for (const [s, keyPath] of stores) {
          if (!d.objectStoreNames.contains(s)) d.createObjectStore(s, keyPath ? { keyPath } : undefined);
        }
      };
      r.onsuccess = () => {
        const d = r.result;
        d.onversionchange = () => { d.close(); if (opened.get(name) === p) opened.delete(name); };
        ok(d);
      };
      r.onerror = () => no(r.error);
      r.onblocked = () => no(named("Blocked", "the storage is held open by another tab"));
    });
    p.catch(() => { if (opened.get(name) === p) opened.delete(name); });
    opened.set(name, p);
  }
  return p;
}
export function idb_tx(d, stores, write) {
  return write ? d.transaction(stores, "readwrite", { durability: "strict" }) : d.transaction(stores, "readonly");
}
export function idb_done(tx) {
  return new Promise((ok, no) => {
    tx.oncomplete = () => ok();
    tx.onabort = () => no(tx.error ?? named("AbortError", "the transaction was aborted"));
  });
}
export function idb_get(tx, store, key, out, field) {
  const r = tx.objectStore(store).get(key);
  r.onsuccess = () => { out[field] = r.result; };
}
export function idb_put(tx, store, key, value) { tx.objectStore(store).put(value, key); }
export function idb_delete(tx, store, key) { tx.objectStore(store).delete(key); }
"#)]
extern "C" {
    fn idb_open(name: &str, version: u32, stores: &Array) -> Promise;
    #[wasm_bindgen(catch)]
    fn idb_tx(d: &JsValue, stores: &Array, write: bool) -> Result<JsValue, JsValue>;
    fn idb_done(tx: &JsValue) -> Promise;
    #[wasm_bindgen(catch)]
    fn idb_get(tx: &JsValue, store: &str, key: &str, out: &Object, field: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch)]
    fn idb_put(tx: &JsValue, store: &str, key: &str, value: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch)]
    fn idb_delete(tx: &JsValue, store: &str, key: &str) -> Result<(), JsValue>;
}

/// A failure of IndexedDB: the DOMException's (or error's) name, such as `ConstraintError` or
/// `QuotaExceededError`, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdbError {
    pub name: String,
    pub message: String,
}

impl std::fmt::Display for IdbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.name.is_empty(), self.message.is_empty()) {
            (false, false) => write!(f, "{}: {}", self.name, self.message),
            (false, true) => f.write_str(&self.name),
            _ => f.write_str(&self.message),
        }
    }
}

impl From<JsValue> for IdbError {
    fn from(e: JsValue) -> Self {
        let field = |k: &str| Reflect::get(&e, &JsValue::from_str(k)).ok().and_then(|v| v.as_string());
        match field("message") {
            Some(message) => Self { name: field("name").unwrap_or_default(), message },
            None => Self {
                name: String::new(),
                message: e
                    .as_string()
                    .or_else(|| js_sys::JSON::stringify(&e).ok().map(String::from))
                    .unwrap_or_default(),
            },
        }
    }
}

/// One database: its name, its version and the object stores that version has (name, and the
/// key path of a store whose values carry their key). A new version only adds stores.
#[derive(Debug, Clone)]
pub struct Idb {
    pub name: String,
    pub version: u32,
    pub stores: &'static [(&'static str, Option<&'static str>)],
}

fn names(stores: &[&str]) -> Array {
    stores.iter().map(|s| JsValue::from_str(s)).collect()
}

impl Idb {
    /// The open connection (opened on the first call, and again after another tab upgraded).
    async fn connection(&self) -> Result<JsValue, IdbError> {
        let stores: Array = self
            .stores
            .iter()
            .map(|(s, key_path)| {
                let key_path = key_path.map_or(JsValue::NULL, JsValue::from_str);
                JsValue::from(Array::of2(&JsValue::from_str(s), &key_path))
            })
            .collect::<Array>();
        Ok(JsFuture::from(idb_open(&self.name, self.version, &stores)).await?)
    }

    /// Opens the database now (making or upgrading it), so that a failure shows at start.
    pub async fn open(&self) -> Result<(), IdbError> {
        self.connection().await.map(|_| ())
    }

    /// A transaction over `stores`; a `write` one is strict (on disk when it completes).
    pub async fn transaction(&self, stores: &[&str], write: bool) -> Result<Tx, IdbError> {
        let d = self.connection().await?;
        // Made and watched in one go: nothing awaits between, so the transaction stays active.
        let raw = idb_tx(&d, &names(stores), write)?;
        let done = idb_done(&raw);
        Ok(Tx { raw, done })
    }
}

/// A transaction: requests are added to it without awaiting, then [`Tx::done`] waits for it.
#[derive(Debug)]
pub struct Tx {
    pub raw: JsValue,
    done: Promise,
}

impl Tx {
    /// Asks for `key` of `store`; after [`Tx::done`], `out[field]` holds the value (absent if none).
    pub fn get(&self, store: &str, key: &str, out: &Object, field: &str) -> Result<(), IdbError> {
        Ok(idb_get(&self.raw, store, key, out, field)?)
    }

    pub fn put(&self, store: &str, key: &str, value: &JsValue) -> Result<(), IdbError> {
        Ok(idb_put(&self.raw, store, key, value)?)
    }

    pub fn delete(&self, store: &str, key: &str) -> Result<(), IdbError> {
        Ok(idb_delete(&self.raw, store, key)?)
    }

    /// Waits until the transaction completes (a write: is on disk) or aborts.
    pub async fn done(self) -> Result<(), IdbError> {
        JsFuture::from(self.done).await.map(|_| ()).map_err(IdbError::from)
    }
}

/// `obj[key]`, or undefined.
pub fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
