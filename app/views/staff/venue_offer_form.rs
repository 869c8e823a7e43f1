//! Adding or editing an event or course: its name, its kind and an optional daily limit of free
//! places. Each field is checked here first, with its message next to it; nothing is sent while
//! one is wrong, and what was typed stays on screen whatever the server answers.

use dioxus::prelude::*;
use kaiku_core::ids::{OfferId, VenueId};
use kaiku_core::redemption::OfferKind;

use super::client::error_text;
use super::client_venue::{OfferFields, OfferRow};
use super::session::use_staff;
use super::venue_parts::{VenueNav, kind_text};
use crate::components::{FormError, TextField};
use crate::i18n::{Lang, t};
use crate::routes::staff::Route;
use crate::state::use_app;

/// The most free places a day the server takes.
const MAX_LIMIT: u32 = 100_000;
/// The longest name the server takes, in characters.
const MAX_NAME: usize = 200;

/// What was typed and chosen, as text until it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferDraft {
    pub name: String,
    pub kind: OfferKind,
    /// Empty: no limit.
    pub limit: String,
}

impl Default for OfferDraft {
    fn default() -> Self {
        Self { name: String::new(), kind: OfferKind::Ticket, limit: String::new() }
    }
}

impl From<&OfferRow> for OfferDraft {
    fn from(o: &OfferRow) -> Self {
        Self { name: o.name.clone(), kind: o.kind, limit: o.limit.map(|n| n.to_string()).unwrap_or_default() }
    }
}

/// One message per field that is wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferErrors {
    pub name: Option<String>,
    pub limit: Option<String>,
}

/// The offer to send, or what is wrong, field by field.
pub fn check_offer(d: &OfferDraft, lang: Lang) -> Result<OfferFields, OfferErrors> {
    let name = d.name.trim();
    let name_error = if name.is_empty() {
        Some(t(lang, "staff-venue-offer-name-empty"))
    } else if name.chars().count() > MAX_NAME {
        Some(t(lang, "staff-venue-offer-name-long"))
    } else {
        None
    };
    // "1 000" is how a Finn or a Swede writes a thousand.
    let digits: String = d.limit.chars().filter(|c| !c.is_whitespace()).collect();
    let number = digits.strip_prefix('-').unwrap_or(&digits);
    let limit = if digits.is_empty() {
        Ok(None)
    } else if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        Err(t(lang, "staff-venue-offer-limit-bad"))
    } else {
        match digits.parse::<i64>().ok().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(Some(n)),
            _ => Err(t(lang, "staff-venue-offer-limit-range")),
        }
    };
    match (name_error, limit) {
        (None, Ok(limit)) => Ok(OfferFields { name: name.to_owned(), kind: d.kind, limit }),
        (name, limit) => Err(OfferErrors { name, limit: limit.err() }),
    }
}

