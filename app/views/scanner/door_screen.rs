//! The door screen, camera first. On a phone the door takes the whole screen height: the
//! preview on top (framed in the verdict's colour), the verdict, form and typing in a panel that
//! scrolls by itself, and the record and next-person buttons at the bottom. A wide window puts
//! the camera on the left and the panel on the right (a ticket desk's laptop).

use std::rc::Rc;

use dioxus::prelude::*;
use kaiku_core::verdict::Signal as Door;
use kaiku_core::{CardId, ScanInput};

use super::caution::DoorClock;
use super::ctx::use_scanner;
use super::door::{DOOR_ID, DoorState, door_to_top, offer_settled};
use super::door_state::Done;
use super::form::{OfferPicker, RecordBar, RedemptionForm};
use super::manual::ManualEntry;
use super::verdict::VerdictPanel;
use crate::camera::{CameraError, Facing, LiveCamera, LiveOptions, open_live};
use crate::i18n::{Lang, t, t_args};
use crate::state::{sleep_ms, use_app};
use crate::wait::{Either, Inbox, race};
use kaiku_core::redemption::EntryMethod;

/// The id of the camera preview's `<video>` element (web).
pub const PREVIEW_ID: &str = "scan-preview";

/// The camera as the screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum CameraState {
    Off,
    Starting,
    On { torch: bool, torch_on: bool, can_switch: bool },
    Failed(CameraError),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CamCmd {
    Torch(bool),
    Switch,
    Retry,
}

fn camera_text(state: &CameraState, lang: Lang) -> String {
    match state {
        CameraState::Off => String::new(),
        CameraState::Starting => t(lang, "scan-camera-starting"),
        CameraState::On { .. } => t(lang, "scan-camera-on"),
        CameraState::Failed(CameraError::NoCamera) => t(lang, "scan-camera-none"),
        CameraState::Failed(CameraError::Denied) => t(lang, "scan-camera-denied"),
        CameraState::Failed(CameraError::Busy) => t(lang, "scan-camera-busy"),
        CameraState::Failed(e) => t_args(lang, "scan-camera-failed", &[("error", e.to_string().into())]),
    }
}

/// Runs the camera until the screen goes: scans to the door, commands from the buttons.
async fn run_camera(door: DoorState, mut state: Signal<CameraState>, commands: Rc<Inbox<CamCmd>>) {
    let mut facing = Facing::Back;
    // Let the preview element be mounted first.
    sleep_ms(30).await;
    'open: loop {
        state.set(CameraState::Starting);
        let mut cam: Box<dyn LiveCamera> =
            match open_live(LiveOptions { facing, preview_id: PREVIEW_ID.to_owned() }).await {
                Ok(c) => c,
                Err(e) => {
                    state.set(CameraState::Failed(e));
                    while commands.next().await != CamCmd::Retry {}
                    continue 'open;
                }
            };
        state.set(CameraState::On { torch: cam.has_torch(), torch_on: false, can_switch: cam.can_switch() });
        loop {
            match race(cam.next_scan(), commands.next()).await {
                Either::Left(Some(scan)) => door.camera_scan(scan).await,
                Either::Left(None) => {
                    state.set(CameraState::Failed(CameraError::Failed("stopped".into())));
                    while commands.next().await != CamCmd::Retry {}
                    continue 'open;
                }
                Either::Right(CamCmd::Torch(on)) => {
                    if cam.set_torch(on).await.is_ok() {
                        state.set(CameraState::On { torch: true, torch_on: on, can_switch: cam.can_switch() });
                    }
                }
                Either::Right(CamCmd::Switch) => {
                    cam.stop();
                    facing = match facing {
                        Facing::Back => Facing::Front,
                        Facing::Front => Facing::Back,
                    };
                    continue 'open;
                }
                Either::Right(CamCmd::Retry) => {}
            }
        }
    }
}

/// The last record: a big tick and its words, and the undo while its seconds last.
#[component]
fn DoneNote(done: Done, lang: Lang, on_undo: EventHandler<()>) -> Element {
    let class = if done.gate { "door-done door-done-gate" } else { "door-done" };
    rsx! {
        div { class,
            if done.undone {
                p { class: "recorded undone", role: "status",
                    {t_args(lang, "scan-undone", &[("summary", done.summary.clone().into())])}
                }
            } else {
                p { class: "recorded", role: "status",
                    span { class: "done-tick", aria_hidden: "true", "✓" }
                    " "
                    {t_args(lang, "scan-recorded", &[("summary", done.summary.clone().into())])}
                }
                if done.undo_left > 0 {
                    button { r#type: "button", id: "undo", class: "undo-button", onclick: move |_| on_undo.call(()),
                        {t_args(lang, "scan-undo", &[("seconds", done.undo_left.into())])}
                    }
                }
            }
        }
    }
}

