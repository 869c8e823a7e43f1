//! The holder's card on the device: what is kept, and what the card screen should warn about.

use chrono::{DateTime, NaiveDate, Utc};
use kaiku_core::wire::{CardState, CardSummary};
use serde::{Deserialize, Serialize};

/// Vault key of the held card.
pub const CARD_KEY: &str = "held-card";

/// How many days before expiry the card starts to warn.
pub const WARN_DAYS: i64 = 30;

/// The card as the phone keeps it. The name never leaves the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldCard {
    /// The signed credential the QR code shows.
    pub credential: String,
    pub summary: CardSummary,
    /// Typed by the holder on this phone; shown on the card only.
    #[serde(default)]
    pub holder_name: Option<String>,
    /// When the register last told us the card's state.
    pub status_checked_at: DateTime<Utc>,
    /// The secret the activation gave, sent with each refresh; `None` on a card activated
    /// before the server handed them out (its refresh is refused: activate it again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_secret: Option<String>,
}

/// A warning the card screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    ExpiresIn { days: i64 },
    ExpiresToday,
    Expired { on: NaiveDate },
    Revoked { on: NaiveDate },
}

/// What to warn about on `today`, if anything.
pub fn notice(summary: &CardSummary, today: NaiveDate) -> Option<Notice> {
    match summary.status {
        CardState::Revoked { on } => return Some(Notice::Revoked { on }),
        CardState::NotRegistered => return None,
        CardState::Valid { .. } | CardState::Expired { .. } => {}
    }
    let days = (summary.valid_until - today).num_days();
    match days {
        d if d < 0 => Some(Notice::Expired { on: summary.valid_until }),
        0 => Some(Notice::ExpiresToday),
        d if d <= WARN_DAYS => Some(Notice::ExpiresIn { days: d }),
        _ => None,
    }
}

/// What the last status check told the card screen, besides a new state of the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusCheck {
    /// Checked, or not checked yet: nothing to say beyond the card itself.
    #[default]
    Fine,
    /// No network: the card shown is the one saved on the phone.
    Offline,
    /// The register no longer knows the card (404). The card stays on the phone; the holder is
    /// told to contact whoever gave it.
    NotInRegister,
    /// The register will not refresh the card from this phone without the activation's secret
    /// (403 `needs_activation`). The card stays; the holder asks for a new activation code.
    NeedsActivation,
}

impl StatusCheck {
    /// What a failed status check means for the holder.
    pub fn after(e: &crate::api::ApiError) -> Self {
        match e {
            crate::api::ApiError::Network => StatusCheck::Offline,
            crate::api::ApiError::NotFound(_) => StatusCheck::NotInRegister,
            crate::api::ApiError::NeedsActivation(_) => StatusCheck::NeedsActivation,
            _ => StatusCheck::Fine,
        }
    }
}

/// How long ago the status was checked, in the unit people read easily.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    JustNow,
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

pub fn age(then: DateTime<Utc>, now: DateTime<Utc>) -> Age {
    let minutes = (now - then).num_minutes().max(0);
    match minutes {
        0..=1 => Age::JustNow,
        2..=59 => Age::Minutes(minutes),
        60..=2879 => Age::Hours(minutes / 60),
        _ => Age::Days(minutes / 1440),
    }
}

/// The ID in groups a person can read out: `A000 1000 09`.
pub fn grouped_id(id: &str) -> String {
    match (id.get(..4), id.get(4..8), id.get(8..)) {
        // Printed legacy IDs may be shorter: no empty last group.
        (Some(a), Some(b), Some(c)) if !c.is_empty() => format!("{a} {b} {c}"),
        _ => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use kaiku_core::{CardId, CardKind, KaikuId};

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn summary(until: NaiveDate, status: CardState) -> CardSummary {
        CardSummary {
            card: CardId::from(KaikuId::new('A', 1).expect("valid")),
            kind: CardKind::Personal,
            valid_until: until,
            minors_on_record: 0,
            organisation: None,
            status,
        }
    }

    #[test]
    fn the_card_warns_thirty_days_ahead_and_after_expiry() {
        let until = d(2027, 1, 31);
        let valid = CardState::Valid { until };
        assert_eq!(notice(&summary(until, valid), d(2026, 12, 31)), None);
        assert_eq!(notice(&summary(until, valid), d(2027, 1, 1)), Some(Notice::ExpiresIn { days: 30 }));
        assert_eq!(notice(&summary(until, valid), d(2027, 1, 31)), Some(Notice::ExpiresToday));
        assert_eq!(notice(&summary(until, valid), d(2027, 2, 1)), Some(Notice::Expired { on: until }));
    }

    #[test]
    fn a_revoked_card_says_so_whatever_its_date() {
        let s = summary(d(2030, 1, 1), CardState::Revoked { on: d(2026, 5, 5) });
        assert_eq!(notice(&s, d(2026, 6, 1)), Some(Notice::Revoked { on: d(2026, 5, 5) }));
    }

    #[test]
    fn ages_round_to_readable_units() {
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).expect("time");
        assert_eq!(age(now, now), Age::JustNow);
        assert_eq!(age(now - chrono::TimeDelta::minutes(5), now), Age::Minutes(5));
        assert_eq!(age(now - chrono::TimeDelta::hours(3), now), Age::Hours(3));
        assert_eq!(age(now - chrono::TimeDelta::days(3), now), Age::Days(3));
    }

    #[test]
    fn a_card_missing_from_the_register_is_told_not_ignored() {
        use crate::api::ApiError;
        assert_eq!(
            StatusCheck::after(&ApiError::NotFound("card A000100009 is not registered".into())),
            StatusCheck::NotInRegister
        );
        assert_eq!(StatusCheck::after(&ApiError::Network), StatusCheck::Offline);
        assert_eq!(
            StatusCheck::after(&ApiError::NeedsActivation("activate the card again".into())),
            StatusCheck::NeedsActivation
        );
        assert_eq!(StatusCheck::after(&ApiError::Server(503)), StatusCheck::Fine);
    }

    #[test]
    fn ids_are_grouped_for_reading_aloud() {
        assert_eq!(grouped_id("A000100009"), "A000 1000 09");
    }
}
