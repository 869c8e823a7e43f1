//! The one way to sync: [`sync`] uploads pending redemptions in batches, marks the answers and
//! pulls register pages; network errors, timeouts and 5xx are retried with exponential backoff
//! and jitter.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use kaiku_core::Redemption;
use kaiku_core::ids::DeviceId;
use kaiku_core::wire::{
    Cursor, ErrorBody, Flag, ItemOutcome, MAX_BATCH_ITEMS, Outcome, RegisterPage, UploadBatch, UploadResponse,
};
use reqwest::RequestBuilder;
use serde::de::DeserializeOwned;

use super::model::Marked;
use super::store::{ScannerStore, StoreError};

/// How often and how patiently a request is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all (at least one).
    pub attempts: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { attempts: 6, first_delay: Duration::from_millis(500), max_delay: Duration::from_secs(30) }
    }
}

impl RetryPolicy {
    /// The wait before try `n + 1` (n from 1): full jitter over an exponentially growing cap.
    pub fn delay(&self, n: u32) -> Duration {
        let cap = self.first_delay.saturating_mul(2u32.saturating_pow(n.saturating_sub(1))).min(self.max_delay);
        let random = std::collections::hash_map::RandomState::new().build_hasher().finish();
        let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(millis / 2 + random % (millis / 2 + 1))
    }
}

/// Why a sync round stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("this device is not enrolled")]
    NotEnrolled,
    #[error("no network connection ({0})")]
    Network(String),
    #[error("the server did not answer in time")]
    TimedOut,
    #[error("the server refused ({status}): {message}")]
    Refused { status: u16, message: String },
    #[error("server error ({0})")]
    Server(u16),
    /// Too many requests or a busy server (429, or 503 with `Retry-After`), still so after
    /// waiting as asked: nothing is lost; try again in `retry_after` seconds.
    #[error("the server is busy: try again in {retry_after} s")]
    Busy { retry_after: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A client of the sync server for the scanner.
#[derive(Debug, Clone)]
pub struct SyncClient {
    base: String,
    http: reqwest::Client,
    pub retry: RetryPolicy,
    /// Items per upload batch (at most the server's 1,000).
    pub batch_size: usize,
    /// Records per register page asked for (the server may send fewer).
    pub page_limit: Option<usize>,
    /// Sends upload batches zstd-compressed (the server accepts zstd and gzip).
    pub compress: bool,
    /// The longest `Retry-After` waited out before asking again; a longer one ends the round
    /// with [`SyncError::Busy`] (nothing is lost, the next round sends it).
    pub max_retry_after: Duration,
    /// How long one request may take before it is given up (and retried).
    timeout: Duration,
}

/// `Retry-After` waits for one request at most, so that a server that keeps saying "later"
/// does not hold a round forever.
const MAX_BUSY_WAITS: u32 = 10;

/// How long a request may take before it is given up and retried.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

fn http_client(timeout: Duration) -> reqwest::Client {
    #[cfg(not(target_arch = "wasm32"))]
    let http = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(10).min(timeout))
        // Let idle connections go before the server's header deadline (10 s) closes them.
        .pool_idle_timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_default();
    #[cfg(target_arch = "wasm32")]
    let http = {
        // The browser's fetch has no timeout of its own: `SyncClient::send` bounds each request.
        let _ = timeout;
        reqwest::Client::new()
    };
    http
}

/// Batches smaller than this go uncompressed.
const COMPRESS_FROM: usize = 2_048;

