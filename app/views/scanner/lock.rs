//! A tiny async lock for the scanner's store, for one thread (the UI's): a task takes the store
//! out of its slot and puts it back when its guard drops, so the door can record while a sync
//! waits on the network, and two store steps never overlap (IndexedDB calls really wait).

use std::cell::RefCell;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::pin;
use std::task::{Poll, Waker};

use crate::scanner::{ScannerStore, SharedStore};

/// The store, lent to one task at a time.
pub struct StoreLock {
    slot: RefCell<Option<SharedStore>>,
    waiters: RefCell<Vec<Waker>>,
}

impl std::fmt::Debug for StoreLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let free = self.slot.try_borrow().map(|s| s.is_some()).unwrap_or(false);
        f.debug_struct("StoreLock").field("free", &free).finish_non_exhaustive()
    }
}

impl StoreLock {
    pub fn new(store: SharedStore) -> Self {
        Self { slot: RefCell::new(Some(store)), waiters: RefCell::new(Vec::new()) }
    }

    /// Waits until the store is free and takes it; it returns when the guard drops.
    pub async fn lock(&self) -> StoreGuard<'_> {
        std::future::poll_fn(|cx| match self.slot.borrow_mut().take() {
            Some(store) => Poll::Ready(StoreGuard { lock: self, store: Some(store) }),
            None => {
                self.waiters.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        })
        .await
    }
}

/// The store while one task holds it.
pub struct StoreGuard<'a> {
    lock: &'a StoreLock,
    store: Option<SharedStore>,
}

impl std::fmt::Debug for StoreGuard<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreGuard").finish_non_exhaustive()
    }
}

impl Deref for StoreGuard<'_> {
    type Target = dyn ScannerStore;
    fn deref(&self) -> &Self::Target {
        // Present from creation until drop.
        match &self.store {
            Some(s) => s.as_ref(),
            None => unreachable!("a guard holds its store until it drops"),
        }
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match &mut self.store {
            Some(s) => s.as_mut(),
            None => unreachable!("a guard holds its store until it drops"),
        }
    }
}

impl Drop for StoreGuard<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            *self.lock.slot.borrow_mut() = Some(store);
        }
        let waiters = std::mem::take(&mut *self.lock.waiters.borrow_mut());
        for w in waiters {
            w.wake();
        }
    }
}

/// Which of two futures finished first.
#[derive(Debug)]
pub enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Runs two futures until the first finishes; the other is dropped.
pub async fn race<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(x) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(x));
        }
        if let Poll::Ready(y) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(y));
        }
        Poll::Pending
    })
    .await
}

/// `fut`, or `None` after `ms` milliseconds (the browser's fetch has no timeout of its own).
pub async fn within<F: Future>(ms: u32, fut: F) -> Option<F::Output> {
    match race(fut, crate::state::sleep_ms(ms)).await {
        Either::Left(x) => Some(x),
        Either::Right(()) => None,
    }
}

/// A wake-up call from the UI to a waiting task (the camera's loop), carrying commands.
#[derive(Debug)]
pub struct Mailbox<T> {
    inner: RefCell<(Vec<T>, Option<Waker>)>,
}

impl<T> Default for Mailbox<T> {
    fn default() -> Self {
        Self { inner: RefCell::new((Vec::new(), None)) }
    }
}

impl<T> Mailbox<T> {
    pub fn send(&self, t: T) {
        let mut inner = self.inner.borrow_mut();
        inner.0.push(t);
        if let Some(w) = inner.1.take() {
            w.wake();
        }
    }

    /// Waits for the next command.
    pub async fn next(&self) -> T {
        std::future::poll_fn(|cx| {
            let mut inner = self.inner.borrow_mut();
            if inner.0.is_empty() {
                inner.1 = Some(cx.waker().clone());
                Poll::Pending
            } else {
                Poll::Ready(inner.0.remove(0))
            }
        })
        .await
    }
}
