//! Enrollment: a venue user's one-time code makes this device the venue's scanner.

use std::rc::Rc;

use dioxus::prelude::*;
use kaiku_core::ScanInput;

use super::ctx::use_scanner;
use crate::camera::{CameraError, Facing, LiveCamera, LiveOptions, open_live};
use crate::components::{FormError, ServerSettings};
use crate::i18n::{Lang, t, t_args};
use crate::links::{CodeProblem, code_in_link, normalise_code};
use crate::scanner::enroll::EnrollError;
use crate::scanner::sync::SyncError;
use crate::server_url::check_server;
use crate::state::{sleep_ms, use_app};
use crate::wait::{Either, Inbox, race};

/// The id of the enrollment camera's preview `<video>` element (web).
pub const ENROLL_PREVIEW_ID: &str = "enroll-preview";

/// Why a scanned code is not an enrollment code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotACode {
    /// A Culture for All card's code (a mobile card's QR, a printed card's ID).
    Card,
    /// Any other code.
    Other,
}

/// What the camera read (the code, or the console's enrollment link), as an enrollment code in
/// its canonical form, or why it is not one.
pub fn scanned_code(text: &str) -> Result<String, NotACode> {
    if let Some(code) = code_in_link(text) {
        return Ok(code);
    }
    match normalise_code(text) {
        Ok(code) => Ok(code),
        Err(_) => match ScanInput::parse(text) {
            ScanInput::Credential(_) | ScanInput::PlainId(_) => Err(NotACode::Card),
            ScanInput::Unrecognised(_) => Err(NotACode::Other),
        },
    }
}

/// A canonical code in the groups the server shows: `7K2M-QX4P-9RTB`.
pub fn grouped_code(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// What staff are told about a scan that is not an enrollment code (scanning goes on).
pub fn not_a_code_text(why: NotACode, lang: Lang) -> String {
    match why {
        NotACode::Card => t(lang, "scan-enroll-qr-card"),
        NotACode::Other => t(lang, "scan-enroll-qr-other"),
    }
}

/// The enrollment screen's camera.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeCamera {
    Off,
    Starting,
    /// Looking for the code; the note says what the last wrong code was.
    On {
        note: Option<NotACode>,
    },
    Failed(CameraError),
    /// The code was read into the field; the camera is off again.
    Read,
}

/// The camera's state in words for staff.
pub fn code_camera_text(state: &CodeCamera, lang: Lang) -> String {
    match state {
        CodeCamera::Off => String::new(),
        CodeCamera::Starting => t(lang, "scan-camera-starting"),
        CodeCamera::On { note: None } => t(lang, "scan-enroll-camera-on"),
        CodeCamera::On { note: Some(why) } => not_a_code_text(*why, lang),
        CodeCamera::Failed(CameraError::NoCamera) => t(lang, "scan-enroll-camera-none"),
        CodeCamera::Failed(CameraError::Denied) => t(lang, "scan-enroll-camera-denied"),
        CodeCamera::Failed(CameraError::Busy) => t(lang, "scan-enroll-camera-busy"),
        CodeCamera::Failed(e) => t_args(lang, "scan-enroll-camera-failed", &[("error", e.to_string().into())]),
        CodeCamera::Read => t(lang, "scan-enroll-qr-read"),
    }
}

