//! A labelled form field with its hint and its own error message right under it. The message
//! element is always there and named by `aria-describedby`, so a screen reader reads the
//! problem with the field, and `aria-invalid` marks the field itself.

use dioxus::prelude::*;

/// One text field; `error` is shown next to it.
#[component]
pub fn TextField(
    id: String,
    label: String,
    value: String,
    oninput: EventHandler<String>,
    error: Option<String>,
    hint: Option<String>,
    #[props(default = "text".to_owned())] kind: String,
    autocomplete: Option<String>,
    inputmode: Option<String>,
) -> Element {
    let bad = error.is_some();
    let described = if hint.is_some() { format!("{id}-hint {id}-error") } else { format!("{id}-error") };
    rsx! {
        div { class: if bad { "field field-bad" } else { "field" },
            label { r#for: "{id}", "{label}" }
            input {
                id: "{id}",
                name: "{id}",
                r#type: "{kind}",
                autocomplete,
                inputmode,
                spellcheck: "false",
                aria_invalid: if bad { "true" } else { "false" },
                aria_describedby: "{described}",
                value: "{value}",
                oninput: move |e| oninput.call(e.value()),
            }
            if let Some(h) = hint {
                p { id: "{id}-hint", class: "hint", "{h}" }
            }
            FieldError { id: format!("{id}-error"), error }
        }
    }
}

/// The error line of a field (or a group of fields), by its id.
#[component]
pub fn FieldError(id: String, error: Option<String>) -> Element {
    rsx! {
        p { id: "{id}", class: "field-error", aria_live: "polite",
            if let Some(message) = error {
                "{message}"
            }
        }
    }
}
