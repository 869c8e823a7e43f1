//! Decoding off the UI thread, one frame at a time: the camera puts each frame into a
//! single-slot mailbox, replacing any frame not yet taken, so the decoder always works on the
//! newest frame and stale frames are dropped instead of queued.

use std::sync::{Arc, Condvar, Mutex, PoisonError};

#[derive(Debug)]
struct Slot<T> {
    item: Option<T>,
    closed: bool,
    dropped: u64,
}

/// A single-slot mailbox shared between a producer (the camera) and a consumer (the decoder).
#[derive(Debug)]
pub struct Mailbox<T> {
    inner: Arc<(Mutex<Slot<T>>, Condvar)>,
}

impl<T> Clone for Mailbox<T> {
    fn clone(&self) -> Self {
        Self { inner: Arc::clone(&self.inner) }
    }
}

impl<T> Default for Mailbox<T> {
    fn default() -> Self {
        Self { inner: Arc::new((Mutex::new(Slot { item: None, closed: false, dropped: 0 }), Condvar::new())) }
    }
}

impl<T> Mailbox<T> {
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Slot<T>> {
        // A panic elsewhere leaves the slot consistent: keep going.
        self.inner.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Puts the newest item; returns `true` if it replaced one never taken (now dropped).
    pub fn put(&self, item: T) -> bool {
        let mut slot = self.slot();
        let replaced = slot.item.replace(item).is_some();
        if replaced {
            slot.dropped += 1;
        }
        drop(slot);
        self.inner.1.notify_one();
        replaced
    }

    /// The newest item without waiting, if there is one.
    pub fn try_take(&self) -> Option<T> {
        self.slot().item.take()
    }

    /// Waits for the newest item; `None` once the mailbox is closed and empty.
    pub fn take(&self) -> Option<T> {
        let mut slot = self.slot();
        loop {
            if let Some(item) = slot.item.take() {
                return Some(item);
            }
            if slot.closed {
                return None;
            }
            slot = self.inner.1.wait(slot).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// No more items will come: a waiting consumer wakes up and ends.
    pub fn close(&self) {
        self.slot().closed = true;
        self.inner.1.notify_all();
    }

    /// How many items were replaced before anyone took them.
    pub fn dropped(&self) -> u64 {
        self.slot().dropped
    }
}

/// Starts a decoder thread: it scans the newest frame from `frames` and hands each result to
/// `on_scan`, until the mailbox is closed. (Native only; the web build decodes in a worker.)
#[cfg(not(target_arch = "wasm32"))]
pub fn spawn_decoder(
    frames: Mailbox<super::Frame>,
    mut on_scan: impl FnMut(Option<super::Scan>) + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new().name("kaiku-decoder".into()).spawn(move || {
        while let Some(frame) = frames.take() {
            on_scan(super::scan_frame(&frame));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_items_are_dropped_and_the_newest_is_taken() {
        let mailbox = Mailbox::new();
        assert!(!mailbox.put(1));
        assert!(mailbox.put(2));
        assert!(mailbox.put(3));
        assert_eq!(mailbox.take(), Some(3));
        assert_eq!(mailbox.try_take(), None);
        assert_eq!(mailbox.dropped(), 2);
        mailbox.close();
        assert_eq!(mailbox.take(), None);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_busy_decoder_sees_only_the_newest_frame() {
        use std::sync::mpsc::channel;

        use crate::camera::Frame;
        let frames = Mailbox::new();
        let (done_tx, done_rx) = channel();
        let (go_tx, go_rx) = channel::<()>();
        let decoder = spawn_decoder(frames.clone(), move |scan| {
            // The first decode is slow: it waits until the camera has sent its whole burst.
            let _ = go_rx.recv();
            done_tx.send(scan).expect("listening");
        })
        .expect("spawns");
        for i in 0..50u8 {
            frames.put(Frame::new(vec![i; 32 * 24], 32, 24).expect("frame"));
        }
        go_tx.send(()).expect("decoder waits");
        drop(go_tx);
        frames.close();
        decoder.join().expect("decoder ends");
        let decoded = done_rx.iter().count() as u64;
        // At most the frame it was busy with and the newest one; the rest were never queued.
        assert!((1..=2).contains(&decoded), "decoded {decoded}");
        assert_eq!(decoded + frames.dropped(), 50);
    }
}