/// Runs the camera until it reads an enrollment code (into `code`), fails, or is cancelled.
async fn read_code(mut state: Signal<CodeCamera>, mut code: Signal<String>, cancel: Rc<Inbox<()>>) {
    state.set(CodeCamera::Starting);
    // Let the preview element be mounted first.
    sleep_ms(30).await;
    let opened = match race(
        open_live(LiveOptions { facing: Facing::Back, preview_id: ENROLL_PREVIEW_ID.to_owned() }),
        cancel.next(),
    )
    .await
    {
        Either::Left(opened) => opened,
        Either::Right(()) => {
            state.set(CodeCamera::Off);
            return;
        }
    };
    let mut cam: Box<dyn LiveCamera> = match opened {
        Ok(c) => c,
        Err(e) => {
            state.set(CodeCamera::Failed(e));
            return;
        }
    };
    state.set(CodeCamera::On { note: None });
    loop {
        match race(cam.next_scan(), cancel.next()).await {
            Either::Left(Some(scan)) => match scanned_code(&scan.text) {
                Ok(found) => {
                    cam.stop();
                    code.set(grouped_code(&found));
                    state.set(CodeCamera::Read);
                    return;
                }
                Err(why) => {
                    if *state.peek() != (CodeCamera::On { note: Some(why) }) {
                        state.set(CodeCamera::On { note: Some(why) });
                    }
                }
            },
            Either::Left(None) => {
                state.set(CodeCamera::Failed(CameraError::Failed("stopped".into())));
                return;
            }
            Either::Right(()) => {
                cam.stop();
                state.set(CodeCamera::Off);
                return;
            }
        }
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
        EnrollError::Server(SyncError::Busy { retry_after }) => {
            crate::views::staff::client::busy_text(*retry_after, lang)
        }
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
    // Opened from the console's QR code by the phone's own camera: the link holds the code.
    let linked = use_hook(|| try_consume_context::<crate::parts::OpenedAt>().and_then(|at| code_in_link(&at.0)));
    let mut code = use_signal(|| linked.as_deref().map(grouped_code).unwrap_or_default());
    let mut label = use_signal(|| t(lang, "scan-enroll-label-default"));
    let server = use_signal(|| app.server());
    let mut server_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let cam = use_signal(|| if linked.is_some() { CodeCamera::Read } else { CodeCamera::Off });
    // A fresh mailbox for each start: a stale cancel does not stop the next camera.
    let mut cancel = use_signal(|| Rc::new(Inbox::<()>::default()));
    let was_enrolled = ctx.enrollment.read().as_ref().map(|e| e.venue_name.clone());

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let typed = code.read().clone();
        let normal = match code_in_link(&typed).map_or_else(|| normalise_code(&typed), Ok) {
            Ok(c) => c,
            Err(p) => {
                error.set(Some(code_problem_text(p, lang)));
                return;
            }
        };
        let name = label.read().trim().to_owned();
        let name = if name.is_empty() { t(lang, "scan-enroll-label-default") } else { name };
        // The keys of the enrollment answer become the device's roots of trust: https only.
        server_error.set(check_server(server.read().trim()).err().map(|p| p.text(lang)));
        if server_error.peek().is_some() {
            return;
        }
        busy.set(true);
        error.set(None);
        cancel.peek().send(());
        spawn(async move {
            let chosen = server.read().trim().to_owned();
            let result = ctx.enroll(&chosen, &normal, &name).await;
            busy.set(false);
            if let Err(e) = result {
                error.set(Some(enroll_error_text(&e, lang)));
            }
        });
    };

    let camera_state = cam.read().clone();
    let camera_running = matches!(camera_state, CodeCamera::Starting | CodeCamera::On { .. });
    let camera_class = match camera_state {
        CodeCamera::Failed(_) | CodeCamera::On { note: Some(_) } => "camera-state camera-failed",
        CodeCamera::Read => "camera-state camera-read",
        _ => "camera-state",
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
                div { class: "camera enroll-camera",
                    if cfg!(target_arch = "wasm32") && camera_running {
                        video {
                            id: ENROLL_PREVIEW_ID,
                            class: if matches!(camera_state, CodeCamera::On { .. }) { "preview" } else { "preview preview-off" },
                            autoplay: true,
                            muted: true,
                            playsinline: true,
                            aria_label: "{t(lang, \"scan-enroll-camera-label\")}",
                        }
                    }
                    p { id: "enroll-camera-state", class: camera_class, role: "status",
                        "{code_camera_text(&camera_state, lang)}"
                    }
                    div { class: "camera-buttons",
                        if camera_running {
                            button {
                                r#type: "button",
                                id: "enroll-scan-cancel",
                                onclick: move |_| cancel.peek().send(()),
                                {t(lang, "scan-enroll-scan-cancel")}
                            }
                        } else {
                            button {
                                r#type: "button",
                                id: "enroll-scan",
                                disabled: busy(),
                                onclick: move |_| {
                                    let mailbox = Rc::new(Inbox::<()>::default());
                                    cancel.set(mailbox.clone());
                                    error.set(None);
                                    spawn(read_code(cam, code, mailbox));
                                },
                                {t(lang, "scan-enroll-scan")}
                            }
                        }
                    }
                }
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
                ServerSettings { id: "enroll-server", lang: lang, server, error: server_error() }
                FormError { error: error() }
                button { r#type: "submit", class: "primary", disabled: busy(),
                    if busy() { {t(lang, "scan-enroll-working")} } else { {t(lang, "scan-enroll-submit")} }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scanned_enrollment_code_is_read_in_its_canonical_form() {
        assert_eq!(scanned_code("7K2M-QX4P-9RTB").as_deref(), Ok("7K2MQX4P9RTB"));
        assert_eq!(scanned_code(" 7k2m qx4p 9rtb\n").as_deref(), Ok("7K2MQX4P9RTB"));
        assert_eq!(grouped_code("7K2MQX4P9RTB"), "7K2M-QX4P-9RTB");
        let link = "https://kaiku.example.fi/scan?enroll=7K2M-QX4P-9RTB";
        assert_eq!(scanned_code(link).as_deref(), Ok("7K2MQX4P9RTB"), "the console's enrollment link");
    }

    #[test]
    fn a_card_code_is_told_apart_from_any_other_code() {
        assert_eq!(scanned_code("A000100009"), Err(NotACode::Card), "a printed card's ID");
        assert_eq!(scanned_code("KK1:ABCDEF"), Err(NotACode::Card), "a mobile card's QR");
        assert_eq!(scanned_code("https://example.org/"), Err(NotACode::Other));
        assert_eq!(scanned_code("7K2M-QX4P"), Err(NotACode::Other), "too short for an enrollment code");
        assert_eq!(scanned_code(""), Err(NotACode::Other));
    }

    #[test]
    fn every_camera_state_is_said_in_each_language() {
        for lang in [Lang::Fi, Lang::Sv, Lang::En] {
            let states = [
                CodeCamera::Starting,
                CodeCamera::On { note: None },
                CodeCamera::On { note: Some(NotACode::Card) },
                CodeCamera::On { note: Some(NotACode::Other) },
                CodeCamera::Failed(CameraError::NoCamera),
                CodeCamera::Failed(CameraError::Denied),
                CodeCamera::Failed(CameraError::Busy),
                CodeCamera::Failed(CameraError::Failed("x".into())),
                CodeCamera::Read,
            ];
            for state in states {
                let text = code_camera_text(&state, lang);
                assert!(!text.is_empty() && !text.contains("scan-enroll"), "{lang:?} {state:?}: {text}");
            }
            assert_eq!(code_camera_text(&CodeCamera::Off, lang), "");
        }
    }
}