impl SyncClient {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            http: http_client(REQUEST_TIMEOUT),
            retry: RetryPolicy::default(),
            batch_size: MAX_BATCH_ITEMS,
            page_limit: None,
            compress: cfg!(not(target_arch = "wasm32")),
            max_retry_after: Duration::from_secs(30),
            timeout: REQUEST_TIMEOUT,
        }
    }

    /// Gives up on a request (and retries it) after `timeout` instead of the default minute.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.http = http_client(timeout);
        self.timeout = timeout;
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(super) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Sends the request `build` makes, retrying on network errors, 429 and 5xx.
    pub(super) async fn send<T: DeserializeOwned>(&self, build: impl Fn() -> RequestBuilder) -> Result<T, SyncError> {
        let mut n = 0;
        let mut waits = 0;
        loop {
            n += 1;
            let err = match self.once(build()).await {
                Ok(t) => return Ok(t),
                // The server said when to come back (refused before doing anything): wait that
                // long and ask again, without counting it as a failed try.
                Err(SyncError::Busy { retry_after })
                    if waits < MAX_BUSY_WAITS && Duration::from_secs(retry_after) <= self.max_retry_after =>
                {
                    waits += 1;
                    n -= 1;
                    crate::state::sleep_ms(u32::try_from(retry_after.saturating_mul(1000)).unwrap_or(u32::MAX)).await;
                    continue;
                }
                Err(e @ (SyncError::Network(_) | SyncError::TimedOut | SyncError::Server(_))) => e,
                Err(SyncError::Refused { status: 429, message }) => SyncError::Refused { status: 429, message },
                Err(e) => return Err(e),
            };
            if n >= self.retry.attempts.max(1) {
                return Err(err);
            }
            let wait = u32::try_from(self.retry.delay(n).as_millis()).unwrap_or(u32::MAX);
            crate::state::sleep_ms(wait).await;
        }
    }
}

impl SyncClient {
    /// One request, given up after the client's timeout (natively reqwest's own does it).
    async fn once<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T, SyncError> {
        #[cfg(target_arch = "wasm32")]
        {
            let ms = u32::try_from(self.timeout.as_millis()).unwrap_or(u32::MAX);
            crate::wait::within(ms, once(req)).await.unwrap_or(Err(SyncError::TimedOut))
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = self.timeout;
            once(req).await
        }
    }
}

async fn once<T: DeserializeOwned>(req: RequestBuilder) -> Result<T, SyncError> {
    let response = req.send().await.map_err(|e| SyncError::Network(e.to_string()))?;
    let status = response.status().as_u16();
    if response.status().is_success() {
        // A body cut half way is a network failure: the request is safe to repeat.
        let bytes = response.bytes().await.map_err(|e| SyncError::Network(e.to_string()))?;
        return serde_json::from_slice(&bytes).map_err(|_| SyncError::Server(status));
    }
    if let Some(retry_after) = crate::api::retry_after(&response) {
        return Err(SyncError::Busy { retry_after });
    }
    if status >= 500 {
        return Err(SyncError::Server(status));
    }
    let message = response.json::<ErrorBody>().await.map(|e| e.error).unwrap_or_default();
    Err(SyncError::Refused { status, message })
}

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncReport {
    pub batches: usize,
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    pub register_pages: usize,
    /// The most minutes the server said a scan time was ahead of its clock (flag
    /// `clock_ahead`): this device's clock is wrong and staff should set it right.
    pub clock_ahead: Option<u32>,
}

fn corrupt(e: impl std::fmt::Display) -> SyncError {
    SyncError::Store(StoreError::Corrupt(e.to_string()))
}

/// The body of one upload batch: JSON, zstd-compressed when large (native only).
fn batch_body(client: &SyncClient, json: Vec<u8>) -> Result<(Vec<u8>, bool), SyncError> {
    #[cfg(not(target_arch = "wasm32"))]
    if client.compress && json.len() >= COMPRESS_FROM {
        let z = zstd::encode_all(json.as_slice(), 3).map_err(|e| SyncError::Network(e.to_string()))?;
        return Ok((z, true));
    }
    let _ = (client, COMPRESS_FROM);
    Ok((json, false))
}

