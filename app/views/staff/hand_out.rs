//! Hand out a card: personal (with the holder's background data, never a name) or community.
//! Every field is checked here first, each with its message next to it; nothing is sent while
//! any is wrong, and nothing typed is lost when the server refuses.

use chrono::Datelike;
use dioxus::prelude::*;
use kaiku_core::CardKind;

use super::client::{CardRegistration, NewCard};
use super::hand_out_form::{Draft, FieldErrors, GENDERS, SITUATIONS, TONGUES, check_draft};
use super::session::use_staff;
use crate::components::{FormError, TextField};
use crate::i18n::t;
use crate::routes::staff::Route;
use crate::state::use_app;

#[component]
pub fn StaffHandOut() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let nav = navigator();
    let lang = app.lang();
    let mut draft = use_signal(Draft::default);
    let mut errors = use_signal(FieldErrors::default);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    // The registration sent last without a card coming back: sent again with its key.
    let mut unanswered = use_signal(|| None::<CardRegistration>);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let Some(session) = ctx.session.peek().clone() else { return };
        let checked = check_draft(&draft.read(), chrono::Local::now().year(), lang);
        let (kind, background) = match checked {
            Ok(card) => card,
            Err(found) => {
                errors.set(found);
                error.set(Some(t(lang, "staff-check-fields")));
                return;
            }
        };
        errors.set(FieldErrors::default());
        error.set(None);
        busy.set(true);
        let registration = CardRegistration::again_or_new(unanswered.peek().clone(), NewCard { kind, background });
        unanswered.set(Some(registration.clone()));
        spawn(async move {
            let result = session.api().register_card(&registration).await;
            busy.set(false);
            match result {
                Ok(view) => {
                    unanswered.set(None);
                    nav.push(Route::StaffCard { id: view.card.id.to_string() });
                }
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };

    let d = draft.read().clone();
    let shown = errors.read().clone();
    let personal = d.kind == CardKind::Personal;
    rsx! {
        section { class: "staff-hand-out",
            h1 { {t(lang, "staff-hand-out")} }
            form { id: "hand-out-form", onsubmit: submit, novalidate: true,
                fieldset { class: "choice-group",
                    legend { {t(lang, "staff-card-kind")} }
                    for (kind, id, label) in [(CardKind::Personal, "kind-personal", "staff-kind-personal"), (CardKind::Community, "kind-community", "staff-kind-community")] {
                        label { class: "check",
                            input {
                                id,
                                r#type: "radio",
                                name: "kind",
                                checked: d.kind == kind,
                                onchange: move |_| draft.write().kind = kind,
                            }
                            {t(lang, label)}
                        }
                    }
                }
                if personal {
                    p { class: "hint", {t(lang, "staff-background-intro")} }
                    TextField {
                        id: "birth-year",
                        label: t(lang, "staff-birth-year"),
                        value: d.birth_year.clone(),
                        oninput: move |v| draft.write().birth_year = v,
                        error: shown.birth_year,
                        hint: t(lang, "staff-birth-year-hint"),
                        inputmode: "numeric",
                    }
                    label { r#for: "gender", {t(lang, "staff-gender")} }
                    select {
                        id: "gender",
                        name: "gender",
                        onchange: move |e| {
                            if let Some((g, _)) = GENDERS.iter().find(|(_, code)| *code == e.value()) {
                                draft.write().gender = *g;
                            }
                        },
                        for (g, code) in GENDERS {
                            option { value: code, selected: d.gender == g, {t(lang, &format!("staff-gender-{code}"))} }
                        }
                    }
                    label { r#for: "mother-tongue", {t(lang, "staff-mother-tongue")} }
                    select {
                        id: "mother-tongue",
                        name: "mother-tongue",
                        onchange: move |e| {
                            if let Some((m, _)) = TONGUES.iter().find(|(_, code)| *code == e.value()) {
                                draft.write().mother_tongue = *m;
                            }
                        },
                        for (m, code) in TONGUES {
                            option { value: code, selected: d.mother_tongue == m, {t(lang, &format!("staff-tongue-{code}"))} }
                        }
                    }
                    fieldset { class: "choice-group",
                        legend { {t(lang, "staff-life-situations")} }
                        for (s, code) in SITUATIONS {
                            label { class: "check",
                                input {
                                    id: "situation-{code}",
                                    r#type: "checkbox",
                                    name: "situation",
                                    value: code,
                                    checked: d.situations.contains(&s),
                                    // Each change is one toggle, whatever the event carries.
                                    onchange: move |_| {
                                        let mut w = draft.write();
                                        match w.situations.iter().position(|x| *x == s) {
                                            Some(i) => {
                                                w.situations.remove(i);
                                            }
                                            None => w.situations.push(s),
                                        }
                                    },
                                }
                                {t(lang, &format!("staff-situation-{code}"))}
                            }
                        }
                    }
                    TextField {
                        id: "postal-code",
                        label: t(lang, "staff-postal-code"),
                        value: d.postal_code.clone(),
                        oninput: move |v| draft.write().postal_code = v,
                        error: shown.postal_code,
                        hint: t(lang, "staff-postal-code-hint"),
                        inputmode: "numeric",
                        autocomplete: "postal-code",
                    }
                    TextField {
                        id: "children",
                        label: t(lang, "staff-children"),
                        value: d.children.clone(),
                        oninput: move |v| draft.write().children = v,
                        error: shown.children,
                        inputmode: "numeric",
                    }
                    TextField {
                        id: "grandchildren",
                        label: t(lang, "staff-grandchildren"),
                        value: d.grandchildren.clone(),
                        oninput: move |v| draft.write().grandchildren = v,
                        error: shown.grandchildren,
                        hint: t(lang, "staff-minors-hint"),
                        inputmode: "numeric",
                    }
                } else {
                    p { class: "hint", {t(lang, "staff-community-intro")} }
                }
                FormError { error: error() }
                button { id: "hand-out", r#type: "submit", class: "primary", disabled: busy(),
                    if busy() { {t(lang, "staff-saving")} } else { {t(lang, "staff-hand-out-submit")} }
                }
            }
        }
    }
}
