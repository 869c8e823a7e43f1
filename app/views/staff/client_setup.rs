//! The console's calls for setting up a region: regions, distributors, venues (with their
//! first offer), users and their invitations, and the issuer's signing keys. The server
//! decides who may do what; a refusal comes back with its stable code.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::client::{MAX_ORGS, OneTimeCode, Org, StaffApi, StaffError};

/// A distributor or a venue as listed, with its region (`None`: a pop-up venue).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrgEntry {
    pub id: i64,
    #[serde(default)]
    pub region: Option<i64>,
    pub name: String,
}

/// A staff user as listed: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserRow {
    pub id: i64,
    /// `admin`, `coordinator`, `distributor` or `venue`.
    pub role: String,
    #[serde(default)]
    pub scope: Option<i64>,
    pub label: String,
    #[serde(default)]
    pub username: Option<String>,
    pub can_sign_in: bool,
    pub revoked: bool,
}

/// An issuer signing key as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SigningKey {
    pub id: u16,
    pub created_at: DateTime<Utc>,
    pub active: bool,
    /// The key that endorsed it (none for the first key).
    #[serde(default)]
    pub endorsed_by: Option<u16>,
    /// Scanners refuse its credentials from this day on.
    #[serde(default)]
    pub retired_from: Option<chrono::NaiveDate>,
}

#[derive(Debug, Deserialize)]
struct Created {
    id: i64,
}

#[derive(Debug, Deserialize)]
struct Page<T> {
    items: Vec<T>,
}

#[derive(Debug, Serialize)]
struct Named<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<i64>,
    name: &'a str,
}

impl StaffApi {
    /// Every region the caller sees: all for an administrator, its own for a coordinator.
    pub async fn regions(&self) -> Result<Vec<Org>, StaffError> {
        self.send::<(), _>("GET", "/api/v1/regions", None).await
    }

    pub async fn create_region(&self, name: &str) -> Result<i64, StaffError> {
        let body = Named { region: None, name };
        self.send::<_, Created>("POST", "/api/v1/regions", Some(&body)).await.map(|c| c.id)
    }

    /// `kind`: `distributors` or `venues`; `region: None` lists all the caller may see.
    pub async fn orgs_of(&self, kind: &str, region: Option<i64>) -> Result<Vec<OrgEntry>, StaffError> {
        let mut path = format!("/api/v1/{kind}?limit={MAX_ORGS}");
        if let Some(r) = region {
            path.push_str(&format!("&region={r}"));
        }
        self.send::<(), Page<OrgEntry>>("GET", &path, None).await.map(|p| p.items)
    }

    /// `kind`: `distributors` or `venues`; the new one's id.
    pub async fn create_org(&self, kind: &str, region: i64, name: &str) -> Result<i64, StaffError> {
        let body = Named { region: Some(region), name };
        self.send::<_, Created>("POST", &format!("/api/v1/{kind}"), Some(&body)).await.map(|c| c.id)
    }

    /// The users the caller may manage (an administrator: everyone), in id order.
    pub async fn users(&self) -> Result<Vec<UserRow>, StaffError> {
        let path = format!("/api/v1/users?limit={MAX_ORGS}");
        self.send::<(), Page<UserRow>>("GET", &path, None).await.map(|p| p.items)
    }

    /// A new invitation for an existing user: a reset once it is used.
    pub async fn reinvite(&self, user: i64) -> Result<OneTimeCode, StaffError> {
        self.send::<(), _>("POST", &format!("/api/v1/users/{user}/invitation"), None).await
    }

    pub async fn revoke_user(&self, user: i64) -> Result<(), StaffError> {
        let body = serde_json::json!({});
        self.send::<_, serde_json::Value>("POST", &format!("/api/v1/users/{user}/revoke"), Some(&body))
            .await
            .map(|_| ())
    }

    pub async fn signing_keys(&self) -> Result<Vec<SigningKey>, StaffError> {
        self.send::<(), _>("GET", "/api/v1/signing-keys", None).await
    }

    pub async fn add_signing_key(&self, activate: bool) -> Result<SigningKey, StaffError> {
        let body = serde_json::json!({ "activate": activate });
        self.send("POST", "/api/v1/signing-keys", Some(&body)).await
    }

    pub async fn activate_signing_key(&self, id: u16) -> Result<SigningKey, StaffError> {
        self.send::<(), _>("POST", &format!("/api/v1/signing-keys/{id}/activate"), None).await
    }

    /// Scanners refuse key `id`'s credentials from `from` on.
    pub async fn retire_signing_key(&self, id: u16, from: chrono::NaiveDate) -> Result<SigningKey, StaffError> {
        let body = serde_json::json!({ "from": from });
        self.send("POST", &format!("/api/v1/signing-keys/{id}/retire"), Some(&body)).await
    }
}
