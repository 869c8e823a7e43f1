//! Proof that the card is alive and not a screenshot: the time, ticking, and a moving band.

use chrono::Local;
use dioxus::prelude::*;

use crate::i18n::{Lang, t_args};
use crate::state::sleep_ms;

#[component]
pub fn LiveClock(lang: Lang) -> Element {
    let mut time = use_signal(|| Local::now().format("%H:%M:%S").to_string());
    use_future(move || async move {
        loop {
            sleep_ms(1000).await;
            time.set(Local::now().format("%H:%M:%S").to_string());
        }
    });
    let text = t_args(lang, "card-live", &[("time", time().into())]);
    rsx! {
        div { class: "live",
            div { class: "live-band", aria_hidden: "true" }
            p { class: "live-time", "{text}" }
        }
    }
}
