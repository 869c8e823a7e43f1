//! The `Idempotency-Key` header: a key the client chooses for one request that creates
//! something, so that a resend (after a timeout, a lost answer, to another server process) gets
//! the first answer instead of making a second one. Card registration takes it
//! (`routes::cards::register`); the key is stored with what it made (`store::CardRequest`).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The header's name, as the IETF draft "The Idempotency-Key HTTP Header Field" names it.
pub const HEADER: &str = "idempotency-key";

/// The longest key taken: a UUID is 36 characters.
pub const MAX_LEN: usize = 100;

/// The key a request was sent with, if any; a malformed key is refused (`invalid_idempotency_key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let mut values = parts.headers.get_all(HEADER).iter();
        let (Some(value), None) = (values.next(), values.next()) else {
            return match parts.headers.contains_key(HEADER) {
                true => Err(invalid("send one Idempotency-Key header, not several")),
                false => Ok(Self(None)),
            };
        };
        let key =
            value.to_str().ok().filter(|k| (1..=MAX_LEN).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()));
        match key {
            Some(key) => Ok(Self(Some(key.to_owned()))),
            None => Err(invalid(&format!(
                "the Idempotency-Key must be 1 to {MAX_LEN} visible ASCII characters without spaces, e.g. a UUID"
            ))),
        }
    }
}

fn invalid(message: &str) -> ApiError {
    ApiError::BadRequest { code: "invalid_idempotency_key", message: message.to_owned() }
}

/// SHA-256 of what a request asked for (its body as read, so `null` and a left-out field are
/// the same request), which a resend with the same key must match.
pub fn fingerprint(request: &impl Serialize) -> [u8; 32] {
    // Serialising a parsed body cannot fail: its types came from JSON.
    let bytes = serde_json::to_vec(request).unwrap_or_default();
    Sha256::digest(&bytes).into()
}

/// The answer to a key sent again with another request (`idempotency_key_reused`).
pub fn reused() -> ApiError {
    ApiError::UnprocessableWith {
        code: "idempotency_key_reused",
        message: "this Idempotency-Key was sent before with a different request: send a new key for a new request"
            .into(),
    }
}
