//! What is recorded after a yes: the offer, children's tickets and a community card's group
//! members, within what core's rules allow (`Choices`), and the one-tap record button. It reads
//! and edits the door's one state value; what it asks the door to do comes back as events.

use dioxus::prelude::*;
use kaiku_core::redemption::{MAX_GROUP, OfferKind};
use kaiku_core::verdict::Verdict;

use super::ctx::{OfferChoice, use_scanner};
use super::door_state::DoorModel;
use super::manual::ManualEntry;
use crate::holder::grouped_id;
use crate::i18n::{Lang, t, t_args};
use crate::state::use_app;

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
pub fn OfferPicker(id: String, on_change: EventHandler<()>) -> Element {
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
                        on_change.call(());
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

/// The one-tap record button and what it records; in thumb reach at the bottom of the door.
#[component]
pub fn RecordBar(model: Signal<DoorModel>, on_record: EventHandler<()>) -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    let m = model.read();
    let Some(shown) = m.shown.as_ref() else { return rsx! {} };
    let offer = ctx.current_offer();
    let choices = shown.choices(offer.kind);
    let kids = m.kids(choices.children);
    let adults = 1 + m.group.len();
    let needs_group = choices.group_needed && m.group.is_empty();
    let busy = m.busy || m.gate_recording;
    rsx! {
        div { class: "record-bar",
            button {
                r#type: "button",
                id: "record",
                class: "primary record-button",
                disabled: busy || needs_group,
                aria_describedby: "record-what",
                onclick: move |_| on_record.call(()),
                if busy {
                    {t(lang, "scan-recording")}
                } else {
                    {record_label(lang, offer.kind, adults, kids)}
                }
            }
            p { id: "record-what", class: "record-what", "{people(lang, adults, kids)} · {offer_label(lang, &offer)}" }
        }
    }
}

/// The choices under an admitting verdict: the offer, children's tickets, group members.
#[component]
pub fn RedemptionForm(
    model: Signal<DoorModel>,
    on_member: EventHandler<String>,
    on_offer: EventHandler<()>,
) -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    let m = model.read().clone();
    let Some(shown) = m.shown.as_ref() else { return rsx! {} };
    let offer = ctx.current_offer();
    let choices = shown.choices(offer.kind);
    let limit = choices.children;
    let kids = m.kids(limit);
    let group = m.group.clone();
    let needs_group = choices.group_needed && group.is_empty();
    let personal_minors = matches!(&shown.verdict, Verdict::Valid(a) if a.kind == kaiku_core::card::CardKind::Personal);
    let unverified = matches!(shown.verdict, Verdict::ValidUnverified { .. });
    rsx! {
        div { class: "redemption-form",
            if needs_group {
                p { class: "notice notice-soon", {t(lang, "scan-group-needed")} }
            }
            div { role: "alert", class: "form-error",
                if let Some(message) = m.error.clone() {
                    p { "{message}" }
                }
            }
            OfferPicker { id: "offer-form", on_change: on_offer }
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
                                let mut m = model.write();
                                m.children = m.kids(limit).saturating_sub(1);
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
                                let mut m = model.write();
                                m.children = (m.kids(limit) + 1).min(limit);
                            },
                            "+"
                        }
                    }
                    p { class: "hint",
                        if personal_minors {
                            {t_args(lang, "scan-children-max", &[("max", limit.into())])}
                        } else if unverified {
                            {t(lang, "scan-children-unverified")}
                        }
                    }
                }
            }
            if choices.group {
                fieldset { class: "group",
                    legend { {t(lang, "scan-group-title")} }
                    if !choices.group_needed {
                        p { class: "hint", {t(lang, "scan-group-unverified-hint")} }
                    }
                    ul { class: "group-list",
                        for member in group.iter().copied() {
                            li { key: "{member}",
                                span { class: "group-id", "{grouped_id(&member.to_string())}" }
                                button {
                                    r#type: "button",
                                    onclick: move |_| model.write().group.retain(|g| *g != member),
                                    {t_args(lang, "scan-member-remove", &[("id", member.to_string().into())])}
                                }
                            }
                        }
                    }
                    if let Some((ok, note)) = m.member_note.clone() {
                        p { class: if ok { "member-note member-ok" } else { "member-note member-bad" }, role: "status", "{note}" }
                    }
                    if m.adding {
                        p { class: "hint", {t(lang, "scan-member-scan")} }
                        ManualEntry {
                            lang,
                            id: "member",
                            label: t(lang, "scan-manual-label"),
                            button: t(lang, "scan-manual-add"),
                            on_submit: move |text: String| on_member.call(text),
                        }
                        button { r#type: "button", id: "member-done", onclick: move |_| model.write().adding = false, {t(lang, "scan-member-done")} }
                    } else if group.len() < MAX_GROUP {
                        button {
                            r#type: "button",
                            id: "add-member",
                            class: if needs_group { "primary" } else { "" },
                            onclick: move |_| model.write().adding = true,
                            {t(lang, "scan-add-member")}
                        }
                    }
                }
            }
        }
    }
}
