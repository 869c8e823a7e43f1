//! Staff sign-in: setting a password with an invitation, signing in and out, and who is
//! signed in. A session token (`ks<id>.<secret>`) then authenticates every route exactly as
//! the user's bearer token does (see [`crate::auth::Principal`]).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::{ClientAddress, Principal, session_token};
use crate::codes;
use crate::config::Settings;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::passwords::{self, MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS};
use crate::startup::AppState;
use crate::store::{CodeUse, NewSession, Role};
use crate::throttle::{self, Throttle, ThrottlePolicy};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    /// The one-time code, as printed or typed (case and dashes do not matter).
    pub code: String,
    /// 3-100 letters, digits or `. _ - @ +` (an e-mail address will do); stored lower case.
    pub username: String,
    /// At least 10 characters, at most 256, not the username.
    pub password: String,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AcceptedInvitation {
    pub user: i64,
    pub username: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

/// The signed-in person, for the console to choose its screens.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    #[serde(flatten)]
    pub role: Role,
    pub label: String,
    /// `None` for a user who signs in with a bearer token only.
    pub username: Option<String>,
    /// The name of the region, distributor or venue of the role.
    pub scope_name: Option<String>,
    /// The session, when the caller is signed in with one.
    pub session: Option<SessionInfo>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionInfo {
    /// The session ends at this time however busy it is.
    pub expires_at: DateTime<Utc>,
    /// ... and earlier, after this many minutes without a request.
    pub idle_minutes: i64,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SignedIn {
    /// Send as `Authorization: Bearer <token>`; shown once, the server keeps its hash.
    pub token: String,
    pub user: Me,
}

fn account_policy(s: &Settings) -> ThrottlePolicy {
    let lock = TimeDelta::minutes(s.sign_in_lock_minutes);
    ThrottlePolicy {
        free: 1,
        lock_after: Some(s.sign_in_max_failures),
        lock,
        max_delay: TimeDelta::seconds(60),
        window: lock,
    }
}

// An address is only slowed, never locked: many honest people may share one (a library's NAT).
fn address_policy(s: &Settings) -> ThrottlePolicy {
    ThrottlePolicy {
        free: s.sign_in_address_failures,
        lock_after: None,
        lock: TimeDelta::zero(),
        max_delay: TimeDelta::seconds(60),
        window: TimeDelta::minutes(s.sign_in_lock_minutes),
    }
}

fn in_words(secs: u64) -> String {
    if secs < 120 { format!("{secs} seconds") } else { format!("{} minutes", secs.div_ceil(60)) }
}

fn throttled(t: &Throttle, wait: TimeDelta, address: bool) -> ApiError {
    let retry_after = throttle::retry_after_secs(wait);
    let when = in_words(retry_after);
    let (code, message) = if t.locked {
        ("account_locked", format!("this account is locked after too many wrong passwords: try again in {when}"))
    } else if address {
        ("too_many_attempts", format!("too many failed sign-ins from this address: try again in {when}"))
    } else {
        ("too_many_attempts", format!("too many wrong passwords: wait {when} before trying again"))
    };
    ApiError::Throttled { code, message, retry_after }
}

fn wrong_credentials() -> ApiError {
    ApiError::Unauthenticated {
        code: "wrong_credentials",
        message: "the username or password is wrong (passwords are case-sensitive)".into(),
    }
}

async fn me(s: &AppState, id: i64, session: Option<i64>) -> ApiResult<Me> {
    let account = s.store.account(id).await?.ok_or_else(|| ApiError::NotFound(format!("no user {id}")))?;
    let role = account.user.role;
    let scope_name = match role {
        Role::Admin => None,
        Role::Coordinator(r) => s.store.region(r).await?,
        Role::Distributor(d) => s.store.distributor(d).await?.map(|d| d.name),
        Role::Venue(v) => s.store.venue(v).await?.map(|v| v.name),
    };
    let session = match session {
        Some(sid) => s
            .store
            .session(sid)
            .await?
            .map(|r| SessionInfo { expires_at: r.expires_at, idle_minutes: s.settings.session_idle_minutes }),
        None => None,
    };
    Ok(Me { id, role, label: account.user.label, username: account.username, scope_name, session })
}

/// Sets a username and password with a one-time invitation (a new user's first, or a reset).
/// Setting a new password ends the user's sessions and unlocks the account.
///
/// Who may call: anyone holding an invitation code; no token.
#[utoipa::path(
    post,
    path = "/auth/accept-invitation",
    operation_id = "accept_invitation",
    tag = "sign-in",
    request_body = AcceptInvitation,
    responses(
        (status = 200, description = "The username and password are set: sign in with them.", body = AcceptedInvitation),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        (status = 404, description = "No such invitation code (`not_found`).", body = kaiku_core::wire::ErrorBody),
        (status = 409, description = "Another user has this username (`conflict`).", body = kaiku_core::wire::ErrorBody),
        (status = 410, description = "The invitation was used already (`invitation_used`) or has expired or been replaced (`invitation_expired`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "A field is missing or unknown, the username is not allowed, or the password is too short, too long or the username (`invalid_value`; the message gives the limits).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn accept_invitation(
    State(s): State<AppState>,
    ApiJson(body): ApiJson<AcceptInvitation>,
) -> ApiResult<Json<AcceptedInvitation>> {
    let username = passwords::username(&body.username)?;
    passwords::check_new(&body.password, &username)?;
    let code_hash = codes::code_hash(&body.code);
    let now = s.clock.now();
    // Checked before hashing, so unknown codes cost no argon2 work; checked again atomically.
    let known = s.store.invitation(&code_hash).await?;
    let outcome = match known {
        Some(inv) if !inv.used && now < inv.expires_at => {
            let hash = passwords::hash(body.password).await?;
            s.store.accept_invitation(&code_hash, now, &username, &hash).await?
        }
        Some(inv) if inv.used => CodeUse::AlreadyUsed,
        Some(_) => CodeUse::Expired,
        None => CodeUse::Unknown,
    };
    match outcome {
        CodeUse::Taken(user) => {
            s.store.clear_sign_in_failures(&throttle::account_key(&username)).await?;
            Ok(Json(AcceptedInvitation { user, username }))
        }
        CodeUse::Unknown => Err(ApiError::NotFound("no such invitation code: check it and type it again".into())),
        CodeUse::AlreadyUsed => Err(ApiError::GoneWith {
            code: "invitation_used",
            message: "this invitation was used already: ask whoever invited you for a new one".into(),
        }),
        CodeUse::Expired => Err(ApiError::GoneWith {
            code: "invitation_expired",
            message: "this invitation has expired or was replaced: ask whoever invited you for a new one".into(),
        }),
    }
}

/// Signs in with a username and password and starts a session. Repeated wrong passwords slow
/// the account down and then lock it for a while; repeated failures from one address are
/// slowed down too. While locked, even the right password is refused.
///
/// Who may call: anyone; no token.
#[utoipa::path(
    post,
    path = "/auth/sign-in",
    operation_id = "sign_in",
    tag = "sign-in",
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in: the session token and who it acts for.", body = SignedIn),
        (status = 400, description = "The body is not well-formed JSON (`invalid_body`).", body = kaiku_core::wire::ErrorBody),
        (status = 401, description = "The username or password is wrong (`wrong_credentials`; it does not say which).", body = kaiku_core::wire::ErrorBody),
        crate::openapi::JsonBodyErrors,
        (status = 422, description = "A field is missing, unknown, empty or too long (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
        (status = 429, description = "Locked after too many wrong passwords (`account_locked`) or slowed down (`too_many_attempts`); the body's `retry_after` and the `Retry-After` header give the seconds to wait.", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn sign_in(
    State(s): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<SignIn>,
) -> ApiResult<Json<SignedIn>> {
    let username = body.username.trim().to_lowercase();
    if username.is_empty() || body.password.is_empty() {
        return Err(ApiError::Unprocessable("give both a username and a password".into()));
    }
    if username.chars().count() > MAX_USERNAME_CHARS || body.password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ApiError::Unprocessable(format!(
            "a username has at most {MAX_USERNAME_CHARS} characters and a password at most {MAX_PASSWORD_CHARS}"
        )));
    }
    let now = s.clock.now();
    let (account_key, address_key) = (throttle::account_key(&username), throttle::address_key(address));
    let account_throttle = s.store.sign_in_throttle(&account_key).await?;
    if let Some(t) = account_throttle.filter(|t| t.locked)
        && let Some(wait) = t.wait(now)
    {
        return Err(throttled(&t, wait, false));
    }
    if let Some(t) = s.store.sign_in_throttle(&address_key).await?
        && let Some(wait) = t.wait(now)
    {
        return Err(throttled(&t, wait, true));
    }
    if let Some(t) = account_throttle
        && let Some(wait) = t.wait(now)
    {
        return Err(throttled(&t, wait, false));
    }

    let account = s.store.account_by_username(&username).await?;
    let stored = account.as_ref().filter(|a| !a.user.revoked).and_then(|a| a.password_hash.clone());
    let matched = passwords::verify(body.password, stored).await?;
    let Some(account) = account.filter(|_| matched) else {
        let now = s.clock.now();
        s.store.record_sign_in_failure(&address_key, now, address_policy(&s.settings)).await?;
        let t = s.store.record_sign_in_failure(&account_key, now, account_policy(&s.settings)).await?;
        return match t.wait(now) {
            Some(wait) if t.locked => Err(throttled(&t, wait, false)),
            _ => Err(wrong_credentials()),
        };
    };

    // Only the account's count is cleared: clearing the address's would let one known
    // password reset the slow-down of guesses at other accounts.
    s.store.clear_sign_in_failures(&account_key).await?;
    let secret = codes::new_secret();
    let session = NewSession {
        user_id: account.user.id,
        secret_hash: codes::hash(&secret).to_vec(),
        created_at: now,
        expires_at: now + TimeDelta::hours(s.settings.session_max_hours),
    };
    let id = s.store.create_session(&session).await?;
    let user = me(&s, account.user.id, Some(id)).await?;
    Ok(Json(SignedIn { token: session_token(id, &secret), user }))
}

/// Ends the session the request is signed in with.
///
/// Who may call: a person signed in with a session token (`ks…`). A user token (`ku…`) is
/// not a session: an administrator revokes it instead.
#[utoipa::path(
    post,
    path = "/auth/sign-out",
    operation_id = "sign_out",
    tag = "sign-in",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The session has ended; its token is refused from now on."),
        crate::openapi::NeedsToken,
        (status = 403, description = "A device token, which has no session (`forbidden`).", body = kaiku_core::wire::ErrorBody),
        (status = 422, description = "The token is a user token, not a session (`invalid_value`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn sign_out(State(s): State<AppState>, who: Principal) -> ApiResult<StatusCode> {
    who.role()?;
    let Principal::User { session: Some(id), .. } = who else {
        return Err(ApiError::Unprocessable(
            "this is a user token, not a session: there is nothing to sign out (an administrator revokes user tokens)"
                .into(),
        ));
    };
    s.store.end_session(id, s.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who is signed in: role, scope, username, and the session's limits.
///
/// Who may call: any person (session or user token); not a device.
#[utoipa::path(
    get,
    path = "/auth/me",
    operation_id = "me",
    tag = "sign-in",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in person.", body = Me),
        crate::openapi::NeedsToken,
        (status = 403, description = "A device token (`forbidden`).", body = kaiku_core::wire::ErrorBody),
    )
)]
pub async fn who_am_i(State(s): State<AppState>, who: Principal) -> ApiResult<Json<Me>> {
    who.role()?;
    let Principal::User { id, session, .. } = who else {
        return Err(ApiError::forbidden("a venue device has no account"));
    };
    Ok(Json(me(&s, id, session).await?))
}
