//! The scanner's state in context: the store, what the screens show (enrollment, status, today,
//! rejected items, the chosen offer), and the sync loop. The store's methods take `&self` and
//! hold nothing across a network wait, so the door records while a sync waits.

use std::time::Duration;

use chrono::{DateTime, Utc};
use dioxus::dioxus_core::{Runtime, ScopeId, current_scope_id};
use dioxus::prelude::*;
use kaiku_core::ids::OfferId;
use kaiku_core::redemption::{CardFacts, OfferKind};
use kaiku_core::verdict::{Moment, Verdict, decide};
use kaiku_core::wire::Offer;
use kaiku_core::{Redemption, ScanInput};
use serde::{Deserialize, Serialize};

use super::door_settings::{DoorSettings, load_door_settings};
use crate::scanner::enroll::{EnrollError, enroll, unenroll};
use crate::scanner::store::knowledge;
use crate::scanner::sync::{RetryPolicy, SyncClient, SyncError, SyncReport, sync};
use crate::scanner::{Enrollment, Fields, Logged, SharedStore, Status, StoreError, Today};
use crate::state::{AppState, now, sleep_ms, use_app};
use crate::storage;
use crate::wait::within;

/// Vault key of the offer chosen last.
pub const OFFER_KEY: &str = "scanner_offer";
/// How often the screen syncs while it is up.
pub const SYNC_EVERY_MS: u32 = 30_000;
/// Longest wait for an enrollment (its request and the first sync) before it is given up.
const ENROLL_TIMEOUT_MS: u32 = 90_000;

/// An offer staff can choose: one of the venue's events or courses, or a plain ticket / course
/// place when the venue lists none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferChoice {
    pub id: Option<OfferId>,
    pub kind: OfferKind,
    /// The venue's name for it; empty for the plain choices.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub limit: Option<u32>,
}

impl OfferChoice {
    pub fn key(&self) -> String {
        match self.id {
            Some(id) => format!("offer-{id}"),
            None => format!("kind-{}", kind_key(self.kind)),
        }
    }
}

pub fn kind_key(kind: OfferKind) -> &'static str {
    match kind {
        OfferKind::Ticket => "ticket",
        OfferKind::CoursePlace => "course",
    }
}

/// The offers to choose from: the venue's own, or a plain ticket and course place.
pub fn offer_choices(offers: &[Offer]) -> Vec<OfferChoice> {
    if offers.is_empty() {
        return [OfferKind::Ticket, OfferKind::CoursePlace]
            .into_iter()
            .map(|kind| OfferChoice { id: None, kind, name: String::new(), limit: None })
            .collect();
    }
    offers.iter().map(|o| OfferChoice { id: Some(o.id), kind: o.kind, name: o.name.clone(), limit: o.limit }).collect()
}

/// Why a sync round stopped, as the status bar says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncFailure {
    Network,
    TimedOut,
    /// The server no longer accepts this device's token.
    Unauthorised,
    Refused {
        status: u16,
        message: String,
    },
    Server(u16),
    /// The server asked to wait longer than a round waits: try again in this many seconds.
    Busy {
        retry_after: u64,
    },
    NotEnrolled,
    Store(String),
}

impl From<SyncError> for SyncFailure {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::NotEnrolled => Self::NotEnrolled,
            SyncError::Network(_) => Self::Network,
            SyncError::TimedOut => Self::TimedOut,
            SyncError::Refused { status: 401 | 403, .. } => Self::Unauthorised,
            SyncError::Refused { status, message } => Self::Refused { status, message },
            SyncError::Server(s) => Self::Server(s),
            SyncError::Busy { retry_after } => Self::Busy { retry_after },
            SyncError::Store(e) => Self::Store(e.to_string()),
        }
    }
}

/// The last sync round: when it ended and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncResult {
    pub at: DateTime<Utc>,
    pub outcome: Result<SyncReport, SyncFailure>,
}

