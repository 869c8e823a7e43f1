//! The console's call for uses to check (`GET /flagged-uses`): the same card scanned by two
//! devices within the server's flag window. The server scopes the list by role.

use chrono::{DateTime, Utc};
use kaiku_core::CardId;
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::redemption::OfferKind;
use serde::Deserialize;

use super::client::{StaffApi, StaffError};

/// One of the two scans of a use to check.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckScan {
    pub scanned_at: DateTime<Utc>,
    pub venue: VenueId,
    pub venue_name: String,
    pub device: DeviceId,
    pub device_label: String,
    pub offer: OfferKind,
    #[serde(default)]
    pub offer_id: Option<OfferId>,
    #[serde(default)]
    pub offer_name: Option<String>,
}

/// Two scans of one card by different devices close together. Never a holder's name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UseToCheck {
    pub id: i64,
    pub card: CardId,
    pub minutes_apart: i64,
    pub first: CheckScan,
    pub second: CheckScan,
}

/// A page of uses to check and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UsesToCheck {
    pub items: Vec<UseToCheck>,
    pub total: u64,
}

impl StaffApi {
    /// The newest uses to check of the last 90 days that the signed-in person may see: a venue
    /// user's own venue's, a coordinator's region's; only `venue`'s when given.
    pub async fn uses_to_check(&self, venue: Option<VenueId>) -> Result<UsesToCheck, StaffError> {
        let path = match venue {
            Some(v) => format!("/api/v1/flagged-uses?limit=200&venue={v}"),
            None => "/api/v1/flagged-uses?limit=200".to_owned(),
        };
        self.send::<(), _>("GET", &path, None).await
    }
}
