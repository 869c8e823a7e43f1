//! Uses to check: the same card scanned by two devices (at one venue or two) within a short
//! time, as the server flagged them. A shared screenshot of a mobile card looks like this; a
//! family using one card at one door does not (that is the door's own warning). Nothing was
//! refused: the list is for staff to look into. Card IDs only, never a name.

use dioxus::prelude::*;
use kaiku_core::ids::VenueId;

use super::client::{StaffError, error_text};
use super::client_checks::{CheckScan, UseToCheck, UsesToCheck};
use super::session::use_staff;
use super::venue_parts::{VenueNav, kind_text, when_text};
use crate::components::FormError;
use crate::holder::grouped_id;
use crate::i18n::{Lang, t, t_args};
use crate::state::use_app;

/// One scan in words: where, on which device, for what.
fn scan_text(s: &CheckScan, lang: Lang) -> String {
    let offer = s.offer_name.clone().unwrap_or_else(|| kind_text(s.offer, lang));
    t_args(
        lang,
        "staff-checks-scan",
        &[("venue", s.venue_name.clone().into()), ("device", s.device_label.clone().into()), ("offer", offer.into())],
    )
}

#[component]
fn CheckItem(item: UseToCheck) -> Element {
    let lang = use_app().lang();
    let id = item.id;
    rsx! {
        li { id: "check-{id}",
            h2 {
                {t_args(lang, "staff-checks-card", &[("card", grouped_id(&item.card.to_string()).into())])}
            }
            p { id: "check-{id}-apart",
                {t_args(lang, "staff-checks-apart", &[("minutes", item.minutes_apart.into())])}
            }
            dl { class: "who",
                dt { {when_text(item.first.scanned_at, lang)} }
                dd { id: "check-{id}-first", {scan_text(&item.first, lang)} }
                dt { {when_text(item.second.scanned_at, lang)} }
                dd { id: "check-{id}-second", {scan_text(&item.second, lang)} }
            }
        }
    }
}

/// The list, all of the caller's scope (`venue: None`) or one venue's.
#[component]
fn ChecksList(venue: Option<u32>) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let found = use_resource(move || {
        let session = ctx.session.peek().clone();
        async move {
            let session = session?;
            let result: Result<UsesToCheck, StaffError> = session.api().uses_to_check(venue.map(VenueId)).await;
            if let Err(e) = &result {
                ctx.check_signed_out(app, e).await;
            }
            Some(result)
        }
    });
    let shown = found.read().clone().flatten();
    rsx! {
        p { class: "hint", {t(lang, "staff-checks-intro")} }
        match shown {
            None => rsx! {
                p { class: "status", role: "status", {t(lang, "staff-loading")} }
            },
            Some(Ok(list)) if list.items.is_empty() => rsx! {
                p { id: "checks-none", role: "status", {t(lang, "staff-checks-none")} }
            },
            Some(Ok(list)) => rsx! {
                p { id: "checks-count", role: "status",
                    {t_args(lang, "staff-checks-count", &[("n", list.total.into())])}
                }
                ul { id: "checks", class: "venue-list",
                    for item in list.items {
                        CheckItem { key: "{item.id}", item }
                    }
                }
            },
            Some(Err(e)) => rsx! {
                FormError { error: Some(error_text(&e, lang)) }
            },
        }
    }
}

/// Uses to check across what the signed-in person may see (a coordinator: the region's).
#[component]
pub fn StaffUsesToCheck() -> Element {
    let lang = use_app().lang();
    rsx! {
        section { class: "staff-venue",
            h1 { {t(lang, "staff-checks")} }
            ChecksList { venue: None }
        }
    }
}

/// One venue's uses to check, among its other screens.
#[component]
pub fn StaffVenueUsesToCheck(venue: u32) -> Element {
    let lang = use_app().lang();
    rsx! {
        section { class: "staff-venue",
            h1 { {t(lang, "staff-checks")} }
            VenueNav { venue }
            ChecksList { venue: Some(venue) }
        }
    }
}
