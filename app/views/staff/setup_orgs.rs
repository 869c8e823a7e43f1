//! A region's organisations (coordinators: their own region; administrators: a chosen one):
//! its card distributors and venues, each with a form to add one. A venue is added with its
//! first offer in one form, so that its scanners have something to record from day one.

use dioxus::prelude::*;
use kaiku_core::ids::VenueId;
use kaiku_core::redemption::OfferKind;

use super::client::{Org, StaffRole, error_text};
use super::client_setup::OrgEntry;
use super::session::use_staff;
use super::venue_offer_form::{OfferDraft, OfferErrors, check_offer};
use super::venue_parts::kind_text;
use crate::components::{FormError, TextField};
use crate::i18n::{Lang, t, t_args};
use crate::state::use_app;

/// The longest name of an organisation the server takes, in characters.
const MAX_NAME: usize = 200;

/// What is wrong with a typed name: `empty` (a message id) when there is none.
pub fn name_problem(name: &str, empty: &str, lang: Lang) -> Option<String> {
    let n = name.trim().chars().count();
    if n == 0 {
        Some(t(lang, empty))
    } else if n > MAX_NAME {
        Some(t_args(lang, "staff-name-long", &[("max", MAX_NAME.into())]))
    } else {
        None
    }
}

/// The regions to choose from (an administrator), or the coordinator's own.
async fn regions(ctx: super::StaffCtx, app: crate::state::AppState) -> Result<Vec<Org>, String> {
    let Some(session) = ctx.session.peek().clone() else { return Ok(Vec::new()) };
    match session.api().regions().await {
        Ok(list) => Ok(list),
        Err(e) => {
            ctx.check_signed_out(app, &e).await;
            Err(error_text(&e, app.lang()))
        }
    }
}

#[component]
pub fn StaffOrganisations() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let role = ctx.session.read().as_ref().map_or(StaffRole::Other, |s| s.me.role());
    let regions = use_resource(move || regions(ctx, app));
    // An administrator's choice; until one is made, the first region.
    let mut chosen = use_signal(|| None::<i64>);

    if !matches!(role, StaffRole::Admin | StaffRole::Coordinator) {
        return rsx! {
            section { class: "staff-orgs",
                h1 { {t(lang, "staff-organisations")} }
                p { class: "notice", {t(lang, "staff-error-forbidden")} }
            }
        };
    }
    let list = regions.read().clone();
    let region = match &list {
        Some(Ok(rs)) => chosen().and_then(|c| rs.iter().find(|r| r.id == c)).or(rs.first()).cloned(),
        _ => None,
    };
    rsx! {
        section { class: "staff-orgs",
            h1 { {t(lang, "staff-organisations")} }
            match list {
                None => rsx! { p { role: "status", {t(lang, "staff-loading-list")} } },
                Some(Err(message)) => rsx! { FormError { error: message } },
                Some(Ok(rs)) if rs.is_empty() => rsx! { p { id: "regions-none", {t(lang, "staff-regions-none")} } },
                Some(Ok(rs)) => rsx! {
                    if role == StaffRole::Admin {
                        label { r#for: "orgs-region", {t(lang, "staff-scope-coordinator")} }
                        select { id: "orgs-region", name: "region", onchange: move |e| chosen.set(e.value().parse().ok()),
                            for r in rs {
                                option { value: "{r.id}", selected: region.as_ref().is_some_and(|c| c.id == r.id), "{r.name}" }
                            }
                        }
                    }
                },
            }
            if let Some(r) = region {
                RegionOrgs { key: "{r.id}", region: r }
            }
        }
    }
}

