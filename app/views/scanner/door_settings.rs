//! The door's settings on this device: how long after a record the same card is "seen here",
//! and gate mode. Kept in the device's vault beside the chosen offer; changed on the device screen.

use chrono::TimeDelta;
use dioxus::prelude::*;
use kaiku_core::caution::{MAX_SEEN_WINDOW, SEEN_WINDOW};
use serde::{Deserialize, Serialize};

use super::ctx::use_scanner;
use crate::components::TextField;
use crate::i18n::{Lang, t, t_args};
use crate::state::use_app;
use crate::storage::{self, SharedVault};

/// Vault key of the door's settings.
pub const DOOR_SETTINGS_KEY: &str = "scanner_door";

/// What the door does on this device, as the device keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorSettings {
    /// Minutes after a record within which the same card is "seen here"; 0 turns it off.
    pub seen_window_minutes: u32,
    /// Gate mode: a valid card with nothing to choose is recorded with no tap.
    #[serde(default)]
    pub gate: bool,
}

impl Default for DoorSettings {
    fn default() -> Self {
        Self { seen_window_minutes: minutes(SEEN_WINDOW), gate: false }
    }
}

impl DoorSettings {
    pub fn seen_window(&self) -> TimeDelta {
        TimeDelta::minutes(i64::from(self.seen_window_minutes))
    }
}

fn minutes(d: TimeDelta) -> u32 {
    u32::try_from(d.num_minutes()).unwrap_or(0)
}

/// Why a typed window was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowError {
    NotWholeMinutes,
    TooLong,
}

/// Reads a window typed in minutes: whole minutes from 0 (off) to a day.
pub fn parse_window(text: &str) -> Result<u32, WindowError> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WindowError::NotWholeMinutes);
    }
    match text.parse::<u32>() {
        Ok(n) if n <= minutes(MAX_SEEN_WINDOW) => Ok(n),
        _ => Err(WindowError::TooLong),
    }
}

fn window_error_text(e: WindowError, lang: Lang) -> String {
    match e {
        WindowError::NotWholeMinutes => t(lang, "scan-seen-window-not-minutes"),
        WindowError::TooLong => t_args(lang, "scan-seen-window-too-long", &[("max", minutes(MAX_SEEN_WINDOW).into())]),
    }
}

/// The settings kept on the device, or the defaults.
pub async fn load_door_settings(vault: &SharedVault) -> DoorSettings {
    storage::load::<DoorSettings>(vault.as_ref(), DOOR_SETTINGS_KEY).await.ok().flatten().unwrap_or_default()
}

/// The "same card again" setting: a field in minutes, its error next to it, saved on the device.
#[component]
pub fn SeenWindowForm() -> Element {
    let app = use_app();
    let mut ctx = use_scanner();
    let lang = app.lang();
    // The setting in force until staff type: it may be read from the device after the first render.
    let current = ctx.door_settings.read().seen_window_minutes;
    let mut text = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let mut saved = use_signal(|| None::<String>);
    let save = move |e: FormEvent| {
        e.prevent_default();
        saved.set(None);
        let typed = text.peek().clone().unwrap_or_else(|| current.to_string());
        let n = match parse_window(&typed) {
            Ok(n) => n,
            Err(why) => {
                // The setting in force stays as it was.
                error.set(Some(window_error_text(why, lang)));
                return;
            }
        };
        error.set(None);
        let settings = DoorSettings { seen_window_minutes: n, ..*ctx.door_settings.peek() };
        let vault = app.vault.peek().clone();
        spawn(async move {
            match storage::save(vault.as_ref(), DOOR_SETTINGS_KEY, &settings).await {
                Ok(()) => {
                    ctx.door_settings.set(settings);
                    let key = if n == 0 { "scan-seen-window-off" } else { "scan-seen-window-saved" };
                    saved.set(Some(t_args(lang, key, &[("n", n.into())])));
                }
                Err(e) => {
                    error.set(Some(t_args(lang, "scan-seen-window-not-saved", &[("error", e.to_string().into())])))
                }
            }
        });
    };
    rsx! {
        h2 { id: "seen-window-title", {t(lang, "scan-seen-window-title")} }
        form { id: "seen-window-form", class: "seen-window", aria_labelledby: "seen-window-title", onsubmit: save,
            TextField {
                id: "seen-window",
                label: t(lang, "scan-seen-window-label"),
                value: text().unwrap_or_else(|| current.to_string()),
                oninput: move |v: String| text.set(Some(v)),
                error: error(),
                hint: Some(t_args(lang, "scan-seen-window-hint", &[("max", minutes(MAX_SEEN_WINDOW).into())])),
                inputmode: Some("numeric".to_owned()),
                autocomplete: Some("off".to_owned()),
            }
            button { r#type: "submit", id: "seen-window-save", {t(lang, "scan-seen-window-save")} }
            p { role: "status", class: "device-message",
                if let Some(m) = saved() {
                    "{m}"
                }
            }
        }
    }
}

/// Gate mode on this device: one button that switches it and saves it at once.
#[component]
pub fn GateModeForm() -> Element {
    let app = use_app();
    let mut ctx = use_scanner();
    let lang = app.lang();
    let on = ctx.door_settings.read().gate;
    let mut problem = use_signal(|| None::<String>);
    let switch = move |_| {
        let settings = DoorSettings { gate: !on, ..*ctx.door_settings.peek() };
        let vault = app.vault.peek().clone();
        spawn(async move {
            match storage::save(vault.as_ref(), DOOR_SETTINGS_KEY, &settings).await {
                Ok(()) => {
                    ctx.door_settings.set(settings);
                    problem.set(None);
                }
                // The setting in force stays as it was.
                Err(e) => problem.set(Some(t_args(lang, "scan-gate-not-saved", &[("error", e.to_string().into())]))),
            }
        });
    };
    rsx! {
        h2 { id: "gate-mode-title", {t(lang, "scan-gate-title")} }
        div { class: "gate-mode", role: "group", aria_labelledby: "gate-mode-title",
            p { class: "hint", id: "gate-mode-hint", {t(lang, "scan-gate-hint")} }
            button {
                r#type: "button",
                id: "gate-mode",
                class: if on { "primary" } else { "" },
                aria_pressed: if on { "true" } else { "false" },
                aria_describedby: "gate-mode-hint",
                onclick: switch,
                {t(lang, "scan-gate-switch")}
            }
            p { id: "gate-mode-state", role: "status", class: "device-message",
                {t(lang, if on { "scan-gate-is-on" } else { "scan-gate-is-off" })}
            }
            div { role: "alert", class: "form-error",
                if let Some(m) = problem() {
                    p { "{m}" }
                }
            }
        }
    }
}
