//! The card itself: codes, number, kind, validity, children, the holder's name. Pure props,
//! so that tests render it exactly as a phone shows it.

use chrono::NaiveDate;
use dioxus::prelude::*;
use kaiku_core::CardKind;

use super::{Barcode, ExpiryNotice, LiveClock, QrCode};
use crate::holder::{HeldCard, grouped_id, notice};
use crate::i18n::{Lang, date, t, t_args};

#[component]
pub fn CardFace(card: HeldCard, lang: Lang, today: NaiveDate) -> Element {
    let s = &card.summary;
    let id = s.card.to_string();
    let kind = match (s.kind, &s.organisation) {
        (CardKind::Personal, _) => t(lang, "card-kind-personal"),
        (CardKind::Community, Some(org)) => {
            t_args(lang, "card-kind-community", &[("organisation", org.clone().into())])
        }
        (CardKind::Community, None) => t(lang, "card-kind-community-plain"),
    };
    let valid = t_args(lang, "card-valid-until", &[("date", date(lang, s.valid_until).into())]);
    let children = t_args(lang, "card-children", &[("count", s.minors_on_record.into())]);
    let qr_label = t_args(lang, "card-qr-label", &[("id", id.clone().into())]);
    let bar_label = t_args(lang, "card-barcode-label", &[("id", id.clone().into())]);
    rsx! {
        article { class: "card", lang: "{lang.code()}", aria_labelledby: "card-title",
            h1 { id: "card-title", class: "card-title", {t(lang, "card-title")} }
            ExpiryNotice { notice: notice(s, today), lang }
            if let Some(name) = &card.holder_name {
                p { class: "holder-name",
                    span { class: "visually-hidden", {t(lang, "card-holder")} }
                    "{name}"
                }
            }
            QrCode { text: card.credential.clone(), label: qr_label }
            LiveClock { lang }
            Barcode { text: id.clone(), label: bar_label }
            p { class: "card-id",
                span { class: "card-id-label", {t(lang, "card-number")} }
                span { class: "card-id-digits", "{grouped_id(&id)}" }
            }
            ul { class: "card-facts",
                li { "{kind}" }
                li { "{valid}" }
                li { "{children}" }
            }
        }
    }
}
