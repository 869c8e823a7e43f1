//! What is recorded after a yes: the offer, children's tickets (only with tickets, never beyond
//! the minors on record), a community card's group members (each with their own card), and the
//! one-tap button for the common case.

use dioxus::prelude::*;
use kaiku_core::background::MAX_MINORS;
use kaiku_core::card::CardKind;
use kaiku_core::redemption::{MAX_GROUP, OfferKind};
use kaiku_core::verdict::Verdict;

use super::ctx::{OfferChoice, use_scanner};
use super::door::DoorState;
use super::manual::ManualEntry;
use crate::holder::grouped_id;
use crate::i18n::{Lang, t, t_args};
use crate::state::use_app;

/// How many children's tickets the form allows for `verdict` and an offer of `kind`.
pub fn children_limit(verdict: &Verdict, kind: OfferKind) -> u8 {
    if kind == OfferKind::CoursePlace {
        return 0;
    }
    match verdict {
        Verdict::Valid(a) if a.kind == CardKind::Personal => a.minors_on_record,
        // A community card's accompanied clients under 18, and an unverified card (the server
        // checks it against the register): the register's own upper bound.
        Verdict::Valid(_) | Verdict::ValidUnverified { .. } => MAX_MINORS,
        _ => 0,
    }
}

/// Whether the card may bring group members: a community card, or (as an option) a card the
/// device could not check.
pub fn group_allowed(verdict: &Verdict, kind: OfferKind) -> bool {
    let card_may = match verdict {
        Verdict::Valid(a) => a.kind == CardKind::Community,
        Verdict::ValidUnverified { .. } => true,
        _ => false,
    };
    card_may && kind == OfferKind::Ticket
}

/// Whether the card needs group members before it can be recorded.
pub fn group_needed(verdict: &Verdict) -> bool {
    matches!(verdict, Verdict::Valid(a) if a.kind == CardKind::Community)
}

/// "1 adult, 2 children".
pub fn people(lang: Lang, adults: usize, children: u8) -> String {
    let a = t_args(lang, "scan-adults", &[("n", adults.into())]);
    if children == 0 { a } else { format!("{a}, {}", t_args(lang, "scan-children", &[("n", children.into())])) }
}

/// The offer's name as staff see it: "Hamlet · Ticket", or just "Ticket".
pub fn offer_label(lang: Lang, offer: &OfferChoice) -> String {
    let kind = t(
        lang,
        match offer.kind {
            OfferKind::Ticket => "scan-offer-ticket",
            OfferKind::CoursePlace => "scan-offer-course",
        },
    );
    if offer.name.is_empty() { kind } else { format!("{} · {kind}", offer.name) }
}

/// The words on the record button.
pub fn record_label(lang: Lang, kind: OfferKind, adults: usize, children: u8) -> String {
    match kind {
        OfferKind::CoursePlace => t(lang, "scan-record-course"),
        OfferKind::Ticket if adults == 1 && children == 0 => t(lang, "scan-record-one-ticket"),
        OfferKind::Ticket => t_args(lang, "scan-record-tickets", &[("count", (adults + usize::from(children)).into())]),
    }
}

/// The offer picker; changing it re-decides the shown card (a community card is not for course places).
#[component]
pub fn OfferPicker(id: String, door: DoorState) -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    let choices = ctx.offer_choices();
    let current = ctx.current_offer();
    let used = ctx
        .today
        .read()
        .by_offer
        .iter()
        .filter(|c| c.offer == current.kind && c.offer_id == current.id)
        .map(|c| c.people)
        .sum::<u32>();
    rsx! {
        div { class: "offer-picker",
            label { r#for: "{id}", {t(lang, "scan-offer")} }
            select {
                id: "{id}",
                value: "{current.key()}",
                onchange: move |e| {
                    let key = e.value();
                    if let Some(choice) = ctx.offer_choices().into_iter().find(|c| c.key() == key) {
                        ctx.choose_offer(choice);
                        door.run(door.redecide());
                    }
                },
                for c in choices {
                    option { value: "{c.key()}", selected: c.key() == current.key(), "{offer_label(lang, &c)}" }
                }
            }
            if let Some(limit) = current.limit {
                p { class: if used >= limit { "hint offer-full" } else { "hint" },
                    {t_args(lang, "scan-offer-used", &[("used", used.into()), ("limit", limit.into())])}
                }
            }
        }
    }
}

