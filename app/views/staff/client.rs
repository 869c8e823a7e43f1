//! The console's client of the sync server: the same reqwest client as `crate::api`, plus the
//! session's bearer token and the server's stable error codes, which the screens turn into
//! messages next to the right field.

use kaiku_core::background::Background;
use kaiku_core::card::RevocationReason;
use kaiku_core::{Card, CardKind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, t, t_args};

/// Why a call to the server did not give an answer to use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    #[error("no network connection")]
    Network,
    /// A refusal with the server's stable `code` (e.g. `wrong_credentials`).
    #[error("refused ({status}, {code}): {message}")]
    Refused { status: u16, code: String, message: String, retry_after: Option<u64> },
    #[error("server error ({0})")]
    Server(u16),
}

impl StaffError {
    pub fn code(&self) -> &str {
        match self {
            Self::Refused { code, .. } => code,
            _ => "",
        }
    }

    /// The session token is no longer accepted (ended, expired or revoked): sign in again.
    pub fn signed_out(&self) -> bool {
        matches!(self, Self::Refused { status: 401, .. })
    }
}

/// How long to wait, in words: seconds under two minutes, whole minutes (rounded up) above.
pub fn wait_text(secs: u64, lang: Lang) -> String {
    if secs < 120 {
        t_args(lang, "staff-wait-seconds", &[("n", secs.into())])
    } else {
        t_args(lang, "staff-wait-minutes", &[("n", secs.div_ceil(60).into())])
    }
}

/// A busy server's answer (429, or 503 with `Retry-After`) in words: when to try again.
pub fn busy_text(secs: u64, lang: Lang) -> String {
    t_args(lang, "error-busy", &[("wait", wait_text(secs, lang).into())])
}

/// A refusal in the user's language. Codes that belong to one field are worded by its screen;
/// these are the ones every screen shares.
pub fn error_text(e: &StaffError, lang: Lang) -> String {
    match e {
        StaffError::Network => t(lang, "error-network"),
        StaffError::Server(status) => t_args(lang, "error-server", &[("status", (*status).into())]),
        StaffError::Refused { code, message, retry_after, .. } => {
            let wait = wait_text(retry_after.unwrap_or(60), lang);
            match code.as_str() {
                "wrong_credentials" => t(lang, "staff-error-wrong-credentials"),
                "account_locked" => t_args(lang, "staff-error-locked", &[("wait", wait.into())]),
                "too_many_attempts" => t_args(lang, "staff-error-slow-down", &[("wait", wait.into())]),
                "rate_limited" | "overloaded" | "timed_out" => busy_text(retry_after.unwrap_or(60), lang),
                "session_expired" | "unauthorized" => t(lang, "staff-session-ended"),
                "invitation_used" => t(lang, "staff-error-invitation-used"),
                "invitation_expired" => t(lang, "staff-error-invitation-expired"),
                "forbidden" => t(lang, "staff-error-forbidden"),
                _ => t_args(lang, "staff-error-refused", &[("message", message.clone().into())]),
            }
        }
    }
}

/// The session as the server describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub idle_minutes: i64,
}

/// The signed-in person (`GET /auth/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    /// `admin`, `coordinator`, `distributor` or `venue`; kept as text so that a role added on
    /// the server later does not make the whole answer unreadable.
    pub role: String,
    #[serde(default)]
    pub scope: Option<i64>,
    pub label: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub scope_name: Option<String>,
    #[serde(default)]
    pub session: Option<SessionInfo>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffRole {
    Admin,
    Coordinator,
    Distributor,
    Venue,
    Other,
}

impl Me {
    pub fn role(&self) -> StaffRole {
        match self.role.as_str() {
            "admin" => StaffRole::Admin,
            "coordinator" => StaffRole::Coordinator,
            "distributor" => StaffRole::Distributor,
            "venue" => StaffRole::Venue,
            _ => StaffRole::Other,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SignedIn {
    pub token: String,
    pub user: Me,
}

#[derive(Debug, Serialize)]
struct Credentials<'a> {
    username: &'a str,
    password: &'a str,
}

#[derive(Debug, Serialize)]
struct Acceptance<'a> {
    code: &'a str,
    username: &'a str,
    password: &'a str,
}

/// A card to register; `card` is left out so that the server numbers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewCard {
    pub kind: CardKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<Background>,
}

