//! Renewing and cancelling a card from its screen. Cancelling needs a reason (the register
//! keeps it, and the door tells it); the updated record replaces the one shown.

use dioxus::prelude::*;
use kaiku_core::card::{CardStatus, RevocationReason};

use super::client::CardView;
use super::session::use_staff;
use crate::components::{FieldError, FormError};
use crate::i18n::t;
use crate::state::use_app;

const REASONS: [(RevocationReason, &str); 4] = [
    (RevocationReason::Lost, "lost"),
    (RevocationReason::Stolen, "stolen"),
    (RevocationReason::Misuse, "misuse"),
    (RevocationReason::Replaced, "replaced"),
];

#[component]
pub fn CardActions(id: String, view: Signal<Option<CardView>>) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let mut reason = use_signal(|| None::<RevocationReason>);
    let mut reason_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let revoked = matches!(view.read().as_ref().map(|v| v.card.status), Some(CardStatus::Revoked { .. }));

    let card_id = id.clone();
    // A Callback is Copy, so the renew button and the cancel form can both hold it.
    let act = use_callback(move |revoke: Option<RevocationReason>| {
        // One change at a time: a late answer to the first must not overwrite the second.
        if *busy.peek() {
            return;
        }
        let Some(session) = ctx.session.peek().clone() else { return };
        let card_id = card_id.clone();
        busy.set(true);
        error.set(None);
        spawn(async move {
            let api = session.api();
            let result = match revoke {
                Some(r) => api.revoke(&card_id, r).await,
                None => api.renew(&card_id).await,
            };
            busy.set(false);
            match result {
                Ok(v) => view.set(Some(v)),
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    });

    if revoked {
        return rsx! {};
    }
    rsx! {
        div { class: "card-actions",
            h2 { {t(lang, "staff-card-actions")} }
            button { id: "renew", r#type: "button", disabled: busy(), onclick: move |_| act.call(None), {t(lang, "staff-renew")} }
            p { class: "hint", {t(lang, "staff-renew-hint")} }
            form {
                id: "revoke-form",
                novalidate: true,
                onsubmit: move |e: FormEvent| {
                    e.prevent_default();
                    match reason() {
                        Some(r) => {
                            reason_error.set(None);
                            act.call(Some(r));
                        }
                        None => reason_error.set(Some(t(app.lang(), "staff-revoke-reason-empty"))),
                    }
                },
                label { r#for: "revoke-reason", {t(lang, "staff-revoke-reason")} }
                select {
                    id: "revoke-reason",
                    name: "reason",
                    aria_describedby: "revoke-reason-error",
                    aria_invalid: if reason_error.read().is_some() { "true" } else { "false" },
                    onchange: move |e| reason.set(REASONS.iter().find(|(_, c)| *c == e.value()).map(|(r, _)| *r)),
                    option { value: "", selected: reason().is_none(), {t(lang, "staff-scope-none")} }
                    for (r, code) in REASONS {
                        option { value: code, selected: reason() == Some(r), {t(lang, &format!("scan-revoked-{code}"))} }
                    }
                }
                FieldError { id: "revoke-reason-error", error: reason_error() }
                button { id: "revoke", r#type: "submit", class: "danger", disabled: busy(), {t(lang, "staff-revoke")} }
            }
            FormError { error: error() }
        }
    }
}
