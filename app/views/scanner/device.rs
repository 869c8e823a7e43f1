//! This device as a scanner: its venue, its number, the server, the door's "same card again"
//! setting, and un-enrollment (refused while redemptions wait unless staff choose to keep them;
//! the log is never deleted).

use dioxus::prelude::*;

use super::ctx::use_scanner;
use super::door_settings::{GateModeForm, SeenWindowForm};
use super::enroll::enroll_error_text;
use crate::i18n::{t, t_args};
use crate::scanner::enroll::EnrollError;
use crate::state::use_app;

#[component]
pub fn DeviceScreen() -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    let mut unsynced = use_signal(|| None::<u64>);
    let mut message = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let enrollment = ctx.enrollment.read().clone();
    let active = enrollment.as_ref().is_some_and(|e| e.is_active());
    let mut stop = move |keep: bool| {
        busy.set(true);
        spawn(async move {
            let result = ctx.unenroll(keep).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    unsynced.set(None);
                    message.set(Some(t(lang, "scan-unenroll-done")));
                }
                Err(EnrollError::Unsynced(n)) => unsynced.set(Some(n)),
                Err(e) => message.set(Some(t_args(
                    lang,
                    "scan-unenroll-failed",
                    &[("error", enroll_error_text(&e, lang).into())],
                ))),
            }
        });
    };
    rsx! {
        section { class: "device", aria_labelledby: "device-title",
            h1 { id: "device-title", {t(lang, "scan-device-title")} }
            match &enrollment {
                Some(e) if active => rsx! {
                    ul { class: "device-facts",
                        li { {t_args(lang, "scan-venue", &[("venue", e.venue_name.clone().into())])} }
                        li { {t_args(lang, "scan-device-id", &[("id", e.device.0.into())])} }
                        li { {t_args(lang, "scan-device-server", &[("server", app.server().into())])} }
                    }
                },
                _ => rsx! {
                    p { {t(lang, "scan-not-enrolled")} }
                },
            }
            div { role: "status", class: "device-message",
                if let Some(m) = message() {
                    p { "{m}" }
                }
            }
            if active {
                SeenWindowForm {}
                GateModeForm {}
                h2 { {t(lang, "scan-unenroll")} }
                p { class: "hint", {t(lang, "scan-unenroll-hint")} }
                if let Some(n) = unsynced() {
                    div { role: "alert", class: "notice notice-soon",
                        p { {t_args(lang, "scan-unenroll-unsynced", &[("n", n.into())])} }
                    }
                    div { class: "button-row",
                        button {
                            r#type: "button",
                            class: "primary",
                            disabled: busy() || *ctx.syncing.read(),
                            onclick: move |_| {
                                unsynced.set(None);
                                ctx.sync_soon(app.server());
                            },
                            {t(lang, "scan-sync-now")}
                        }
                        button { r#type: "button", id: "unenroll-keep", disabled: busy(), onclick: move |_| stop(true),
                            {t(lang, "scan-unenroll-keep")}
                        }
                    }
                } else {
                    button { r#type: "button", id: "unenroll", disabled: busy(), onclick: move |_| stop(false),
                        {t(lang, "scan-unenroll")}
                    }
                }
            }
        }
    }
}
