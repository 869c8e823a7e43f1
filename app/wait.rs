//! Waiting on more than one thing on the UI's thread: the first of two futures, a future with a
//! time limit, and an inbox of commands that wakes the task waiting on it.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::task::{Poll, Waker};

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

/// Commands from the UI to one waiting task (a camera's loop), taken in the order sent.
#[derive(Debug)]
pub struct Inbox<T> {
    inner: RefCell<(Vec<T>, Option<Waker>)>,
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Self { inner: RefCell::new((Vec::new(), None)) }
    }
}

impl<T> Inbox<T> {
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
