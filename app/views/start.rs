//! The start screen: "My card" or "Scan cards". The choice is remembered, and the app opens
//! straight into it next time. "Staff sign-in" is not remembered: a console is often opened on
//! a shared computer, and its session is kept apart (views/staff/session.rs).

use dioxus::prelude::*;

use crate::routes::holder::Route;
use crate::state::{Mode, use_app};

#[component]
pub fn Start() -> Element {
    let mut app = use_app();
    let nav = navigator();
    use_effect(move || {
        if *app.forwarded.peek() {
            return;
        }
        app.forwarded.set(true);
        match app.prefs.peek().mode {
            Some(Mode::Holder) => {
                nav.replace(Route::CardScreen {});
            }
            Some(Mode::Scanner) => {
                nav.replace("/scan");
            }
            None => {}
        }
    });
    let choose = move |mode: Mode| {
        app.update_prefs(|p| p.mode = Some(mode));
        match mode {
            Mode::Holder => nav.push(Route::CardScreen {}),
            Mode::Scanner => nav.push("/scan"),
        };
    };
    rsx! {
        section { class: "start",
            h1 { {app.t("app-tagline")} }
            p { class: "lead", {app.t("start-question")} }
            div { class: "choices",
                button { class: "choice", r#type: "button", onclick: move |_| choose(Mode::Holder),
                    span { class: "choice-title", {app.t("start-holder")} }
                    span { class: "choice-hint", {app.t("start-holder-hint")} }
                }
                button { class: "choice", r#type: "button", onclick: move |_| choose(Mode::Scanner),
                    span { class: "choice-title", {app.t("start-scanner")} }
                    span { class: "choice-hint", {app.t("start-scanner-hint")} }
                }
                button { class: "choice", r#type: "button", onclick: move |_| { nav.push("/staff"); },
                    span { class: "choice-title", {app.t("start-staff")} }
                    span { class: "choice-hint", {app.t("start-staff-hint")} }
                }
            }
        }
    }
}
