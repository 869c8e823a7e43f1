//! Parts shared by the one-time-code forms (holder activation, scanner enrollment): the server
//! address under "Server settings", and the error line screen readers announce.

use dioxus::prelude::*;

use crate::i18n::{Lang, t};

/// The sync server's address, folded away: most people never change it. Unfolded with its
/// `error` (e.g. not https) next to it.
#[component]
pub fn ServerSettings(
    id: String,
    lang: Lang,
    server: Signal<String>,
    #[props(default)] error: Option<String>,
) -> Element {
    let bad = error.is_some();
    rsx! {
        details { class: "advanced", open: bad,
            summary { {t(lang, "activate-advanced")} }
            label { r#for: "{id}", {t(lang, "activate-server")} }
            input {
                id: "{id}",
                name: "server",
                r#type: "url",
                aria_invalid: if bad { "true" } else { "false" },
                aria_describedby: "{id}-error",
                value: "{server}",
                oninput: move |e| server.set(e.value()),
            }
            super::FieldError { id: format!("{id}-error"), error }
        }
    }
}

/// What is wrong with the form, announced; the element is always there so the announcement works.
#[component]
pub fn FormError(error: Option<String>) -> Element {
    rsx! {
        div { role: "alert", class: "form-error",
            if let Some(message) = error {
                p { "{message}" }
            }
        }
    }
}
