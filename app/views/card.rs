//! The card screen: the card if there is one, and its status, refreshed when online.

use dioxus::prelude::*;

use crate::api::{Api, ApiError};
use crate::components::CardFace;
use crate::holder::{Age, HeldCard, age};
use crate::i18n::{Lang, t_args};
use crate::routes::Route;
use crate::state::{AppState, now, use_app};

/// "Status checked 3 h ago" in `lang`.
pub fn freshness(card: &HeldCard, lang: Lang, at: chrono::DateTime<chrono::Utc>) -> String {
    let when = match age(card.status_checked_at, at) {
        Age::JustNow => crate::i18n::t(lang, "when-just-now"),
        Age::Minutes(n) => t_args(lang, "when-minutes", &[("n", n.into())]),
        Age::Hours(n) => t_args(lang, "when-hours", &[("n", n.into())]),
        Age::Days(n) => t_args(lang, "when-days", &[("n", n.into())]),
    };
    t_args(lang, "status-checked", &[("when", when.into())])
}

/// Asks the register for the card's state; keeps the new credential and state if it answers.
async fn refresh(app: AppState, mut offline: Signal<bool>) {
    let Some(held) = app.card.read().clone() else { return };
    match Api::new(&app.server()).refresh(&held.credential).await {
        Ok(answer) => {
            offline.set(false);
            let updated = HeldCard {
                credential: answer.credential.unwrap_or(held.credential.clone()),
                summary: answer.card,
                status_checked_at: now(),
                ..held
            };
            let _ = app.keep_card(updated).await;
        }
        Err(ApiError::Network) => offline.set(true),
        Err(_) => offline.set(false),
    }
}

#[component]
pub fn CardScreen() -> Element {
    let app = use_app();
    let lang = app.lang();
    let offline = use_signal(|| false);
    let mut busy = use_signal(|| false);
    // Check once when the screen opens; the card is shown from the device meanwhile.
    use_future(move || async move {
        refresh(app, offline).await;
    });
    let Some(card) = app.card.read().clone() else {
        return rsx! {
            section { class: "no-card",
                h1 { {app.t("card-title")} }
                p { {app.t("card-none")} }
                Link { to: Route::Activate {}, class: "button primary", {app.t("card-activate")} }
            }
        };
    };
    let today = chrono::Local::now().date_naive();
    rsx! {
        CardFace { card: card.clone(), lang, today }
        section { class: "status", aria_live: "polite",
            if offline() {
                p { class: "offline", {app.t("status-offline")} }
            }
            p { {freshness(&card, lang, now())} }
            button {
                r#type: "button",
                disabled: busy(),
                onclick: move |_| {
                    busy.set(true);
                    spawn(async move {
                        refresh(app, offline).await;
                        busy.set(false);
                    });
                },
                if busy() { {app.t("status-refreshing")} } else { {app.t("status-refresh")} }
            }
        }
    }
}
