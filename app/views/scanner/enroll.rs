//! Enrollment: a venue user's one-time code makes this device the venue's scanner.

use dioxus::prelude::*;

use super::ctx::use_scanner;
use crate::i18n::{Lang, t, t_args};
use crate::scanner::enroll::EnrollError;
use crate::scanner::sync::SyncError;
use crate::state::use_app;

/// Letters and digits of Crockford's base32, the alphabet of one-time codes.
const CROCKFORD: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in an enrollment code.
pub const CODE_LEN: usize = 12;

/// Why a typed code cannot be a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    Empty,
    BadChar(char),
    Length(usize),
}

/// A typed code in its canonical form: spaces and dashes dropped, upper case, and the letters a
/// person confuses read as Crockford says (O as 0, I and L as 1).
pub fn normalise_code(typed: &str) -> Result<String, CodeProblem> {
    let mut code = String::new();
    for c in typed.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}')) {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !CROCKFORD.contains(c) {
            return Err(CodeProblem::BadChar(c));
        }
        code.push(c);
    }
    match code.chars().count() {
        0 => Err(CodeProblem::Empty),
        CODE_LEN => Ok(code),
        n => Err(CodeProblem::Length(n)),
    }
}

pub fn code_problem_text(p: CodeProblem, lang: Lang) -> String {
    match p {
        CodeProblem::Empty => t(lang, "scan-enroll-empty"),
        CodeProblem::BadChar(c) => t_args(lang, "scan-enroll-bad-char", &[("found", c.to_string().into())]),
        CodeProblem::Length(n) => t_args(lang, "scan-enroll-length", &[("n", n.into())]),
    }
}

/// A failed enrollment in words for staff.
pub fn enroll_error_text(e: &EnrollError, lang: Lang) -> String {
    match e {
        EnrollError::AlreadyEnrolled(venue) => t_args(lang, "scan-enroll-already", &[("venue", venue.clone().into())]),
        EnrollError::Unsynced(n) => t_args(lang, "scan-unenroll-unsynced", &[("n", (*n).into())]),
        EnrollError::Server(SyncError::Network(_)) => t(lang, "error-network"),
        EnrollError::Server(SyncError::Refused { status: 404, .. }) => t(lang, "scan-enroll-unknown"),
        EnrollError::Server(SyncError::Refused { status: 410, .. }) => t(lang, "scan-enroll-gone"),
        EnrollError::Server(SyncError::Refused { status, message }) => {
            t_args(lang, "scan-enroll-refused", &[("status", (*status).into()), ("message", message.clone().into())])
        }
        EnrollError::Server(SyncError::Server(status)) => t_args(lang, "error-server", &[("status", (*status).into())]),
        EnrollError::Server(e) => t_args(lang, "scan-enroll-store", &[("error", e.to_string().into())]),
        EnrollError::FirstPull(_) => t(lang, "scan-enroll-first-pull"),
        EnrollError::Store(e) => t_args(lang, "scan-enroll-store", &[("error", e.to_string().into())]),
    }
}

#[component]
pub fn EnrollScreen() -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    let mut code = use_signal(String::new);
    let mut label = use_signal(|| t(lang, "scan-enroll-label-default"));
    let mut server = use_signal(|| app.server());
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let was_enrolled = ctx.enrollment.read().as_ref().map(|e| e.venue_name.clone());

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let normal = match normalise_code(&code.read()) {
            Ok(c) => c,
            Err(p) => {
                error.set(Some(code_problem_text(p, lang)));
                return;
            }
        };
        let name = label.read().trim().to_owned();
        let name = if name.is_empty() { t(lang, "scan-enroll-label-default") } else { name };
        busy.set(true);
        error.set(None);
        spawn(async move {
            let chosen = server.read().trim().to_owned();
            let result = ctx.enroll(&chosen, &normal, &name).await;
            busy.set(false);
            if let Err(e) = result {
                error.set(Some(enroll_error_text(&e, lang)));
            }
        });
    };

    rsx! {
        section { class: "enroll",
            h1 { {t(lang, "scan-enroll-title")} }
            if let Some(venue) = was_enrolled {
                p { class: "hint", {t_args(lang, "scan-enroll-was", &[("venue", venue.into())])} }
            }
            p { {t(lang, "scan-enroll-intro")} }
            form { id: "enroll-form", onsubmit: submit, novalidate: true,
                label { r#for: "enroll-code", {t(lang, "scan-enroll-code")} }
                input {
                    id: "enroll-code",
                    name: "code",
                    autocomplete: "one-time-code",
                    autocapitalize: "characters",
                    spellcheck: "false",
                    aria_describedby: "enroll-code-hint",
                    value: "{code}",
                    oninput: move |e| code.set(e.value()),
                }
                p { id: "enroll-code-hint", class: "hint", {t(lang, "scan-enroll-code-hint")} }
                label { r#for: "enroll-label", {t(lang, "scan-enroll-label")} }
                input {
                    id: "enroll-label",
                    name: "label",
                    maxlength: "100",
                    aria_describedby: "enroll-label-hint",
                    value: "{label}",
                    oninput: move |e| label.set(e.value()),
                }
                p { id: "enroll-label-hint", class: "hint", {t(lang, "scan-enroll-label-hint")} }
                details { class: "advanced",
                    summary { {t(lang, "activate-advanced")} }
                    label { r#for: "enroll-server", {t(lang, "activate-server")} }
                    input {
                        id: "enroll-server",
                        name: "server",
                        r#type: "url",
                        value: "{server}",
                        oninput: move |e| server.set(e.value()),
                    }
                }
                div { role: "alert", class: "form-error",
                    if let Some(message) = error() {
                        p { "{message}" }
                    }
                }
                button { r#type: "submit", class: "primary", disabled: busy(),
                    if busy() { {t(lang, "scan-enroll-working")} } else { {t(lang, "scan-enroll-submit")} }
                }
            }
        }
    }
}