/// The scanner's handles; cheap to copy.
#[derive(Debug, Clone, Copy)]
pub struct ScannerCtx {
    app: AppState,
    store: CopyValue<SharedStore>,
    /// The component that provides the scanner: its tasks (syncs) live as long as it does.
    scope: ScopeId,
    vault: Signal<storage::SharedVault>,
    /// The first read of the store is done.
    pub loaded: Signal<bool>,
    /// Reading the store failed: what to tell staff.
    pub problem: Signal<Option<String>>,
    pub enrollment: Signal<Option<Enrollment>>,
    pub status: Signal<Option<Status>>,
    pub today: Signal<Today>,
    pub rejected: Signal<Vec<Logged>>,
    pub syncing: Signal<bool>,
    pub last_sync: Signal<Option<SyncResult>>,
    /// Minutes the server last said this device's clock is ahead; kept until a round stores
    /// redemptions without that flag (a round with nothing to send cannot tell).
    pub clock_ahead: Signal<Option<u32>>,
    /// The offer chosen (remembered on the device).
    pub offer: Signal<Option<OfferChoice>>,
    /// Set right after enrollment: the venue's name, for a welcome line.
    pub just_enrolled: Signal<Option<String>>,
    /// The door's settings on this device ("seen here" window).
    pub door_settings: Signal<DoorSettings>,
}

impl PartialEq for ScannerCtx {
    fn eq(&self, other: &Self) -> bool {
        self.scope == other.scope && self.store == other.store
    }
}

/// The scanner's state from context.
pub fn use_scanner() -> ScannerCtx {
    use_context::<ScannerCtx>()
}

impl ScannerCtx {
    /// Puts a scanner over `store` into context and reads the store once.
    pub fn provide(store: SharedStore) -> Self {
        let app = use_app();
        let ctx = use_context_provider(move || ScannerCtx {
            app,
            store: CopyValue::new(store),
            scope: current_scope_id(),
            vault: app.vault,
            loaded: Signal::new(false),
            problem: Signal::new(None),
            enrollment: Signal::new(None),
            status: Signal::new(None),
            today: Signal::new(Today::default()),
            rejected: Signal::new(Vec::new()),
            syncing: Signal::new(false),
            last_sync: Signal::new(None),
            clock_ahead: Signal::new(None),
            offer: Signal::new(None),
            just_enrolled: Signal::new(None),
            door_settings: Signal::new(DoorSettings::default()),
        });
        use_hook(move || {
            spawn(async move {
                ctx.load_offer().await;
                ctx.load_door_settings().await;
                ctx.refresh().await;
            });
        });
        ctx
    }

    /// The store (tests read the log through it).
    pub fn store(&self) -> SharedStore {
        self.store.read().clone()
    }

    /// Enrolled now (has a device token).
    pub fn is_enrolled(&self) -> bool {
        self.enrollment.read().as_ref().is_some_and(Enrollment::is_active)
    }

    pub fn offer_choices(&self) -> Vec<OfferChoice> {
        offer_choices(self.enrollment.read().as_ref().map(|e| e.offers.as_slice()).unwrap_or_default())
    }

    /// The chosen offer, if still offered, else the first.
    pub fn current_offer(&self) -> OfferChoice {
        let choices = self.offer_choices();
        let chosen = self.offer.read().clone();
        chosen
            .and_then(|c| choices.iter().find(|o| o.key() == c.key()).cloned())
            .or_else(|| choices.first().cloned())
            .unwrap_or(OfferChoice { id: None, kind: OfferKind::Ticket, name: String::new(), limit: None })
    }

    /// Chooses the offer and remembers it on the device.
    pub fn choose_offer(mut self, choice: OfferChoice) {
        self.offer.set(Some(choice.clone()));
        let vault = self.vault.peek().clone();
        self.run(async move {
            if let Err(e) = storage::save(vault.as_ref(), OFFER_KEY, &choice).await {
                dioxus::logger::tracing::warn!("the chosen offer was not kept: {e}");
            }
        });
    }

    async fn load_offer(mut self) {
        let vault = self.vault.peek().clone();
        if let Ok(Some(choice)) = storage::load::<OfferChoice>(vault.as_ref(), OFFER_KEY).await {
            self.offer.set(Some(choice));
        }
    }

    async fn load_door_settings(mut self) {
        let vault = self.vault.peek().clone();
        self.door_settings.set(load_door_settings(&vault).await);
    }

    /// Reads what the screens show from the store again.
    pub async fn refresh(mut self) {
        let s = self.store();
        let read = async {
            let enrollment = s.enrollment().await?;
            let status = s.status(now()).await?;
            let today = s.today(chrono::Local::now().fixed_offset()).await?;
            let rejected = s.rejected().await?;
            Ok::<_, StoreError>((enrollment, status, today, rejected))
        };
        match read.await {
            Ok((enrollment, status, today, rejected)) => {
                if *self.enrollment.peek() != enrollment {
                    self.enrollment.set(enrollment);
                }
                self.status.set(Some(status));
                self.today.set(today);
                self.rejected.set(rejected);
                self.problem.set(None);
            }
            Err(e) => self.problem.set(Some(e.to_string())),
        }
        self.loaded.set(true);
    }

