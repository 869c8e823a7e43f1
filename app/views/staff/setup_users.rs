//! The users an administrator or coordinator manages: who each is for, role and organisation,
//! username, whether they can sign in; a new invitation (a reset) for one; revoking one after
//! a confirmation (administrators); and the invitation form for a new user.

use std::collections::HashMap;

use dioxus::prelude::*;

use super::client::{OneTimeCode, StaffRole, error_text};
use super::client_setup::UserRow;
use super::invite::{InvitationResult, InviteForm};
use super::session::use_staff;
use super::venue_parts::Confirm;
use crate::components::{FormError, TableScroll};
use crate::i18n::{Lang, t, t_args};
use crate::state::use_app;

/// Users and the names of the organisations they belong to, by (role, id).
#[derive(Debug, Clone, PartialEq, Default)]
struct Listing {
    users: Vec<UserRow>,
    names: HashMap<(String, i64), String>,
}

async fn load(ctx: super::StaffCtx, app: crate::state::AppState) -> Result<Listing, String> {
    let Some(session) = ctx.session.peek().clone() else { return Ok(Listing::default()) };
    let api = session.api();
    let mut listing = Listing::default();
    let result = async {
        listing.users = api.users().await?;
        for (role, kind) in [("distributor", "distributors"), ("venue", "venues")] {
            for o in api.orgs_of(kind, None).await? {
                listing.names.insert((role.to_owned(), o.id), o.name);
            }
        }
        for r in api.regions().await? {
            listing.names.insert(("coordinator".to_owned(), r.id), r.name);
        }
        Ok(())
    };
    match result.await {
        Ok(()) => Ok(listing),
        Err(e) => {
            ctx.check_signed_out(app, &e).await;
            Err(error_text(&e, app.lang()))
        }
    }
}

fn role_words(u: &UserRow, names: &HashMap<(String, i64), String>, lang: Lang) -> String {
    let role = t(lang, &format!("staff-role-{}", u.role));
    match u.scope.and_then(|s| names.get(&(u.role.clone(), s))) {
        Some(scope) => format!("{role}: {scope}"),
        None => role,
    }
}

fn state_words(u: &UserRow, lang: Lang) -> String {
    let id = if u.revoked {
        "staff-user-revoked"
    } else if u.can_sign_in {
        "staff-user-can-sign-in"
    } else {
        "staff-user-invited"
    };
    t(lang, id)
}

#[component]
pub fn StaffUsers() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let me = ctx.session.read().as_ref().map(|s| (s.me.id, s.me.role()));
    let (my_id, role) = me.unwrap_or((0, StaffRole::Other));
    let mut listing = use_resource(move || load(ctx, app));
    // The latest reset: its code and whom it is for.
    let mut reset = use_signal(|| None::<(OneTimeCode, String)>);
    let mut revoking = use_signal(|| None::<UserRow>);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    let mut act = move |user: UserRow, revoke: bool| {
        let Some(session) = ctx.session.peek().clone() else { return };
        busy.set(true);
        error.set(None);
        reset.set(None);
        spawn(async move {
            let api = session.api();
            let result = if revoke {
                api.revoke_user(user.id).await.map(|()| None)
            } else {
                api.reinvite(user.id).await.map(Some)
            };
            busy.set(false);
            revoking.set(None);
            match result {
                Ok(code) => {
                    reset.set(code.map(|c| (c, user.label.clone())));
                    listing.restart();
                }
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };

    if !matches!(role, StaffRole::Admin | StaffRole::Coordinator) {
        return rsx! {
            section { class: "staff-users",
                h1 { {t(lang, "staff-users")} }
                p { class: "notice", {t(lang, "staff-error-forbidden")} }
            }
        };
    }
    let listed = listing.read().clone();
    let asking = revoking();
    rsx! {
        section { class: "staff-users",
            h1 { {t(lang, "staff-users")} }
            FormError { error: error() }
            if let Some((code, who)) = reset() {
                InvitationResult { code, who: Some(who) }
            }
            if let Some(u) = asking {
                Confirm {
                    id: "confirm-revoke",
                    question: t_args(lang, "staff-user-revoke-question", &[("who", u.label.clone().into())]),
                    yes: t(lang, "staff-user-revoke"),
                    busy: busy(),
                    on_yes: move |_| act(u.clone(), true),
                    on_no: move |_| revoking.set(None),
                }
            }
            match listed {
                None => rsx! { p { role: "status", {t(lang, "staff-loading-list")} } },
                Some(Err(message)) => rsx! { FormError { error: message } },
                Some(Ok(l)) if l.users.is_empty() => rsx! { p { id: "users-none", {t(lang, "staff-users-none")} } },
                Some(Ok(l)) => rsx! {
                    TableScroll { label: t(lang, "staff-users-caption"),
                        table { id: "users", class: "setup-table",
                            caption { {t(lang, "staff-users-caption")} }
                            thead {
                                tr {
                                    th { scope: "col", {t(lang, "staff-user-label")} }
                                    th { scope: "col", {t(lang, "staff-role")} }
                                    th { scope: "col", {t(lang, "staff-username")} }
                                    th { scope: "col", {t(lang, "staff-user-state")} }
                                    th { scope: "col", {t(lang, "staff-user-actions")} }
                                }
                            }
                            tbody {
                                for u in l.users.iter().cloned() {
                                    tr { key: "{u.id}", id: "user-{u.id}",
                                        th { scope: "row", "{u.label}" }
                                        td { {role_words(&u, &l.names, lang)} }
                                        td { {u.username.clone().unwrap_or_else(|| "–".to_owned())} }
                                        td { id: "user-{u.id}-state", {state_words(&u, lang)} }
                                        td {
                                            if !u.revoked {
                                                div { class: "button-row",
                                                    button {
                                                        id: "reset-{u.id}",
                                                        r#type: "button",
                                                        disabled: busy(),
                                                        aria_label: t_args(lang, "staff-user-reset-for", &[("who", u.label.clone().into())]),
                                                        onclick: {
                                                            let u = u.clone();
                                                            move |_| act(u.clone(), false)
                                                        },
                                                        {t(lang, "staff-user-reset")}
                                                    }
                                                    // Only administrators revoke (the server's rule), and not themselves.
                                                    if role == StaffRole::Admin && u.id != my_id {
                                                        button {
                                                            id: "revoke-{u.id}",
                                                            r#type: "button",
                                                            class: "danger",
                                                            disabled: busy(),
                                                            aria_label: t_args(lang, "staff-user-revoke-for", &[("who", u.label.clone().into())]),
                                                            onclick: {
                                                                let u = u.clone();
                                                                move |_| revoking.set(Some(u.clone()))
                                                            },
                                                            {t(lang, "staff-user-revoke")}
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
            }
            h2 { {t(lang, "staff-invite")} }
            InviteForm { on_invited: move |_| listing.restart() }
        }
    }
}
