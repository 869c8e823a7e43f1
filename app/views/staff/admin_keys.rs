//! An administrator's signing keys: the list (which one signs new credentials), adding a key
//! (published at once for the scanners, not yet signing) and making one the signing key after
//! a confirmation: scanners that have not synced since it was added do not know it yet.

use dioxus::prelude::*;

use super::client::{StaffRole, error_text};
use super::client_setup::SigningKey;
use super::session::use_staff;
use super::venue_parts::Confirm;
use crate::components::{FormError, TableScroll};
use crate::i18n::{date, t, t_args};
use crate::state::use_app;

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
    let mut error = use_signal(|| None::<String>);
    let mut done = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    // Adds a key (`None`) or makes key `Some(id)` the signing one.
    let mut act = move |activate: Option<u16>| {
        let Some(session) = ctx.session.peek().clone() else { return };
        busy.set(true);
        error.set(None);
        done.set(None);
        spawn(async move {
            let api = session.api();
            let result = match activate {
                Some(id) => api.activate_signing_key(id).await,
                None => api.add_signing_key(false).await,
            };
            busy.set(false);
            asking.set(None);
            let lang = app.lang();
            match result {
                Ok(k) => {
                    let id = if k.active { "staff-key-activated" } else { "staff-key-added" };
                    done.set(Some(t_args(lang, id, &[("id", k.id.into())])));
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
                    on_yes: move |_| act(Some(id)),
                    on_no: move |_| asking.set(None),
                }
            }
            match listed {
                None => rsx! { p { role: "status", {t(lang, "staff-loading-list")} } },
                Some(Err(message)) => rsx! { FormError { error: message } },
                Some(Ok(list)) => rsx! { KeyTable { list, busy: busy(), on_activate: move |id| asking.set(Some(id)) } },
            }
            h2 { {t(lang, "staff-key-new")} }
            p { class: "hint", {t(lang, "staff-key-new-hint")} }
            button { id: "add-key", r#type: "button", class: "primary", disabled: busy(), onclick: move |_| act(None),
                {t(lang, "staff-key-add")}
            }
        }
    }
}

#[component]
fn KeyTable(list: Vec<SigningKey>, busy: bool, on_activate: EventHandler<u16>) -> Element {
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
                                if k.active {
                                    strong { {t(lang, "staff-key-active")} }
                                } else {
                                    span { {t(lang, "staff-key-published")} " " }
                                    button {
                                        id: "activate-key-{k.id}",
                                        r#type: "button",
                                        disabled: busy,
                                        onclick: move |_| on_activate.call(k.id),
                                        {t_args(lang, "staff-key-activate-for", &[("id", k.id.into())])}
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