    /// Decides at the door with what the store knows, for an offer of `kind`.
    pub async fn decide(&self, input: &ScanInput, kind: OfferKind) -> Result<Verdict, StoreError> {
        let register = self.store().register();
        let keys = register.key_set()?;
        let known = knowledge(&register, &keys);
        let at = now();
        let today = at.with_timezone(&chrono::Local).date_naive();
        Ok(decide(input, &known, Moment { at, today }, kind))
    }

    /// Records a redemption durably; the screens are refreshed after.
    pub async fn record(self, fields: Fields, facts: Option<CardFacts>) -> Result<Redemption, StoreError> {
        let r = self.store().record(fields, facts).await?;
        self.refresh().await;
        Ok(r)
    }

    /// Whether the last round reached the server (the door then syncs right after a record).
    pub fn seems_online(&self) -> bool {
        !matches!(
            self.last_sync.peek().as_ref().map(|r| &r.outcome),
            Some(Err(SyncFailure::Network | SyncFailure::TimedOut))
        )
    }

    /// Runs `fut` as a task of the scanner (it outlives the screen that started it).
    pub fn run(self, fut: impl std::future::Future<Output = ()> + 'static) {
        Runtime::current().in_scope(self.scope, || spawn(fut));
    }

    /// Starts a sync round in the background.
    pub fn sync_soon(self, server: String) {
        self.run(self.sync_now(server));
    }

    /// One sync round with `server`, unless one is running already.
    pub async fn sync_now(mut self, server: String) {
        if *self.syncing.peek() || !self.is_enrolled() {
            return;
        }
        self.syncing.set(true);
        let outcome = sync(&*self.store(), &client(&server)).await.map_err(SyncFailure::from);
        self.syncing.set(false);
        if let Some(report) = outcome.as_ref().ok().filter(|r| r.accepted > 0) {
            self.clock_ahead.set(report.clock_ahead);
        }
        self.last_sync.set(Some(SyncResult { at: now(), outcome }));
        self.refresh().await;
    }

    /// Enrolls the device with a venue's one-time code.
    pub async fn enroll(mut self, server: &str, code: &str, label: &str) -> Result<Enrollment, EnrollError> {
        // The engine sends the code once (the first request that reaches the server uses it up).
        let result = within(ENROLL_TIMEOUT_MS, enroll(&*self.store(), &client(server), code, label))
            .await
            .unwrap_or(Err(EnrollError::Server(SyncError::TimedOut)));
        // The server that enrolled the device is the one it syncs with from now on.
        let chosen = server.trim().to_owned();
        if matches!(result, Ok(_) | Err(EnrollError::FirstPull(_))) && chosen != crate::api::default_server() {
            self.app.update_prefs(|p| p.server = Some(chosen));
        }
        self.refresh().await;
        if let Some(e) = self.enrollment.peek().as_ref().filter(|e| e.is_active()) {
            self.just_enrolled.set(Some(e.venue_name.clone()));
        }
        result
    }

    /// Un-enrolls: refused while redemptions wait unless `keep_unsynced`; the log stays.
    pub async fn unenroll(mut self, keep_unsynced: bool) -> Result<(), EnrollError> {
        let result = unenroll(&*self.store(), keep_unsynced).await;
        self.just_enrolled.set(None);
        self.refresh().await;
        result
    }
}

/// The client the screens sync with: short timeouts and few retries, since the loop tries again
/// in half a minute anyway.
pub fn client(server: &str) -> SyncClient {
    SyncClient::new(server.trim()).with_timeout(Duration::from_secs(20)).with_retry(RetryPolicy {
        attempts: 2,
        first_delay: Duration::from_millis(800),
        max_delay: Duration::from_secs(5),
    })
}

/// Syncs now and then every [`SYNC_EVERY_MS`] while the calling component is up.
pub fn use_sync_loop(ctx: ScannerCtx, app: AppState) {
    use_future(move || async move {
        // Let the first read of the store finish.
        while !*ctx.loaded.peek() {
            sleep_ms(100).await;
        }
        loop {
            ctx.sync_now(app.server()).await;
            sleep_ms(SYNC_EVERY_MS).await;
        }
    });
}
