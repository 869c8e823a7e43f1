//! Per-address and per-token rate limits, in memory: token buckets keyed by the client's address
//! (an IPv6 /64 counts as one) on the routes that need no token, and by the bearer token on the
//! others. Per process: a restart or a second server process starts with full buckets, which
//! is fine for limits meant to blunt floods (sign-in failures are counted in the store).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::config::Settings;
use crate::error::ApiError;
use crate::throttle::address_key;

/// Keys kept at most; past this, buckets that have filled up again are dropped, and if that is
/// not enough all are (forgetting a limit for a moment beats refusing everyone new).
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets: `burst` requests at once, refilled at `per_minute`.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<Vec<u8>, Bucket>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        Self {
            per_second: f64::from(per_minute.max(1)) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `key`'s bucket at `now`, or says how long until one is there.
    pub fn check(&self, key: &[u8], now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            buckets.retain(|_, b| self.level(b, now) < self.burst);
            if buckets.len() >= MAX_KEYS {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(key.to_vec()).or_insert(Bucket { tokens: self.burst, at: now });
        bucket.tokens = self.level(bucket, now);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / self.per_second))
        }
    }

    fn level(&self, b: &Bucket, now: Instant) -> f64 {
        (b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * self.per_second).min(self.burst)
    }
}

/// The operations that need no token and change something (sign-in, invitation acceptance,
/// activation, refresh, enrollment), read from the OpenAPI document so that a new public
/// route is limited without being listed here: (method, path template).
fn public_operations() -> Vec<(Method, Vec<String>)> {
    let doc: serde_json::Value = serde_json::from_str(crate::openapi::json()).unwrap_or_default();
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            if op.get("security").is_none() {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap_or(Method::POST);
                found.push((method, path.split('/').map(str::to_owned).collect()));
            }
        }
    }
    found
}

fn matches(template: &[String], path: &str) -> bool {
    let mut segments = path.split('/');
    let all = template.iter().all(|t| segments.next().is_some_and(|s| s == t || t.starts_with('{')));
    all && segments.next().is_none()
}

/// The rate limits of one server, shared by its requests.
#[derive(Debug)]
pub struct Limits {
    public: Vec<(Method, Vec<String>)>,
    by_address: RateLimiter,
    by_token: RateLimiter,
    /// Requests to public routes under way, from all addresses together: a flood from many
    /// addresses still leaves the database writer to the devices' uploads.
    public_in_flight: Arc<Semaphore>,
}

impl Limits {
    pub fn new(settings: &Settings) -> Self {
        Self {
            public: public_operations(),
            by_address: RateLimiter::new(settings.public_requests_per_minute, settings.public_burst),
            by_token: RateLimiter::new(settings.token_requests_per_minute, settings.token_burst),
            public_in_flight: Arc::new(Semaphore::new(settings.public_max_in_flight)),
        }
    }

    /// Whether `method path` is a route that needs no token and is limited by address.
    pub fn is_public(&self, method: &Method, path: &str) -> bool {
        self.public.iter().any(|(m, t)| m == method && matches(t, path))
    }
}

fn retry_after(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

fn rate_limited(wait: Duration) -> Response {
    let secs = retry_after(wait).max(1);
    ApiError::Throttled {
        code: "rate_limited",
        message: format!("too many requests from this address or token: try again in {secs} s"),
        retry_after: secs,
    }
    .into_response()
}

/// Applies the limits: a public route by address (and the shared cap of public requests at
/// once), any other request with a bearer token by that token. Answers 429 `rate_limited` or
/// 503 `overloaded`, both with `Retry-After`.
pub async fn limit(limits: Arc<Limits>, req: Request, next: Next) -> Response {
    let now = Instant::now();
    if limits.is_public(req.method(), req.uri().path()) {
        let address: Option<IpAddr> = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        if let Err(wait) = limits.by_address.check(&address_key(address), now) {
            return rate_limited(wait);
        }
        let Ok(_permit) = limits.public_in_flight.clone().try_acquire_owned() else {
            return ApiError::Unavailable {
                code: "overloaded",
                message: "the server is busy with other sign-ins, activations and enrollments: try again in a moment"
                    .into(),
                retry_after: 1,
            }
            .into_response();
        };
        return next.run(req).await;
    }
    if let Some(token) = req.headers().get(header::AUTHORIZATION) {
        // Keyed by a hash of the whole token, so that nobody can use up another's bucket by
        // sending its id with a wrong secret.
        let key = Sha256::digest(token.as_bytes());
        if let Err(wait) = limits.by_token.check(&key, now) {
            return rate_limited(wait);
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_the_rate() {
        let limiter = RateLimiter::new(60, 3);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(b"a", t0), Ok(()));
        }
        let wait = limiter.check(b"a", t0).expect_err("the fourth at once waits");
        assert_eq!(retry_after(wait), 1);
        assert_eq!(limiter.check(b"b", t0), Ok(()), "another key has its own bucket");
        assert_eq!(limiter.check(b"a", t0 + Duration::from_millis(1_001)), Ok(()));
        assert!(limiter.check(b"a", t0 + Duration::from_millis(1_002)).is_err());
    }

    #[test]
    fn the_public_routes_are_the_token_free_ones_that_change_something() {
        let limits = Limits::new(&Settings::default());
        for path in ["/api/v1/activate", "/api/v1/holder/refresh", "/api/v1/devices/enroll", "/api/v1/auth/sign-in"] {
            assert!(limits.is_public(&Method::POST, path), "{path}");
        }
        assert!(limits.is_public(&Method::POST, "/api/v1/auth/accept-invitation"));
        assert!(!limits.is_public(&Method::GET, "/api/v1/activate"));
        assert!(!limits.is_public(&Method::POST, "/api/v1/redemptions/batch"));
        assert!(!limits.is_public(&Method::GET, "/health"));
        assert!(!limits.is_public(&Method::POST, "/api/v1/activate/extra"));
    }

    #[test]
    fn a_flood_of_new_keys_does_not_grow_without_bound() {
        let limiter = RateLimiter::new(600, 1);
        let t0 = Instant::now();
        for i in 0..(MAX_KEYS + 10) {
            let _ = limiter.check(&i.to_le_bytes(), t0);
        }
        let kept = limiter.buckets.lock().map(|b| b.len()).unwrap_or(usize::MAX);
        assert!(kept <= MAX_KEYS, "{kept}");
    }
}
