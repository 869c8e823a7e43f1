//! The frame around every screen: skip link, name, settings, and the text size.

use dioxus::prelude::*;

use crate::components::SettingsBar;
use crate::parts::PartLink;
use crate::state::use_app;

/// `children`: the part's screens (its router outlet).
#[component]
pub fn Shell(children: Element) -> Element {
    let app = use_app();
    let percent = app.prefs.read().text_percent;
    let lang = app.lang();
    // Screen readers take the page language from <html lang>.
    use_effect(move || {
        let code = app.lang().code();
        document::eval(&format!("document.documentElement.lang = '{code}';"));
    });
    rsx! {
        div { class: "shell", lang: "{lang.code()}", style: "font-size: {percent}%;",
            a { class: "skip-link", href: "#content", {app.t("skip-to-content")} }
            header { class: "top",
                // Its accessible name starts with the visible "Kaiku" (WCAG 2.5.3, label in name).
                PartLink { to: "/", class: "brand", aria_label: app.t("nav-start"), {app.t("app-name")} }
                SettingsBar {}
            }
            main { id: "content", tabindex: "-1", {children} }
        }
    }
}
