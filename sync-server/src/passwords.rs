//! Staff passwords: argon2id with the crate's default parameters (19 MiB, 2 passes, OWASP's
//! minimum), stored as PHC strings. Hashing runs on blocking threads, a few at a time, so
//! sign-ins cannot starve the async workers or exhaust memory.

use std::sync::LazyLock;

use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use rand::RngCore;
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;
pub const MIN_USERNAME_CHARS: usize = 3;
pub const MAX_USERNAME_CHARS: usize = 100;

/// At most this many hashes at once: each takes 19 MiB and a core for tens of milliseconds.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// Checked against when the name is unknown, so the answer takes as long as for a known one.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| hash_now(&crate::codes::new_secret()).ok());

/// A username (or e-mail address) in its stored form: trimmed, lower case; letters, digits
/// and `. _ - @ +` only, so that it cannot hide look-alike spaces or control characters.
pub fn username(typed: &str) -> ApiResult<String> {
    let name = typed.trim().to_lowercase();
    let n = name.chars().count();
    if !(MIN_USERNAME_CHARS..=MAX_USERNAME_CHARS).contains(&n) {
        return Err(ApiError::Unprocessable(format!(
            "the username must be {MIN_USERNAME_CHARS} to {MAX_USERNAME_CHARS} characters"
        )));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_alphanumeric() || "._-@+".contains(*c))) {
        return Err(ApiError::Unprocessable(format!(
            "the username may hold letters, digits and . _ - @ + only, not '{}'",
            bad.escape_default()
        )));
    }
    Ok(name)
}

/// A new password's rules: long enough, bounded, and not the username.
pub fn check_new(password: &str, username: &str) -> ApiResult<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(ApiError::Unprocessable(format!(
            "the password is too short: use at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(ApiError::Unprocessable(format!(
            "the password is too long: use at most {MAX_PASSWORD_CHARS} characters"
        )));
    }
    if password.trim().to_lowercase() == username {
        return Err(ApiError::Unprocessable("the password must not be the username".into()));
    }
    Ok(())
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

fn verify_now(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

async fn on_hashing_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    let _permit = HASHING.acquire().await.map_err(|e| ApiError::Internal(format!("password hashing: {e}")))?;
    tokio::task::spawn_blocking(f).await.map_err(|e| ApiError::Internal(format!("password hashing: {e}")))
}

/// The PHC string of a new password.
pub async fn hash(password: String) -> ApiResult<String> {
    on_hashing_thread(move || hash_now(&password))
        .await?
        .map_err(|e| ApiError::Internal(format!("password hashing: {e}")))
}

/// Whether `password` matches `stored`; with no stored hash it is checked against a dummy
/// one (same cost) and fails.
pub async fn verify(password: String, stored: Option<String>) -> ApiResult<bool> {
    on_hashing_thread(move || match stored {
        Some(s) => verify_now(&password, &s),
        None => {
            if let Some(dummy) = DUMMY_HASH.as_deref() {
                verify_now(&password, dummy);
            }
            false
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(username("  Anna.Virtanen@Kunta.FI ").expect("valid"), "anna.virtanen@kunta.fi");
        assert_eq!(username("Äijä_1").expect("valid"), "äijä_1");
        assert!(username("ab").is_err());
        assert!(username("anna virtanen").is_err());
        assert!(username("anna\u{200b}").is_err());
    }

    #[test]
    fn passwords_need_length_and_differ_from_the_name() {
        assert!(check_new("short", "anna").expect_err("too short").to_string().contains("at least 10"));
        assert!(check_new("annavirtanen", "annavirtanen").is_err());
        assert!(check_new(&"x".repeat(257), "anna").is_err());
        assert!(check_new("correct horse battery", "anna").is_ok());
    }

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse battery".into()).await.expect("hashes");
        let b = hash("correct horse battery".into()).await.expect("hashes");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(!a.contains("correct"));
        assert!(verify("correct horse battery".into(), Some(a.clone())).await.expect("runs"));
        assert!(!verify("wrong horse battery".into(), Some(a)).await.expect("runs"));
        assert!(!verify("anything".into(), None).await.expect("runs"));
    }
}
