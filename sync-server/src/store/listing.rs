//! What the staff console lists: cards found by a search, organisations, users, offers with
//! their state, devices with their activity, a venue's uses and a distributor's year. No
//! SQLite here: these are the trait's types.

use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::ids::{DeviceId, DistributorId, OfferId, RegionId, VenueId};
use kaiku_core::redemption::OfferKind;
use serde::{Deserialize, Serialize};

use super::{CardRecord, Role};
use crate::stats::Scope;

/// The most rows one page of any listing holds.
pub const MAX_PAGE: u32 = 200;

/// A card's state on a given day, as it stood then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    /// Issued by that day, valid on it and not revoked by then.
    Active,
    /// Revoked on or before that day.
    Revoked,
    /// Validity ended before that day, not revoked by then.
    Expired,
}

/// A search of the register. Every filter given must hold; rows come in card ID order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSearch {
    /// Whose cards the caller may see at all (never a venue's).
    pub scope: Scope,
    pub distributor: Option<DistributorId>,
    /// One card ID, as the register writes it.
    pub id: Option<String>,
    /// The start of card IDs, upper case.
    pub id_prefix: Option<String>,
    pub state: Option<CardState>,
    /// The day `state` is judged on.
    pub on: NaiveDate,
    /// Valid on this day and not revoked by then.
    pub valid_on: Option<NaiveDate>,
    /// Validity ends before this day.
    pub expires_before: Option<NaiveDate>,
    /// Only cards whose ID sorts after this one (the previous page's last).
    pub after: Option<String>,
    pub limit: u32,
}

/// One page of a card search and how many cards match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardPage {
    pub cards: Vec<CardRecord>,
    pub total: u64,
}

/// Offset paging for the short listings (organisations, users), in id order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub offset: u32,
    pub limit: u32,
}

/// One page of a listing and how many rows match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RegionEntry {
    pub id: RegionId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DistributorEntry {
    pub id: DistributorId,
    pub region: RegionId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VenueEntry {
    pub id: VenueId,
    /// `None` for a pop-up venue outside the regional networks.
    pub region: Option<RegionId>,
    pub name: String,
}

/// A user as the console lists it: never a secret or a password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserEntry {
    pub id: i64,
    #[serde(flatten)]
    pub role: Role,
    pub label: String,
    /// Set when the user accepted an invitation.
    pub username: Option<String>,
    /// Has a password and is not revoked.
    pub can_sign_in: bool,
    pub revoked: bool,
}

/// An offer with its state; a closed one is kept so that its uses still count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OfferEntry {
    pub id: OfferId,
    pub venue: VenueId,
    pub name: String,
    pub kind: OfferKind,
    pub limit: Option<u32>,
    /// When the venue closed it; closed offers are not sent to scanners.
    pub closed_at: Option<DateTime<Utc>>,
}

/// A device of a venue and what it has sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceActivity {
    pub id: DeviceId,
    pub venue: VenueId,
    pub label: String,
    pub enrolled_at: DateTime<Utc>,
    pub revoked: bool,
    /// When the server received the last upload that stored a redemption of this device.
    pub last_sync: Option<DateTime<Utc>>,
    /// Redemptions of this device in the register.
    pub redemptions: u64,
}

/// A venue's uses of one offer (or, with no `offer`, of scans that named no offer) in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OfferUses {
    pub offer: Option<OfferId>,
    /// The offer's name; `None` for scans that named no offer.
    pub name: Option<String>,
    pub kind: OfferKind,
    pub closed: bool,
    /// Scans (one per card at the door, a group counting once).
    pub uses: u64,
    pub adults: u64,
    pub children: u64,
    /// Scans of course places.
    pub course_places: u64,
    /// Scans of community cards.
    pub community_uses: u64,
}

/// A venue's uses in a period, per offer, with the sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VenueUses {
    pub venue: VenueId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub offers: Vec<OfferUses>,
    pub uses: u64,
    pub adults: u64,
    pub children: u64,
    pub course_places: u64,
    pub community_uses: u64,
}

/// A distributor's cards at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CardCounts {
    pub distributor: DistributorId,
    pub year: i32,
    /// Cards issued in `year`.
    pub handed_out: u64,
    /// Cards active today (not revoked, still valid).
    pub active: u64,
    /// Cards revoked in `year`.
    pub revoked: u64,
    /// Active cards whose validity ends within 30 days from today.
    pub expiring_soon: u64,
}
