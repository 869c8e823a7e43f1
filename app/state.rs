//! App-wide state, shared through Dioxus context: preferences, the held card, the vault.

use chrono::{DateTime, Utc};
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::holder::{CARD_KEY, HeldCard};
use crate::i18n::{self, Lang};
use crate::storage::{self, SharedVault, VaultError};

/// Vault key of the preferences.
pub const PREFS_KEY: &str = "prefs";

/// Text sizes offered, in percent.
pub const TEXT_SIZES: [u16; 5] = [100, 125, 150, 175, 200];

/// The two faces of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Holder,
    Scanner,
}

/// What the user chose, remembered on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    /// `None` follows the device's language.
    #[serde(default)]
    pub lang: Option<Lang>,
    #[serde(default = "default_text")]
    pub text_percent: u16,
    #[serde(default)]
    pub mode: Option<Mode>,
    /// The sync server; `None` uses the default.
    #[serde(default)]
    pub server: Option<String>,
}

fn default_text() -> u16 {
    100
}

impl Default for Prefs {
    fn default() -> Self {
        Self { lang: None, text_percent: 100, mode: None, server: None }
    }
}

/// Everything the app loads at start.
#[derive(Clone)]
pub struct Boot {
    pub vault: SharedVault,
    pub prefs: Prefs,
    pub card: Option<HeldCard>,
    /// Set when the device storage could not be opened: nothing will be kept.
    pub storage_problem: Option<VaultError>,
}

impl Boot {
    /// Opens the device storage and reads what it holds.
    pub async fn load() -> Self {
        match storage::open_default().await {
            Ok(vault) => Self::from_vault(vault).await,
            Err(e) => Boot {
                vault: std::rc::Rc::new(storage::MemoryVault::default()),
                prefs: Prefs::default(),
                card: None,
                storage_problem: Some(e),
            },
        }
    }

    pub async fn from_vault(vault: SharedVault) -> Self {
        let prefs = storage::load::<Prefs>(vault.as_ref(), PREFS_KEY).await;
        let card = storage::load::<HeldCard>(vault.as_ref(), CARD_KEY).await;
        let storage_problem = prefs.as_ref().err().or(card.as_ref().err()).cloned();
        Boot { vault, prefs: prefs.ok().flatten().unwrap_or_default(), card: card.ok().flatten(), storage_problem }
    }
}

impl std::fmt::Debug for Boot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Boot").field("prefs", &self.prefs).field("card", &self.card).finish_non_exhaustive()
    }
}

/// The handles views use; cheap to copy.
#[derive(Debug, Clone, Copy)]
pub struct AppState {
    pub prefs: Signal<Prefs>,
    pub card: Signal<Option<HeldCard>>,
    pub vault: Signal<SharedVault>,
    /// Whether the start screen already forwarded to the remembered mode.
    pub forwarded: Signal<bool>,
}

impl AppState {
    /// Puts the state into context for the component tree below.
    pub fn provide(boot: Boot) -> Self {
        let state = AppState {
            prefs: Signal::new(boot.prefs),
            card: Signal::new(boot.card),
            vault: Signal::new(boot.vault),
            forwarded: Signal::new(false),
        };
        use_context_provider(|| state)
    }

    pub fn lang(&self) -> Lang {
        self.prefs.read().lang.unwrap_or_else(Lang::from_device)
    }

    pub fn t(&self, id: &str) -> String {
        i18n::t(self.lang(), id)
    }

    pub fn server(&self) -> String {
        self.prefs.read().server.clone().unwrap_or_else(crate::api::default_server)
    }

    /// Changes the preferences and keeps them on the device.
    pub fn update_prefs(mut self, f: impl FnOnce(&mut Prefs)) {
        f(&mut self.prefs.write());
        let prefs = self.prefs.read().clone();
        let vault = self.vault.read().clone();
        // Not tied to the calling screen: a choice is often followed at once by navigation, which
        // would drop a task of the screen before it ran, and the choice would be forgotten.
        dioxus::dioxus_core::spawn_forever(async move {
            if let Err(e) = storage::save(vault.as_ref(), PREFS_KEY, &prefs).await {
                tracing_warn(&e.to_string());
            }
        });
    }

    /// Stores the card on the device, then shows it. Nothing is shown that was not stored.
    pub async fn keep_card(mut self, card: HeldCard) -> Result<(), VaultError> {
        let vault = self.vault.read().clone();
        storage::save(vault.as_ref(), CARD_KEY, &card).await?;
        self.card.set(Some(card));
        Ok(())
    }

    pub async fn forget_card(mut self) -> Result<(), VaultError> {
        let vault = self.vault.read().clone();
        vault.delete(CARD_KEY).await?;
        self.card.set(None);
        Ok(())
    }
}

fn tracing_warn(message: &str) {
    dioxus::logger::tracing::warn!("{message}");
}

/// The app state from context.
pub fn use_app() -> AppState {
    use_context::<AppState>()
}

/// Now, by the device clock.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Waits a while without blocking the UI, on every platform.
pub async fn sleep_ms(ms: u32) {
    #[cfg(target_arch = "wasm32")]
    gloo_timers::future::TimeoutFuture::new(ms).await;
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(std::time::Duration::from_millis(u64::from(ms))).await;
}
