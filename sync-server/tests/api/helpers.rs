//! The test app: the real server on 127.0.0.1 with a free port, a temporary SQLite file, a
//! manual clock, and helpers to seed data through the store and to talk HTTP.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::ids::{DeviceId, DistributorId, RegionId, VenueId};
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::wire::ItemOutcome;
use kaiku_core::{Card, CardId, CardKind, Redemption, Validity};
use kaiku_sync_server::Settings;
use kaiku_sync_server::clock::{Clock, ManualClock};
use kaiku_sync_server::startup::{AppState, Application};
use kaiku_sync_server::store::{CardRecord, CodeUse, DeviceRecord, IncomingItem, Role, Store};
use kaiku_sync_server::upload::UploadRules;
use kaiku_sync_server::{auth, codes, keys};
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// Where every test's clock starts: a Monday in June 2026, mid-morning.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 15, 10, 0, 0).single().expect("a valid instant")
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// Noon UTC on a day: a scan time.
pub fn noon(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).expect("a valid time").and_utc()
}

type Server = (oneshot::Sender<()>, JoinHandle<std::io::Result<()>>);

/// The running server and what a test needs to reach it.
#[derive(Debug)]
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub store: Arc<dyn Store>,
    pub settings: Settings,
    /// An administrator's bearer token, made through the store.
    pub admin: String,
    next_serial: Arc<AtomicU32>,
    dir: TempDir,
    server: Option<Server>,
}

/// A server with default settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A server whose settings `tweak` changes first.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = super::backend::new_database(dir.path()).await;
    spawn_app_at(dir, database, tweak).await
}

/// A server on an SQLite file, whichever backend the suite runs on (a register to move).
pub async fn spawn_app_on_sqlite() -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = dir.path().join("kaiku-test.sqlite");
    spawn_app_at(dir, database, |_| {}).await
}

async fn spawn_app_at(dir: TempDir, database: PathBuf, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = Settings {
        addr: ([127, 0, 0, 1], 0).into(),
        database,
        // Tests make many token-free calls from 127.0.0.1 at once; tests/api/limits.rs sets its own.
        public_burst: 1_000_000,
        public_max_in_flight: 10_000,
        token_burst: 1_000_000,
        ..Settings::default()
    };
    tweak(&mut settings);
    let clock = Arc::new(ManualClock::new(start_time()));
    let store = kaiku_sync_server::store::open(&settings.database).await.expect("the database opens");
    keys::add(store.as_ref(), clock.as_ref(), true).await.expect("a signing key");
    let secret = codes::new_secret();
    let id = store.create_user(Role::Admin, "test admin", &codes::hash(&secret)).await.expect("an admin");
    let admin = auth::user_token(id, &secret);
    start(dir, settings, clock, store, admin, Arc::new(AtomicU32::new(1))).await
}

