//! Scanner mode: venue staff read cards at the door, offline for hours when need be.
//!
//! `ScannerLayout` opens the scanner's store once, puts a [`ScannerCtx`] into context, keeps
//! the status bar on screen and syncs in the background; under it the door (`Scanner`, or
//! enrollment first), today's list (`ScanHistory`) and the device's settings (`ScanDevice`).

mod caution;
mod ctx;
mod device;
mod door;
mod door_screen;
mod door_settings;
mod door_state;
mod enroll;
mod form;
mod history;
mod manual;
mod read_activation;
mod status;
mod verdict;

use std::rc::Rc;

use dioxus::prelude::*;

pub use caution::{DoorClock, caution_text, cautions, credential_age_text};
pub use ctx::{OfferChoice, ScannerCtx, SyncFailure, SyncResult, client, offer_choices, use_scanner, use_sync_loop};
pub use device::DeviceScreen;
pub use door::{DoorState, offer_settled, store_error_text};
pub use door_screen::{CameraState, DoorScreen, PREVIEW_ID};
pub use door_settings::{DOOR_SETTINGS_KEY, DoorSettings, GateModeForm, SeenWindowForm, WindowError, parse_window};
pub use door_state::{Done, DoorModel, MemberProblem, SAME_CODE_MS, Shown, UNDO_SECONDS};
pub use enroll::{EnrollScreen, enroll_error_text};
pub use form::{offer_label, people, record_label};
pub use history::HistoryScreen;
pub use manual::{LiveCheck, ManualEntry, live_check};
pub use read_activation::{ReadActivation, Reading, read_text, reading_text};
pub use status::{NeedsAttention, StatusBar, clock_ahead_text, register_age, sync_text};
pub use verdict::{Sound, VerdictPanel, clock, date_time, headline, look, reasons};

use crate::i18n::{t, t_args};
use crate::routes::scan::Route;
use crate::scanner::SharedStore;
use crate::state::use_app;

/// The opened store as a prop: compared by identity, it is opened once.
#[derive(Debug, Clone)]
pub struct StoreProp(pub SharedStore);

impl PartialEq for StoreProp {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Opens the store, then shows the scanner's screens with the status bar over them.
#[component]
pub fn ScannerLayout() -> Element {
    let app = use_app();
    let lang = app.lang();
    let mut opened = use_resource(|| async { crate::scanner::open_default().await.map_err(|e| e.to_string()) });
    let state = opened.read().clone();
    match state {
        None => rsx! {
            p { class: "opening", role: "status", {t(lang, "scan-opening")} }
        },
        Some(Err(e)) => rsx! {
            section { class: "scanner",
                h1 { {t(lang, "scanner-title")} }
                div { class: "notice notice-bad", role: "alert",
                    p { {t_args(lang, "scan-store-problem", &[("error", e.into())])} }
                }
                button { r#type: "button", onclick: move |_| opened.restart(), {t(lang, "scan-store-retry")} }
            }
        },
        Some(Ok(store)) => rsx! {
            ScannerReady { store: StoreProp(store) }
        },
    }
}

#[component]
fn ScannerReady(store: StoreProp) -> Element {
    let app = use_app();
    let lang = app.lang();
    let ctx = ScannerCtx::provide(store.0);
    use_sync_loop(ctx, app);
    rsx! {
        div { class: "scanner",
            StatusBar {}
            nav { class: "scan-tabs", aria_label: "{t(lang, \"scan-nav-label\")}",
                Link { to: Route::Scanner {}, active_class: "active", {t(lang, "scan-tab-door")} }
                Link { to: Route::ScanHistory {}, active_class: "active", {t(lang, "scan-tab-history")} }
                Link { to: Route::ScanDevice {}, active_class: "active", {t(lang, "scan-tab-device")} }
            }
            if let Some(problem) = ctx.problem.read().clone() {
                div { class: "notice notice-bad", role: "alert",
                    p { {t_args(lang, "scan-store-problem", &[("error", problem.into())])} }
                }
            }
            Outlet::<Route> {}
        }
    }
}

/// The door, or enrollment while the device is not a venue's scanner.
#[component]
pub fn Scanner() -> Element {
    let app = use_app();
    let ctx = use_scanner();
    if !*ctx.loaded.read() {
        return rsx! {
            p { class: "opening", role: "status", {app.t("scan-opening")} }
        };
    }
    if ctx.is_enrolled() {
        rsx! { DoorScreen {} }
    } else {
        rsx! { EnrollScreen {} }
    }
}

/// Today's redemptions at this device.
#[component]
pub fn ScanHistory() -> Element {
    rsx! { HistoryScreen {} }
}

/// This device's settings: venue, server, un-enrollment.
#[component]
pub fn ScanDevice() -> Element {
    rsx! { DeviceScreen {} }
}
