//! A card just handed out: its number large, then either print it or put it on the holder's
//! phone (a one-time activation code, large and as a QR code that "My card" reads).

use dioxus::prelude::*;
use kaiku_core::CardKind;

use super::card_actions::CardActions;
use super::client::{CardView, OneTimeCode};
use super::session::use_staff;
use crate::components::{FormError, QrCode};
use crate::holder::grouped_id;
use crate::i18n::{date, t, t_args};
use crate::routes::staff::Route;
use crate::state::use_app;

#[component]
pub fn StaffCard(id: String) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    // The activation QR holds a link to this server's app (links.rs).
    let server = ctx.session.read().as_ref().map(|s| s.server.clone()).unwrap_or_default();
    let mut view = use_signal(|| None::<CardView>);
    let mut code = use_signal(|| None::<OneTimeCode>);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let card_id = id.clone();
    // The register's own record, so the screen is right after a reload too.
    use_hook(move || {
        let Some(session) = ctx.session.peek().clone() else { return };
        spawn(async move {
            match session.api().card(&card_id).await {
                Ok(v) => view.set(Some(v)),
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    });

    let card_id = id.clone();
    let to_phone = move |_| {
        let Some(session) = ctx.session.peek().clone() else { return };
        let card_id = card_id.clone();
        busy.set(true);
        error.set(None);
        spawn(async move {
            let result = session.api().activation_code(&card_id).await;
            busy.set(false);
            match result {
                Ok(c) => code.set(Some(c)),
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };

    let facts = view.read().as_ref().map(|v| {
        let kind = match v.card.kind {
            CardKind::Personal => t(lang, "staff-kind-personal"),
            CardKind::Community => t(lang, "staff-kind-community"),
        };
        let until = super::my_cards::state_text(v, lang);
        let minors = t_args(lang, "staff-minors-on-record", &[("n", v.card.minors_on_record.into())]);
        (kind, until, minors)
    });
    let shown_code = code.read().clone();
    rsx! {
        section { class: "staff-card",
            h1 { {t(lang, "staff-card-ready")} }
            p { class: "card-id",
                span { class: "card-id-label", {t(lang, "staff-card-number")} }
                span { id: "card-number", class: "card-id-digits", {grouped_id(&id)} }
            }
            if let Some((kind, until, minors)) = facts {
                ul { class: "card-facts",
                    li { "{kind}" }
                    li { "{until}" }
                    li { "{minors}" }
                }
            }
            FormError { error: error() }
            div { class: "button-row",
                Link { id: "go-print", class: "button", to: Route::StaffPrint { id: id.clone() }, {t(lang, "staff-print")} }
                button { id: "to-phone", r#type: "button", class: "primary", disabled: busy(), onclick: to_phone,
                    {t(lang, "staff-to-phone")}
                }
            }
            if let Some(c) = shown_code {
                div { class: "activation",
                    h2 { {t(lang, "staff-activation-title")} }
                    p { class: "hint", {t(lang, "staff-activation-intro")} }
                    p { id: "activation-code", class: "one-time-code", "{c.code}" }
                    QrCode { text: crate::links::activation_link(&server, &c.code), label: t_args(lang, "staff-activation-qr", &[("code", c.code.clone().into())]) }
                    p { class: "hint",
                        {t_args(lang, "staff-code-expires", &[("date", date(lang, c.expires_at.date_naive()).into())])}
                    }
                }
            }
            CardActions { id: id.clone(), view }
            p { class: "console-alt",
                Link { to: Route::StaffHandOut {}, {t(lang, "staff-hand-out-another")} }
            }
        }
    }
}
