//! Types that travel between the app and the sync server (JSON). See `docs/sync-protocol.md`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::card::CardKind;
use crate::card_id::CardId;
use crate::ids::{DeviceId, OfferId, VenueId};
use crate::keys::{Endorsement, PublicKeyRecord, Retirement};
use crate::redemption::{OfferKind, Redemption};
use crate::verdict::{RegisterEntry, VerdictCode};

/// Most redemptions in one upload batch.
pub const MAX_BATCH_ITEMS: usize = 1_000;

/// A batch of redemptions from one device. The server reads each item on its own, so one
/// malformed item never fails the batch; it can be sent any number of times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadBatch {
    pub items: Vec<Redemption>,
}

/// The server's answer to a batch: one outcome per item, in the order sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadResponse {
    pub outcomes: Vec<ItemOutcome>,
    pub received_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemOutcome {
    /// Position in the batch.
    pub index: u32,
    /// The redemption id, when the item was readable enough to have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Outcome {
    /// Stored now. Flags tell what the server noticed; nothing is rolled back.
    Accepted {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        flags: Vec<Flag>,
    },
    /// Stored before (same id): nothing changed.
    Duplicate,
    /// Not stored. The device keeps it and shows the reason to staff.
    Rejected { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "flag")]
pub enum Flag {
    /// Received long after the scan (offline for a while).
    LateUpload { hours: u32 },
    /// Admitted at the door, but the register would have refused it now.
    WouldRefuseOnline { verdict: VerdictCode, reason: String },
    /// Scanned this many minutes ahead of the server's clock (beyond its tolerance): kept as
    /// recorded, but the device's clock is wrong and should be set right.
    ClockAhead { minutes: u32 },
}

/// Where a scanner is in the register's change stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Cursor(pub u64);

/// One card in a register copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRecord {
    pub card: CardId,
    #[serde(flatten)]
    pub entry: RegisterEntry,
}

/// A page of the register copy: the full snapshot when asked without a cursor, else the
/// changes since the cursor. Ask again with `next` until `more` is false.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterPage {
    pub snapshot: bool,
    pub records: Vec<RegisterRecord>,
    pub next: Cursor,
    pub more: bool,
    pub as_of: DateTime<Utc>,
    /// Every published public key (what apps before the key chain read).
    pub keys: Vec<PublicKeyRecord>,
    /// Each key after the first, signed by the key that was active when it was made: a scanner
    /// takes in a key only along these from a key it trusts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endorsements: Vec<Endorsement>,
    /// Keys whose credentials scanners refuse from a date on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retirements: Vec<Retirement>,
}

/// A venue's event or course that takes the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offer {
    pub id: OfferId,
    pub name: String,
    pub kind: OfferKind,
    /// Free places per event or course, when the venue limits them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// A device asks to become a venue's scanner with a one-time code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    pub code: String,
    /// A name staff give the device ("Main door phone").
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollResponse {
    pub device: DeviceId,
    /// Bearer token for this device only; shown once.
    pub token: String,
    pub venue: VenueId,
    pub venue_name: String,
    pub offers: Vec<Offer>,
    /// The published public keys: the scanner's roots of trust.
    pub keys: Vec<PublicKeyRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endorsements: Vec<Endorsement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retirements: Vec<Retirement>,
}

/// The holder's app exchanges a one-time activation code for the signed credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivateRequest {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivateResponse {
    pub credential: String,
    pub card: CardSummary,
    /// A random secret the holder's app keeps with the card and sends to refresh it; the
    /// server keeps only its hash. A new activation replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_secret: Option<String>,
}

/// The holder's app asks for its card's current state with the credential it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub credential: String,
    /// The secret the activation answer gave. Without it (or with a wrong one) the refresh is
    /// refused (`needs_activation`): an old credential alone is not enough.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_secret: Option<String>,
}

/// The card as the register has it now; a fresh credential unless the card is revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    pub card: CardSummary,
}

/// What the holder's card screen shows (besides the name the holder typed on the phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardSummary {
    pub card: CardId,
    pub kind: CardKind,
    pub valid_until: NaiveDate,
    pub minors_on_record: u8,
    /// The organisation of a community card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    pub status: CardState,
}

/// A card's state as the register answers an online status check. Nothing personal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum CardState {
    Valid { until: NaiveDate },
    Expired { on: NaiveDate },
    Revoked { on: NaiveDate },
    NotRegistered,
}

/// Every 4xx and 5xx answer: what went wrong, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A stable machine-readable code, e.g. `invalid_body`.
    pub code: String,
    pub error: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card_id::KaikuId;

    #[test]
    fn outcomes_serialise_as_tagged_json() {
        let o = ItemOutcome { index: 3, id: None, outcome: Outcome::Rejected { reason: "unknown card".into() } };
        let json = serde_json::to_value(&o).expect("serialises");
        assert_eq!(json, serde_json::json!({"index": 3, "outcome": "rejected", "reason": "unknown card"}));
        let flagged = Outcome::Accepted { flags: vec![Flag::LateUpload { hours: 30 }] };
        let back: Outcome = serde_json::from_value(serde_json::to_value(&flagged).expect("ser")).expect("de");
        assert_eq!(back, flagged);
    }

    #[test]
    fn register_records_are_flat_json() {
        let r = RegisterRecord {
            card: CardId::from(KaikuId::new('A', 5).expect("valid")),
            entry: RegisterEntry {
                kind: CardKind::Personal,
                valid_until: NaiveDate::from_ymd_opt(2027, 1, 31).expect("date"),
                minors_on_record: 1,
                status: crate::verdict::RegisterStatus::Active,
            },
        };
        let json = serde_json::to_value(r).expect("ser");
        assert_eq!(json["status"], "active");
        assert_eq!(json["kind"], "personal");
        assert_eq!(serde_json::from_value::<RegisterRecord>(json).expect("de"), r);
    }

    #[test]
    fn an_activation_request_with_extra_fields_is_refused() {
        assert!(serde_json::from_str::<ActivateRequest>(r#"{"code":"X","name":"Maija"}"#).is_err());
    }
}
