//! The app's screens by path, in three parts: the holder's card, the venue scanner and the
//! staff console. Each part has its own route list so that on the web it is its own download
//! (see `parts.rs`): a link into another part is a plain path such as `"/scan"`, which the
//! router treats as leaving its part.

use dioxus::prelude::*;

use crate::views::Shell;

/// The holder's part: the start screen, activation and the card.
pub mod holder {
    use dioxus::prelude::*;

    use crate::views::{Activate, CardScreen, Start};

    #[derive(Debug, Clone, PartialEq, Routable)]
    #[rustfmt::skip]
    pub enum Route {
        #[layout(super::HolderShell)]
            #[route("/")]
            Start {},
            #[route("/activate?:code")]
            Activate { code: String },
            #[route("/card")]
            CardScreen {},
    }
}

/// The venue scanner's part.
pub mod scan {
    use dioxus::prelude::*;

    use crate::views::{ReadActivation, ScanDevice, ScanHistory, Scanner, ScannerLayout};

    #[derive(Debug, Clone, PartialEq, Routable)]
    #[rustfmt::skip]
    pub enum Route {
        #[layout(super::ScanShell)]
            // A holder's camera reading an activation QR: the decoders are here, not in the holder's part.
            #[route("/scan/activation")]
            ReadActivation {},
            #[layout(ScannerLayout)]
                #[route("/scan")]
                Scanner {},
                #[route("/scan/history")]
                ScanHistory {},
                #[route("/scan/device")]
                ScanDevice {},
    }
}

/// The staff console's part: its layout keeps the session and asks for sign-in where needed.
pub mod staff {
    use dioxus::prelude::*;

    use crate::views::staff::{
        StaffCard, StaffHandOut, StaffHome, StaffImport, StaffInvitation, StaffInvite, StaffLayout, StaffMyCards,
        StaffPrint, StaffSignIn,
    };
    use crate::views::staff::{StaffKeys, StaffOrganisations, StaffRegions, StaffStatistics, StaffUsers};
    use crate::views::staff::{
        StaffVenueAddScanner, StaffVenueDevices, StaffVenueOfferEdit, StaffVenueOfferNew, StaffVenueOffers,
        StaffVenueUses,
    };
    // Uses to check (the same card at two devices close together).
    use crate::views::staff::{StaffUsesToCheck, StaffVenueUsesToCheck};

    #[derive(Debug, Clone, PartialEq, Routable)]
    #[rustfmt::skip]
    pub enum Route {
        #[layout(super::StaffShell)]
            #[layout(StaffLayout)]
                #[route("/staff")]
                StaffHome {},
                #[route("/staff/sign-in")]
                StaffSignIn {},
                #[route("/staff/invitation")]
                StaffInvitation {},
                #[route("/staff/cards")]
                StaffMyCards {},
                #[route("/staff/cards/new")]
                StaffHandOut {},
                #[route("/staff/cards/import")]
                StaffImport {},
                #[route("/staff/cards/:id")]
                StaffCard { id: String },
                #[route("/staff/cards/:id/print")]
                StaffPrint { id: String },
                #[route("/staff/users/invite")]
                StaffInvite {},
                // The statistics dashboard (coordinators, administrators; others see their own).
                #[route("/staff/statistics")]
                StaffStatistics {},
                // Setting up a region (coordinators, administrators) and the signing keys (administrators).
                #[route("/staff/regions")]
                StaffRegions {},
                #[route("/staff/organisations")]
                StaffOrganisations {},
                #[route("/staff/users")]
                StaffUsers {},
                #[route("/staff/keys")]
                StaffKeys {},
                // A venue's screens, by the venue's id (its own for a venue user).
                #[route("/staff/venue/:venue/offers")]
                StaffVenueOffers { venue: u32 },
                #[route("/staff/venue/:venue/offers/new")]
                StaffVenueOfferNew { venue: u32 },
                #[route("/staff/venue/:venue/offers/:offer")]
                StaffVenueOfferEdit { venue: u32, offer: u32 },
                #[route("/staff/venue/:venue/scanner")]
                StaffVenueAddScanner { venue: u32 },
                #[route("/staff/venue/:venue/devices")]
                StaffVenueDevices { venue: u32 },
                #[route("/staff/venue/:venue/uses")]
                StaffVenueUses { venue: u32 },
                #[route("/staff/venue/:venue/uses-to-check")]
                StaffVenueUsesToCheck { venue: u32 },
                #[route("/staff/uses-to-check")]
                StaffUsesToCheck {},
    }
}

// The frame around each part's screens.
#[component]
fn HolderShell() -> Element {
    rsx! { Shell { Outlet::<holder::Route> {} } }
}

#[component]
fn ScanShell() -> Element {
    rsx! { Shell { Outlet::<scan::Route> {} } }
}

#[component]
fn StaffShell() -> Element {
    rsx! { Shell { Outlet::<staff::Route> {} } }
}