/// The distributors and venues of one region, with the forms to add them.
#[component]
fn RegionOrgs(region: Org) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let id = region.id;
    let mut listing = use_resource(move || async move {
        let Some(session) = ctx.session.peek().clone() else { return Ok((Vec::new(), Vec::new())) };
        let api = session.api();
        let result = match api.orgs_of("distributors", Some(id)).await {
            Ok(d) => api.orgs_of("venues", Some(id)).await.map(|v| (d, v)),
            Err(e) => Err(e),
        };
        if let Err(e) = &result {
            ctx.check_signed_out(app, e).await;
        }
        result.map_err(|e| error_text(&e, app.lang()))
    });
    let listed = listing.read().clone();
    let (distributors, venues, problem): (Vec<OrgEntry>, Vec<OrgEntry>, Option<String>) = match listed {
        Some(Ok((d, v))) => (d, v, None),
        Some(Err(message)) => (Vec::new(), Vec::new(), Some(message)),
        None => (Vec::new(), Vec::new(), None),
    };
    rsx! {
        p { id: "orgs-of", class: "hint", {t_args(lang, "staff-orgs-of", &[("region", region.name.clone().into())])} }
        FormError { error: problem }
        h2 { {t(lang, "staff-distributors")} }
        OrgList { id: "distributors", items: distributors, empty: t(lang, "staff-distributors-none") }
        DistributorForm { region: id, on_created: move |_| listing.restart() }
        h2 { {t(lang, "staff-venues")} }
        OrgList { id: "venues", items: venues, empty: t(lang, "staff-venues-none") }
        VenueForm { region: id, on_created: move |_| listing.restart() }
    }
}

#[component]
fn OrgList(id: String, items: Vec<OrgEntry>, empty: String) -> Element {
    rsx! {
        if items.is_empty() {
            p { id: "{id}-none", "{empty}" }
        } else {
            ul { id: "{id}", class: "card-list",
                for o in items {
                    li { key: "{o.id}", "{o.name}" }
                }
            }
        }
    }
}

#[component]
fn DistributorForm(region: i64, on_created: EventHandler<()>) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let mut name = use_signal(String::new);
    let mut name_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let mut done = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let Some(session) = ctx.session.peek().clone() else { return };
        let typed = name.peek().trim().to_owned();
        name_error.set(name_problem(&typed, "staff-distributor-name-empty", lang));
        error.set(None);
        done.set(None);
        if name_error.peek().is_some() {
            return;
        }
        busy.set(true);
        spawn(async move {
            let result = session.api().create_org("distributors", region, &typed).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    name.set(String::new());
                    done.set(Some(t_args(lang, "staff-distributor-created", &[("name", typed.into())])));
                    on_created.call(());
                }
                Err(e) if e.code() == "invalid_value" => name_error.set(Some(error_text(&e, lang))),
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };
    rsx! {
        form { id: "distributor-form", onsubmit: submit, novalidate: true,
            TextField {
                id: "distributor-name",
                label: t(lang, "staff-distributor-name"),
                value: name(),
                oninput: move |v| name.set(v),
                error: name_error(),
                hint: t(lang, "staff-distributor-name-hint"),
            }
            FormError { error: error() }
            p { id: "distributor-created", role: "status", {done().unwrap_or_default()} }
            button { id: "create-distributor", r#type: "submit", class: "primary", disabled: busy(), {t(lang, "staff-distributor-create")} }
        }
    }
}

