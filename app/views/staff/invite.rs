//! Invite a user (administrators and region coordinators): role, the number of its region,
//! distributor or venue, and a label; the one-time code is shown large and as a QR code, once.
//! The server decides who may invite whom; its refusal is shown in words.

use dioxus::prelude::*;

use super::client::{NewUser, OneTimeCode, StaffRole, error_text};
use super::session::use_staff;
use crate::components::{FormError, QrCode, TextField};
use crate::i18n::{date, t, t_args};
use crate::state::use_app;

/// The roles the inviter may give: a coordinator only invites within its region.
fn roles_for(inviter: StaffRole) -> &'static [&'static str] {
    match inviter {
        StaffRole::Admin => &["distributor", "venue", "coordinator", "admin"],
        _ => &["distributor", "venue"],
    }
}

#[component]
pub fn StaffInvite() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let lang = app.lang();
    let inviter = ctx.session.read().as_ref().map_or(StaffRole::Other, |s| s.me.role());
    let mut role = use_signal(|| "distributor".to_owned());
    let mut scope = use_signal(String::new);
    let mut label = use_signal(String::new);
    let mut scope_error = use_signal(|| None::<String>);
    let mut label_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let mut done = use_signal(|| None::<OneTimeCode>);
    let mut busy = use_signal(|| false);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        let lang = app.lang();
        let Some(session) = ctx.session.peek().clone() else { return };
        let chosen = role.read().clone();
        let needs_scope = chosen != "admin";
        let number = scope.read().trim().parse::<i64>().ok().filter(|n| *n > 0);
        scope_error.set((needs_scope && number.is_none()).then(|| t(lang, "staff-scope-bad")));
        let name = label.read().trim().to_owned();
        label_error.set(name.is_empty().then(|| t(lang, "staff-label-empty")));
        error.set(None);
        if scope_error.peek().is_some() || label_error.peek().is_some() {
            return;
        }
        let user = NewUser { role: chosen, scope: number.filter(|_| needs_scope), label: name };
        busy.set(true);
        spawn(async move {
            let result = session.api().invite(&user).await;
            busy.set(false);
            match result {
                Ok(code) => done.set(Some(code)),
                Err(e) if e.code() == "invalid_value" => scope_error.set(Some(t(lang, "staff-scope-unknown"))),
                Err(e) => {
                    if !ctx.check_signed_out(app, &e).await {
                        error.set(Some(error_text(&e, lang)));
                    }
                }
            }
        });
    };

    let scope_label = format!("staff-scope-{}", role.read());
    let shown = done.read().clone();
    rsx! {
        section { class: "staff-invite",
            h1 { {t(lang, "staff-invite")} }
            form { id: "invite-form", onsubmit: submit, novalidate: true,
                label { r#for: "invite-role", {t(lang, "staff-role")} }
                select { id: "invite-role", name: "role", onchange: move |e| role.set(e.value()),
                    for r in roles_for(inviter) {
                        option { value: *r, selected: *role.read() == *r, {t(lang, &format!("staff-role-{r}"))} }
                    }
                }
                if *role.read() != "admin" {
                    TextField {
                        id: "invite-scope",
                        label: t(lang, &scope_label),
                        value: scope(),
                        oninput: move |v| scope.set(v),
                        error: scope_error(),
                        inputmode: "numeric",
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
            if let Some(c) = shown {
                div { class: "activation",
                    h2 { {t(lang, "staff-invitation-made")} }
                    p { id: "invitation-made", class: "one-time-code", "{c.code}" }
                    QrCode { text: c.code.clone(), label: t_args(lang, "staff-invitation-qr", &[("code", c.code.clone().into())]) }
                    p { class: "hint",
                        {t_args(lang, "staff-code-expires", &[("date", date(lang, c.expires_at.date_naive()).into())])}
                    }
                }
            }
        }
    }
}