/// The form under an admitting verdict.
#[component]
pub fn RedemptionForm(door: DoorState) -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    let Some(shown) = door.shown.read().clone() else { return rsx! {} };
    let offer = ctx.current_offer();
    let limit = children_limit(&shown.verdict, offer.kind);
    let mut children = door.children;
    let kids = (*children.read()).min(limit);
    let group = door.group.read().clone();
    let adults = 1 + group.len();
    let needs_group = group_needed(&shown.verdict) && group.is_empty();
    let busy = *door.busy.read();
    let personal_minors = matches!(&shown.verdict, Verdict::Valid(a) if a.kind == CardKind::Personal);
    let mut adding = door.adding;
    rsx! {
        div { class: "redemption-form",
            // The common case in one tap: right under the verdict.
            button {
                r#type: "button",
                id: "record",
                class: "primary record-button",
                disabled: busy || needs_group,
                aria_describedby: "record-what",
                onclick: move |_| door.run(door.record(app.server())),
                if busy {
                    {t(lang, "scan-recording")}
                } else {
                    {record_label(lang, offer.kind, adults, kids)}
                }
            }
            p { id: "record-what", class: "record-what",
                "{people(lang, adults, kids)} · {offer_label(lang, &offer)}"
            }
            if needs_group {
                p { class: "notice notice-soon", {t(lang, "scan-group-needed")} }
            }
            div { role: "alert", class: "form-error",
                if let Some(message) = door.error.read().clone() {
                    p { "{message}" }
                }
            }
            OfferPicker { id: "offer-form", door }
            // Children's tickets: only with a ticket, within the minors on record.
            fieldset { class: "children",
                legend { {t(lang, "scan-children-label")} }
                if offer.kind == OfferKind::CoursePlace {
                    p { class: "hint", {t(lang, "scan-children-course")} }
                } else if limit == 0 {
                    p { class: "hint", {t_args(lang, "card-children", &[("count", 0.into())])} }
                } else {
                    div { class: "stepper",
                        button {
                            r#type: "button",
                            id: "children-less",
                            aria_label: "{t(lang, \"scan-children-less\")}",
                            disabled: kids == 0,
                            onclick: move |_| {
                                let n = (*children.peek()).min(limit);
                                children.set(n.saturating_sub(1));
                            },
                            "−"
                        }
                        output { id: "children-count", aria_live: "polite", class: "stepper-value", "{kids}" }
                        button {
                            r#type: "button",
                            id: "children-more",
                            aria_label: "{t(lang, \"scan-children-more\")}",
                            disabled: kids >= limit,
                            onclick: move |_| {
                                let n = (*children.peek()).min(limit);
                                if n < limit {
                                    children.set(n + 1);
                                }
                            },
                            "+"
                        }
                    }
                    p { class: "hint",
                        if personal_minors {
                            {t_args(lang, "scan-children-max", &[("max", limit.into())])}
                        } else if matches!(shown.verdict, Verdict::ValidUnverified { .. }) {
                            {t(lang, "scan-children-unverified")}
                        }
                    }
                }
            }
            if group_allowed(&shown.verdict, offer.kind) {
                fieldset { class: "group",
                    legend { {t(lang, "scan-group-title")} }
                    if !group_needed(&shown.verdict) {
                        p { class: "hint", {t(lang, "scan-group-unverified-hint")} }
                    }
                    ul { class: "group-list",
                        for member in group.iter().copied() {
                            li { key: "{member}",
                                span { class: "group-id", "{grouped_id(&member.to_string())}" }
                                button {
                                    r#type: "button",
                                    onclick: move |_| {
                                        let mut g = door.group;
                                        g.write().retain(|m| *m != member);
                                    },
                                    {t_args(lang, "scan-member-remove", &[("id", member.to_string().into())])}
                                }
                            }
                        }
                    }
                    if let Some((ok, note)) = door.member_note.read().clone() {
                        p { class: if ok { "member-note member-ok" } else { "member-note member-bad" }, role: "status", "{note}" }
                    }
                    if *adding.read() {
                        p { class: "hint", {t(lang, "scan-member-scan")} }
                        ManualEntry {
                            lang,
                            id: "member",
                            label: t(lang, "scan-manual-label"),
                            button: t(lang, "scan-manual-add"),
                            on_submit: move |text: String| door.run(door.add_member(kaiku_core::ScanInput::parse(&text))),
                        }
                        button { r#type: "button", id: "member-done", onclick: move |_| adding.set(false), {t(lang, "scan-member-done")} }
                    } else if group.len() < MAX_GROUP {
                        button {
                            r#type: "button",
                            id: "add-member",
                            class: if needs_group { "primary" } else { "" },
                            onclick: move |_| adding.set(true),
                            {t(lang, "scan-add-member")}
                        }
                    }
                }
            }
        }
    }
}