/// The form, blank for a new offer or filled with `editing`.
#[component]
fn OfferForm(venue: u32, editing: Option<OfferRow>) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let nav = navigator();
    let lang = app.lang();
    let editing_id = editing.as_ref().map(|o| o.id);
    let mut draft = use_signal(|| editing.as_ref().map(OfferDraft::from).unwrap_or_default());
    let mut errors = use_signal(OfferErrors::default);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let Some(session) = ctx.session.peek().clone() else { return };
        let fields = match check_offer(&draft.read(), lang) {
            Ok(f) => f,
            Err(found) => {
                errors.set(found);
                error.set(Some(t(lang, "staff-check-fields")));
                return;
            }
        };
        errors.set(OfferErrors::default());
        error.set(None);
        busy.set(true);
        spawn(async move {
            let api = session.api();
            let result = match editing_id {
                Some(id) => api.edit_offer(id, &fields).await.map(|_| ()),
                None => api.add_offer(VenueId(venue), &fields).await.map(|_| ()),
            };
            busy.set(false);
            match result {
                Ok(()) => {
                    nav.push(Route::StaffVenueOffers { venue });
                }
                Err(e) if e.code() == "conflict" => error.set(Some(t(lang, "staff-venue-offer-closed-already"))),
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };

    let d = draft.read().clone();
    let shown = errors.read().clone();
    rsx! {
        form { id: "offer-form", onsubmit: submit, novalidate: true,
            TextField {
                id: "offer-name",
                label: t(lang, "staff-venue-offer-name"),
                value: d.name.clone(),
                oninput: move |v| draft.write().name = v,
                error: shown.name,
                hint: t(lang, "staff-venue-offer-name-hint"),
            }
            fieldset { class: "choice-group",
                legend { {t(lang, "staff-venue-offer-kind")} }
                for (kind, id) in [(OfferKind::Ticket, "kind-ticket"), (OfferKind::CoursePlace, "kind-course")] {
                    label { class: "check",
                        input {
                            id,
                            r#type: "radio",
                            name: "kind",
                            checked: d.kind == kind,
                            onchange: move |_| draft.write().kind = kind,
                        }
                        {kind_text(kind, lang)}
                    }
                }
            }
            TextField {
                id: "offer-limit",
                label: t(lang, "staff-venue-offer-limit"),
                value: d.limit.clone(),
                oninput: move |v| draft.write().limit = v,
                error: shown.limit,
                hint: t(lang, "staff-venue-offer-limit-hint"),
                inputmode: "numeric",
            }
            FormError { error: error() }
            button { id: "save-offer", r#type: "submit", class: "primary", disabled: busy(),
                if busy() { {t(lang, "staff-saving")} } else { {t(lang, "staff-venue-offer-save")} }
            }
        }
    }
}

#[component]
pub fn StaffVenueOfferNew(venue: u32) -> Element {
    let lang = use_app().lang();
    rsx! {
        section { class: "staff-venue",
            h1 { {t(lang, "staff-venue-offer-add")} }
            VenueNav { venue }
            OfferForm { venue, editing: None }
        }
    }
}

#[component]
pub fn StaffVenueOfferEdit(venue: u32, offer: u32) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    // The form is drawn once the offer is known, so that it starts from the saved values.
    let found = use_resource(move || {
        let session = ctx.session.peek().clone();
        async move {
            let session = session?;
            let result = session.api().venue_offers(VenueId(venue)).await;
            if let Err(e) = &result {
                ctx.check_signed_out(app, e).await;
            }
            Some(result.map(|list| list.into_iter().find(|o| o.id == OfferId(offer))))
        }
    });
    let shown = found.read().clone().flatten();
    rsx! {
        section { class: "staff-venue",
            h1 { {t(lang, "staff-venue-offer-edit")} }
            VenueNav { venue }
            match shown {
                None => rsx! {
                    p { class: "status", role: "status", {t(lang, "staff-loading")} }
                },
                Some(Ok(Some(o))) if o.closed_at.is_none() => rsx! {
                    OfferForm { venue, editing: Some(o) }
                },
                Some(Ok(Some(_))) => rsx! {
                    p { role: "alert", {t(lang, "staff-venue-offer-closed-already")} }
                },
                Some(Ok(None)) => rsx! {
                    p { role: "alert", {t(lang, "staff-venue-offer-unknown")} }
                },
                Some(Err(e)) => rsx! {
                    FormError { error: Some(error_text(&e, lang)) }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, limit: &str) -> OfferDraft {
        OfferDraft { name: name.into(), kind: OfferKind::CoursePlace, limit: limit.into() }
    }

    #[test]
    fn a_limit_is_a_whole_number_of_places_or_nothing() {
        let ok = check_offer(&draft(" Watercolour course ", ""), Lang::En).expect("no limit is fine");
        assert_eq!((ok.name.as_str(), ok.kind, ok.limit), ("Watercolour course", OfferKind::CoursePlace, None));
        assert_eq!(check_offer(&draft("Matinee", " 1 000 "), Lang::En).map(|o| o.limit), Ok(Some(1000)));
        assert_eq!(check_offer(&draft("Matinee", "100000"), Lang::En).map(|o| o.limit), Ok(Some(100_000)));
        let range = "The daily limit is 1 to 100,000 places. Leave it empty for no limit; to stop an event or course, close it.";
        for bad in ["-1", "0", "100001", "99999999999999999999"] {
            let e = check_offer(&draft("Matinee", bad), Lang::En).expect_err(bad);
            assert_eq!((e.name, e.limit.as_deref()), (None, Some(range)), "{bad}");
        }
        for bad in ["ten", "1.5", "-", "12a"] {
            let e = check_offer(&draft("Matinee", bad), Lang::Fi).expect_err(bad);
            assert!(e.limit.is_some_and(|m| m.starts_with("Kirjoita")), "{bad}");
        }
    }

    #[test]
    fn a_name_is_needed_and_every_problem_is_told_at_once() {
        let e = check_offer(&draft("  ", "0"), Lang::Sv).expect_err("two problems");
        assert_eq!(e.name.as_deref(), Some("Skriv ett namn."));
        assert!(e.limit.is_some());
        let long = "x".repeat(201);
        assert!(check_offer(&draft(&long, ""), Lang::En).expect_err("too long").name.is_some());
    }
}
