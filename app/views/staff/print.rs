//! The printable card: `print::card_svg` at its true size (85.6 x 54 mm) and a button for the
//! browser's print dialogue, from which "save as PDF" works too. The rest of the page is hidden
//! when printing (see `.no-print` in kaiku.css).

use dioxus::prelude::*;
use kaiku_core::CardId;

use crate::i18n::{t, t_args};
use crate::print::card_svg;
use crate::routes::staff::Route;
use crate::state::use_app;

#[component]
pub fn StaffPrint(id: String) -> Element {
    let app = use_app();
    let lang = app.lang();
    // The id comes from the address bar: a mistyped one is said, never drawn.
    let svg = CardId::parse(&id).map_err(|e| e.to_string()).and_then(|card| card_svg(&card).map_err(|e| e.to_string()));
    rsx! {
        section { class: "staff-print",
            h1 { class: "no-print", {t(lang, "staff-print-title")} }
            match svg {
                Ok(svg) => rsx! {
                    p { class: "hint no-print", {t(lang, "staff-print-hint")} }
                    div { id: "printed-card", class: "printed-card", dangerous_inner_html: "{svg}" }
                    div { class: "button-row no-print",
                        button {
                            id: "print-now",
                            r#type: "button",
                            class: "primary",
                            onclick: move |_| {
                                document::eval("window.print();");
                            },
                            {t(lang, "staff-print-now")}
                        }
                        Link { class: "button", to: Route::StaffCard { id: id.clone() }, {t(lang, "staff-back-to-card")} }
                    }
                },
                Err(e) => rsx! {
                    p { class: "form-error", role: "alert", {t_args(lang, "staff-print-bad-id", &[("error", e.into())])} }
                },
            }
        }
    }
}
