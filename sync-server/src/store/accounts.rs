//! What the store keeps for staff sign-in: invitations, password accounts and sessions.
//! Secrets appear here only as hashes (SHA-256 of codes and tokens, argon2id of passwords).

use chrono::{DateTime, Utc};

use super::UserRecord;

/// A one-time invitation to set a username and password, as it is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub code_hash: Vec<u8>,
    /// The user who issued it; `None` for the first administrator's, made by `init`.
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A stored invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

/// A user with what it signs in with, if it has set a password.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub user: UserRecord,
    pub username: Option<String>,
    /// The argon2id PHC string.
    pub password_hash: Option<String>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("user", &self.user.id)
            .field("username", &self.username)
            .field("has_password", &self.password_hash.is_some())
            .finish()
    }
}

/// A session as it is created at sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub user_id: i64,
    pub secret_hash: Vec<u8>,
    pub created_at: DateTime<Utc>,
    /// The absolute end, however busy the session.
    pub expires_at: DateTime<Utc>,
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: i64,
    pub user_id: i64,
    pub secret_hash: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended: bool,
}
