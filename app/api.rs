//! The app's client of the sync server.

use kaiku_core::wire::{ActivateRequest, ActivateResponse, ErrorBody, RefreshRequest, RefreshResponse};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a call to the server did not give an answer to use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("no network connection")]
    Network,
    #[error("not found: {0}")]
    NotFound(String),
    /// A one-time code that was used or has expired.
    #[error("gone: {0}")]
    Gone(String),
    /// The card cannot be refreshed from this phone (`needs_activation`): no refresh secret, or
    /// not the one of the card's last activation. The holder needs a new activation code.
    #[error("needs activation: {0}")]
    NeedsActivation(String),
    /// Too many requests, or the server is busy (429 or 503 with `Retry-After`): try again in
    /// `retry_after` seconds.
    #[error("busy: try again in {retry_after} s")]
    Busy { retry_after: u64 },
    #[error("refused ({status}): {message}")]
    Refused { status: u16, message: String },
    #[error("server error ({0})")]
    Server(u16),
}

/// A client of one server.
#[derive(Debug, Clone)]
pub struct Api {
    base: String,
    http: reqwest::Client,
}

impl Api {
    pub fn new(base: &str) -> Self {
        Self { base: base.trim_end_matches('/').to_owned(), http: http_client() }
    }

    pub async fn activate(&self, code: &str) -> Result<ActivateResponse, ApiError> {
        self.post("/api/v1/activate", &ActivateRequest { code: code.trim().to_owned() }).await
    }

    /// The card's state and a fresh credential; `refresh_secret` is what the activation gave.
    pub async fn refresh(&self, credential: &str, refresh_secret: Option<&str>) -> Result<RefreshResponse, ApiError> {
        let body =
            RefreshRequest { credential: credential.to_owned(), refresh_secret: refresh_secret.map(str::to_owned) };
        self.post("/api/v1/holder/refresh", &body).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T, ApiError> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .timeout(TIMEOUT)
            .json(body)
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            return response.json().await.map_err(|_| ApiError::Server(status));
        }
        if let Some(retry_after) = retry_after(&response) {
            return Err(ApiError::Busy { retry_after });
        }
        let (code, message) = response.json::<ErrorBody>().await.map(|e| (e.code, e.error)).unwrap_or_default();
        Err(match status {
            403 if code == "needs_activation" => ApiError::NeedsActivation(message),
            404 => ApiError::NotFound(message),
            410 => ApiError::Gone(message),
            400..=499 => ApiError::Refused { status, message },
            _ => ApiError::Server(status),
        })
    }
}

/// How long a call to the server may take before the app gives up and says so.
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A client whose requests give up after [`TIMEOUT`] (connecting after 10 s) rather than
/// leave the holder waiting on a server that never answers. In the browser each request is
/// bounded with `RequestBuilder::timeout` instead.
pub fn http_client() -> reqwest::Client {
    #[cfg(not(target_arch = "wasm32"))]
    // Idle connections are let go before the server's header deadline (10 s) closes them.
    let builder = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(std::time::Duration::from_secs(10).min(TIMEOUT))
        .pool_idle_timeout(std::time::Duration::from_secs(5));
    #[cfg(target_arch = "wasm32")]
    let builder = reqwest::Client::builder();
    builder.build().unwrap_or_default()
}

/// The wait a 429, or a 503 that says when to come back, asks for: whole seconds, at least 1
/// (the `Retry-After` header in seconds; an HTTP date is taken as a minute).
pub fn retry_after(response: &reqwest::Response) -> Option<u64> {
    if !matches!(response.status().as_u16(), 429 | 503) {
        return None;
    }
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    Some(value.trim().parse::<u64>().unwrap_or(60).max(1))
}

/// The server the app talks to unless the user chose another.
pub fn default_server() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::env::var("KAIKU_SERVER").unwrap_or_else(|_| "http://127.0.0.1:8080".to_owned())
    }
}
