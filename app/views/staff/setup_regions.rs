//! An administrator's regions: the list with each region's coordinators, a new region, and an
//! invitation for a region's coordinator (the code shown once, large, to hand over).

use dioxus::prelude::*;

use super::client::{Org, StaffRole, error_text};
use super::client_setup::UserRow;
use super::invite::{InviteForm, Preset};
use super::session::use_staff;
use super::setup_orgs::name_problem;
use crate::components::{FormError, TextField};
use crate::i18n::t;
use crate::state::use_app;

/// The regions and every user, read together: the coordinators are the users of each region.
async fn load(ctx: super::StaffCtx, app: crate::state::AppState) -> Result<(Vec<Org>, Vec<UserRow>), String> {
    let Some(session) = ctx.session.peek().clone() else { return Ok((Vec::new(), Vec::new())) };
    let api = session.api();
    let result = match api.regions().await {
        Ok(regions) => api.users().await.map(|users| (regions, users)),
        Err(e) => Err(e),
    };
    match result {
        Ok(both) => Ok(both),
        Err(e) => {
            ctx.check_signed_out(app, &e).await;
            Err(error_text(&e, app.lang()))
        }
    }
}

/// The coordinators of `region`, by username when they have one.
fn coordinators(users: &[UserRow], region: i64) -> Vec<String> {
    let theirs = users.iter().filter(|u| u.role == "coordinator" && u.scope == Some(region) && !u.revoked);
    theirs.map(|u| u.username.clone().map_or(u.label.clone(), |n| format!("{} ({n})", u.label))).collect()
}

#[component]
pub fn StaffRegions() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let role = ctx.session.read().as_ref().map_or(StaffRole::Other, |s| s.me.role());
    let mut listing = use_resource(move || load(ctx, app));
    let mut name = use_signal(String::new);
    let mut name_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    // The region whose coordinator is being invited.
    let mut inviting = use_signal(|| None::<Org>);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let Some(session) = ctx.session.peek().clone() else { return };
        let typed = name.peek().trim().to_owned();
        name_error.set(name_problem(&typed, "staff-region-name-empty", lang));
        error.set(None);
        if name_error.peek().is_some() {
            return;
        }
        busy.set(true);
        spawn(async move {
            let result = session.api().create_region(&typed).await;
            busy.set(false);
            match result {
                Ok(id) => {
                    name.set(String::new());
                    // A new region needs its coordinator next: the invitation opens for it.
                    inviting.set(Some(Org { id, name: typed }));
                    listing.restart();
                }
                Err(e) if e.code() == "invalid_value" => name_error.set(Some(error_text(&e, lang))),
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };

    if role != StaffRole::Admin {
        return rsx! {
            section { class: "staff-regions",
                h1 { {t(lang, "staff-regions")} }
                p { class: "notice", {t(lang, "staff-error-forbidden")} }
            }
        };
    }
    let listed = listing.read().clone();
    let chosen = inviting();
    rsx! {
        section { class: "staff-regions",
            h1 { {t(lang, "staff-regions")} }
            match listed {
                None => rsx! { p { role: "status", {t(lang, "staff-loading-list")} } },
                Some(Err(message)) => rsx! { FormError { error: message } },
                Some(Ok((regions, _))) if regions.is_empty() => rsx! { p { id: "regions-none", {t(lang, "staff-regions-none")} } },
                Some(Ok((regions, users))) => rsx! {
                    ul { id: "regions", class: "card-list",
                        for r in regions {
                            li { key: "{r.id}",
                                div {
                                    strong { "{r.name}" }
                                    p { class: "hint",
                                        {t(lang, "staff-region-coordinators")}
                                        ": "
                                        {
                                            let names = coordinators(&users, r.id);
                                            if names.is_empty() { t(lang, "staff-region-no-coordinator") } else { names.join(", ") }
                                        }
                                    }
                                }
                                button {
                                    id: "invite-coordinator-{r.id}",
                                    r#type: "button",
                                    onclick: {
                                        let r = r.clone();
                                        move |_| inviting.set(Some(r.clone()))
                                    },
                                    {crate::i18n::t_args(lang, "staff-invite-coordinator-of", &[("region", r.name.clone().into())])}
                                }
                            }
                        }
                    }
                },
            }
            if let Some(r) = chosen {
                section { class: "activation-form", aria_labelledby: "invite-coordinator-title",
                    h2 { id: "invite-coordinator-title",
                        {crate::i18n::t_args(lang, "staff-invite-coordinator-of", &[("region", r.name.clone().into())])}
                    }
                    InviteForm {
                        key: "{r.id}",
                        preset: Preset { role: "coordinator".into(), scope: r.id },
                        on_invited: move |_| listing.restart(),
                    }
                }
            }
            h2 { {t(lang, "staff-region-new")} }
            form { id: "region-form", onsubmit: submit, novalidate: true,
                TextField {
                    id: "region-name",
                    label: t(lang, "staff-region-name"),
                    value: name(),
                    oninput: move |v| name.set(v),
                    error: name_error(),
                    hint: t(lang, "staff-region-name-hint"),
                }
                FormError { error: error() }
                button { id: "create-region", r#type: "submit", class: "primary", disabled: busy(), {t(lang, "staff-region-create")} }
            }
        }
    }
}
