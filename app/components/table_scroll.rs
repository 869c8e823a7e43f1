//! A wide table's own scrolling box: on a narrow screen the table scrolls inside it, not the
//! page. Focusable and named after the table, so that a keyboard can scroll it too.

use dioxus::prelude::*;

#[component]
pub fn TableScroll(label: String, children: Element) -> Element {
    rsx! {
        div { class: "table-scroll", tabindex: "0", role: "region", aria_label: "{label}", {children} }
    }
}
