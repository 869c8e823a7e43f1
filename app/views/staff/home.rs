//! The console's home: who is signed in (username, role, scope), sign-out, and the screens of
//! the role. The role comes from the server (`/auth/me`), which also enforces it: the links are
//! a convenience, not the protection.

use dioxus::prelude::*;

use super::client::{Me, StaffError, StaffRole};
use super::session::use_staff;
use crate::i18n::{Lang, t, t_args};
use crate::parts::PartLink;
use crate::routes::staff::Route;
use crate::state::use_app;

/// The role in words, with its organisation.
pub fn role_text(me: &Me, lang: Lang) -> String {
    let role = match me.role() {
        StaffRole::Admin => t(lang, "staff-role-admin"),
        StaffRole::Coordinator => t(lang, "staff-role-coordinator"),
        StaffRole::Distributor => t(lang, "staff-role-distributor"),
        StaffRole::Venue => t(lang, "staff-role-venue"),
        StaffRole::Other => me.role.clone(),
    };
    match &me.scope_name {
        Some(scope) => format!("{role}: {scope}"),
        None => role,
    }
}

#[component]
pub fn StaffHome() -> Element {
    let app = use_app();
    let ctx = use_staff();
    let nav = navigator();
    let lang = app.lang();
    let mut busy = use_signal(|| false);
    let Some(session) = ctx.session.read().clone() else {
        return rsx! {};
    };
    let me = session.me.clone();

    let sign_out = move |_| {
        busy.set(true);
        let api = session.api();
        spawn(async move {
            // Forgotten on this device whatever the server says: the person asked to leave.
            let why = match api.sign_out().await {
                Err(StaffError::Network) => "staff-signed-out-offline",
                _ => "staff-signed-out",
            };
            ctx.forget(app, Some(why)).await;
            busy.set(false);
            nav.replace(Route::StaffSignIn {});
        });
    };

    let name = me.username.clone().unwrap_or_else(|| me.label.clone());
    let expires = me.session.as_ref().map(|s| s.expires_at.with_timezone(&chrono::Local));
    rsx! {
        section { class: "staff-home",
            h1 { {t(lang, "staff-console")} }
            dl { class: "who",
                dt { {t(lang, "staff-signed-in-as")} }
                dd { id: "who-name", "{name}" }
                dt { {t(lang, "staff-role")} }
                dd { id: "who-role", {role_text(&me, lang)} }
                if let Some(at) = expires {
                    dt { {t(lang, "staff-session-until")} }
                    dd {
                        {t_args(lang, "staff-session-at", &[
                            ("date", crate::i18n::date(lang, at.date_naive()).into()),
                            ("time", at.format("%H:%M").to_string().into()),
                        ])}
                    }
                }
            }
            nav { class: "console-nav", aria_label: "{t(lang, \"staff-tasks\")}",
                ul {
                    match me.role() {
                        StaffRole::Distributor => rsx! {
                            li { Link { id: "go-hand-out", class: "button primary", to: Route::StaffHandOut {}, {t(lang, "staff-hand-out")} } }
                            li { Link { id: "go-my-cards", class: "button", to: Route::StaffMyCards {}, {t(lang, "staff-my-cards")} } }
                            li { Link { id: "go-import", class: "button", to: Route::StaffImport {}, {t(lang, "staff-import")} } }
                        },
                        StaffRole::Admin | StaffRole::Coordinator => rsx! {
                            li { Link { id: "go-statistics", class: "button primary", to: Route::StaffStatistics {}, {t(lang, "stats-title")} } }
                            li { Link { id: "go-invite", class: "button primary", to: Route::StaffInvite {}, {t(lang, "staff-invite")} } }
                            if me.role() == StaffRole::Admin {
                                li { Link { id: "go-regions", class: "button", to: Route::StaffRegions {}, {t(lang, "staff-regions")} } }
                            }
                            li { Link { id: "go-organisations", class: "button", to: Route::StaffOrganisations {}, {t(lang, "staff-organisations")} } }
                            li { Link { id: "go-users", class: "button", to: Route::StaffUsers {}, {t(lang, "staff-users")} } }
                            li { Link { id: "go-checks", class: "button", to: Route::StaffUsesToCheck {}, {t(lang, "staff-checks")} } }
                            if me.role() == StaffRole::Admin {
                                li { Link { id: "go-keys", class: "button", to: Route::StaffKeys {}, {t(lang, "staff-keys")} } }
                            }
                        },
                        StaffRole::Venue => rsx! {
                            li { PartLink { id: "go-scan", class: "button primary", to: "/scan", {t(lang, "start-scanner")} } }
                            if let Some(venue) = super::venue_parts::own_venue(me.role(), me.scope) {
                                li { Link { id: "go-venue-offers", class: "button", to: Route::StaffVenueOffers { venue }, {t(lang, "staff-venue-offers")} } }
                                li { Link { id: "go-add-scanner", class: "button", to: Route::StaffVenueAddScanner { venue }, {t(lang, "staff-venue-add-scanner")} } }
                                li { Link { id: "go-venue-devices", class: "button", to: Route::StaffVenueDevices { venue }, {t(lang, "staff-venue-devices")} } }
                                li { Link { id: "go-venue-uses", class: "button", to: Route::StaffVenueUses { venue }, {t(lang, "staff-venue-uses")} } }
                                li { Link { id: "go-checks", class: "button", to: Route::StaffVenueUsesToCheck { venue }, {t(lang, "staff-checks")} } }
                            }
                        },
                        StaffRole::Other => rsx! {},
                    }
                }
            }
            if matches!(me.role(), StaffRole::Admin | StaffRole::Coordinator) {
                super::exports::Exports {}
            }
            button { id: "sign-out", r#type: "button", class: "sign-out", disabled: busy(), onclick: sign_out,
                {t(lang, "staff-sign-out")}
            }
        }
    }
}