async fn start(
    dir: TempDir,
    settings: Settings,
    clock: Arc<ManualClock>,
    store: Arc<dyn Store>,
    admin: String,
    next_serial: Arc<AtomicU32>,
) -> TestApp {
    let state = AppState { store: store.clone(), clock: clock.clone(), settings: Arc::new(settings.clone()) };
    let app = Application::build(state).await.expect("the server binds a free port");
    let address = format!("http://127.0.0.1:{}", app.port());
    let (stop, stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder().build().expect("an HTTP client");
    TestApp { address, client, clock, store, settings, admin, next_serial, dir, server: Some((stop, handle)) }
}

impl TestApp {
    /// Shuts the server down gracefully and waits until it has stopped.
    pub async fn shut_down(&mut self) {
        if let Some((stop, handle)) = self.server.take() {
            let _ = stop.send(());
            handle.await.expect("the server task ends").expect("the server stops cleanly");
        }
    }

    /// Stops this server and starts a new one (new store, new port) on the same database file.
    pub async fn restart(mut self) -> TestApp {
        self.shut_down().await;
        let TestApp { settings, clock, admin, next_serial, dir, store, client, .. } = self;
        drop(client);
        drop(store);
        let store = kaiku_sync_server::store::open(&settings.database).await.expect("the database opens again");
        start(dir, settings, clock, store, admin, next_serial).await
    }

    /// The SQLite file (tests about the file itself skip PostgreSQL: `skip_on_postgres`).
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join(self.settings.database.file_name().expect("a file name"))
    }

    /// This server runs on PostgreSQL.
    pub fn on_postgres(&self) -> bool {
        kaiku_sync_server::store::is_postgres(&self.settings.database)
    }

    /// True (after saying why) when this server runs on PostgreSQL and the test is about the
    /// SQLite file.
    pub fn skip_on_postgres(&self, why: &str) -> bool {
        super::backend::skip_on_postgres(&self.settings.database, why)
    }

    /// Moves the server's clock on.
    pub fn advance(&self, by: TimeDelta) {
        self.clock.advance(by);
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    // ----- HTTP -----

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Sends a request; `body`, if any, goes as JSON.
    pub async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        Reply::from(req.send().await.expect("the server answers")).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.send(Method::POST, path, token, Some(&body)).await
    }

    /// Posts `body` as JSON with one more header (`Idempotency-Key`, say).
    pub async fn post_with(&self, path: &str, token: Option<&str>, header: (&str, &str), body: &Value) -> Reply {
        let mut req = self.client.post(self.url(path)).header(header.0, header.1).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        Reply::from(req.send().await.expect("the server answers")).await
    }

    /// Posts raw bytes with the given headers (none when `None`).
    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        content_encoding: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let mut req = self.client.post(self.url(path)).body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(ct) = content_type {
            req = req.header(CONTENT_TYPE, ct);
        }
        if let Some(ce) = content_encoding {
            req = req.header(CONTENT_ENCODING, ce);
        }
        Reply::from(req.send().await.expect("the server answers")).await
    }

    /// Uploads a batch of items (any JSON values) as `device`.
    pub async fn upload(&self, device: &Device, items: &[Value]) -> Reply {
        self.post("/api/v1/redemptions/batch", Some(&device.token), serde_json::json!({ "items": items })).await
    }

    /// Uploads a batch that must be answered 200, and returns its outcomes.
    pub async fn upload_ok(&self, device: &Device, items: &[Value]) -> Vec<ItemOutcome> {
        let reply = self.upload(device, items).await;
        assert_eq!(reply.status, StatusCode::OK, "upload answered {}: {}", reply.status, reply.text);
        reply.json::<kaiku_core::wire::UploadResponse>().outcomes
    }

    // ----- Seeding through the store -----

    pub async fn region(&self, name: &str) -> RegionId {
        self.store.create_region(name).await.expect("a region")
    }

    pub async fn distributor(&self, region: RegionId, name: &str) -> DistributorId {
        self.store.create_distributor(region, name).await.expect("a distributor")
    }

    pub async fn venue(&self, region: Option<RegionId>, name: &str) -> VenueId {
        self.store.create_venue(region, name).await.expect("a venue")
    }

    /// A user with `role`: its id and bearer token.
    pub async fn user(&self, role: Role) -> (i64, String) {
        let secret = codes::new_secret();
        let id = self.store.create_user(role, "test user", &codes::hash(&secret)).await.expect("a user");
        (id, auth::user_token(id, &secret))
    }

    /// A device of `venue`, enrolled through the store with a known token.
    pub async fn device(&self, venue: VenueId) -> Device {
        let code = codes::new_one_time_code();
        let now = self.clock.now();
        self.store
            .create_enrollment_code(venue, &codes::code_hash(&code), now + TimeDelta::hours(1))
            .await
            .expect("an enrollment code");
        let secret = codes::new_secret();
        let used = self
            .store
            .enroll_device(&codes::code_hash(&code), now, "test device", &codes::hash(&secret))
            .await
            .expect("enrolls");
        let CodeUse::Taken(record) = used else { panic!("enrollment failed: {used:?}") };
        Device::new(record, &secret)
    }

    /// A fresh card ID in the test series `A`.
    pub fn next_card_id(&self) -> CardId {
        CardId::from(
            kaiku_core::KaikuId::new('A', self.next_serial.fetch_add(1, Ordering::Relaxed)).expect("a valid card id"),
        )
    }

    /// Registers a card through the store, issued on `issued_on` for twelve months.
    pub async fn card(
        &self,
        kind: CardKind,
        distributor: DistributorId,
        issued_on: NaiveDate,
        background: Option<Background>,
    ) -> Card {
        let info = self.store.distributor(distributor).await.expect("reads").expect("the distributor exists");
        let minors = background.as_ref().map_or(0, Background::minors_on_record);
        let card =
            Card::issue(self.next_card_id(), kind, info.region, distributor, issued_on, Validity::TwelveMonths, minors)
                .expect("the card issues");
        self.store.insert_card(&CardRecord { card: card.clone(), background }).await.expect("the card is stored");
        card
    }

    /// A personal card with `minors` (grand)children on record.
    pub async fn personal_card(&self, distributor: DistributorId, issued_on: NaiveDate, minors: u8) -> Card {
        self.card(CardKind::Personal, distributor, issued_on, Some(background(1980, Gender::Female, minors))).await
    }

    pub async fn community_card(&self, distributor: DistributorId, issued_on: NaiveDate) -> Card {
        self.card(CardKind::Community, distributor, issued_on, None).await
    }

    /// Stores redemptions through the store, as `device` would upload them; all must be accepted.
    pub async fn redeem_via_store(&self, device: &Device, items: Vec<Redemption>) {
        let n = items.len();
        let outcomes = self
            .store
            .upload(
                &device.record,
                items.into_iter().map(IncomingItem::Readable).collect(),
                self.clock.now(),
                UploadRules { late_after: TimeDelta::days(10_000), ..UploadRules::default() },
            )
            .await
            .expect("the upload is stored");
        let accepted =
            outcomes.iter().filter(|o| matches!(o.outcome, kaiku_core::wire::Outcome::Accepted { .. })).count();
        assert_eq!(accepted, n, "not every seeded redemption was accepted: {outcomes:?}");
    }

    /// A count straight from the database (the same SQL on SQLite and PostgreSQL), after the
    /// store has brought what it derives from uploads up to date (as every reader of it does).
    pub fn count(&self, sql: &str) -> i64 {
        self.store.catch_up_blocking().expect("the derived rows catch up");
        super::backend::count(&self.settings.database, sql)
    }

    /// A redemption's id as an SQL literal of this server's database.
    pub fn id_sql(&self, id: Uuid) -> String {
        super::backend::id_literal(&self.settings.database, id)
    }

    /// Runs a changing statement straight on the database; the rows it changed.
    pub fn execute(&self, sql: &str) -> u64 {
        super::backend::execute(&self.settings.database, sql)
    }
}

