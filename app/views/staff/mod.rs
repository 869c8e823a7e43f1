//! The staff console: sign-in, then the screens of the signed-in person's role. Every console
//! route sits under `StaffLayout`, which keeps the session (see `session.rs`) and shows the
//! sign-in screen in place of any screen that needs a session while there is none, so that a
//! reload or a link keeps its place and returns there after signing in.

mod card_actions;
pub mod client;
mod exports;
mod hand_out;
mod hand_out_form;
mod handed_out;
mod home;
mod import;
mod invitation;
mod invite;
mod my_cards;
mod print;
pub mod session;
mod sign_in;
pub mod transfer;
// The coordinator's statistics dashboard.
pub mod client_stats;
mod dashboard;
mod dashboard_charts;
mod dashboard_tables;
// Setting up a region and administration: regions, organisations, users, signing keys.
mod admin_keys;
pub mod client_setup;
mod setup_orgs;
mod setup_regions;
mod setup_users;
// The venue's screens: offers, scanner devices, uses.
pub mod client_venue;
mod venue_add_scanner;
mod venue_devices;
mod venue_offer_form;
mod venue_offers;
mod venue_parts;
mod venue_uses;
// Uses to check: the same card at two devices close together.
pub mod client_checks;
mod uses_to_check;

use dioxus::prelude::*;

pub use admin_keys::StaffKeys;
pub use dashboard::{PeriodErrors, StaffStatistics, read_period};
pub use dashboard_tables::{month_name, number, percent};
pub use hand_out::StaffHandOut;
pub use hand_out_form::{Draft, FieldErrors, GENDERS, SITUATIONS, TONGUES, check_draft};
pub use handed_out::StaffCard;
pub use home::StaffHome;
pub use import::StaffImport;
pub use invitation::StaffInvitation;
pub use invite::StaffInvite;
pub use invite::{InvitationResult, InviteForm, Preset};
pub use my_cards::{StaffMyCards, search_text};
pub use print::StaffPrint;
pub use session::{SESSION_KEY, StaffCtx, StaffSession, use_staff};
pub use setup_orgs::{StaffOrganisations, name_problem};
pub use setup_regions::StaffRegions;
pub use setup_users::StaffUsers;
pub use sign_in::{SignInForm, StaffSignIn};
pub use uses_to_check::{StaffUsesToCheck, StaffVenueUsesToCheck};
pub use venue_add_scanner::StaffVenueAddScanner;
pub use venue_devices::StaffVenueDevices;
pub use venue_offer_form::{OfferDraft, OfferErrors, StaffVenueOfferEdit, StaffVenueOfferNew, check_offer};
pub use venue_offers::StaffVenueOffers;
pub use venue_uses::StaffVenueUses;

use crate::routes::staff::Route;
use crate::state::use_app;

#[component]
pub fn StaffLayout() -> Element {
    let app = use_app();
    let ctx = use_context_provider(|| StaffCtx {
        session: Signal::new(None),
        loaded: Signal::new(false),
        notice: Signal::new(None),
    });
    use_hook(move || spawn(ctx.restore(app)));
    let route = use_route::<Route>();
    let open = matches!(route, Route::StaffSignIn {} | Route::StaffInvitation {});
    let lang = app.lang();
    let session = ctx.session.read().clone();
    rsx! {
        div { class: "console",
            if !(ctx.loaded)() && session.is_none() {
                p { class: "status", role: "status", {crate::i18n::t(lang, "staff-loading")} }
            } else if let Some(s) = session.filter(|_| !open) {
                nav { class: "console-bar", aria_label: "{crate::i18n::t(lang, \"staff-console\")}",
                    Link { to: Route::StaffHome {}, {crate::i18n::t(lang, "staff-console")} }
                    span { class: "console-who", {s.me.username.clone().unwrap_or(s.me.label.clone())} }
                }
                Outlet::<Route> {}
            } else if open {
                Outlet::<Route> {}
            } else {
                SignInForm { stay: true }
            }
        }
    }
}
