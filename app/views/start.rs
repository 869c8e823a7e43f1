//! The start screen: a placeholder until holder and scanner modes arrive.

use dioxus::prelude::*;

/// The first screen a user sees.
#[component]
pub fn Start() -> Element {
    rsx! {
        main { class: "start",
            h1 { "Kaiku" }
            p { "Kulttuuria kaikille · Kultur för alla · Culture for all" }
        }
    }
}
