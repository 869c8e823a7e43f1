//! The card as the register knows it: kind, validity, renewal, revocation. No name, ever.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::card_id::CardId;
use crate::ids::{DistributorId, RegionId};

/// Personal card of a client, or a community card of a distributing organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CardKind {
    /// A client's own card; may cover their minor (grand)children's tickets.
    Personal,
    /// An organisation's card, used by staff or volunteers who take a small group.
    Community,
}

impl CardKind {
    /// One byte for the credential record.
    pub fn to_byte(self) -> u8 {
        match self {
            Self::Personal => 1,
            Self::Community => 2,
        }
    }

    /// The kind a credential byte stands for.
    pub fn from_byte(b: u8) -> Option<Self> {
        match b {
            1 => Some(Self::Personal),
            2 => Some(Self::Community),
            _ => None,
        }
    }
}

/// How long a card issued (or renewed) on a day is valid, as the issuer decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "rule", content = "ends")]
pub enum Validity {
    /// Twelve months: valid through the same date a year later.
    TwelveMonths,
    /// In a region trying the card out: valid through the last day of the trial.
    UntilTrialEnds(NaiveDate),
}

impl Validity {
    /// The last valid day of a period that starts on `start`.
    pub fn last_day(self, start: NaiveDate) -> NaiveDate {
        match self {
            // A 29 February start ends on 28 February: chrono clamps to the month's end.
            Self::TwelveMonths => start.checked_add_months(Months::new(12)).unwrap_or(NaiveDate::MAX),
            Self::UntilTrialEnds(end) => end,
        }
    }
}

/// Why a card was revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    Lost,
    Stolen,
    Misuse,
    /// Replaced by a new card (a new ID), e.g. after a damaged printed card.
    Replaced,
}

/// Whether the register still honours the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum CardStatus {
    Active,
    Revoked { reason: RevocationReason, on: NaiveDate },
}

/// Errors from changing a card.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("the card was revoked on {0} and cannot be renewed: issue a new card")]
    RenewRevoked(NaiveDate),
    #[error("the card is already revoked (since {0})")]
    AlreadyRevoked(NaiveDate),
    #[error("the validity period would end on {until}, before it starts on {start}")]
    EndsBeforeStart { start: NaiveDate, until: NaiveDate },
}

/// A registered card. Background data of the holder lives with the register, not here;
/// the holder's name lives nowhere but on the card and the holder's phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Card {
    pub id: CardId,
    pub kind: CardKind,
    pub region: RegionId,
    pub distributor: DistributorId,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: CardStatus,
    /// Minor children and grandchildren on record (always 0 on a community card).
    pub minors_on_record: u8,
}

/// Where a card's validity stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardState {
    Valid { until: NaiveDate },
    Expired { on: NaiveDate },
    Revoked { reason: RevocationReason, on: NaiveDate },
}

impl Card {
    /// Issues a card on `issued_on` for the period the issuer chose.
    #[allow(clippy::too_many_arguments)]
    pub fn issue(
        id: CardId,
        kind: CardKind,
        region: RegionId,
        distributor: DistributorId,
        issued_on: NaiveDate,
        validity: Validity,
        minors_on_record: u8,
    ) -> Result<Self, CardError> {
        let valid_until = period_end(issued_on, validity)?;
        let minors_on_record = match kind {
            CardKind::Personal => minors_on_record,
            CardKind::Community => 0,
        };
        Ok(Self { id, kind, region, distributor, issued_on, valid_until, status: CardStatus::Active, minors_on_record })
    }

    /// A new validity period on the same card, starting on `on`. Renewing early never
    /// shortens the card: the later of the old and the new end wins.
    pub fn renew(&mut self, on: NaiveDate, validity: Validity) -> Result<(), CardError> {
        if let CardStatus::Revoked { on: revoked, .. } = self.status {
            return Err(CardError::RenewRevoked(revoked));
        }
        let until = period_end(on, validity)?;
        self.valid_until = self.valid_until.max(until);
        Ok(())
    }

    /// Revokes the card for good.
    pub fn revoke(&mut self, reason: RevocationReason, on: NaiveDate) -> Result<(), CardError> {
        if let CardStatus::Revoked { on: revoked, .. } = self.status {
            return Err(CardError::AlreadyRevoked(revoked));
        }
        self.status = CardStatus::Revoked { reason, on };
        Ok(())
    }

