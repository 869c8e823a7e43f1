//! A distributor's cards: this year's counts, and a search by the start of the card number and
//! by state, a page at a time. Each card opens its own screen (print, put on a phone).

use dioxus::prelude::*;
use kaiku_core::card::CardState;

use super::client::{CardCounts, CardList, CardQuery, CardView};
use super::session::use_staff;
use crate::components::{FormError, TextField};
use crate::holder::grouped_id;
use crate::i18n::{Lang, date, t, t_args};
use crate::routes::staff::Route;
use crate::state::use_app;

/// A typed card number or its start, as the server takes it: letters and digits, upper case.
/// `Err` with a message id when it cannot be one.
pub fn search_text(typed: &str) -> Result<Option<String>, &'static str> {
    let text: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > 20 || !text.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("staff-search-bad");
    }
    Ok(Some(text.to_ascii_uppercase()))
}

pub(super) fn state_text(v: &CardView, lang: Lang) -> String {
    match v.card.state_on(chrono::Local::now().date_naive()) {
        CardState::Valid { until } => t_args(lang, "staff-valid-until", &[("date", date(lang, until).into())]),
        CardState::Expired { on } => t_args(lang, "staff-state-expired", &[("date", date(lang, on).into())]),
        CardState::Revoked { on, .. } => t_args(lang, "staff-state-revoked", &[("date", date(lang, on).into())]),
    }
}

#[component]
pub fn StaffMyCards() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let mut counts = use_signal(|| None::<CardCounts>);
    let mut found = use_signal(|| None::<CardList>);
    let mut search = use_signal(String::new);
    let mut status = use_signal(String::new);
    let mut search_error = use_signal(|| None::<String>);
    let error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    // One search, or the next page of it (`more`).
    let mut run = move |more: bool| {
        let lang = app.lang();
        let Some(session) = ctx.session.peek().clone() else { return };
        let prefix = match search_text(&search.peek()) {
            Ok(p) => p,
            Err(id) => {
                search_error.set(Some(t(lang, id)));
                return;
            }
        };
        search_error.set(None);
        let cursor = if more { found.peek().as_ref().and_then(|l| l.next_cursor.clone()) } else { None };
        let chosen = status.peek().clone();
        let query = CardQuery { id_prefix: prefix, status: (!chosen.is_empty()).then_some(chosen), cursor };
        busy.set(true);
        spawn(async move {
            let result = session.api().cards(&query).await;
            busy.set(false);
            match result {
                Ok(mut page) => {
                    if more && let Some(before) = found.peek().as_ref() {
                        let mut cards = before.cards.clone();
                        cards.append(&mut page.cards);
                        page.cards = cards;
                    }
                    found.set(Some(page));
                }
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };
    use_hook(move || {
        let Some(session) = ctx.session.peek().clone() else { return };
        spawn(async move {
            if let Ok(c) = session.api().card_counts().await {
                counts.set(Some(c));
            }
        });
        run(false);
    });

    let list = found.read().clone();
    rsx! {
        section { class: "staff-my-cards",
            h1 { {t(lang, "staff-my-cards")} }
            if let Some(c) = counts() {
                h2 { {t_args(lang, "staff-counts-title", &[("year", c.year.to_string().into())])} }
                dl { id: "card-counts", class: "who counts",
                    dt { {t(lang, "staff-count-handed-out")} }
                    dd { "{c.handed_out}" }
                    dt { {t(lang, "staff-count-active")} }
                    dd { "{c.active}" }
                    dt { {t(lang, "staff-count-expiring")} }
                    dd { "{c.expiring_soon}" }
                    dt { {t(lang, "staff-count-revoked")} }
                    dd { "{c.revoked}" }
                }
            }
            form {
                id: "card-search",
                role: "search",
                novalidate: true,
                onsubmit: move |e: FormEvent| {
                    e.prevent_default();
                    run(false);
                },
                TextField {
                    id: "search-id",
                    label: t(lang, "staff-search-id"),
                    value: search(),
                    oninput: move |v| search.set(v),
                    error: search_error(),
                    hint: t(lang, "staff-search-hint"),
                }
                label { r#for: "search-status", {t(lang, "staff-search-status")} }
                select { id: "search-status", name: "status", onchange: move |e| status.set(e.value()),
                    for (value, id) in [("", "staff-status-any"), ("active", "staff-status-active"), ("expired", "staff-status-expired"), ("revoked", "staff-status-revoked")] {
                        option { value, selected: *status.read() == value, {t(lang, id)} }
                    }
                }
                FormError { error: error() }
                button { id: "search", r#type: "submit", class: "primary", disabled: busy(), {t(lang, "staff-search")} }
            }
            if let Some(l) = list {
                p { id: "search-total", role: "status", {t_args(lang, "staff-search-total", &[("n", l.total.into())])} }
                ul { class: "card-list",
                    for v in l.cards.iter() {
                        li { key: "{v.card.id}",
                            Link { id: "card-{v.card.id}", class: "card-list-id", to: Route::StaffCard { id: v.card.id.to_string() },
                                {grouped_id(&v.card.id.to_string())}
                            }
                            span { {state_text(v, lang)} }
                        }
                    }
                }
                if l.next_cursor.is_some() {
                    button { id: "more", r#type: "button", disabled: busy(), onclick: move |_| run(true), {t(lang, "staff-search-more")} }
                }
            }
        }
    }
}
