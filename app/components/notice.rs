//! The card's warning: expires soon, expired, or revoked, with what to do.

use dioxus::prelude::*;

use crate::holder::Notice;
use crate::i18n::{Lang, date, t, t_args};

/// The text of a notice in `lang`.
pub fn notice_text(notice: Notice, lang: Lang) -> String {
    match notice {
        Notice::ExpiresIn { days } => t_args(lang, "card-expires-soon", &[("days", days.into())]),
        Notice::ExpiresToday => t(lang, "card-expires-today"),
        Notice::Expired { on } => t_args(lang, "card-expired", &[("date", date(lang, on).into())]),
        Notice::Revoked { on } => t_args(lang, "card-revoked", &[("date", date(lang, on).into())]),
    }
}

#[component]
pub fn ExpiryNotice(notice: Option<Notice>, lang: Lang) -> Element {
    let Some(n) = notice else { return rsx! {} };
    let class = match n {
        Notice::ExpiresIn { .. } | Notice::ExpiresToday => "notice notice-soon",
        Notice::Expired { .. } | Notice::Revoked { .. } => "notice notice-bad",
    };
    rsx! {
        p { class, role: "alert", "{notice_text(n, lang)}" }
    }
}