/// Background data of a holder born in `birth_year`.
pub fn background(birth_year: i32, gender: Gender, minors: u8) -> Background {
    Background {
        birth_year,
        gender,
        mother_tongue: MotherTongue::Finnish,
        life_situations: vec![LifeSituation::Unemployed],
        postal_code: PostalCode::parse("96100").expect("a postal code"),
        minor_children: minors,
        minor_grandchildren: 0,
    }
}

/// An enrolled scanner device with its bearer token and its own sequence counter.
#[derive(Debug)]
pub struct Device {
    pub record: DeviceRecord,
    pub id: DeviceId,
    pub venue: VenueId,
    pub token: String,
    seq: AtomicU64,
}

impl Device {
    pub fn new(record: DeviceRecord, secret: &str) -> Self {
        Self {
            id: record.id,
            venue: record.venue,
            token: auth::device_token(record.id, secret),
            record,
            seq: AtomicU64::new(0),
        }
    }

    /// A one-adult ticket for `card`, scanned at `at`, with this device's next sequence number.
    pub fn ticket(&self, card: CardId, at: DateTime<Utc>) -> Redemption {
        Redemption {
            id: Uuid::now_v7(),
            device: self.id,
            seq: self.seq.fetch_add(1, Ordering::Relaxed) + 1,
            card,
            venue: self.venue,
            offer: OfferKind::Ticket,
            offer_id: None,
            adults: 1,
            children: 0,
            group: Vec::new(),
            scanned_at: at,
            entry: EntryMethod::Qr,
            verdict: VerdictCode::Valid,
            undoes: None,
        }
    }

