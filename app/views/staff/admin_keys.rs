//! An administrator's signing keys: the list (which one signs new credentials), adding a key
//! (published at once for the scanners, not yet signing) and making one the signing key after
//! a confirmation: scanners that have not synced since it was added do not know it yet.
//! Retiring a key (from a day, after a confirmation) makes scanners refuse its credentials.

use chrono::NaiveDate;
use dioxus::prelude::*;

use super::client::{StaffRole, error_text};
use super::client_setup::SigningKey;
use super::session::use_staff;
use super::venue_parts::Confirm;
use crate::components::{FormError, TableScroll, TextField};
use crate::i18n::{Lang, date, t, t_args};
use crate::state::{now, use_app};

/// What the screen asks the server to do.
#[derive(Debug, Clone, Copy, PartialEq)]
enum KeyAction {
    Add,
    Activate(u16),
    Retire(u16, NaiveDate),
}

#[component]
pub fn StaffKeys() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let role = ctx.session.read().as_ref().map_or(StaffRole::Other, |s| s.me.role());
    let mut keys = use_resource(move || async move {
        let session = ctx.session.peek().clone()?;
        let result = session.api().signing_keys().await;
        if let Err(e) = &result {
            ctx.check_signed_out(app, e).await;
        }
        Some(result.map_err(|e| error_text(&e, app.lang())))
    });
    let mut asking = use_signal(|| None::<u16>);
    // The key being retired, the day typed, what is wrong with it, and the day to confirm.
    let mut retiring = use_signal(|| None::<u16>);
    let mut retire_from = use_signal(|| today().format("%Y-%m-%d").to_string());
    let mut retire_error = use_signal(|| None::<String>);
    let mut confirm_retire = use_signal(|| None::<NaiveDate>);
    let mut error = use_signal(|| None::<String>);
    let mut done = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    let mut act = move |action: KeyAction| {
        let Some(session) = ctx.session.peek().clone() else { return };
        busy.set(true);
        error.set(None);
        done.set(None);
        spawn(async move {
            let api = session.api();
            let result = match action {
                KeyAction::Activate(id) => api.activate_signing_key(id).await,
                KeyAction::Add => api.add_signing_key(false).await,
                KeyAction::Retire(id, from) => api.retire_signing_key(id, from).await,
            };
            busy.set(false);
            asking.set(None);
            confirm_retire.set(None);
            let lang = app.lang();
            match result {
                Ok(k) => {
                    let message = match (k.retired_from, action) {
                        (Some(from), KeyAction::Retire(..)) => {
                            retiring.set(None);
                            t_args(
                                lang,
                                "staff-key-retired-done",
                                &[("id", k.id.into()), ("from", date(lang, from).into())],
                            )
                        }
                        _ if k.active => t_args(lang, "staff-key-activated", &[("id", k.id.into())]),
                        _ => t_args(lang, "staff-key-added", &[("id", k.id.into())]),
                    };
                    done.set(Some(message));
                    keys.restart();
                }
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };

    if role != StaffRole::Admin {
        return rsx! {
            section { class: "staff-keys",
                h1 { {t(lang, "staff-keys")} }
                p { class: "notice", {t(lang, "staff-error-forbidden")} }
            }
        };
    }
    let listed = keys.read().clone().flatten();
    rsx! {
        section { class: "staff-keys",
            h1 { {t(lang, "staff-keys")} }
            p { {t(lang, "staff-keys-intro")} }
            FormError { error: error() }
            p { id: "key-done", role: "status", {done().unwrap_or_default()} }
            if let Some(id) = asking() {
                Confirm {
                    id: "confirm-activate",
                    question: t_args(lang, "staff-key-activate-question", &[("id", id.into())]),
                    yes: t_args(lang, "staff-key-activate-for", &[("id", id.into())]),
                    busy: busy(),
                    on_yes: move |_| act(KeyAction::Activate(id)),
                    on_no: move |_| asking.set(None),
                }
            }
            match listed {
                None => rsx! { p { role: "status", {t(lang, "staff-loading-list")} } },
                Some(Err(message)) => rsx! { FormError { error: message } },
                Some(Ok(list)) => rsx! {
                    KeyTable {
                        list,
                        busy: busy(),
                        on_activate: move |id| asking.set(Some(id)),
                        on_retire: move |id| {
                            retiring.set(Some(id));
                            retire_error.set(None);
                            confirm_retire.set(None);
                        },
                    }
                },
            }
            if let Some(id) = retiring() {
                section { class: "retire-key", aria_labelledby: "retire-key-title",
                    h2 { id: "retire-key-title", {t_args(lang, "staff-key-retire-title", &[("id", id.into())])} }
                    p { class: "hint", {t(lang, "staff-key-retire-hint")} }
                    TextField {
                        id: "retire-from",
                        label: t(lang, "staff-key-retire-from"),
                        value: retire_from(),
                        oninput: move |v| {
                            retire_from.set(v);
                            confirm_retire.set(None);
                        },
                        error: retire_error(),
                        kind: "date",
                    }
                    match confirm_retire() {
                        Some(from) => rsx! {
                            Confirm {
                                id: "confirm-retire",
                                question: t_args(lang, "staff-key-retire-question", &[("id", id.into()), ("from", date(lang, from).into())]),
                                yes: t_args(lang, "staff-key-retire-yes", &[("id", id.into())]),
                                busy: busy(),
                                on_yes: move |_| act(KeyAction::Retire(id, from)),
                                on_no: move |_| {
                                    confirm_retire.set(None);
                                    retiring.set(None);
                                },
                            }
                        },
                        None => rsx! {
                            button {
                                id: "retire-key-go",
                                r#type: "button",
                                class: "danger",
                                disabled: busy(),
                                onclick: move |_| {
                                    let day = parse_day(&retire_from.read());
                                    retire_error.set(day.is_none().then(|| t(lang, "staff-key-retire-date-empty")));
                                    confirm_retire.set(day);
                                },
                                {t_args(lang, "staff-key-retire-yes", &[("id", id.into())])}
                            }
                        },
                    }
                }
            }
            h2 { {t(lang, "staff-key-new")} }
            p { class: "hint", {t(lang, "staff-key-new-hint")} }
            button { id: "add-key", r#type: "button", class: "primary", disabled: busy(), onclick: move |_| act(KeyAction::Add),
                {t(lang, "staff-key-add")}
            }
        }
    }
}

/// Today on this device's calendar.
fn today() -> NaiveDate {
    now().with_timezone(&chrono::Local).date_naive()
}

/// A day typed in a date field (`YYYY-MM-DD`, what browsers send).
fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

#[component]
fn KeyTable(
    list: Vec<SigningKey>,
    busy: bool,
    on_activate: EventHandler<u16>,
    on_retire: EventHandler<u16>,
) -> Element {
    let lang = use_app().lang();
    rsx! {
        TableScroll { label: t(lang, "staff-keys-caption"),
            table { id: "keys", class: "setup-table",
                caption { {t(lang, "staff-keys-caption")} }
                thead {
                    tr {
                        th { scope: "col", {t(lang, "staff-key-id")} }
                        th { scope: "col", {t(lang, "staff-key-created")} }
                        th { scope: "col", {t(lang, "staff-key-state")} }
                    }
                }
                tbody {
                    for k in list {
                        tr { key: "{k.id}",
                            th { scope: "row", "{k.id}" }
                            td { {date(lang, k.created_at.with_timezone(&chrono::Local).date_naive())} }
                            td { id: "key-{k.id}-state",
                                KeyState { lang, signing: k.clone(), busy, on_activate, on_retire }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What a key does now, and the buttons that change it.
#[component]
fn KeyState(
    lang: Lang,
    signing: SigningKey,
    busy: bool,
    on_activate: EventHandler<u16>,
    on_retire: EventHandler<u16>,
) -> Element {
    let id = signing.id;
    rsx! {
        if let Some(from) = signing.retired_from {
            span { {t_args(lang, "staff-key-retired", &[("from", date(lang, from).into())])} }
        } else if signing.active {
            strong { {t(lang, "staff-key-active")} }
        } else {
            span { {t(lang, "staff-key-published")} " " }
            button {
                id: "activate-key-{id}",
                r#type: "button",
                disabled: busy,
                onclick: move |_| on_activate.call(id),
                {t_args(lang, "staff-key-activate-for", &[("id", id.into())])}
            }
            " "
            button {
                id: "retire-key-{id}",
                r#type: "button",
                disabled: busy,
                onclick: move |_| on_retire.call(id),
                {t_args(lang, "staff-key-retire-for", &[("id", id.into())])}
            }
        }
        if let Some(by) = signing.endorsed_by {
            br {}
            span { class: "hint", {t_args(lang, "staff-key-endorsed-by", &[("id", by.into())])} }
        }
    }
}
