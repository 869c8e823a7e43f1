//! A venue's uses today and this month, per event or course: adults, children and all people,
//! each period as a table with its caption and header cells (screen readers, copying).

use chrono::{Datelike, NaiveDate};
use dioxus::prelude::*;
use kaiku_core::ids::VenueId;

use super::client::{StaffError, error_text};
use super::client_venue::{OfferUses, VenueUses};
use super::session::use_staff;
use super::venue_parts::{VenueNav, kind_text};
use crate::components::{FormError, TableScroll};
use crate::i18n::{Lang, date, t, t_args};
use crate::state::use_app;

/// The first day of `day`'s month.
fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The row's name: the offer's, marked if closed, or the kind for scans that named no offer.
fn row_name(o: &OfferUses, lang: Lang) -> String {
    match &o.name {
        Some(name) if o.closed => t_args(lang, "staff-venue-uses-closed", &[("name", name.clone().into())]),
        Some(name) => name.clone(),
        None => t_args(lang, "staff-venue-uses-no-offer", &[("kind", kind_text(o.kind, lang).into())]),
    }
}

#[component]
fn UsesTable(id: String, caption: String, uses: VenueUses) -> Element {
    let lang = use_app().lang();
    if uses.offers.is_empty() {
        return rsx! {
            h2 { "{caption}" }
            p { id: "{id}-none", {t(lang, "staff-venue-uses-none")} }
        };
    }
    rsx! {
        TableScroll { label: caption.clone(),
            table { id: "{id}", class: "uses-table",
                caption { id: "{id}-caption", "{caption}" }
                thead {
                    tr {
                        th { scope: "col", {t(lang, "scan-offer")} }
                        th { scope: "col", {t(lang, "staff-venue-uses-adults")} }
                        th { scope: "col", {t(lang, "staff-venue-uses-children")} }
                        th { scope: "col", {t(lang, "staff-venue-uses-total")} }
                    }
                }
                tbody {
                    for (i, o) in uses.offers.iter().enumerate() {
                        tr { key: "{i}",
                            th { scope: "row", {row_name(o, lang)} }
                            td { "{o.adults}" }
                            td { "{o.children}" }
                            td { {(o.adults + o.children).to_string()} }
                        }
                    }
                }
                tfoot {
                    tr {
                        th { scope: "row", {t(lang, "staff-venue-uses-all")} }
                        td { id: "{id}-adults", "{uses.adults}" }
                        td { id: "{id}-children", "{uses.children}" }
                        td { id: "{id}-total", {(uses.adults + uses.children).to_string()} }
                    }
                }
            }
        }
    }
}

#[component]
pub fn StaffVenueUses(venue: u32) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let today = chrono::Local::now().date_naive();
    // Both periods at once; the month runs from its first day to today.
    let figures = use_resource(move || {
        let session = ctx.session.peek().clone();
        async move {
            let session = session?;
            let api = session.api();
            let result: Result<(VenueUses, VenueUses), StaffError> = async {
                let day = api.venue_uses(VenueId(venue), today, today).await?;
                let month = api.venue_uses(VenueId(venue), month_start(today), today).await?;
                Ok((day, month))
            }
            .await;
            if let Err(e) = &result {
                ctx.check_signed_out(app, e).await;
            }
            Some(result)
        }
    });
    let shown = figures.read().clone().flatten();
    rsx! {
        section { class: "staff-venue",
            h1 { {t(lang, "staff-venue-uses")} }
            VenueNav { venue }
            p { class: "hint", {t(lang, "staff-venue-uses-intro")} }
            match shown {
                None => rsx! {
                    p { class: "status", role: "status", {t(lang, "staff-loading")} }
                },
                Some(Ok((day, month))) => rsx! {
                    UsesTable {
                        id: "uses-today",
                        caption: t_args(lang, "staff-venue-uses-today", &[("date", date(lang, day.from).into())]),
                        uses: day.clone(),
                    }
                    UsesTable {
                        id: "uses-month",
                        caption: t_args(lang, "staff-venue-uses-month", &[
                            ("from", date(lang, month.from).into()),
                            ("to", date(lang, month.to).into()),
                        ]),
                        uses: month.clone(),
                    }
                },
                Some(Err(e)) => rsx! {
                    FormError { error: Some(error_text(&e, lang)) }
                },
            }
        }
    }
}
