//! A venue's scanner devices: each with its name, when it was enrolled, when it last sent uses
//! and how many; revoking one after a question (a lost phone must no longer sync). Revoked ones
//! stay listed, marked: their uses still count.

use dioxus::prelude::*;
use kaiku_core::ids::{DeviceId, VenueId};

use super::client_venue::DeviceRow;
use super::session::use_staff;
use super::venue_parts::{Confirm, DoneAndError, VenueNav, may_manage_devices, when_text};
use crate::i18n::{date, t, t_args};
use crate::routes::staff::Route;
use crate::state::use_app;

#[component]
pub fn StaffVenueDevices(venue: u32) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let mut devices = use_signal(|| None::<Vec<DeviceRow>>);
    let mut error = use_signal(|| None::<String>);
    let mut asking = use_signal(|| None::<DeviceId>);
    let mut done = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let allowed = may_manage_devices(ctx);

    let load = use_callback(move |()| {
        let Some(session) = ctx.session.peek().clone() else { return };
        spawn(async move {
            match session.api().venue_devices(VenueId(venue)).await {
                Ok(list) => devices.set(Some(list)),
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    });
    use_hook(move || load.call(()));

    let revoke = use_callback(move |(id, label): (DeviceId, String)| {
        let Some(session) = ctx.session.peek().clone() else { return };
        busy.set(true);
        error.set(None);
        spawn(async move {
            let result = session.api().revoke_device(id).await;
            busy.set(false);
            asking.set(None);
            let lang = app.lang();
            match result {
                // Revoked now, or by someone else a moment ago: either way the list is read again.
                Err(e) if e.code() != "conflict" => {
                    ctx.tell_refusal(app, &e, error).await;
                }
                _ => {
                    if let Some(list) = devices.write().as_mut() {
                        list.iter_mut().filter(|d| d.id == id).for_each(|d| d.revoked = true);
                    }
                    done.set(Some(t_args(lang, "staff-venue-revoked-done", &[("label", label.into())])));
                    load.call(());
                }
            }
        });
    });

    let list = devices.read().clone();
    rsx! {
        section { class: "staff-venue",
            h1 { {t(lang, "staff-venue-devices")} }
            VenueNav { venue }
            if allowed {
                Link { id: "add-scanner", class: "button primary", to: Route::StaffVenueAddScanner { venue }, {t(lang, "staff-venue-add-scanner")} }
            } else {
                p { class: "hint", {t(lang, "staff-venue-devices-venue-only")} }
            }
            DoneAndError { id: "devices-done", done: done(), error: error() }
            match list {
                None => rsx! {},
                Some(list) if list.is_empty() => rsx! {
                    p { id: "devices-none", {t(lang, "staff-venue-devices-none")} }
                },
                Some(list) => rsx! {
                    ul { id: "devices", class: "venue-list",
                        for d in list {
                            li { key: "{d.id}", id: "device-{d.id}", class: if d.revoked { "closed" } else { "" },
                                h2 { "{d.label}" }
                                if d.revoked {
                                    p { id: "device-{d.id}-revoked", class: "revoked", {t(lang, "staff-venue-device-revoked")} }
                                }
                                dl { class: "who",
                                    dt { {t(lang, "staff-venue-device-enrolled")} }
                                    dd { {date(lang, d.enrolled_at.with_timezone(&chrono::Local).date_naive())} }
                                    dt { {t(lang, "staff-venue-device-last-sync")} }
                                    dd { id: "device-{d.id}-sync",
                                        {d.last_sync.map_or_else(|| t(lang, "staff-venue-device-never"), |at| when_text(at, lang))}
                                    }
                                    dt { {t(lang, "staff-venue-device-sent")} }
                                    dd { id: "device-{d.id}-sent", "{d.redemptions}" }
                                }
                                if allowed && !d.revoked {
                                    if asking() == Some(d.id) {
                                        Confirm {
                                            id: "revoke-{d.id}",
                                            question: t_args(lang, "staff-venue-revoke-question", &[("label", d.label.clone().into())]),
                                            yes: t(lang, "staff-venue-revoke-yes"),
                                            busy: busy(),
                                            on_yes: move |_| revoke.call((d.id, d.label.clone())),
                                            on_no: move |_| asking.set(None),
                                        }
                                    } else {
                                        button {
                                            id: "revoke-{d.id}",
                                            r#type: "button",
                                            class: "danger",
                                            onclick: move |_| {
                                                done.set(None);
                                                asking.set(Some(d.id));
                                            },
                                            {t(lang, "staff-venue-revoke")}
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
