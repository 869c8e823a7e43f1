//! Invite a user (administrators and region coordinators): role, its region, distributor or
//! venue picked from the server's listings, and a label; the one-time code is shown large and
//! as a QR code, once. The server decides who may invite whom; its refusal is shown in words.
//! The form and the code's display are components of their own, which the set-up screens
//! (a region's coordinator, the users list, a reset) use too.

use dioxus::prelude::*;

use super::client::{NewUser, OneTimeCode, StaffRole, error_text};
use super::session::use_staff;
use crate::components::{FieldError, FormError, QrCode, TextField};
use crate::i18n::{date, t, t_args};
use crate::state::use_app;

/// The roles the inviter may give: a coordinator only invites within its region.
fn roles_for(inviter: StaffRole) -> &'static [&'static str] {
    match inviter {
        StaffRole::Admin => &["distributor", "venue", "coordinator", "admin"],
        _ => &["distributor", "venue"],
    }
}

/// A role and organisation chosen by the screen (e.g. "the coordinator of Lappi"), so the form
/// asks only who the user is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preset {
    pub role: String,
    pub scope: i64,
}

#[component]
pub fn StaffInvite() -> Element {
    let lang = use_app().lang();
    rsx! {
        section { class: "staff-invite",
            h1 { {t(lang, "staff-invite")} }
            InviteForm {}
        }
    }
}

/// A one-time invitation code as made, shown once: large, as a QR code, with its expiry and
/// what to do with it. `who`: the label of the person it is for, when known.
#[component]
pub fn InvitationResult(code: OneTimeCode, who: Option<String>) -> Element {
    let lang = use_app().lang();
    let give = match &who {
        Some(w) => t_args(lang, "staff-invitation-give-to", &[("who", w.clone().into())]),
        None => t(lang, "staff-invitation-give"),
    };
    rsx! {
        div { class: "activation",
            h2 { {t(lang, "staff-invitation-made")} }
            p { id: "invitation-made", class: "one-time-code", "{code.code}" }
            p { id: "invitation-give", {give} }
            QrCode { text: code.code.clone(), label: t_args(lang, "staff-invitation-qr", &[("code", code.code.clone().into())]) }
            p { class: "hint",
                {t_args(lang, "staff-code-expires", &[("date", date(lang, code.expires_at.date_naive()).into())])}
            }
        }
    }
}

/// The invitation form. With `preset`, only the label is asked; `on_invited` hears of each
/// new invitation (e.g. to reload a list of users).
#[component]
pub fn InviteForm(preset: Option<Preset>, on_invited: Option<EventHandler<()>>) -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let inviter = ctx.session.read().as_ref().map_or(StaffRole::Other, |s| s.me.role());
    let fixed = preset.is_some();
    let mut role = use_signal(|| preset.as_ref().map_or("distributor".to_owned(), |p| p.role.clone()));
    let mut scope = use_signal(|| preset.as_ref().map_or(String::new(), |p| p.scope.to_string()));
    let mut label = use_signal(String::new);
    let mut scope_error = use_signal(|| None::<String>);
    let mut label_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    // The code and the label it was made for (the field may be typed over afterwards).
    let mut done = use_signal(|| None::<(OneTimeCode, String)>);
    let mut busy = use_signal(|| false);
    // The organisations of the chosen role, fetched again when the role changes.
    let orgs = use_resource(move || {
        let chosen = role();
        let session = ctx.session.peek().clone();
        async move {
            let Some(session) = session.filter(|_| !fixed) else { return Ok(Vec::new()) };
            let result = session.api().organisations(&chosen).await;
            if let Err(e) = &result {
                ctx.check_signed_out(app, e).await;
            }
            result
        }
    });

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let Some(session) = ctx.session.peek().clone() else { return };
        let chosen = role.read().clone();
        let needs_scope = chosen != "admin";
        let number = scope.read().trim().parse::<i64>().ok();
        scope_error.set((needs_scope && number.is_none()).then(|| t(lang, &format!("staff-scope-choose-{chosen}"))));
        let name = label.read().trim().to_owned();
        label_error.set(name.is_empty().then(|| t(lang, "staff-label-empty")));
        error.set(None);
        if scope_error.peek().is_some() || label_error.peek().is_some() {
            return;
        }
        let user = NewUser { role: chosen, scope: number.filter(|_| needs_scope), label: name.clone() };
        busy.set(true);
        spawn(async move {
            let result = session.api().invite(&user).await;
            busy.set(false);
            match result {
                Ok(code) => {
                    done.set(Some((code, name)));
                    if let Some(heard) = on_invited {
                        heard.call(());
                    }
                }
                // With a preset the scope has no field of its own: the form's message says it.
                Err(e) if e.code() == "invalid_value" && fixed => error.set(Some(t(lang, "staff-scope-unknown"))),
                Err(e) if e.code() == "invalid_value" => scope_error.set(Some(t(lang, "staff-scope-unknown"))),
                Err(e) => ctx.tell_refusal(app, &e, error).await,
            }
        });
    };

    let chosen = role.read().clone();
    let listed = match &*orgs.read() {
        Some(Ok(list)) => Ok(list.clone()),
        Some(Err(e)) => Err(error_text(e, lang)),
        None => Ok(Vec::new()),
    };
    let shown = done.read().clone();
    let bad_scope = scope_error();
    let scope_bad = bad_scope.is_some();
    rsx! {
        form { id: "invite-form", onsubmit: submit, novalidate: true,
            if !fixed {
                label { r#for: "invite-role", {t(lang, "staff-role")} }
                select {
                    id: "invite-role",
                    name: "role",
                    onchange: move |e| {
                        role.set(e.value());
                        scope.set(String::new());
                        scope_error.set(None);
                    },
                    for r in roles_for(inviter) {
                        option { value: *r, selected: chosen == *r, {t(lang, &format!("staff-role-{r}"))} }
                    }
                }
            }
            if chosen != "admin" && !fixed {
                div { class: if scope_bad { "field field-bad" } else { "field" },
                    label { r#for: "invite-scope", {t(lang, &format!("staff-scope-{chosen}"))} }
                    select {
                        id: "invite-scope",
                        name: "scope",
                        aria_invalid: if scope_bad { "true" } else { "false" },
                        aria_describedby: "invite-scope-error",
                        onchange: move |e| scope.set(e.value()),
                        option { value: "", selected: scope.read().is_empty(), {t(lang, "staff-scope-none")} }
                        for org in listed.clone().unwrap_or_default() {
                            option { value: "{org.id}", selected: *scope.read() == org.id.to_string(), "{org.name}" }
                        }
                    }
                    FieldError { id: "invite-scope-error", error: bad_scope.or(listed.err()) }
                }
            }
            TextField {
                id: "invite-label",
                label: t(lang, "staff-user-label"),
                value: label(),
                oninput: move |v| label.set(v),
                error: label_error(),
                hint: t(lang, "staff-user-label-hint"),
            }
            FormError { error: error() }
            button { id: "invite", r#type: "submit", class: "primary", disabled: busy(), {t(lang, "staff-invite-submit")} }
        }
        if let Some((code, who)) = shown {
            InvitationResult { code, who: Some(who) }
        }
    }
}
