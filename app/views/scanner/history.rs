//! Today at this device: every redemption (time, card, offer, people, where it is on its way to
//! the server) and the counts per offer.

use dioxus::prelude::*;
use kaiku_core::verdict::VerdictCode;

use super::ctx::{OfferChoice, offer_choices, use_scanner};
use super::form::{offer_label, people};
use super::status::{NeedsAttention, state_text};
use super::verdict::clock;
use crate::holder::grouped_id;
use crate::i18n::{t, t_args};
use crate::scanner::SyncState;
use crate::state::use_app;

#[component]
pub fn HistoryScreen() -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    // The list is read again whenever the screen opens.
    use_hook(move || {
        spawn(ctx.refresh());
    });
    let offers = offer_choices(ctx.enrollment.read().as_ref().map(|e| e.offers.as_slice()).unwrap_or_default());
    let name = move |kind, id| {
        let found = offers.iter().find(|o| o.kind == kind && o.id == id).cloned();
        let choice = found.unwrap_or(OfferChoice { id, kind, name: String::new(), limit: None });
        offer_label(lang, &choice)
    };
    let today = ctx.today.read().clone();
    let rejected = ctx.rejected.read().len();
    rsx! {
        section { class: "history", aria_labelledby: "history-title",
            h1 { id: "history-title", {t(lang, "scan-history-title")} }
            if rejected > 0 {
                NeedsAttention {}
            }
            if today.redemptions.is_empty() {
                p { {t(lang, "scan-history-none")} }
            } else {
                h2 { {t(lang, "scan-history-counts")} }
                ul { class: "offer-counts",
                    for c in today.by_offer.iter() {
                        li { key: "{c.offer:?}-{c.offer_id:?}",
                            span { class: "count-offer", "{name(c.offer, c.offer_id)}" }
                            ": "
                            span {
                                {t_args(lang, "scan-history-count", &[("count", c.redemptions.into()), ("people", c.people.into())])}
                            }
                        }
                    }
                }
                h2 { {t(lang, "scan-history-list")} }
                ol { class: "redemptions", reversed: true,
                    for l in today.redemptions.iter().rev() {
                        li {
                            key: "{l.redemption.id}",
                            class: match l.state {
                                SyncState::Pending => "redemption state-pending",
                                SyncState::Rejected { .. } => "redemption state-rejected",
                                _ => "redemption state-sent",
                            },
                            p { class: "redemption-head",
                                span { class: "redemption-time", "{clock(lang, l.redemption.scanned_at)}" }
                                " "
                                span { class: "redemption-card", "{grouped_id(&l.redemption.card.to_string())}" }
                            }
                            p {
                                "{name(l.redemption.offer, l.redemption.offer_id)} · {people(lang, usize::from(l.redemption.adults), l.redemption.children)}"
                            }
                            if !l.redemption.group.is_empty() {
                                p {
                                    {t_args(lang, "scan-history-group", &[("ids", l.redemption.group.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ").into())])}
                                }
                            }
                            if l.redemption.verdict == VerdictCode::ValidUnverified {
                                p { class: "hint", {t(lang, "scan-history-unverified")} }
                            }
                            p { class: "redemption-state", "{state_text(lang, &l.state)}" }
                        }
                    }
                }
            }
        }
    }
}
