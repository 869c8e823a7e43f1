//! Failed sign-ins: how many, and until when the next try must wait. Counted per account name
//! and per client address, kept in the store (not in memory) so that a restart or a second
//! server process does not forget them. Pure rules here; the store applies them atomically.

use std::net::IpAddr;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The failures counted under one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Throttle {
    pub failures: u32,
    pub last_failure_at: DateTime<Utc>,
    /// No try is checked before this.
    pub blocked_until: Option<DateTime<Utc>>,
    /// The block is a lock (too many failures), not just a slow-down.
    pub locked: bool,
}

/// How failures under one kind of key are answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures answered without any wait.
    pub free: u32,
    /// After this many failures the key is locked for `lock`; `None` never locks (addresses).
    pub lock_after: Option<u32>,
    pub lock: TimeDelta,
    /// The longest slow-down between tries (it doubles with each failure up to this).
    pub max_delay: TimeDelta,
    /// Failures further apart than this start the count again.
    pub window: TimeDelta,
}

impl Throttle {
    /// The state after one more failure at `now`.
    pub fn after_failure(previous: Option<Self>, now: DateTime<Utc>, policy: ThrottlePolicy) -> Self {
        let failures = match previous {
            Some(t) if now - t.last_failure_at < policy.window => t.failures.saturating_add(1),
            _ => 1,
        };
        let (blocked_until, locked) = if policy.lock_after.is_some_and(|n| failures >= n) {
            (Some(now + policy.lock), true)
        } else if failures > policy.free {
            // 1 s, 2 s, 4 s, ... for the failures past the free ones.
            let exponent = (failures - policy.free - 1).min(30);
            let delay = TimeDelta::seconds(1_i64 << exponent).min(policy.max_delay);
            (Some(now + delay), false)
        } else {
            (None, false)
        };
        Self { failures, last_failure_at: now, blocked_until, locked }
    }

    /// How long a try at `now` must still wait, if at all.
    pub fn wait(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        self.blocked_until.filter(|until| *until > now).map(|until| until - now)
    }
}

/// Whole seconds to wait, rounded up, at least 1: what `Retry-After` says.
pub fn retry_after_secs(wait: TimeDelta) -> u64 {
    let ms = wait.num_milliseconds().max(1);
    u64::try_from((ms + 999) / 1000).unwrap_or(1)
}

/// The key of an account name, existing or not, so that a lock does not tell whether the
/// name exists. Hashed: a password typed into the name field must not be stored.
pub fn account_key(username: &str) -> Vec<u8> {
    key("account", &username.trim().to_lowercase())
}

/// The key of a client address; an IPv6 client usually holds a whole /64, so that is one key.
pub fn address_key(address: Option<IpAddr>) -> Vec<u8> {
    let text = match address {
        Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        None => "unknown".to_owned(),
    };
    key("address", &text)
}

fn key(kind: &str, value: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    h.update([0]);
    h.update(value.as_bytes());
    h.finalize().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy {
            free: 1,
            lock_after: Some(5),
            lock: TimeDelta::minutes(15),
            max_delay: TimeDelta::seconds(60),
            window: TimeDelta::minutes(15),
        }
    }

    #[test]
    fn failures_slow_down_then_lock() {
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        let mut t = Throttle::after_failure(None, t0, policy());
        assert_eq!((t.failures, t.wait(t0)), (1, None));
        let mut waits = Vec::new();
        for _ in 0..4 {
            t = Throttle::after_failure(Some(t), t0, policy());
            waits.push((t.wait(t0).map(|w| w.num_seconds()), t.locked));
        }
        assert_eq!(waits, [(Some(1), false), (Some(2), false), (Some(4), false), (Some(900), true)]);
        assert_eq!(retry_after_secs(TimeDelta::milliseconds(1500)), 2);
    }

    #[test]
    fn old_failures_are_forgotten_and_addresses_never_lock() {
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        let first = Throttle::after_failure(None, t0, policy());
        let later = Throttle::after_failure(Some(first), t0 + TimeDelta::minutes(16), policy());
        assert_eq!(later.failures, 1);
        let address = ThrottlePolicy { free: 2, lock_after: None, ..policy() };
        let mut t = None;
        for _ in 0..40 {
            t = Some(Throttle::after_failure(t, t0, address));
        }
        let t = t.expect("a state");
        assert!(!t.locked);
        assert_eq!(t.wait(t0), Some(TimeDelta::seconds(60)));
    }

    #[test]
    fn keys_ignore_case_and_group_ipv6_networks() {
        assert_eq!(account_key(" Anna@Example.fi"), account_key("anna@example.fi"));
        assert_ne!(account_key("anna"), address_key(None));
        let a = address_key(Some("2001:db8:1:2::5".parse().expect("ip")));
        let b = address_key(Some("2001:db8:1:2:ffff::9".parse().expect("ip")));
        assert_eq!(a, b);
        assert_ne!(
            address_key(Some("10.0.0.1".parse().expect("ip"))),
            address_key(Some("10.0.0.2".parse().expect("ip")))
        );
    }
}