    /// This device's correction of its earlier redemption `of` (the door's undo) at `at`, with its next
    /// sequence number.
    pub fn correction(&self, of: &Redemption, at: DateTime<Utc>) -> Redemption {
        of.correction(Uuid::now_v7(), self.seq.fetch_add(1, Ordering::Relaxed) + 1, at)
    }

    /// A ticket with `children` children's tickets.
    pub fn with_children(&self, card: CardId, at: DateTime<Utc>, children: u8) -> Redemption {
        Redemption { children, ..self.ticket(card, at) }
    }

    /// A course place.
    pub fn course_place(&self, card: CardId, at: DateTime<Utc>) -> Redemption {
        Redemption { offer: OfferKind::CoursePlace, ..self.ticket(card, at) }
    }

    /// A community card's ticket for a group of members, with `children`.
    pub fn group(&self, card: CardId, at: DateTime<Utc>, members: &[CardId], children: u8) -> Redemption {
        let adults = u8::try_from(1 + members.len()).expect("a small group");
        Redemption { group: members.to_vec(), adults, children, ..self.ticket(card, at) }
    }
}

/// A redemption as upload JSON.
pub fn item(r: &Redemption) -> Value {
    serde_json::to_value(r).expect("a redemption serialises")
}

/// An HTTP answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    async fn from(r: reqwest::Response) -> Self {
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.expect("the body is readable");
        Self { status, headers, text }
    }

    /// The body as `T`; panics with the body when it is not.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("the {} answer is not the expected JSON ({e}): {}", self.status, self.text))
    }

    pub fn value(&self) -> Value {
        self.json()
    }

    pub fn content_type(&self) -> &str {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Asserts a JSON error body `{code, error}` with this status and code, whose text says
    /// each of `says` (case-insensitive).
    pub fn assert_error(&self, status: u16, code: &str, says: &[&str]) {
        assert_eq!(self.status.as_u16(), status, "expected {status} {code}, got {}: {}", self.status, self.text);
        assert!(
            self.content_type().starts_with("application/json"),
            "an error body must be JSON, got '{}': {}",
            self.content_type(),
            self.text
        );
        let body: kaiku_core::wire::ErrorBody = self.json();
        assert_eq!(body.code, code, "error code of {}", self.text);
        let lower = body.error.to_lowercase();
        for s in says {
            assert!(lower.contains(&s.to_lowercase()), "the error should say '{s}': {}", body.error);
        }
    }

    /// Asserts a 4xx answer with a JSON `{code, error}` body (never a 5xx, never plain text),
    /// and returns the error text.
    pub fn assert_client_error(&self) -> String {
        assert!(self.status.is_client_error(), "expected a 4xx, got {}: {}", self.status, self.text);
        assert!(
            self.content_type().starts_with("application/json"),
            "a {} answer must have a JSON body, got '{}': {:?}",
            self.status,
            self.content_type(),
            self.text
        );
        let body: kaiku_core::wire::ErrorBody = self.json();
        assert!(!body.code.is_empty() && !body.error.is_empty(), "empty error: {}", self.text);
        body.error
    }
}

/// Activates `card` on a holder's phone now: an activation code from `distributor`, then
/// `/activate` with it. The answer holds the credential and the refresh secret.
pub async fn activate_card(app: &TestApp, distributor: &str, card: CardId) -> kaiku_core::wire::ActivateResponse {
    let r = app.post(&format!("/api/v1/cards/{card}/activation-code"), Some(distributor), serde_json::json!({})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let code: kaiku_sync_server::routes::cards::OneTimeCode = r.json();
    let r = app.post("/api/v1/activate", None, serde_json::json!({"code": code.code})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

/// A new community card handed out by `distributor` and activated now.
pub async fn activate_new_card(app: &TestApp, distributor: &str) -> kaiku_core::wire::ActivateResponse {
    let r = app.post("/api/v1/cards", Some(distributor), serde_json::json!({"kind": "community"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let card = r.json::<kaiku_sync_server::routes::cards::CardView>().card.id;
    activate_card(app, distributor, card).await
}
