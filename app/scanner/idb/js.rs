//! The scanner's requests in IndexedDB, each added to a transaction the caller made (see
//! `storage::idb`) and waited for there: loading everything, reading what another tab
//! appended, appending with the next sequence number, and marking sync states.

use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function scanner_load(tx, out) {
  const ask = (field, r) => { r.onsuccess = () => { out[field] = r.result; }; };
  ask("keys", tx.objectStore("redemptions").getAllKeys());
  ask("bodies", tx.objectStore("redemptions").getAll());
  ask("states", tx.objectStore("sync_state").getAll());
  ask("enrollment", tx.objectStore("device").get("enrollment"));
  ask("register", tx.objectStore("register").get("copy"));
}
export function scanner_since(tx, device, after, out) {
  out.states = [];
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
}
export function scanner_append(tx, device, undoes, build) {
  const log = tx.objectStore("redemptions");
  const c = log.openKeyCursor(IDBKeyRange.bound([device, 0], [device, Infinity]), "prev");
  c.onsuccess = () => {
    const seq = (c.result ? c.result.key[1] : 0) + 1;
    let made;
    try { made = build(seq); } catch (_) { tx.abort(); return; }
    log.add(made[1], [device, seq]);
    tx.objectStore("sync_state").add({ id: made[0], state: "pending", reason: null, attempts: 0 });
    // A record is taken back once: a second correction of it fails here (ConstraintError).
    if (undoes != null) tx.objectStore("undone").add(made[0], undoes);
  };
}
export function scanner_mark(tx, changes) {
  const s = tx.objectStore("sync_state");
  for (const [id, state, reason] of JSON.parse(changes)) {
    const g = s.get(id);
    g.onsuccess = () => {
      const o = g.result;
      if (o === undefined || o.state === "pending") s.put({ id, state, reason, attempts: ((o && o.attempts) | 0) + 1 });
    };
  }
}
"#)]
extern "C" {
    /// Fills `out` with `keys`, `bodies`, `states`, `enrollment` and `register`.
    #[wasm_bindgen(catch)]
    pub fn scanner_load(tx: &JsValue, out: &Object) -> Result<(), JsValue>;
    /// Fills `out` with the `keys`, `bodies` and `states` of `device` after sequence number `after`.
    #[wasm_bindgen(catch)]
    pub fn scanner_since(tx: &JsValue, device: u32, after: f64, out: &Object) -> Result<(), JsValue>;
    /// Reads the device's last number and, in the same transaction, adds what `build(seq)`
    /// returns (`[id, body]`) as the next, pending; `undoes` names the record a correction takes back.
    #[wasm_bindgen(catch)]
    pub fn scanner_append(tx: &JsValue, device: u32, undoes: Option<String>, build: &Function) -> Result<(), JsValue>;
    /// Stores the sync states `changes` (JSON `[[id, state, reason], ..]`) of pending records.
    #[wasm_bindgen(catch)]
    pub fn scanner_mark(tx: &JsValue, changes: &str) -> Result<(), JsValue>;
}
