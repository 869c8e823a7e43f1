//! Health and the public keys.

use axum::Json;
use axum::extract::State;
use kaiku_core::keys::PublicKeyRecord;
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::keys;
use crate::startup::AppState;

#[derive(Debug, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
}

pub async fn health() -> Json<Health> {
    Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })
}

pub async fn public_keys(State(s): State<AppState>) -> ApiResult<Json<Vec<PublicKeyRecord>>> {
    Ok(Json(keys::public_records(s.store.as_ref()).await?))
}
