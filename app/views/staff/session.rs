//! The staff session on this device. The token is kept in the app's vault (SQLite in the app's
//! data folder, IndexedDB in the browser) under its own key, not in the preferences: the
//! preferences are for choices anyone may see and are rewritten on every change, while the
//! token is a secret that sign-out must be able to delete on its own. (The scanner's device
//! token lives in the scanner's store, which exists only on an enrolled scanner.)

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use super::client::{Me, StaffApi, StaffError, error_text};
use crate::state::AppState;
use crate::storage::{self, VaultError};

/// Vault key of the staff session.
pub const SESSION_KEY: &str = "staff-session";

/// A signed-in person: which server, the session token, and who the server says it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSession {
    pub server: String,
    pub token: String,
    pub me: Me,
}

impl StaffSession {
    pub fn api(&self) -> StaffApi {
        StaffApi::new(&self.server, Some(self.token.clone()))
    }
}

/// The console's shared state, in context below the staff layout.
#[derive(Debug, Clone, Copy)]
pub struct StaffCtx {
    pub session: Signal<Option<StaffSession>>,
    /// Whether the vault was read: until then nobody is known to be signed out.
    pub loaded: Signal<bool>,
    /// Why the person was signed out (message id), shown on the sign-in screen.
    pub notice: Signal<Option<&'static str>>,
}

impl StaffCtx {
    /// Keeps a new session on the device, then shows it.
    pub async fn keep(mut self, app: AppState, session: StaffSession) -> Result<(), VaultError> {
        let vault = app.vault.peek().clone();
        storage::save(vault.as_ref(), SESSION_KEY, &session).await?;
        self.notice.set(None);
        self.session.set(Some(session));
        Ok(())
    }

    /// Forgets the session on this device; `why` is shown on the sign-in screen.
    pub async fn forget(mut self, app: AppState, why: Option<&'static str>) {
        let vault = app.vault.peek().clone();
        // A failed delete must not keep the person on screen as signed in.
        if let Err(e) = vault.delete(SESSION_KEY).await {
            dioxus::logger::tracing::warn!("the staff session was not deleted: {e}");
        }
        self.notice.set(why);
        self.session.set(None);
    }

    /// After a refusal: if the session is over, back to sign-in with the reason. `true` if so.
    pub async fn check_signed_out(self, app: AppState, e: &StaffError) -> bool {
        if e.signed_out() {
            self.forget(app, Some("staff-session-ended")).await;
            return true;
        }
        false
    }

    /// After a refusal: back to sign-in if the session is over, else `error` says why.
    pub async fn tell_refusal(self, app: AppState, e: &StaffError, mut error: Signal<Option<String>>) {
        if !self.check_signed_out(app, e).await {
            error.set(Some(error_text(e, app.lang())));
        }
    }

    /// Reads the kept session, then asks the server whether it still holds. Offline, the kept
    /// session stays: the next call will tell.
    pub async fn restore(mut self, app: AppState) {
        let vault = app.vault.peek().clone();
        let kept = storage::load::<StaffSession>(vault.as_ref(), SESSION_KEY).await.ok().flatten();
        if let Some(mut session) = kept {
            self.session.set(Some(session.clone()));
            self.loaded.set(true);
            match session.api().me().await {
                Ok(me) if me != session.me => {
                    session.me = me;
                    let _ = self.keep(app, session).await;
                }
                Ok(_) => {}
                Err(e) => {
                    self.check_signed_out(app, &e).await;
                }
            }
        }
        self.loaded.set(true);
    }
}

/// The console's state from context.
pub fn use_staff() -> StaffCtx {
    use_context::<StaffCtx>()
}
