//! "Read the QR code with the camera" for a holder activating a card: the camera reads the
//! activation QR the distributor shows (a link made by `links::activation_link`) and opens the
//! activation screen with the code filled in. It lives in the scanner's part, beside the
//! decoders, so that a holder downloads them only when choosing the camera.

use std::rc::Rc;

use dioxus::prelude::*;
use kaiku_core::ScanInput;

use crate::camera::{CameraError, Facing, LiveCamera, LiveOptions, open_live};
use crate::i18n::{Lang, t, t_args};
use crate::links::activation_code;
use crate::parts::PartLink;
use crate::state::{sleep_ms, use_app};
use crate::wait::{Either, Inbox, race};

/// The id of the camera preview's `<video>` element (web).
pub const ACTIVATION_PREVIEW_ID: &str = "activation-preview";

/// What the camera is doing, for the holder.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    Starting,
    Looking,
    /// The last code read was a card's own code, not an activation code.
    SawCard,
    /// The last code read was something else.
    SawOther,
    Failed(CameraError),
}

/// What a scanned text means here: the activation code, or what to tell the holder.
pub fn read_text(text: &str) -> Result<String, Reading> {
    // A card's number would pass for a bare code, so a card's own code is told apart first.
    match ScanInput::parse(text) {
        ScanInput::Credential(_) | ScanInput::PlainId(_) => Err(Reading::SawCard),
        ScanInput::Unrecognised(_) => activation_code(text).ok_or(Reading::SawOther),
    }
}

pub fn reading_text(state: &Reading, lang: Lang) -> String {
    match state {
        Reading::Starting => t(lang, "scan-camera-starting"),
        Reading::Looking => t(lang, "read-activation-on"),
        Reading::SawCard => t(lang, "read-activation-card"),
        Reading::SawOther => t(lang, "read-activation-other"),
        Reading::Failed(CameraError::NoCamera) => t(lang, "read-activation-none"),
        Reading::Failed(CameraError::Denied) => t(lang, "read-activation-denied"),
        Reading::Failed(e) => t_args(lang, "read-activation-failed", &[("error", e.to_string().into())]),
    }
}

/// Reads until an activation code is seen (then opens the activation screen with it), the
/// camera fails, or the screen is left.
async fn read(mut state: Signal<Reading>, stop: Rc<Inbox<()>>) {
    // Let the preview element be mounted first.
    sleep_ms(30).await;
    let options = LiveOptions { facing: Facing::Back, preview_id: ACTIVATION_PREVIEW_ID.to_owned() };
    let mut cam: Box<dyn LiveCamera> = match race(open_live(options), stop.next()).await {
        Either::Left(Ok(cam)) => cam,
        Either::Left(Err(e)) => return state.set(Reading::Failed(e)),
        Either::Right(()) => return,
    };
    state.set(Reading::Looking);
    loop {
        match race(cam.next_scan(), stop.next()).await {
            Either::Left(Some(scan)) => match read_text(&scan.text) {
                Ok(code) => {
                    cam.stop();
                    navigator().push(format!("/activate?code={code}"));
                    return;
                }
                Err(why) if *state.peek() != why => state.set(why),
                Err(_) => {}
            },
            Either::Left(None) => return state.set(Reading::Failed(CameraError::Failed("stopped".into()))),
            Either::Right(()) => return cam.stop(),
        }
    }
}

#[component]
pub fn ReadActivation() -> Element {
    let app = use_app();
    let lang = app.lang();
    let state = use_signal(|| Reading::Starting);
    let stop = use_hook(|| Rc::new(Inbox::<()>::default()));
    use_hook({
        let stop = stop.clone();
        move || spawn(read(state, stop))
    });
    use_drop(move || stop.send(()));
    let now = state.read().clone();
    let class = match now {
        Reading::Failed(_) | Reading::SawCard | Reading::SawOther => "camera-state camera-failed",
        _ => "camera-state",
    };
    rsx! {
        section { class: "read-activation",
            h1 { {t(lang, "read-activation-title")} }
            p { {t(lang, "read-activation-intro")} }
            div { class: "camera",
                if cfg!(target_arch = "wasm32") && !matches!(now, Reading::Failed(_)) {
                    video {
                        id: ACTIVATION_PREVIEW_ID,
                        class: if now == Reading::Starting { "preview preview-off" } else { "preview" },
                        autoplay: true,
                        muted: true,
                        playsinline: true,
                        aria_label: "{t(lang, \"read-activation-camera-label\")}",
                    }
                }
                p { id: "read-activation-state", class, role: "status", "{reading_text(&now, lang)}" }
            }
            PartLink { id: "read-activation-type", class: "button", to: "/activate", {t(lang, "read-activation-type")} }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_activation_link_or_code_is_read_and_a_cards_code_is_told_apart() {
        assert_eq!(read_text("https://kaiku.example.fi/activate?code=K7PQ-2MXD").as_deref(), Ok("K7PQ-2MXD"));
        assert_eq!(read_text("A000000018"), Err(Reading::SawCard), "a printed card's number");
        assert_eq!(read_text("https://example.fi/menu"), Err(Reading::SawOther));
    }

    #[test]
    fn every_state_has_words_in_every_language() {
        for lang in [Lang::Fi, Lang::Sv, Lang::En] {
            for state in [Reading::Looking, Reading::SawCard, Reading::SawOther, Reading::Failed(CameraError::Denied)] {
                assert!(!reading_text(&state, lang).is_empty(), "{state:?} in {lang:?}");
            }
        }
    }
}
