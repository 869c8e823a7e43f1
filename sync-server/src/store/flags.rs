//! Uses to check: the same card scanned by two devices (so also at two venues) within a short
//! time, which a shared screenshot of a mobile card looks like. Flagged when the second of the
//! two is stored; never refused, since both were recorded at a door. No SQLite here.

use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::CardId;
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::redemption::OfferKind;
use serde::{Deserialize, Serialize};

use crate::stats::Scope;

/// One of the two scans of a flagged pair, as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FlaggedScan {
    pub scanned_at: DateTime<Utc>,
    pub venue: VenueId,
    pub venue_name: String,
    pub device: DeviceId,
    /// The device's label, as the venue named it at enrollment.
    pub device_label: String,
    pub offer: OfferKind,
    #[serde(default)]
    pub offer_id: Option<OfferId>,
    /// The offer's name, when the scan named an offer.
    #[serde(default)]
    pub offer_name: Option<String>,
}

/// Two uses of one card by different devices within the flag window. Never a holder's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FlaggedUse {
    pub id: i64,
    pub card: CardId,
    /// Minutes between the two scans (rounded down).
    pub minutes_apart: i64,
    /// The earlier scan.
    pub first: FlaggedScan,
    /// The later scan.
    pub second: FlaggedScan,
    /// When the server noticed: the upload that stored the second of the two to arrive.
    pub flagged_at: DateTime<Utc>,
}

/// Which flagged uses to list: those touching a venue in `scope` (a region's venues, one
/// venue, or all), with either scan on a day from `from` to `to`; newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagFilter {
    pub scope: Scope,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub offset: u32,
    pub limit: u32,
}
