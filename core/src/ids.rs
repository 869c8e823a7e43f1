//! Identifier newtypes for the register's organisations and devices.
//!
//! The sync server assigns them; they are small integers so that wire records stay short.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A region: a municipality, several municipalities or a wellbeing county.
    RegionId
);
id_type!(
    /// A card distributor: a social, health or welfare service or an NGO.
    DistributorId
);
id_type!(
    /// A venue (culture or sports organisation, pop-up venues included).
    VenueId
);
id_type!(
    /// One of a venue's offers: an event or a course that takes the card.
    OfferId
);
id_type!(
    /// An enrolled scanner device of a venue.
    DeviceId
);
