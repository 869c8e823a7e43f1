//! The console's calls for running a venue: its offers (listed with closed ones, added, edited,
//! closed), scanner devices (enrollment codes, the list with last sync, revocation) and uses.
//! The server decides who may do what; a refusal comes back with its stable code.

use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::redemption::OfferKind;
use serde::{Deserialize, Serialize};

use super::client::{OneTimeCode, StaffApi, StaffError};

/// One of a venue's offers as the console lists it (`GET /offers?venue=`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OfferRow {
    pub id: OfferId,
    pub venue: VenueId,
    pub name: String,
    pub kind: OfferKind,
    /// Free places a day; `None`: no limit.
    #[serde(default)]
    pub limit: Option<u32>,
    /// When it was closed; closed offers are no longer sent to scanners.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
}

/// An offer as added or edited: every field is sent, so `limit: None` removes the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferFields {
    pub name: String,
    pub kind: OfferKind,
    pub limit: Option<u32>,
}

/// A device of the venue and what it has sent (`GET /venues/{id}/devices`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DeviceRow {
    pub id: DeviceId,
    pub label: String,
    pub enrolled_at: DateTime<Utc>,
    pub revoked: bool,
    /// When the server last stored a redemption this device uploaded.
    #[serde(default)]
    pub last_sync: Option<DateTime<Utc>>,
    pub redemptions: u64,
}

/// Uses of one offer in a period (`offer: None`: scans that named no offer).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OfferUses {
    #[serde(default)]
    pub offer: Option<OfferId>,
    #[serde(default)]
    pub name: Option<String>,
    pub kind: OfferKind,
    pub closed: bool,
    pub uses: u64,
    pub adults: u64,
    pub children: u64,
}

/// A venue's uses in a period, per offer, with the sums (`GET /venues/{id}/uses`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VenueUses {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub offers: Vec<OfferUses>,
    pub uses: u64,
    pub adults: u64,
    pub children: u64,
}

#[derive(Debug, Deserialize)]
struct Created {
    id: OfferId,
}

impl StaffApi {
    /// The venue's offers, closed ones included, in id order.
    pub async fn venue_offers(&self, venue: VenueId) -> Result<Vec<OfferRow>, StaffError> {
        self.send::<(), _>("GET", &format!("/api/v1/offers?venue={venue}"), None).await
    }

    /// Adds an offer; its new id.
    pub async fn add_offer(&self, venue: VenueId, offer: &OfferFields) -> Result<OfferId, StaffError> {
        let created: Created = self.send("POST", &format!("/api/v1/venues/{venue}/offers"), Some(offer)).await?;
        Ok(created.id)
    }

    pub async fn edit_offer(&self, id: OfferId, offer: &OfferFields) -> Result<OfferRow, StaffError> {
        self.send("PATCH", &format!("/api/v1/offers/{id}"), Some(offer)).await
    }

    pub async fn close_offer(&self, id: OfferId) -> Result<OfferRow, StaffError> {
        self.send::<(), _>("POST", &format!("/api/v1/offers/{id}/close"), None).await
    }

    /// A one-time code with which a phone becomes the venue's scanner.
    pub async fn enrollment_code(&self, venue: VenueId) -> Result<OneTimeCode, StaffError> {
        self.send("POST", "/api/v1/enrollment-codes", Some(&serde_json::json!({ "venue": venue }))).await
    }

    /// The venue's devices, revoked ones included, with their last sync and redemptions.
    pub async fn venue_devices(&self, venue: VenueId) -> Result<Vec<DeviceRow>, StaffError> {
        self.send::<(), _>("GET", &format!("/api/v1/venues/{venue}/devices"), None).await
    }

    pub async fn revoke_device(&self, id: DeviceId) -> Result<(), StaffError> {
        self.send::<(), serde_json::Value>("POST", &format!("/api/v1/devices/{id}/revoke"), None).await.map(|_| ())
    }

    /// The venue's uses from `from` to `to`, both included.
    pub async fn venue_uses(&self, venue: VenueId, from: NaiveDate, to: NaiveDate) -> Result<VenueUses, StaffError> {
        let path = if from == to {
            format!("/api/v1/venues/{venue}/uses?day={from}")
        } else {
            format!("/api/v1/venues/{venue}/uses?from={from}&to={to}")
        };
        self.send::<(), _>("GET", &path, None).await
    }
}