/// A card to register and the key it is sent with (`Idempotency-Key`): sent again after an
/// answer that did not come, with the same key, it registers the card once (the server answers
/// with the card the first send made).
#[derive(Debug, Clone, PartialEq)]
pub struct CardRegistration {
    pub card: NewCard,
    pub key: String,
}

impl CardRegistration {
    /// A new registration of `card`, with a fresh key.
    pub fn new(card: NewCard) -> Self {
        Self { card, key: uuid::Uuid::now_v7().to_string() }
    }

    /// What to send for `card` after `last` was sent without a card coming back: `last` again,
    /// key and all, for the same card; a new registration for a changed one.
    pub fn again_or_new(last: Option<Self>, card: NewCard) -> Self {
        match last {
            Some(last) if last.card == card => last,
            _ => Self::new(card),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CardView {
    pub card: Card,
    #[serde(default)]
    pub background: Option<Background>,
}

/// A one-time code (activation or invitation) as the server shows it once.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OneTimeCode {
    pub code: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A new staff user to invite: role with its scope, and a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewUser {
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<i64>,
    pub label: String,
}

/// A distributor's cards at a glance (`GET /card-counts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct CardCounts {
    pub year: i32,
    pub handed_out: u64,
    pub active: u64,
    pub revoked: u64,
    pub expiring_soon: u64,
}

/// One page of a card search (`GET /cards`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CardList {
    pub cards: Vec<CardView>,
    pub total: u64,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// A card search: the start of the ID, a state (`active`, `revoked`, `expired`), the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardQuery {
    pub id_prefix: Option<String>,
    pub status: Option<String>,
    pub cursor: Option<String>,
}

/// A region, distributor or venue as the listings name it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Org {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Deserialize)]
struct Listed<T> {
    items: Vec<T>,
}

/// The most organisations one listing call returns (the server's page limit).
pub const MAX_ORGS: u32 = 200;

#[derive(Debug, Deserialize)]
struct ErrorJson {
    #[serde(default)]
    code: String,
    #[serde(default)]
    error: String,
    #[serde(default)]
    retry_after: Option<u64>,
}

/// A client of one server, signed in or not.
#[derive(Debug, Clone)]
pub struct StaffApi {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl StaffApi {
    pub fn new(base: &str, token: Option<String>) -> Self {
        Self { base: base.trim().trim_end_matches('/').to_owned(), token, http: crate::api::http_client() }
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> Result<SignedIn, StaffError> {
        self.send("POST", "/api/v1/auth/sign-in", Some(&Credentials { username, password })).await
    }

    pub async fn accept_invitation(&self, code: &str, username: &str, password: &str) -> Result<(), StaffError> {
        let body = Acceptance { code, username, password };
        self.send::<_, serde_json::Value>("POST", "/api/v1/auth/accept-invitation", Some(&body)).await.map(|_| ())
    }

    pub async fn sign_out(&self) -> Result<(), StaffError> {
        self.send::<(), serde_json::Value>("POST", "/api/v1/auth/sign-out", None).await.map(|_| ())
    }

    pub async fn me(&self) -> Result<Me, StaffError> {
        self.send::<(), _>("GET", "/api/v1/auth/me", None).await
    }

    /// Registers the card; safe to send again (with the same registration) when no answer came.
    pub async fn register_card(&self, registration: &CardRegistration) -> Result<CardView, StaffError> {
        let request = self.request("POST", "/api/v1/cards").header("Idempotency-Key", &registration.key);
        self.answer(request.json(&registration.card)).await
    }

    pub async fn card(&self, id: &str) -> Result<CardView, StaffError> {
        self.send::<(), _>("GET", &format!("/api/v1/cards/{id}"), None).await
    }

    pub async fn renew(&self, id: &str) -> Result<CardView, StaffError> {
        self.send("POST", &format!("/api/v1/cards/{id}/renew"), Some(&serde_json::json!({}))).await
    }

    pub async fn revoke(&self, id: &str, reason: RevocationReason) -> Result<CardView, StaffError> {
        self.send("POST", &format!("/api/v1/cards/{id}/revoke"), Some(&serde_json::json!({ "reason": reason }))).await
    }

    pub async fn activation_code(&self, id: &str) -> Result<OneTimeCode, StaffError> {
        self.send::<(), _>("POST", &format!("/api/v1/cards/{id}/activation-code"), None).await
    }

    pub async fn invite(&self, user: &NewUser) -> Result<OneTimeCode, StaffError> {
        self.send("POST", "/api/v1/users/invitations", Some(user)).await
    }

    pub async fn card_counts(&self) -> Result<CardCounts, StaffError> {
        self.send::<(), _>("GET", "/api/v1/card-counts", None).await
    }

    /// Cards in ID order; the query's values are letters and digits only (checked by callers).
    pub async fn cards(&self, q: &CardQuery) -> Result<CardList, StaffError> {
        let mut path = "/api/v1/cards?limit=50".to_owned();
        for (key, value) in [("id_prefix", &q.id_prefix), ("status", &q.status), ("cursor", &q.cursor)] {
            if let Some(v) = value.as_deref().filter(|v| v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
                path.push_str(&format!("&{key}={v}"));
            }
        }
        self.send::<(), _>("GET", &path, None).await
    }

    /// The organisations a user of `role` can be scoped to, as far as the caller may see them.
    pub async fn organisations(&self, role: &str) -> Result<Vec<Org>, StaffError> {
        match role {
            "coordinator" => self.send::<(), _>("GET", "/api/v1/regions", None).await,
            "distributor" | "venue" => {
                let path = format!("/api/v1/{role}s?limit={MAX_ORGS}");
                self.send::<(), Listed<Org>>("GET", &path, None).await.map(|l| l.items)
            }
            _ => Ok(Vec::new()),
        }
    }

    /// One call with a JSON body and answer; the other `client_*` modules' calls use it too.
    pub(super) async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, StaffError> {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.answer(request).await
    }

    /// Sends `request` and reads its JSON answer, or the refusal with the server's code.
    async fn answer<T: DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, StaffError> {
        let response = request.send().await.map_err(|_| StaffError::Network)?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            // 204 has no body: read it as JSON null.
            let text = response.text().await.map_err(|_| StaffError::Network)?;
            let text = if text.trim().is_empty() { "null" } else { &text };
            return serde_json::from_str(text).map_err(|_| StaffError::Server(status));
        }
        Err(Self::refusal(response).await)
    }

