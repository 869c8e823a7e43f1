//! A Code 39 barcode, labelled for screen readers.

use dioxus::prelude::*;

use crate::codes;

/// The Code 39 barcode of `text`; `label` is what a screen reader says.
#[component]
pub fn Barcode(text: String, label: String) -> Element {
    match codes::code39_svg(&text) {
        Ok(svg) => rsx! {
            div { class: "barcode", role: "img", aria_label: "{label}", dangerous_inner_html: "{svg}" }
        },
        Err(e) => rsx! {
            p { class: "code-error", role: "alert", "{e}" }
        },
    }
}
