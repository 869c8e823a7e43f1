//! Limits on each request: how many are handled at once, how long its body may take to arrive,
//! and how long it may take to answer. Each answers a JSON error a client can act on.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tokio::sync::Semaphore;

use crate::config::Settings;
use crate::error::ApiError;

/// The per-request limits of one server.
#[derive(Debug)]
pub struct RequestLimits {
    in_flight: Arc<Semaphore>,
    body_timeout: Duration,
    request_timeout: Duration,
    /// Bytes as sent (perhaps compressed); the decompressed body has its own limit.
    max_body: usize,
}

impl RequestLimits {
    pub fn new(settings: &Settings) -> Self {
        Self {
            in_flight: Arc::new(Semaphore::new(settings.max_in_flight_requests)),
            body_timeout: Duration::from_secs(settings.body_read_timeout_secs),
            request_timeout: Duration::from_secs(settings.request_timeout_secs),
            max_body: settings.max_body_bytes,
        }
    }
}

/// Takes one of the in-flight places (503 `overloaded` when none is free), reads the whole
/// body within its deadline (408 `body_timeout`; a slow sender must not hold a place for
/// long), then answers within the request deadline (503 `timed_out`).
pub async fn guard(limits: Arc<RequestLimits>, req: Request, next: Next) -> Response {
    let Ok(_place) = limits.in_flight.clone().try_acquire_owned() else {
        return ApiError::Unavailable {
            code: "overloaded",
            message: "the server is handling too many requests: try again in a moment".into(),
            retry_after: 1,
        }
        .into_response();
    };
    let (parts, body) = req.into_parts();
    let read = tokio::time::timeout(limits.body_timeout, Limited::new(body, limits.max_body).collect()).await;
    let bytes = match read {
        Err(_) => {
            let secs = limits.body_timeout.as_secs();
            return ApiError::RequestTimeout(format!("the request body did not arrive within {secs} s"))
                .into_response();
        }
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            let max = limits.max_body;
            return ApiError::TooLarge(format!("the request body is too large: send at most {max} bytes"))
                .into_response();
        }
        Ok(Err(e)) => {
            return ApiError::BadRequest { code: "invalid_body", message: format!("the body could not be read: {e}") }
                .into_response();
        }
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    let req = Request::from_parts(parts, Body::from(bytes));
    match tokio::time::timeout(limits.request_timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(secs = limits.request_timeout.as_secs(), "a request was not answered in time");
            ApiError::Unavailable {
                code: "timed_out",
                message: "the server did not finish this in time: try again in a moment".into(),
                retry_after: 5,
            }
            .into_response()
        }
    }
}