/// A new venue and its first offer. If the venue is saved but the offer is refused, the venue
/// is kept (not made twice on the next try) and only the offer is sent again.
#[component]
fn VenueForm(region: i64, on_created: EventHandler<()>) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let mut name = use_signal(String::new);
    let mut offer = use_signal(OfferDraft::default);
    let mut name_error = use_signal(|| None::<String>);
    let mut offer_errors = use_signal(OfferErrors::default);
    let mut error = use_signal(|| None::<String>);
    let mut done = use_signal(|| None::<String>);
    // The venue saved by an earlier try whose offer was refused: its name and id.
    let mut saved = use_signal(|| None::<(String, i64)>);
    let mut busy = use_signal(|| false);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let Some(session) = ctx.session.peek().clone() else { return };
        let typed = name.peek().trim().to_owned();
        let checked = check_offer(&offer.peek(), lang);
        name_error.set(name_problem(&typed, "staff-setup-venue-name-empty", lang));
        offer_errors.set(checked.as_ref().err().cloned().unwrap_or_default());
        done.set(None);
        let fields = match checked {
            Ok(f) if name_error.peek().is_none() => f,
            _ => {
                error.set(Some(t(lang, "staff-check-fields")));
                return;
            }
        };
        error.set(None);
        busy.set(true);
        spawn(async move {
            let api = session.api();
            let earlier = saved.peek().clone().filter(|(n, _)| *n == typed).map(|(_, id)| id);
            let venue = match earlier {
                Some(id) => Ok(id),
                None => api.create_org("venues", region, &typed).await,
            };
            let venue = match venue {
                Ok(id) => id,
                Err(e) => {
                    busy.set(false);
                    if e.code() == "invalid_value" {
                        name_error.set(Some(error_text(&e, lang)));
                    } else {
                        ctx.tell_refusal(app, &e, error).await;
                    }
                    return;
                }
            };
            saved.set(Some((typed.clone(), venue)));
            // The server's ids fit in u32; a 0 would only be refused as an unknown venue.
            let added = api.add_offer(VenueId(u32::try_from(venue).unwrap_or(0)), &fields).await.map(|_| ());
            busy.set(false);
            on_created.call(());
            match added {
                Ok(()) => {
                    saved.set(None);
                    name.set(String::new());
                    offer.set(OfferDraft::default());
                    let args = [("name", typed.into()), ("offer", fields.name.into())];
                    done.set(Some(t_args(lang, "staff-setup-venue-created", &args)));
                }
                Err(e) => {
                    if !ctx.check_signed_out(app, &e).await {
                        let why = error_text(&e, lang);
                        error.set(Some(t_args(lang, "staff-setup-venue-saved-offer-not", &[("reason", why.into())])));
                    }
                }
            }
        });
    };

    let d = offer.read().clone();
    let shown = offer_errors.read().clone();
    rsx! {
        form { id: "venue-form", onsubmit: submit, novalidate: true,
            TextField {
                id: "venue-name",
                label: t(lang, "staff-setup-venue-name"),
                value: name(),
                oninput: move |v| name.set(v),
                error: name_error(),
                hint: t(lang, "staff-setup-venue-name-hint"),
            }
            fieldset { class: "choice-group",
                legend { {t(lang, "staff-setup-venue-first-offer")} }
                TextField {
                    id: "offer-name",
                    label: t(lang, "staff-venue-offer-name"),
                    value: d.name.clone(),
                    oninput: move |v| offer.write().name = v,
                    error: shown.name,
                    hint: t(lang, "staff-venue-offer-name-hint"),
                }
                label { r#for: "offer-kind", {t(lang, "staff-venue-offer-kind")} }
                select {
                    id: "offer-kind",
                    name: "kind",
                    onchange: move |e| offer.write().kind = if e.value() == "course_place" { OfferKind::CoursePlace } else { OfferKind::Ticket },
                    for (kind, value) in [(OfferKind::Ticket, "ticket"), (OfferKind::CoursePlace, "course_place")] {
                        option { value, selected: d.kind == kind, {kind_text(kind, lang)} }
                    }
                }
                TextField {
                    id: "offer-limit",
                    label: t(lang, "staff-venue-offer-limit"),
                    value: d.limit.clone(),
                    oninput: move |v| offer.write().limit = v,
                    error: shown.limit,
                    hint: t(lang, "staff-venue-offer-limit-hint"),
                    inputmode: "numeric",
                }
            }
            FormError { error: error() }
            p { id: "venue-created", role: "status", {done().unwrap_or_default()} }
            button { id: "create-venue", r#type: "submit", class: "primary", disabled: busy(), {t(lang, "staff-setup-venue-create")} }
        }
    }
}
