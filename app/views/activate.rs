//! Activation: the holder types the one-time code, the app fetches the signed credential and
//! keeps it. The name the holder may type stays on the phone.

use dioxus::prelude::*;

use crate::components::{FormError, ServerSettings};

use crate::api::{Api, ApiError};
use crate::holder::HeldCard;
use crate::i18n::{Lang, t_args};
use crate::parts::PartLink;
use crate::routes::holder::Route;
use crate::server_url::check_server;
use crate::state::{now, use_app};

/// The message for a failed activation, in `lang`.
pub fn activation_error(e: &ApiError, lang: Lang) -> String {
    let id = match e {
        ApiError::Network => "error-network",
        ApiError::NotFound(_) => "error-code-unknown",
        ApiError::Gone(_) => "error-code-gone",
        ApiError::NeedsActivation(_) => "error-code-unknown",
        ApiError::Refused { .. } => "error-code-unknown",
        ApiError::Server(status) => return t_args(lang, "error-server", &[("status", (*status).into())]),
        ApiError::Busy { retry_after } => return crate::views::staff::client::busy_text(*retry_after, lang),
    };
    crate::i18n::t(lang, id)
}

#[component]
pub fn Activate(code: String) -> Element {
    let app = use_app();
    let nav = navigator();
    // A code from the link an activation QR holds (`/activate?code=…`) is filled in.
    let mut code = use_signal(|| code.clone());
    let mut name = use_signal(String::new);
    let server = use_signal(|| app.server());
    let mut server_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        if code.read().trim().is_empty() {
            error.set(Some(app.t("error-code-empty")));
            return;
        }
        server_error.set(check_server(server.read().trim()).err().map(|p| p.text(lang)));
        if server_error.peek().is_some() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn(async move {
            let chosen = server.read().trim().to_owned();
            let result = Api::new(&chosen).activate(&code.read()).await;
            let outcome = match result {
                Ok(answer) => {
                    let typed = name.read().trim().to_owned();
                    let held = HeldCard {
                        credential: answer.credential,
                        summary: answer.card,
                        holder_name: (!typed.is_empty()).then_some(typed),
                        status_checked_at: now(),
                        refresh_secret: answer.refresh_secret,
                    };
                    app.keep_card(held)
                        .await
                        .map_err(|e| t_args(lang, "error-storage", &[("reason", e.to_string().into())]))
                }
                Err(e) => Err(activation_error(&e, lang)),
            };
            busy.set(false);
            match outcome {
                Ok(()) => {
                    if chosen != crate::api::default_server() {
                        app.update_prefs(|p| p.server = Some(chosen));
                    }
                    nav.replace(Route::CardScreen {});
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };

    rsx! {
        section { class: "activate",
            h1 { {app.t("activate-title")} }
            p { {app.t("activate-intro")} }
            PartLink { id: "activate-camera", class: "button", to: "/scan/activation", {app.t("activate-camera")} }
            form { id: "activate-form", onsubmit: submit, novalidate: true,
                label { r#for: "code", {app.t("activate-code")} }
                input {
                    id: "code",
                    name: "code",
                    autocomplete: "one-time-code",
                    autocapitalize: "characters",
                    spellcheck: "false",
                    aria_describedby: "code-hint",
                    value: "{code}",
                    oninput: move |e| code.set(e.value()),
                }
                p { id: "code-hint", class: "hint", {app.t("activate-code-hint")} }
                label { r#for: "name", {app.t("activate-name")} }
                input {
                    id: "name",
                    name: "name",
                    autocomplete: "name",
                    aria_describedby: "name-hint",
                    value: "{name}",
                    oninput: move |e| name.set(e.value()),
                }
                p { id: "name-hint", class: "hint", {app.t("activate-name-hint")} }
                ServerSettings { id: "server", lang: app.lang(), server, error: server_error() }
                FormError { error: error() }
                button { r#type: "submit", class: "primary", disabled: busy(),
                    if busy() { {app.t("activate-working")} } else { {app.t("activate-submit")} }
                }
            }
        }
    }
}
