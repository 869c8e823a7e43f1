//! A QR code, labelled for screen readers.

use dioxus::prelude::*;

use crate::codes;

/// The QR code of `text`; `label` is what a screen reader says.
#[component]
pub fn QrCode(text: String, label: String) -> Element {
    match codes::qr_svg(&text) {
        Ok(svg) => rsx! {
            div { class: "qr", role: "img", aria_label: "{label}", dangerous_inner_html: "{svg}" }
        },
        Err(e) => rsx! {
            p { class: "code-error", role: "alert", "{e}" }
        },
    }
}
