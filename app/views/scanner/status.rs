//! Always on screen in scanner mode: what waits to be sent, how old the register data is, how
//! the last sync went, a Sync button, and what the server refused ("Needs attention").

use chrono::{DateTime, Utc};
use dioxus::prelude::*;

use super::ctx::{SyncFailure, SyncResult, use_scanner};
use super::verdict::{clock, date_time};
use crate::holder::{Age, age, grouped_id};
use crate::i18n::{Lang, t, t_args};
use crate::scanner::store::STALE_AFTER;
use crate::scanner::{Logged, SyncState};
use crate::state::{now, use_app};

/// "3 h ago" in `lang`.
pub fn ago(lang: Lang, then: DateTime<Utc>, at: DateTime<Utc>) -> String {
    match age(then, at) {
        Age::JustNow => t(lang, "when-just-now"),
        Age::Minutes(n) => t_args(lang, "when-minutes", &[("n", n.into())]),
        Age::Hours(n) => t_args(lang, "when-hours", &[("n", n.into())]),
        Age::Days(n) => t_args(lang, "when-days", &[("n", n.into())]),
    }
}

/// "Register data updated 3 h ago" or "never downloaded".
pub fn register_age(lang: Lang, as_of: Option<DateTime<Utc>>, at: DateTime<Utc>) -> String {
    match as_of {
        None => t(lang, "scan-register-never"),
        Some(then) => t_args(lang, "scan-register-age", &[("when", ago(lang, then, at).into())]),
    }
}

/// Why a sync failed, in words.
pub fn failure_text(lang: Lang, f: &SyncFailure) -> String {
    match f {
        SyncFailure::Network => t(lang, "scan-sync-network"),
        SyncFailure::TimedOut => t(lang, "scan-sync-timeout"),
        SyncFailure::Unauthorised => t(lang, "scan-sync-unauthorised"),
        SyncFailure::Refused { status, message } => {
            t_args(lang, "scan-sync-refused", &[("status", (*status).into()), ("message", message.clone().into())])
        }
        SyncFailure::Server(status) => t_args(lang, "scan-sync-server", &[("status", (*status).into())]),
        SyncFailure::Busy { retry_after } => {
            let wait = crate::views::staff::client::wait_text(*retry_after, lang);
            t_args(lang, "scan-sync-busy", &[("wait", wait.into())])
        }
        SyncFailure::NotEnrolled => t(lang, "scan-not-enrolled"),
        SyncFailure::Store(e) => t_args(lang, "scan-store-failed", &[("error", e.clone().into())]),
    }
}

/// How the last round went, in words.
pub fn sync_text(lang: Lang, last: Option<&SyncResult>) -> String {
    match last {
        None => t(lang, "scan-sync-never"),
        Some(SyncResult { at, outcome: Ok(report) }) => t_args(
            lang,
            "scan-sync-ok",
            &[("time", clock(lang, *at).into()), ("sent", (report.accepted + report.duplicate).into())],
        ),
        Some(SyncResult { at, outcome: Err(f) }) => t_args(
            lang,
            "scan-sync-failed",
            &[("time", clock(lang, *at).into()), ("reason", failure_text(lang, f).into())],
        ),
    }
}

/// "This phone's clock is about N minutes ahead", as the server saw it on upload.
pub fn clock_ahead_text(lang: Lang, minutes: u32) -> String {
    t_args(lang, "scan-clock-ahead", &[("minutes", minutes.into())])
}

/// A redemption's sync state in words.
pub fn state_text(lang: Lang, state: &SyncState) -> String {
    match state {
        SyncState::Pending => t(lang, "scan-state-pending"),
        SyncState::Accepted | SyncState::Duplicate => t(lang, "scan-state-sent"),
        SyncState::Rejected { reason } => t_args(lang, "scan-state-rejected", &[("reason", reason.clone().into())]),
    }
}

#[component]
pub fn StatusBar() -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    let enrolled = ctx.is_enrolled();
    let status = *ctx.status.read();
    let at = now();
    let pending = status.map_or(0, |s| s.pending);
    let as_of = status.and_then(|s| s.register_as_of);
    let stale = as_of.is_none_or(|t| at - t > STALE_AFTER);
    let syncing = *ctx.syncing.read();
    let last = ctx.last_sync.read().clone();
    let failed = last.as_ref().is_some_and(|r| r.outcome.is_err());
    let rejected = ctx.rejected.read().len();
    let clock_ahead = *ctx.clock_ahead.read();
    rsx! {
        section { class: "scan-status", aria_label: "{t(lang, \"scan-status-label\")}",
            ul { class: "status-lines",
                li { class: if pending > 0 { "status-pending" } else { "" },
                    {t_args(lang, "scan-pending", &[("n", pending.into())])}
                }
                if enrolled {
                    li { class: if stale { "status-warn" } else { "" }, {register_age(lang, as_of, at)} }
                    li { class: if failed { "status-warn" } else { "" }, aria_live: "polite",
                        if syncing { {t(lang, "scan-syncing")} } else { {sync_text(lang, last.as_ref())} }
                    }
                    if let Some(minutes) = clock_ahead {
                        li { id: "clock-ahead", class: "status-warn", aria_live: "polite", {clock_ahead_text(lang, minutes)} }
                    }
                }
            }
            if enrolled {
                button {
                    r#type: "button",
                    id: "sync-now",
                    class: "sync-button",
                    disabled: syncing,
                    onclick: move |_| {
                        ctx.sync_soon(app.server());
                    },
                    if syncing { {t(lang, "scan-syncing")} } else { {t(lang, "scan-sync-now")} }
                }
            }
            if rejected > 0 {
                NeedsAttention {}
            }
        }
    }
}

/// What the server refused, with its reasons; kept on the device for staff.
#[component]
pub fn NeedsAttention() -> Element {
    let app = use_app();
    let ctx = use_scanner();
    let lang = app.lang();
    let items: Vec<Logged> = ctx.rejected.read().clone();
    rsx! {
        details { class: "attention",
            summary { {t_args(lang, "scan-attention", &[("n", items.len().into())])} }
            p { class: "hint", {t(lang, "scan-attention-hint")} }
            ul {
                for l in items {
                    li { key: "{l.redemption.id}",
                        span { class: "attention-when", "{date_time(lang, l.redemption.scanned_at)}" }
                        " · "
                        span { class: "attention-card", "{grouped_id(&l.redemption.card.to_string())}" }
                        " · "
                        span { "{state_text(lang, &l.state)}" }
                    }
                }
            }
        }
    }
}
