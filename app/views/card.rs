//! The card screen: the card if there is one, and its status, refreshed when online.

use dioxus::prelude::*;

use crate::api::Api;
use crate::components::CardFace;
use crate::holder::{Age, HeldCard, StatusCheck, age};
use crate::i18n::{Lang, t_args};
use crate::routes::holder::Route;
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
/// A card the register no longer knows is kept too: the holder is told what to do.
async fn refresh(app: AppState, mut check: Signal<StatusCheck>) {
    let Some(held) = app.card.read().clone() else { return };
    match Api::new(&app.server()).refresh(&held.credential, held.refresh_secret.as_deref()).await {
        Ok(answer) => {
            check.set(StatusCheck::Fine);
            let updated = HeldCard {
                credential: answer.credential.unwrap_or(held.credential.clone()),
                summary: answer.card,
                status_checked_at: now(),
                ..held
            };
            let _ = app.keep_card(updated).await;
        }
        Err(e) => check.set(StatusCheck::after(&e)),
    }
}

/// What the last status check found, if it needs saying.
#[component]
pub fn StatusNote(check: StatusCheck, lang: Lang) -> Element {
    match check {
        StatusCheck::Fine => rsx! {},
        StatusCheck::Offline => rsx! {
            p { class: "offline", {crate::i18n::t(lang, "status-offline")} }
        },
        StatusCheck::NotInRegister => rsx! {
            p { class: "notice notice-bad", role: "alert", {crate::i18n::t(lang, "status-not-in-register")} }
        },
        StatusCheck::NeedsActivation => rsx! {
            p { class: "notice notice-bad", role: "alert", {crate::i18n::t(lang, "status-needs-activation")} }
        },
    }
}

#[component]
pub fn CardScreen() -> Element {
    let app = use_app();
    let lang = app.lang();
    let check = use_signal(StatusCheck::default);
    let mut busy = use_signal(|| false);
    // Check once when the screen opens; the card is shown from the device meanwhile.
    use_future(move || async move {
        refresh(app, check).await;
    });
    let Some(card) = app.card.read().clone() else {
        return rsx! {
            section { class: "no-card",
                h1 { {app.t("card-title")} }
                p { {app.t("card-none")} }
                Link { to: Route::Activate { code: String::new() }, class: "button primary", {app.t("card-activate")} }
            }
        };
    };
    let today = chrono::Local::now().date_naive();
    rsx! {
        CardFace { card: card.clone(), lang, today }
        section { class: "status", aria_live: "polite",
            StatusNote { check: check(), lang }
            p { {freshness(&card, lang, now())} }
            button {
                id: "refresh-status",
                r#type: "button",
                disabled: busy(),
                onclick: move |_| {
                    busy.set(true);
                    spawn(async move {
                        refresh(app, check).await;
                        busy.set(false);
                    });
                },
                if busy() { {app.t("status-refreshing")} } else { {app.t("status-refresh")} }
            }
        }
    }
}
