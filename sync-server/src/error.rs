//! API errors: every failure becomes a status code and a JSON body that says what is wrong.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kaiku_core::wire::ErrorBody;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("{0}")]
    Unprocessable(String),
    /// A well-formed request this caller may not make, with a code saying why
    /// (`period_not_whole_months`).
    #[error("{message}")]
    UnprocessableWith { code: &'static str, message: String },
    #[error("{0}")]
    Unauthorized(String),
    /// Not signed in, with a code the console acts on (`wrong_credentials`, `session_expired`).
    #[error("{message}")]
    Unauthenticated { code: &'static str, message: String },
    #[error("{0}")]
    Forbidden(String),
    /// Refused with a code the app acts on (`needs_activation`: a refresh without the card's
    /// refresh secret, so the holder must activate the card again).
    #[error("{message}")]
    ForbiddenWith { code: &'static str, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A one-time code that was used or has expired.
    #[error("{0}")]
    Gone(String),
    /// A one-time code that was used or has expired, with a code saying which.
    #[error("{message}")]
    GoneWith { code: &'static str, message: String },
    /// Too many tries: wait `retry_after` seconds (`account_locked`, `too_many_attempts`, `rate_limited`).
    #[error("{message}")]
    Throttled { code: &'static str, message: String, retry_after: u64 },
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("the server could not complete this: {0}")]
    Internal(String),
    /// The request's body did not arrive in time (`body_timeout`).
    #[error("{0}")]
    RequestTimeout(String),
    /// Busy or too slow: try again in `retry_after` seconds (`overloaded`, `timed_out`,
    /// `catching_up`).
    #[error("{message}")]
    Unavailable { code: &'static str, message: String, retry_after: u64 },
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest { code: "bad_request", message: message.into() }
    }

    pub fn forbidden(what: impl Into<String>) -> Self {
        Self::Forbidden(what.into())
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code),
            Self::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_value"),
            Self::UnprocessableWith { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Unauthenticated { code, .. } => (StatusCode::UNAUTHORIZED, code),
            Self::GoneWith { code, .. } => (StatusCode::GONE, code),
            Self::Throttled { code, .. } => (StatusCode::TOO_MANY_REQUESTS, code),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::ForbiddenWith { code, .. } => (StatusCode::FORBIDDEN, code),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::Gone(_) => (StatusCode::GONE, "code_used_or_expired"),
            Self::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::UnsupportedMediaType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            Self::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            Self::RequestTimeout(_) => (StatusCode::REQUEST_TIMEOUT, "body_timeout"),
            Self::Unavailable { code, .. } => (StatusCode::SERVICE_UNAVAILABLE, code),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let Self::Internal(details) = &self {
            return internal_error(details);
        }
        if status.is_server_error() && !matches!(self, Self::Unavailable { .. }) {
            tracing::error!(error = %self, "request failed");
        }
        if let Self::Throttled { retry_after, .. } | Self::Unavailable { retry_after, .. } = self {
            // The ErrorBody fields plus when to try again, also as the standard header.
            let body = serde_json::json!({ "code": code, "error": self.to_string(), "retry_after": retry_after });
            return (status, [(axum::http::header::RETRY_AFTER, retry_after.to_string())], Json(body)).into_response();
        }
        (status, Json(ErrorBody { code: code.to_owned(), error: self.to_string() })).into_response()
    }
}

/// A failure inside the server: the answer says only that it happened, with a reference that
/// finds the details (the storage's own error text, say) in the log. The details never reach
/// the client: they can tell an attacker about the schema and the files.
fn internal_error(details: &str) -> Response {
    let id = uuid::Uuid::now_v7().simple().to_string();
    // The random end of a v7 id: unique enough to find one line in a day's log.
    let reference = id[id.len() - 12..].to_owned();
    tracing::error!(reference = %reference, error = %details, "request failed");
    let body = serde_json::json!({
        "code": "internal",
        "error": format!("an internal error happened; the server's log has the details under reference {reference}"),
        "reference": reference,
    });
    (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::NotFound(what),
            StoreError::Conflict(what) => Self::Conflict(what),
            StoreError::Backend(what) => Self::Internal(what),
            StoreError::Purged(what) => Self::UnprocessableWith { code: "period_purged", message: what },
            StoreError::Unavailable(what) => Self::Unavailable { code: "catching_up", message: what, retry_after: 30 },
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
