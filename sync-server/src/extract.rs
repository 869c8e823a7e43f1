//! Extractors whose rejections are JSON errors that say what is wrong.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body; a body that is not the expected JSON gets a 4xx saying why.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

/// A query string, with JSON errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

/// Path parameters, with JSON errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiPath<T>(pub T);

/// A JSON body read as bytes, for handlers that parse it themselves (an upload item by item,
/// an optional body). A body that cannot be read (too large, corrupt compression) gets a JSON
/// error, and a non-empty body must be sent as `Content-Type: application/json`.
#[derive(Debug, Clone, Default)]
pub struct ApiBytes(pub Bytes);

fn rejection(status: StatusCode, text: String) -> ApiError {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!("the request body is too large: {text}")),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType(text),
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::Unprocessable(text),
        _ => ApiError::BadRequest { code: "invalid_body", message: text },
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(e) => Err(json_rejection(e)),
        }
    }
}

pub fn json_rejection(e: JsonRejection) -> ApiError {
    rejection(e.status(), e.body_text())
}

/// `application/json` or `application/<something>+json`, parameters aside.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let mime = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl<S: Send + Sync> FromRequest<S> for ApiBytes {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = is_json(req.headers());
        let bytes = Bytes::from_request(req, state).await.map_err(|e| rejection(e.status(), e.body_text()))?;
        if !json && !bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::UnsupportedMediaType(
                "Expected request with `Content-Type: application/json`".into(),
            ));
        }
        Ok(Self(bytes))
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|e: QueryRejection| ApiError::BadRequest { code: "invalid_query", message: e.body_text() })
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Self(p.0))
            .map_err(|e: PathRejection| ApiError::BadRequest { code: "invalid_path", message: e.body_text() })
    }
}
