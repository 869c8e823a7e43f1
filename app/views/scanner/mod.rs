//! Scanner mode's entry. The scanner itself is built in its own issue; until then this
//! screen says so plainly.

use dioxus::prelude::*;

use crate::state::use_app;

#[component]
pub fn Scanner() -> Element {
    let app = use_app();
    rsx! {
        section { class: "scanner",
            h1 { {app.t("scanner-title")} }
            p { {app.t("scanner-not-yet")} }
        }
    }
}
