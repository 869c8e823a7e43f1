//! A venue's events and courses: each with its kind (ticket or course place), its daily limit
//! and whether it is open; adding one, editing an open one, and closing one after a question.
//! Closed ones stay listed: their uses still count in the figures.

use dioxus::prelude::*;
use kaiku_core::ids::{OfferId, VenueId};

use super::client_venue::OfferRow;
use super::session::use_staff;
use super::venue_parts::{Confirm, DoneAndError, VenueNav, kind_text};
use crate::i18n::{Lang, date, t, t_args};
use crate::routes::staff::Route;
use crate::state::use_app;

/// The daily limit in words.
pub fn limit_text(limit: Option<u32>, lang: Lang) -> String {
    match limit {
        Some(n) => t_args(lang, "staff-venue-limit", &[("n", n.into())]),
        None => t(lang, "staff-venue-no-limit"),
    }
}

fn state_text(offer: &OfferRow, lang: Lang) -> String {
    match offer.closed_at {
        Some(at) => t_args(
            lang,
            "staff-venue-closed-on",
            &[("date", date(lang, at.with_timezone(&chrono::Local).date_naive()).into())],
        ),
        None => t(lang, "staff-venue-open"),
    }
}

#[component]
pub fn StaffVenueOffers(venue: u32) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let mut offers = use_signal(|| None::<Vec<OfferRow>>);
    let mut error = use_signal(|| None::<String>);
    let mut asking = use_signal(|| None::<OfferId>);
    let mut done = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    use_hook(move || {
        let Some(session) = ctx.session.peek().clone() else { return };
        spawn(async move {
            match session.api().venue_offers(VenueId(venue)).await {
                Ok(list) => offers.set(Some(list)),
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    });

    // A Callback is Copy, so each offer's question can hold it.
    let close = use_callback(move |id: OfferId| {
        let Some(session) = ctx.session.peek().clone() else { return };
        busy.set(true);
        error.set(None);
        spawn(async move {
            let result = session.api().close_offer(id).await;
            busy.set(false);
            asking.set(None);
            let lang = app.lang();
            match result {
                Ok(closed) => {
                    done.set(Some(t_args(lang, "staff-venue-closed-done", &[("name", closed.name.clone().into())])));
                    if let Some(list) = offers.write().as_mut() {
                        list.iter_mut().filter(|o| o.id == closed.id).for_each(|o| *o = closed.clone());
                    }
                }
                Err(e) if e.code() == "conflict" => error.set(Some(t(lang, "staff-venue-offer-closed-already"))),
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    });

    let list = offers.read().clone();
    rsx! {
        section { class: "staff-venue",
            h1 { {t(lang, "staff-venue-offers")} }
            VenueNav { venue }
            p { class: "hint", {t(lang, "staff-venue-offers-intro")} }
            Link { id: "add-offer", class: "button primary", to: Route::StaffVenueOfferNew { venue }, {t(lang, "staff-venue-offer-add")} }
            DoneAndError { id: "offers-done", done: done(), error: error() }
            match list {
                None => rsx! {},
                Some(list) if list.is_empty() => rsx! {
                    p { id: "offers-none", {t(lang, "staff-venue-offers-none")} }
                },
                Some(list) => rsx! {
                    ul { id: "offers", class: "venue-list",
                        for o in list {
                            li { key: "{o.id}", id: "offer-{o.id}", class: if o.closed_at.is_some() { "closed" } else { "" },
                                h2 { "{o.name}" }
                                dl { class: "who",
                                    dt { {t(lang, "staff-venue-offer-kind")} }
                                    dd { {kind_text(o.kind, lang)} }
                                    dt { {t(lang, "staff-venue-offer-limit")} }
                                    dd { {limit_text(o.limit, lang)} }
                                    dt { {t(lang, "staff-venue-state")} }
                                    dd { id: "offer-{o.id}-state", {state_text(&o, lang)} }
                                }
                                if o.closed_at.is_none() {
                                    if asking() == Some(o.id) {
                                        Confirm {
                                            id: "close-{o.id}",
                                            question: t_args(lang, "staff-venue-close-question", &[("name", o.name.clone().into())]),
                                            yes: t(lang, "staff-venue-close-yes"),
                                            busy: busy(),
                                            on_yes: move |_| close.call(o.id),
                                            on_no: move |_| asking.set(None),
                                        }
                                    } else {
                                        div { class: "confirm-buttons",
                                            Link { id: "edit-{o.id}", class: "button", to: Route::StaffVenueOfferEdit { venue, offer: o.id.0 }, {t(lang, "staff-venue-edit")} }
                                            button {
                                                id: "close-{o.id}",
                                                r#type: "button",
                                                class: "danger",
                                                onclick: move |_| {
                                                    done.set(None);
                                                    asking.set(Some(o.id));
                                                },
                                                {t(lang, "staff-venue-close")}
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}