/// Sends one batch (any number of times: the server stores each item once) and returns the
/// server's answer. Holds no storage: a UI can keep recording while this waits on the network.
pub async fn send_batch(client: &SyncClient, token: &str, items: Vec<Redemption>) -> Result<UploadResponse, SyncError> {
    let json = serde_json::to_vec(&UploadBatch { items }).map_err(corrupt)?;
    let (body, zstd) = batch_body(client, json)?;
    let url = client.url("/api/v1/redemptions/batch");
    client
        .send(|| {
            let req =
                client.http().post(&url).bearer_auth(token).header(reqwest::header::CONTENT_TYPE, "application/json");
            let req = if zstd { req.header(reqwest::header::CONTENT_ENCODING, "zstd") } else { req };
            req.body(body.clone())
        })
        .await
}

/// Fetches the register page after `cursor`.
pub async fn fetch_page(client: &SyncClient, token: &str, cursor: Cursor) -> Result<RegisterPage, SyncError> {
    let mut url = format!("{}?cursor={}", client.url("/api/v1/register"), cursor.0);
    if let Some(l) = client.page_limit {
        url.push_str(&format!("&limit={l}"));
    }
    client.send(|| client.http().get(&url).bearer_auth(token)).await
}

impl SyncReport {
    /// Adds what marking one answered batch did.
    pub fn add(&mut self, m: Marked) -> Result<(), SyncError> {
        self.batches += 1;
        self.accepted += m.accepted;
        self.duplicate += m.duplicate;
        self.rejected += m.rejected;
        if m.accepted + m.duplicate + m.rejected == 0 {
            // The server answered none of them: stop rather than loop.
            return Err(SyncError::Server(200));
        }
        Ok(())
    }
}

/// Whether an upload for `device` should give up on it and go on with the next device: the
/// server no longer takes the token of a device this one was before an un-enrollment (its
/// redemptions stay pending, shown). Any other failure ends the round.
fn skip_device(e: &SyncError, device: DeviceId, current: Option<DeviceId>) -> bool {
    Some(device) != current && matches!(e, SyncError::Refused { status: 401 | 403, .. })
}

/// One sync round: uploads each device's pending redemptions (this one's, and what it recorded
/// under an earlier enrollment) in batches with that device's token until none is left, then
/// pulls register pages from the stored cursor until the copy is up to date.
///
/// The store is asked only between network steps and holds nothing across them, so the door
/// keeps recording while a round waits on the network; what it records during an upload goes
/// in the same round.
pub async fn sync<S: ScannerStore + ?Sized>(store: &S, client: &SyncClient) -> Result<SyncReport, SyncError> {
    let enrolled = store.enrollment().await?.and_then(|e| Some((e.device, e.token?)));
    let current = enrolled.as_ref().map(|(device, _)| *device);
    let mut report = SyncReport::default();
    for device in store.pending_devices().await? {
        let Some(token) = store.token_for(device).await? else { continue };
        loop {
            let items = store.pending_of(device, client.batch_size.clamp(1, MAX_BATCH_ITEMS)).await?;
            if items.is_empty() {
                break;
            }
            let answer = match send_batch(client, &token, items.clone()).await {
                Ok(a) => a,
                Err(e) if skip_device(&e, device, current) => break,
                Err(e) => return Err(e),
            };
            report.clock_ahead = report.clock_ahead.max(clock_ahead(&answer.outcomes));
            report.add(store.mark(&items, &answer.outcomes).await?)?;
        }
    }
    let (_, token) = enrolled.ok_or(SyncError::NotEnrolled)?;
    loop {
        let page = fetch_page(client, &token, store.register().meta.cursor).await?;
        store.apply_page(&page).await?;
        report.register_pages += 1;
        if !page.more {
            return Ok(report);
        }
    }
}

/// The most minutes any accepted item was flagged ahead of the server's clock.
fn clock_ahead(outcomes: &[ItemOutcome]) -> Option<u32> {
    outcomes
        .iter()
        .filter_map(|o| match &o.outcome {
            Outcome::Accepted { flags } => flags.iter().find_map(|f| match f {
                Flag::ClockAhead { minutes } => Some(*minutes),
                _ => None,
            }),
            _ => None,
        })
        .max()
}
