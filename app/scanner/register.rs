//! The device's register copy, the same on every platform: the compact cards and where the copy
//! is in the server's change stream, held as a snapshot that the door's lookups borrow without
//! copying while a sync replaces it page by page.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use chrono::{DateTime, Utc};
use kaiku_core::CardId;
use kaiku_core::KeySet;
use kaiku_core::keys::TrustedKeys;
use kaiku_core::verdict::{RegisterEntry, RegisterLookup};
use kaiku_core::wire::{Cursor, RegisterPage};

use super::compact::CompactRegister;
use super::store::StoreError;

/// Pages applied in memory before the copy is saved again during a long pull.
const SAVE_EVERY: u32 = 32;

/// Where the register copy is in the server's change stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterMeta {
    pub cursor: Cursor,
    /// When the copy was last complete (the last page of a pull); `None` before the first.
    pub as_of: Option<DateTime<Utc>>,
    /// The keys this device trusts (roots from enrollment, then endorsed ones), the retirements
    /// it knows, and what the latest page offered that it refused.
    pub keys: TrustedKeys,
}

impl Default for RegisterMeta {
    fn default() -> Self {
        Self { cursor: Cursor(0), as_of: None, keys: TrustedKeys::default() }
    }
}

impl RegisterMeta {
    /// The meta after `page`: its cursor, `as_of` only on a last page, and the keys a trusted
    /// key endorsed and the retirements a trusted key signed. Anything else is refused (and
    /// logged); the trusted set stays. A device that trusts no key yet takes the page's as roots.
    pub fn after(&self, page: &RegisterPage) -> Self {
        let keys = if self.keys.is_empty() {
            TrustedKeys::enroll(&page.keys, &page.retirements)
        } else {
            self.keys.learn(&page.keys, &page.endorsements, &page.retirements)
        };
        // Said once, not on every page of a pull that carries the same keys.
        for r in keys.refused.iter().filter(|r| !self.keys.refused.contains(r)) {
            let what = if r.retirement { "retirement of key" } else { "key" };
            dioxus::logger::tracing::warn!("refused the {what} {} offered by the server: {}", r.key_id, r.why);
        }
        Self { cursor: page.next, as_of: if page.more { self.as_of } else { Some(page.as_of) }, keys }
    }
}

/// The register copy: the cards and their meta, saved together so that a saved cursor always
/// matches the saved cards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterCopy {
    pub cards: CompactRegister,
    pub meta: RegisterMeta,
}

impl RegisterCopy {
    /// Applies one page: a snapshot's first page empties the copy.
    pub fn apply(&mut self, page: &RegisterPage) {
        if page.snapshot {
            self.cards.clear();
        }
        self.cards.apply(&page.records);
        self.meta = self.meta.after(page);
    }

    /// The public keys the device verifies credentials with, and the retired ones.
    pub fn key_set(&self) -> Result<KeySet, StoreError> {
        Ok(self.meta.keys.key_set()?)
    }
}

impl RegisterLookup for RegisterCopy {
    fn lookup(&self, card: &CardId) -> Option<RegisterEntry> {
        self.cards.get(card)
    }
}

/// A backend's register copy: handed out as a snapshot, changed in place when no snapshot is
/// held (the door holds one only for a synchronous decision), and saved every few pages.
#[derive(Debug, Default)]
pub struct RegisterSlot {
    copy: RefCell<Rc<RegisterCopy>>,
    /// Pages applied since the last save.
    unsaved: Cell<u32>,
}

impl RegisterSlot {
    pub fn new(copy: RegisterCopy) -> Self {
        Self { copy: RefCell::new(Rc::new(copy)), unsaved: Cell::new(0) }
    }

    /// The copy as it is now.
    pub fn get(&self) -> Rc<RegisterCopy> {
        Rc::clone(&self.copy.borrow())
    }

    /// Applies `page`; returns the copy to save when it is due (the last page of a pull, and
    /// every few pages of a long one). The caller saves it, then calls [`RegisterSlot::saved`].
    pub fn apply(&self, page: &RegisterPage) -> Option<Rc<RegisterCopy>> {
        Rc::make_mut(&mut self.copy.borrow_mut()).apply(page);
        self.unsaved.set(self.unsaved.get() + 1);
        (!page.more || self.unsaved.get() >= SAVE_EVERY).then(|| self.get())
    }

    /// The copy with `keys` as the trusted ones (as received at enrollment: the roots), to save.
    pub fn with_keys(&self, keys: &TrustedKeys) -> RegisterCopy {
        let mut copy = RegisterCopy::clone(&self.copy.borrow());
        copy.meta.keys = keys.clone();
        copy
    }

    /// Takes `copy` as the current one, saved.
    pub fn set(&self, copy: RegisterCopy) {
        *self.copy.borrow_mut() = Rc::new(copy);
        self.saved();
    }

    /// The copy handed out by [`RegisterSlot::apply`] is on disk.
    pub fn saved(&self) {
        self.unsaved.set(0);
    }
}
