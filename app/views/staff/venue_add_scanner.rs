//! Add a scanner phone: a one-time enrollment code, shown large and as a QR code of the link
//! `{server}/scan?enroll={code}`. A phone's own camera app opens that link as the scanner with
//! the code filled in; the scanner's "scan the code" camera reads the same QR code.

use dioxus::prelude::*;
use kaiku_core::ids::VenueId;

use super::client::OneTimeCode;
use super::session::use_staff;
use super::venue_parts::{VenueNav, may_manage_devices, when_text};
use crate::components::{FormError, QrCode};
use crate::i18n::{t, t_args};
use crate::links::enroll_link;
use crate::routes::staff::Route;
use crate::state::use_app;

#[component]
pub fn StaffVenueAddScanner(venue: u32) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let mut made = use_signal(|| None::<(OneTimeCode, String)>);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let allowed = may_manage_devices(ctx);

    let create = move |_| {
        let Some(session) = ctx.session.peek().clone() else { return };
        busy.set(true);
        error.set(None);
        spawn(async move {
            let result = session.api().enrollment_code(VenueId(venue)).await;
            busy.set(false);
            match result {
                Ok(code) => {
                    // The server as this session knows it: the phone enrolls where the console is.
                    let link = enroll_link(&session.server, &code.code);
                    made.set(Some((code, link)));
                }
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };

    let shown = made.read().clone();
    rsx! {
        section { class: "staff-venue",
            h1 { {t(lang, "staff-venue-add-scanner")} }
            VenueNav { venue }
            p { {t(lang, "staff-venue-add-scanner-intro")} }
            if allowed {
                button { id: "create-code", r#type: "button", class: "primary", disabled: busy(), onclick: create,
                    if shown.is_some() { {t(lang, "staff-venue-code-another")} } else { {t(lang, "staff-venue-code-create")} }
                }
            } else {
                p { class: "hint", {t(lang, "staff-venue-devices-venue-only")} }
            }
            FormError { error: error() }
            if let Some((c, link)) = shown {
                div { class: "activation",
                    h2 { {t(lang, "staff-venue-code-made")} }
                    p { id: "enrollment-code", class: "one-time-code", "{c.code}" }
                    QrCode { text: link.clone(), label: t_args(lang, "staff-venue-code-qr", &[("code", c.code.clone().into())]) }
                    p { {t(lang, "staff-venue-code-how")} }
                    p { class: "hint",
                        {t_args(lang, "staff-venue-code-until", &[("when", when_text(c.expires_at, lang).into())])}
                    }
                    p { class: "hint", {t(lang, "staff-venue-code-link")} }
                    p { id: "enrollment-link", class: "code-link", "{link}" }
                    Link { id: "go-devices-after", class: "button", to: Route::StaffVenueDevices { venue }, {t(lang, "staff-venue-code-done")} }
                }
            }
        }
    }
}
