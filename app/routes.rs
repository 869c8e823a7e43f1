//! The app's routes and its root component.

use dioxus::prelude::*;

use crate::state::{AppState, Boot};
use crate::views::staff::{
    StaffCard, StaffHandOut, StaffHome, StaffImport, StaffInvitation, StaffInvite, StaffLayout, StaffMyCards,
    StaffPrint, StaffSignIn,
};
use crate::views::staff::{
    StaffVenueAddScanner, StaffVenueDevices, StaffVenueOfferEdit, StaffVenueOfferNew, StaffVenueOffers, StaffVenueUses,
};
use crate::views::staff::{StaffKeys, StaffOrganisations, StaffRegions, StaffUsers};
use crate::views::staff::StaffStatistics;
use crate::views::{Activate, CardScreen, ScanDevice, ScanHistory, Scanner, ScannerLayout, Shell, Start};

/// Every screen, by path.
#[derive(Debug, Clone, PartialEq, Routable)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Shell)]
        #[route("/")]
        Start {},
        #[route("/activate")]
        Activate {},
        #[route("/card")]
        CardScreen {},
        #[layout(ScannerLayout)]
            #[route("/scan")]
            Scanner {},
            #[route("/scan/history")]
            ScanHistory {},
            #[route("/scan/device")]
            ScanDevice {},
        #[end_layout]
        // The staff console: its layout keeps the session and asks for sign-in where needed.
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
}

const STYLE: &str = include_str!("../assets/kaiku.css");

/// The root: loads what the device holds, then shows the screens.
#[component]
pub fn App() -> Element {
    let boot = use_resource(Boot::load);
    rsx! {
        document::Title { "Kaiku" }
        style { {STYLE} }
        match &*boot.read() {
            None => rsx! { p { class: "splash", "Kaiku" } },
            Some(b) => rsx! { Loaded { boot: BootProp(b.clone()) } },
        }
    }
}

/// `Boot` as a prop: compared by identity, it is created once.
#[derive(Debug, Clone)]
pub struct BootProp(pub Boot);

impl PartialEq for BootProp {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0.vault, &other.0.vault)
    }
}

#[component]
fn Loaded(boot: BootProp) -> Element {
    let problem = boot.0.storage_problem.clone();
    AppState::provide(boot.0);
    rsx! {
        if let Some(p) = problem {
            p { class: "notice notice-bad", role: "alert", "{p}" }
        }
        Router::<Route> {}
    }
}