    /// A GET whose answer is text (a CSV file), not JSON.
    pub(super) async fn get_text(&self, path: &str) -> Result<String, StaffError> {
        let response = self.request("GET", path).send().await.map_err(|_| StaffError::Network)?;
        if response.status().is_success() {
            return response.text().await.map_err(|_| StaffError::Network);
        }
        Err(Self::refusal(response).await)
    }

    /// A request to `path` with the session's bearer token: GET, PATCH (an edit) or else POST.
    pub(super) fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let url = format!("{}{path}", self.base);
        let request = match method {
            "GET" => self.http.get(url),
            "PATCH" => self.http.patch(url),
            _ => self.http.post(url),
        };
        // Longer than the holder's: exports and imports of a whole region take a while.
        let request = request.timeout(std::time::Duration::from_secs(120));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// The error of an answer that is not a success, with the server's code.
    pub(super) async fn refusal(response: reqwest::Response) -> StaffError {
        let status = response.status().as_u16();
        // A busy server (503 with `Retry-After`) says when to come back, like a 429.
        let header_wait = crate::api::retry_after(&response);
        if status >= 500 && header_wait.is_none() {
            return StaffError::Server(status);
        }
        let body = response.json::<ErrorJson>().await.ok();
        let (code, message, retry_after) =
            body.map_or((String::new(), String::new(), None), |b| (b.code, b.error, b.retry_after));
        StaffError::Refused { status, code, message, retry_after: retry_after.or(header_wait) }
    }
}