    /// The card's state on `today`.
    pub fn state_on(&self, today: NaiveDate) -> CardState {
        state_of(self.status, self.valid_until, today)
    }
}

/// The state of a card with `status` and `valid_until` on `today` (used by register copies too).
pub fn state_of(status: CardStatus, valid_until: NaiveDate, today: NaiveDate) -> CardState {
    match status {
        CardStatus::Revoked { reason, on } => CardState::Revoked { reason, on },
        CardStatus::Active if today > valid_until => CardState::Expired { on: valid_until },
        CardStatus::Active => CardState::Valid { until: valid_until },
    }
}

fn period_end(start: NaiveDate, validity: Validity) -> Result<NaiveDate, CardError> {
    let until = validity.last_day(start);
    if until < start {
        return Err(CardError::EndsBeforeStart { start, until });
    }
    Ok(until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card_id::KaikuId;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn card(kind: CardKind, minors: u8) -> Card {
        let id = CardId::from(KaikuId::new('A', 1).expect("valid"));
        Card::issue(id, kind, RegionId(1), DistributorId(2), date(2026, 3, 15), Validity::TwelveMonths, minors)
            .expect("issues")
    }

    #[test]
    fn a_card_is_valid_for_twelve_months_from_issue() {
        let c = card(CardKind::Personal, 2);
        assert_eq!(c.valid_until, date(2027, 3, 15));
        assert_eq!(c.state_on(date(2027, 3, 15)), CardState::Valid { until: date(2027, 3, 15) });
        assert_eq!(c.state_on(date(2027, 3, 16)), CardState::Expired { on: date(2027, 3, 15) });
    }

    #[test]
    fn a_leap_day_card_ends_on_the_last_day_of_february() {
        assert_eq!(Validity::TwelveMonths.last_day(date(2028, 2, 29)), date(2029, 2, 28));
    }

    #[test]
    fn a_trial_region_card_is_valid_until_the_trial_ends() {
        let id = CardId::from(KaikuId::new('A', 2).expect("valid"));
        let trial = Validity::UntilTrialEnds(date(2026, 12, 31));
        let c = Card::issue(id, CardKind::Personal, RegionId(1), DistributorId(1), date(2026, 6, 1), trial, 0)
            .expect("issues");
        assert_eq!(c.valid_until, date(2026, 12, 31));
        let late = Card::issue(id, CardKind::Personal, RegionId(1), DistributorId(1), date(2027, 1, 2), trial, 0);
        assert!(matches!(late, Err(CardError::EndsBeforeStart { .. })));
    }

    #[test]
    fn renewal_gives_a_new_period_and_never_shortens_the_card() {
        let mut c = card(CardKind::Personal, 0);
        c.renew(date(2027, 4, 1), Validity::TwelveMonths).expect("renews");
        assert_eq!(c.valid_until, date(2028, 4, 1));
        c.renew(date(2027, 5, 1), Validity::UntilTrialEnds(date(2027, 6, 30))).expect("renews");
        assert_eq!(c.valid_until, date(2028, 4, 1));
    }

    #[test]
    fn a_revoked_card_stays_revoked_and_cannot_be_renewed() {
        let mut c = card(CardKind::Personal, 0);
        c.revoke(RevocationReason::Stolen, date(2026, 5, 1)).expect("revokes");
        assert_eq!(
            c.state_on(date(2026, 5, 2)),
            CardState::Revoked { reason: RevocationReason::Stolen, on: date(2026, 5, 1) }
        );
        assert_eq!(c.renew(date(2026, 6, 1), Validity::TwelveMonths), Err(CardError::RenewRevoked(date(2026, 5, 1))));
        assert_eq!(
            c.revoke(RevocationReason::Lost, date(2026, 6, 1)),
            Err(CardError::AlreadyRevoked(date(2026, 5, 1)))
        );
    }

    #[test]
    fn a_community_card_has_no_children_on_record() {
        assert_eq!(card(CardKind::Community, 3).minors_on_record, 0);
        assert_eq!(card(CardKind::Personal, 3).minors_on_record, 3);
    }

    #[test]
    fn card_kind_bytes_round_trip_and_unknown_bytes_are_refused() {
        for kind in [CardKind::Personal, CardKind::Community] {
            assert_eq!(CardKind::from_byte(kind.to_byte()), Some(kind));
        }
        assert_eq!(CardKind::from_byte(0), None);
        assert_eq!(CardKind::from_byte(9), None);
    }
}
