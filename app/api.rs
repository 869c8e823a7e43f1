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
        Self { base: base.trim_end_matches('/').to_owned(), http: reqwest::Client::new() }
    }

    pub async fn activate(&self, code: &str) -> Result<ActivateResponse, ApiError> {
        self.post("/api/v1/activate", &ActivateRequest { code: code.trim().to_owned() }).await
    }

    pub async fn refresh(&self, credential: &str) -> Result<RefreshResponse, ApiError> {
        self.post("/api/v1/holder/refresh", &RefreshRequest { credential: credential.to_owned() }).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T, ApiError> {
        let response =
            self.http.post(format!("{}{path}", self.base)).json(body).send().await.map_err(|_| ApiError::Network)?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            return response.json().await.map_err(|_| ApiError::Server(status));
        }
        let message = response.json::<ErrorBody>().await.map(|e| e.error).unwrap_or_default();
        Err(match status {
            404 => ApiError::NotFound(message),
            410 => ApiError::Gone(message),
            400..=499 => ApiError::Refused { status, message },
            _ => ApiError::Server(status),
        })
    }
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
