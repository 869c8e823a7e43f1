//! Accepting an invitation: the one-time code from whoever created the account, a username and
//! a new password typed twice; then the person is signed in. The server's rules (username
//! 3-100 of letters, digits and `. _ - @ +`; password 10-256 characters, not the username)
//! are checked here first so that each problem is told next to its field.

use dioxus::prelude::*;

use super::client::{StaffApi, StaffError, error_text};
use super::session::{StaffSession, use_staff};
use crate::components::{FormError, ServerSettings, TextField};
use crate::i18n::{Lang, t, t_args};
use crate::routes::staff::Route;
use crate::server_url::check_server;
use crate::state::use_app;

/// The shortest password the server accepts.
pub const MIN_PASSWORD: usize = 10;

/// What is wrong with a username, as a message id.
pub fn username_problem(name: &str) -> Option<&'static str> {
    let n = name.chars().count();
    if n == 0 {
        Some("staff-username-empty")
    } else if !(3..=100).contains(&n) {
        Some("staff-username-length")
    } else if !name.chars().all(|c| c.is_alphanumeric() || ".-_@+".contains(c)) {
        Some("staff-username-chars")
    } else {
        None
    }
}

/// What is wrong with a new password, as a message id.
pub fn password_problem(password: &str, username: &str) -> Option<&'static str> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        Some("staff-password-short")
    } else if n > 256 {
        Some("staff-password-long")
    } else if password.trim().eq_ignore_ascii_case(username.trim()) {
        Some("staff-password-is-username")
    } else {
        None
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Errors {
    code: Option<String>,
    username: Option<String>,
    password: Option<String>,
    again: Option<String>,
    form: Option<String>,
}

impl Errors {
    fn any(&self) -> bool {
        self.code.is_some() || self.username.is_some() || self.password.is_some() || self.again.is_some()
    }
}

/// Puts a refusal next to the field it is about.
fn place(e: &StaffError, lang: Lang) -> Errors {
    let mut errors = Errors::default();
    match (e, e.code()) {
        (_, "not_found") => errors.code = Some(t(lang, "staff-error-invitation-unknown")),
        (_, "invitation_used" | "invitation_expired") => errors.code = Some(error_text(e, lang)),
        (_, "conflict") => errors.username = Some(t(lang, "staff-error-username-taken")),
        _ => errors.form = Some(error_text(e, lang)),
    }
    errors
}

#[component]
pub fn StaffInvitation() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let nav = navigator();
    let lang = app.lang();
    let server = use_signal(|| app.server());
    let mut server_error = use_signal(|| None::<String>);
    let mut code = use_signal(String::new);
    let mut username = use_signal(String::new);
    let mut password = use_signal(String::new);
    let mut again = use_signal(String::new);
    let mut errors = use_signal(Errors::default);
    let mut busy = use_signal(|| false);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let (typed_code, name, secret) =
            (code.read().trim().to_owned(), username.read().trim().to_lowercase(), password.read().clone());
        let mut found = Errors {
            code: typed_code.is_empty().then(|| t(lang, "staff-invitation-code-empty")),
            username: username_problem(&name).map(|id| t(lang, id)),
            password: password_problem(&secret, &name)
                .map(|id| t_args(lang, id, &[("min", MIN_PASSWORD.into()), ("max", 256.into())])),
            ..Errors::default()
        };
        if found.password.is_none() && *again.read() != secret {
            found.again = Some(t(lang, "staff-password-mismatch"));
        }
        server_error.set(check_server(server.read().trim()).err().map(|p| p.text(lang)));
        let stop = found.any() || server_error.peek().is_some();
        errors.set(found);
        if stop {
            return;
        }
        busy.set(true);
        spawn(async move {
            let chosen = server.read().trim().to_owned();
            let api = StaffApi::new(&chosen, None);
            let result = match api.accept_invitation(&typed_code, &name, &secret).await {
                Ok(()) => api.sign_in(&name, &secret).await,
                Err(e) => Err(e),
            };
            busy.set(false);
            match result {
                Ok(signed) => {
                    let session = StaffSession { server: chosen, token: signed.token, me: signed.user };
                    if let Err(e) = ctx.keep(app, session).await {
                        let reason = e.to_string();
                        errors.set(Errors {
                            form: Some(t_args(lang, "staff-not-kept", &[("reason", reason.into())])),
                            ..Errors::default()
                        });
                        return;
                    }
                    nav.replace(Route::StaffHome {});
                }
                Err(e) => errors.set(place(&e, lang)),
            }
        });
    };

    let shown = errors.read().clone();
    rsx! {
        section { class: "staff-invitation",
            h1 { {t(lang, "staff-invitation-title")} }
            p { {t(lang, "staff-invitation-intro")} }
            form { id: "invitation-form", onsubmit: submit, novalidate: true,
                TextField {
                    id: "invitation-code",
                    label: t(lang, "staff-invitation-code"),
                    value: code(),
                    oninput: move |v| code.set(v),
                    error: shown.code,
                    hint: t(lang, "activate-code-hint"),
                    autocomplete: "one-time-code",
                }
                TextField {
                    id: "new-username",
                    label: t(lang, "staff-username"),
                    value: username(),
                    oninput: move |v| username.set(v),
                    error: shown.username,
                    hint: t(lang, "staff-username-hint"),
                    autocomplete: "username",
                }
                TextField {
                    id: "new-password",
                    label: t(lang, "staff-new-password"),
                    value: password(),
                    oninput: move |v| password.set(v),
                    error: shown.password,
                    hint: t_args(lang, "staff-new-password-hint", &[("min", MIN_PASSWORD.into())]),
                    kind: "password",
                    autocomplete: "new-password",
                }
                TextField {
                    id: "new-password-again",
                    label: t(lang, "staff-new-password-again"),
                    value: again(),
                    oninput: move |v| again.set(v),
                    error: shown.again,
                    kind: "password",
                    autocomplete: "new-password",
                }
                ServerSettings { id: "invitation-server", lang, server, error: server_error() }
                FormError { error: shown.form }
                button { id: "accept-invitation", r#type: "submit", class: "primary", disabled: busy(),
                    if busy() { {t(lang, "staff-signing-in")} } else { {t(lang, "staff-invitation-submit")} }
                }
            }
            p { class: "console-alt",
                Link { to: Route::StaffSignIn {}, {t(lang, "staff-have-password")} }
            }
        }
    }
}
