//! Language and text size, on every screen.

use dioxus::prelude::*;

use crate::i18n::{Lang, t_args};
use crate::state::{TEXT_SIZES, use_app};

#[component]
pub fn SettingsBar() -> Element {
    let app = use_app();
    let lang = app.lang();
    let percent = app.prefs.read().text_percent;
    let smaller = TEXT_SIZES.iter().rev().copied().find(|&p| p < percent);
    let larger = TEXT_SIZES.iter().copied().find(|&p| p > percent);
    let size_now = t_args(lang, "text-size-now", &[("percent", percent.into())]);
    rsx! {
        div { class: "settings-bar",
            label { r#for: "lang-select", class: "visually-hidden", {app.t("language")} }
            select {
                id: "lang-select",
                value: "{lang.code()}",
                onchange: move |e| {
                    let chosen = Lang::from_tag(&e.value());
                    app.update_prefs(|p| p.lang = Some(chosen));
                },
                for l in Lang::ALL {
                    option { value: "{l.code()}", lang: "{l.code()}", selected: l == lang, "{l.native_name()}" }
                }
            }
            // The accessible names start with the visible "A−" and "A+" (WCAG 2.5.3, label in
            // name), so that voice control users can say what they see.
            div { class: "text-size", role: "group", aria_label: "{app.t(\"text-size\")}",
                button {
                    r#type: "button",
                    disabled: smaller.is_none(),
                    onclick: move |_| if let Some(p) = smaller { app.update_prefs(|prefs| prefs.text_percent = p) },
                    "A− "
                    span { class: "visually-hidden", {app.t("text-smaller")} }
                }
                span { class: "visually-hidden", aria_live: "polite", "{size_now}" }
                button {
                    r#type: "button",
                    disabled: larger.is_none(),
                    onclick: move |_| if let Some(p) = larger { app.update_prefs(|prefs| prefs.text_percent = p) },
                    "A+ "
                    span { class: "visually-hidden", {app.t("text-larger")} }
                }
            }
        }
    }
}
