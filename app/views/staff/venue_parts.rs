//! Parts the venue screens share: the venue's own navigation, the question asked before an
//! action that cannot be undone (closing an offer, revoking a device), and words for offers.

use chrono::{DateTime, Utc};
use dioxus::prelude::*;
use kaiku_core::redemption::OfferKind;

use super::client::StaffRole;
use super::session::StaffCtx;
use crate::components::FormError;
use crate::i18n::{Lang, date, t, t_args};
use crate::routes::staff::Route;

/// The venue a venue user runs (its scope), for the links of its home screen.
pub fn own_venue(role: StaffRole, scope: Option<i64>) -> Option<u32> {
    (role == StaffRole::Venue).then_some(scope).flatten().and_then(|s| u32::try_from(s).ok())
}

/// Whether the signed-in person may add and revoke the venue's devices: the server lets only the
/// venue's own users and administrators, so the buttons are not offered to others.
pub fn may_manage_devices(ctx: StaffCtx) -> bool {
    let role = ctx.session.read().as_ref().map(|s| s.me.role());
    matches!(role, Some(StaffRole::Venue | StaffRole::Admin))
}

pub fn kind_text(kind: OfferKind, lang: Lang) -> String {
    match kind {
        OfferKind::Ticket => t(lang, "scan-offer-ticket"),
        OfferKind::CoursePlace => t(lang, "scan-offer-course"),
    }
}

/// A moment in the user's own time: the date and the clock.
pub fn when_text(at: DateTime<Utc>, lang: Lang) -> String {
    let local = at.with_timezone(&chrono::Local);
    t_args(
        lang,
        "staff-venue-at",
        &[("date", date(lang, local.date_naive()).into()), ("time", local.format("%H:%M").to_string().into())],
    )
}

/// Links between the venue's screens; the current one is marked for sight and screen readers.
#[component]
pub fn VenueNav(venue: u32) -> Element {
    let lang = crate::state::use_app().lang();
    rsx! {
        nav { class: "venue-nav", aria_label: "{t(lang, \"staff-venue-nav\")}",
            ul {
                li { Link { id: "go-offers", to: Route::StaffVenueOffers { venue }, active_class: "active", {t(lang, "staff-venue-offers")} } }
                li { Link { id: "go-devices", to: Route::StaffVenueDevices { venue }, active_class: "active", {t(lang, "staff-venue-devices")} } }
                li { Link { id: "go-uses", to: Route::StaffVenueUses { venue }, active_class: "active", {t(lang, "staff-venue-uses")} } }
                li { Link { id: "go-checks", to: Route::StaffVenueUsesToCheck { venue }, active_class: "active", {t(lang, "staff-checks")} } }
            }
        }
    }
}

/// Asks before an action that cannot be undone; the question is announced when it appears.
#[component]
pub fn Confirm(
    id: String,
    question: String,
    yes: String,
    busy: bool,
    on_yes: EventHandler<()>,
    on_no: EventHandler<()>,
) -> Element {
    let lang = crate::state::use_app().lang();
    rsx! {
        div { class: "confirm", role: "group", aria_labelledby: "{id}-question",
            p { id: "{id}-question", role: "alert", "{question}" }
            div { class: "confirm-buttons",
                button { id: "{id}-yes", r#type: "button", class: "danger", disabled: busy, onclick: move |_| on_yes.call(()), "{yes}" }
                button { id: "{id}-no", r#type: "button", disabled: busy, onclick: move |_| on_no.call(()), {t(lang, "staff-venue-cancel")} }
            }
        }
    }
}

/// What the last action did, or nothing, and then the error of the last call: the two lines
/// above a venue's list that screen readers announce.
#[component]
pub fn DoneAndError(id: String, done: Option<String>, error: Option<String>) -> Element {
    rsx! {
        p { id: "{id}", class: "status", role: "status",
            if let Some(d) = done {
                "{d}"
            }
        }
        FormError { error }
    }
}
