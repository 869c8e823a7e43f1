//! A card registration sent with the client's request key (`Idempotency-Key`): the key is
//! stored with the card in the same transaction, so a resend (to any process, after a crash)
//! finds the card instead of making a second one. Uniqueness comes from the database.

use chrono::{DateTime, TimeDelta, Utc};
use kaiku_core::CardId;
use kaiku_core::ids::DistributorId;

/// How long a key is kept at least: a new registration of the distributor clears its keys
/// older than this, so a resend after that makes a new card.
pub const KEPT_FOR: TimeDelta = TimeDelta::days(30);

/// The key a distributor's client chose for one registration, and what it asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRequest {
    /// Keys are the distributor's own: another distributor's equal key is another request.
    pub distributor: DistributorId,
    pub key: String,
    /// SHA-256 of the request as read: a resend must ask for the same card.
    pub fingerprint: [u8; 32],
    pub at: DateTime<Utc>,
}

impl CardRequest {
    /// Keys made before this are cleared.
    pub fn oldest_kept(&self) -> DateTime<Utc> {
        self.at - KEPT_FOR
    }
}

/// What a registration with a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requested {
    /// The card and its key are stored.
    Stored,
    /// The key was used before: nothing is stored; this is the card it made and the
    /// fingerprint of the request that made it.
    Earlier { card: CardId, fingerprint: Vec<u8> },
}
