//! The async twin of `Mailbox` that carries scans from the decoder thread to the UI.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

/// The async twin of `Mailbox`: one slot holding the newest item, taken by one task that
/// awaits it (the UI's `next_scan`), put by a thread.
pub(super) struct AsyncSlot<T> {
    inner: Arc<Mutex<SlotState<T>>>,
}

struct SlotState<T> {
    item: Option<T>,
    closed: bool,
    waker: Option<Waker>,
}

impl<T> Default for AsyncSlot<T> {
    fn default() -> Self {
        Self { inner: Arc::new(Mutex::new(SlotState { item: None, closed: false, waker: None })) }
    }
}

impl<T> Clone for AsyncSlot<T> {
    fn clone(&self) -> Self {
        Self { inner: Arc::clone(&self.inner) }
    }
}

impl<T> AsyncSlot<T> {
    fn state(&self) -> MutexGuard<'_, SlotState<T>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Puts the newest item, replacing one not yet taken; ignored once closed.
    pub(super) fn put(&self, item: T) {
        let mut state = self.state();
        if state.closed {
            return;
        }
        state.item = Some(item);
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// No more items: the taker gets the one left, then `None`.
    pub(super) fn close(&self) {
        let mut state = self.state();
        state.closed = true;
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Drops an item not yet taken.
    pub(super) fn clear(&self) {
        self.state().item = None;
    }

    fn poll_take(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut state = self.state();
        if let Some(item) = state.item.take() {
            return Poll::Ready(Some(item));
        }
        if state.closed {
            return Poll::Ready(None);
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
    }

    /// Waits for the newest item; `None` once closed and empty.
    pub(super) async fn take(&self) -> Option<T> {
        std::future::poll_fn(|cx| self.poll_take(cx)).await
    }
}
