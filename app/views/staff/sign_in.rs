//! Sign-in: server address, username and password. Wrong passwords, a slowed-down or locked
//! account and an ended session each get their own words; the lock says how long to wait.

use dioxus::prelude::*;

use super::client::{StaffApi, error_text};
use super::session::{StaffSession, use_staff};
use crate::components::{FormError, ServerSettings, TextField};
use crate::i18n::{Lang, t, t_args};
use crate::routes::staff::Route;
use crate::server_url::check_server;
use crate::state::use_app;

/// The sign-in screen at `/staff/sign-in`.
#[component]
pub fn StaffSignIn() -> Element {
    rsx! { SignInForm { stay: false } }
}

/// The form. `stay`: shown in place of a screen that needs a session, which appears once
/// signed in; otherwise the console's home opens.
#[component]
pub fn SignInForm(stay: bool) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let nav = navigator();
    let lang: Lang = app.lang();
    let server = use_signal(|| app.server());
    let mut server_error = use_signal(|| None::<String>);
    let mut username = use_signal(String::new);
    let mut password = use_signal(String::new);
    let mut username_error = use_signal(|| None::<String>);
    let mut password_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let name = username.read().trim().to_owned();
        let secret = password.read().clone();
        username_error.set(name.is_empty().then(|| t(lang, "staff-username-empty")));
        password_error.set(secret.is_empty().then(|| t(lang, "staff-password-empty")));
        error.set(None);
        server_error.set(check_server(server.read().trim()).err().map(|p| p.text(lang)));
        if name.is_empty() || secret.is_empty() || server_error.peek().is_some() {
            return;
        }
        busy.set(true);
        spawn(async move {
            let chosen = server.read().trim().to_owned();
            let result = StaffApi::new(&chosen, None).sign_in(&name, &secret).await;
            busy.set(false);
            match result {
                Ok(signed) => {
                    let session = StaffSession { server: chosen.clone(), token: signed.token, me: signed.user };
                    if let Err(e) = ctx.keep(app, session.clone()).await {
                        // Signed in for this visit even if the device could not keep it.
                        error.set(Some(t_args(lang, "staff-not-kept", &[("reason", e.to_string().into())])));
                        let mut s = ctx.session;
                        s.set(Some(session));
                    }
                    if chosen != crate::api::default_server() {
                        app.update_prefs(|p| p.server = Some(chosen));
                    }
                    if !stay {
                        nav.replace(Route::StaffHome {});
                    }
                }
                // A wrong password belongs to the password; a lock or the network to the form.
                Err(e) if e.code() == "wrong_credentials" => password_error.set(Some(error_text(&e, lang))),
                Err(e) => error.set(Some(error_text(&e, lang))),
            }
        });
    };

    let notice = (ctx.notice)();
    rsx! {
        section { class: "staff-sign-in",
            h1 { {t(lang, "staff-sign-in-title")} }
            if let Some(id) = notice {
                p { id: "staff-notice", class: "notice notice-soon", role: "status", {t(lang, id)} }
            }
            form { id: "sign-in-form", onsubmit: submit, novalidate: true,
                TextField {
                    id: "username",
                    label: t(lang, "staff-username"),
                    value: username(),
                    oninput: move |v| username.set(v),
                    error: username_error(),
                    autocomplete: "username",
                }
                TextField {
                    id: "password",
                    label: t(lang, "staff-password"),
                    value: password(),
                    oninput: move |v| password.set(v),
                    error: password_error(),
                    kind: "password",
                    autocomplete: "current-password",
                }
                ServerSettings { id: "staff-server", lang, server, error: server_error() }
                FormError { error: error() }
                button { id: "sign-in", r#type: "submit", class: "primary", disabled: busy(),
                    if busy() { {t(lang, "staff-signing-in")} } else { {t(lang, "staff-sign-in")} }
                }
            }
            p { class: "console-alt",
                Link { id: "have-invitation", to: Route::StaffInvitation {}, {t(lang, "staff-have-invitation")} }
            }
        }
    }
}