/// The door screen. `camera: false` leaves the camera off (typing only; tests).
#[component]
pub fn DoorScreen(#[props(default = true)] camera: bool) -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    // A clock in context (tests) moves the door's time; otherwise it is the device's.
    let door = use_hook(|| DoorState::new(ctx, app.prefs, try_consume_context::<DoorClock>().unwrap_or_default()));
    let cam_state = use_signal(|| if camera { CameraState::Starting } else { CameraState::Off });
    let commands = use_hook(|| Rc::new(Inbox::<CamCmd>::default()));
    let loop_commands = commands.clone();
    use_future(move || {
        let commands = loop_commands.clone();
        async move {
            if camera {
                run_camera(door, cam_state, commands).await;
            }
        }
    });
    let venue = ctx.enrollment.read().as_ref().map(|e| e.venue_name.clone()).unwrap_or_default();
    let gate = ctx.door_settings.read().gate;
    let settled = offer_settled(&ctx);
    let model = door.model;
    let m = model.read().clone();
    let cam = cam_state.read().clone();
    let camera_on = matches!(cam, CameraState::On { .. });
    let camera_failed = matches!(cam, CameraState::Failed(_));
    let stage = match m.shown.as_ref().map(|s| s.verdict.signal()) {
        Some(Door::Admit) => "door-stage stage-admit",
        Some(Door::AdmitFlagged) => "door-stage stage-flagged",
        Some(Door::Refuse) => "door-stage stage-refuse",
        None => "door-stage",
    };
    let (c1, c2, c3) = (commands.clone(), commands.clone(), commands.clone());
    rsx! {
        section {
            id: DOOR_ID,
            class: if camera { "door door-camera" } else { "door" },
            aria_labelledby: "door-title",
            onmounted: move |_| {
                if camera {
                    door_to_top();
                }
            },
            h1 { id: "door-title", class: "visually-hidden", {t(lang, "scanner-title")} }
            if camera {
                div { class: stage,
                    if cfg!(target_arch = "wasm32") {
                        video {
                            id: PREVIEW_ID,
                            class: if camera_on { "preview" } else { "preview preview-off" },
                            autoplay: true,
                            muted: true,
                            playsinline: true,
                            aria_label: "{t(lang, \"scan-camera-label\")}",
                        }
                    }
                    p { class: if camera_failed { "camera-state camera-failed" } else { "camera-state" }, role: "status",
                        "{camera_text(&cam, lang)}"
                    }
                    div { class: "camera-buttons",
                        if let CameraState::On { torch: true, torch_on, .. } = cam {
                            button {
                                r#type: "button",
                                aria_pressed: if torch_on { "true" } else { "false" },
                                onclick: move |_| c1.send(CamCmd::Torch(!torch_on)),
                                if torch_on { {t(lang, "scan-torch-off")} } else { {t(lang, "scan-torch-on")} }
                            }
                        }
                        if let CameraState::On { can_switch: true, .. } = cam {
                            button { r#type: "button", onclick: move |_| c2.send(CamCmd::Switch), {t(lang, "scan-switch-camera")} }
                        }
                        if camera_failed && !matches!(cam, CameraState::Failed(CameraError::NoCamera)) {
                            button { r#type: "button", onclick: move |_| c3.send(CamCmd::Retry), {t(lang, "scan-camera-retry")} }
                        }
                    }
                }
            }
            div { class: "door-sheet",
                match m.shown.clone() {
                    Some(s) => rsx! {
                        VerdictPanel {
                            verdict: s.verdict.clone(),
                            lang,
                            cautions: s.cautions.clone(),
                            at: s.at,
                            // Staff picked the suggested number by eye: it counts as typed.
                            on_check: move |other: CardId| door.run(door.show(ScanInput::PlainId(other), EntryMethod::Typed)),
                        }
                        if m.hold {
                            p { class: "notice notice-soon", role: "status", {t(lang, "scan-hold-note")} }
                        }
                        if s.admits() {
                            RedemptionForm {
                                model,
                                on_member: move |text: String| door.run(door.add_member(ScanInput::parse(&text))),
                                on_offer: move |_| door.run(door.redecide()),
                            }
                        } else {
                            div { role: "alert", class: "form-error",
                                if let Some(message) = m.error.clone() {
                                    p { "{message}" }
                                }
                            }
                        }
                    },
                    None => rsx! {
                        if let Some(done) = m.done.clone() {
                            DoneNote { done, lang, on_undo: move |_| door.run(door.undo()) }
                        }
                        div { role: "alert", class: "form-error",
                            if let Some(message) = m.error.clone() {
                                p { "{message}" }
                            }
                        }
                        OfferPicker { id: "offer", on_change: move |_| door.run(door.redecide()) }
                        if gate && !settled {
                            p { class: "notice notice-soon", {t(lang, "scan-gate-choose-offer")} }
                        }
                    },
                }
                ManualEntry {
                    lang,
                    id: "card",
                    label: t(lang, "scan-manual-label"),
                    button: t(lang, "scan-manual-check"),
                    on_submit: move |text: String| door.run(door.typed(text)),
                }
                p { class: "venue",
                    {t_args(lang, "scan-venue", &[("venue", venue.into())])}
                    if gate {
                        " · "
                        span { class: "gate-badge", {t(lang, "scan-gate-badge")} }
                    }
                }
                if let Some(name) = ctx.just_enrolled.read().clone() {
                    p { class: "notice notice-ok", role: "status", {t_args(lang, "scan-welcome", &[("venue", name.into())])} }
                }
            }
            if let Some(s) = m.shown.as_ref() {
                div { class: "door-actions",
                    if s.admits() {
                        RecordBar { model, on_record: move |_| door.run(door.record(false)) }
                    }
                    button {
                        r#type: "button",
                        id: "next-person",
                        class: if s.admits() { "next-button" } else { "next-button primary" },
                        onclick: move |_| door.dismiss(),
                        {t(lang, "scan-next")}
                    }
                }
            }
        }
    }
}
