//! The decision at the door: a pure function of what was scanned, what the device knows,
//! the time, and the offer.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::card::{CardKind, RevocationReason};
use crate::card_id::CardId;
use crate::credential::{Credential, CredentialError};
use crate::keys::{KeyId, KeySet};
use crate::redemption::OfferKind;
use crate::scan::{ScanInput, Unrecognised};

/// A card's status in a register copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum RegisterStatus {
    Active,
    Revoked {
        reason: RevocationReason,
        on: NaiveDate,
    },
    /// The number is known (printed stock, or the server said so) but no distributor has
    /// registered the card: it cannot be used yet.
    Unregistered,
}

/// What the device's register copy says of one card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterEntry {
    pub kind: CardKind,
    pub valid_until: NaiveDate,
    pub minors_on_record: u8,
    #[serde(flatten)]
    pub status: RegisterStatus,
}

/// Read access to the device's register copy.
pub trait RegisterLookup {
    fn lookup(&self, card: &CardId) -> Option<RegisterEntry>;
}

impl<S: std::hash::BuildHasher> RegisterLookup for std::collections::HashMap<CardId, RegisterEntry, S> {
    fn lookup(&self, card: &CardId) -> Option<RegisterEntry> {
        self.get(card).copied()
    }
}

/// Everything the device knows when it decides.
#[derive(Debug, Clone, Copy)]
pub struct DeviceKnowledge<'a, R: ?Sized> {
    pub keys: &'a KeySet,
    pub register: &'a R,
    /// When the register copy was last brought up to date; `None` if it never was.
    pub register_as_of: Option<DateTime<Utc>>,
    /// How old a register copy may be before a plain ID it vouches for is only flagged.
    pub stale_after: TimeDelta,
}

/// The moment of the scan: the instant, and the local calendar day it falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub at: DateTime<Utc>,
    pub today: NaiveDate,
}

/// How the device knows a card is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Checked from the signed mobile credential, issued by the server at `issued` (`None`
    /// for a version-1 credential, which carries no issue time).
    SignedCredential {
        issued: Option<DateTime<Utc>>,
    },
    Register {
        as_of: DateTime<Utc>,
    },
}

/// A card that may be admitted, with what the redemption form needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    pub card: CardId,
    pub kind: CardKind,
    pub valid_until: NaiveDate,
    pub minors_on_record: u8,
    pub evidence: Evidence,
}

/// Why a plain ID was admitted without being verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unverified {
    NoRegisterCopy,
    NotInRegisterCopy { as_of: DateTime<Utc> },
    RegisterCopyStale { as_of: DateTime<Utc> },
}

/// Why a card does not fit the offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotForOffer {
    CommunityCardCoursePlace,
}

/// Why a scan is not a usable card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    Unrecognised(Unrecognised),
    Credential(CredentialError),
    /// Signed with a key retired from `from` on (a leaked or withdrawn key).
    RetiredKey {
        key: KeyId,
        from: NaiveDate,
    },
}

/// The answer at the door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Valid(Admission),
    /// Admit and flag: the door never stops for the network.
    ValidUnverified {
        card: CardId,
        why: Unverified,
    },
    Expired {
        card: CardId,
        on: NaiveDate,
    },
    Revoked {
        card: CardId,
        reason: RevocationReason,
        on: NaiveDate,
    },
    NotRegistered {
        card: CardId,
        /// A registered card one typing slip away, for a typed legacy ID that is not found.
        did_you_mean: Option<CardId>,
    },
    NotForOffer {
        card: CardId,
        why: NotForOffer,
    },
    Invalid(Invalid),
}

/// What staff are told to do: colour, icon and sound follow from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Admit,
    AdmitFlagged,
    Refuse,
}

/// A verdict without its details, as stored with a redemption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VerdictCode {
    Valid,
    ValidUnverified,
    Expired,
    Revoked,
    NotRegistered,
    NotForOffer,
    Invalid,
}

impl VerdictCode {
    /// A stable key for translations and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::ValidUnverified => "valid_unverified",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
            Self::NotRegistered => "not_registered",
            Self::NotForOffer => "not_for_offer",
            Self::Invalid => "invalid",
        }
    }

    pub fn signal(self) -> Signal {
        match self {
            Self::Valid => Signal::Admit,
            Self::ValidUnverified => Signal::AdmitFlagged,
            _ => Signal::Refuse,
        }
    }
}

impl Verdict {
    pub fn code(&self) -> VerdictCode {
        match self {
            Self::Valid(_) => VerdictCode::Valid,
            Self::ValidUnverified { .. } => VerdictCode::ValidUnverified,
            Self::Expired { .. } => VerdictCode::Expired,
            Self::Revoked { .. } => VerdictCode::Revoked,
            Self::NotRegistered { .. } => VerdictCode::NotRegistered,
            Self::NotForOffer { .. } => VerdictCode::NotForOffer,
            Self::Invalid(_) => VerdictCode::Invalid,
        }
    }

    pub fn signal(&self) -> Signal {
        self.code().signal()
    }

    /// The card the verdict is about, when the scan named one.
    pub fn card(&self) -> Option<CardId> {
        match self {
            Self::Valid(a) => Some(a.card),
            Self::ValidUnverified { card, .. }
            | Self::Expired { card, .. }
            | Self::Revoked { card, .. }
            | Self::NotRegistered { card, .. }
            | Self::NotForOffer { card, .. } => Some(*card),
            Self::Invalid(_) => None,
        }
    }

    /// The reason in plain English, for logs and as the fallback text.
    pub fn reason(&self) -> String {
        match self {
            Self::Valid(a) => format!("valid until {}", a.valid_until),
            Self::ValidUnverified { why, .. } => match why {
                Unverified::NoRegisterCopy => "not verifiable offline: this device has no register data yet".into(),
                Unverified::NotInRegisterCopy { as_of } => {
                    format!("not verifiable offline: not in the register data of {as_of}")
                }
                Unverified::RegisterCopyStale { as_of } => format!("register data is old (from {as_of})"),
            },
            Self::Expired { on, .. } => format!("expired on {on}: the card can be renewed at its distributor"),
            Self::Revoked { reason, on, .. } => format!("revoked on {on} ({reason:?})"),
            Self::NotRegistered { did_you_mean: Some(other), .. } => {
                format!("card is not registered: did you mean {other}? Check the number on the card")
            }
            Self::NotRegistered { card: CardId::Legacy(_), .. } => {
                "card is not registered: ask the holder to contact the place that gave the card".into()
            }
            Self::NotRegistered { .. } => "card is not registered: it cannot be used yet".into(),
            Self::NotForOffer { why: NotForOffer::CommunityCardCoursePlace, .. } => {
                "a community card is not for course places".into()
            }
            Self::Invalid(Invalid::Unrecognised(u)) => u.to_string(),
            Self::Invalid(Invalid::Credential(e)) => e.to_string(),
            Self::Invalid(Invalid::RetiredKey { key, from }) => {
                format!("credential was signed with key {key}, which is retired from {from}")
            }
        }
    }
}

/// Decides at the door.
pub fn decide<R: RegisterLookup + ?Sized>(
    scan: &ScanInput,
    known: &DeviceKnowledge<'_, R>,
    now: Moment,
    offer: OfferKind,
) -> Verdict {
    let verdict = match scan {
        ScanInput::Unrecognised(u) => return Verdict::Invalid(Invalid::Unrecognised(u.clone())),
        ScanInput::Credential(text) => match Credential::verify(text, known.keys) {
            Ok(c) => match known.keys.retired_from(c.key_id) {
                Some(from) if now.today >= from => {
                    return Verdict::Invalid(Invalid::RetiredKey { key: c.key_id, from });
                }
                _ => from_credential(&c, known, now),
            },
            Err(e) => return Verdict::Invalid(Invalid::Credential(e)),
        },
        ScanInput::PlainId(card) => from_plain_id(*card, known, now),
    };
    check_offer(verdict, offer)
}

fn from_credential<R: RegisterLookup + ?Sized>(c: &Credential, known: &DeviceKnowledge<'_, R>, now: Moment) -> Verdict {
    // Where the register copy and the credential disagree, the register wins.
    let card = CardId::Kaiku(c.card);
    let entry = known.register.lookup(&card).unwrap_or(RegisterEntry {
        kind: c.kind,
        valid_until: c.valid_until,
        minors_on_record: c.minors_on_record,
        status: RegisterStatus::Active,
    });
    judge(card, entry, Evidence::SignedCredential { issued: c.issued }, now)
}

fn from_plain_id<R: RegisterLookup + ?Sized>(card: CardId, known: &DeviceKnowledge<'_, R>, now: Moment) -> Verdict {
    let Some(as_of) = known.register_as_of else {
        return Verdict::ValidUnverified { card, why: Unverified::NoRegisterCopy };
    };
    let Some(entry) = known.register.lookup(&card) else {
        // A new Kaiku card may be missing from an older copy; a legacy ID is only ever
        // known from the register, so one that is not there is not a card. A Kaiku ID one slip
        // from a registered printed ID is most likely that slip (one in ten slips of a
        // Kaiku-shaped legacy ID makes a valid Kaiku ID), so it is not admitted either.
        let did_you_mean = meant(card, known.register);
        return match card {
            CardId::Kaiku(_) if did_you_mean.is_none() => {
                Verdict::ValidUnverified { card, why: Unverified::NotInRegisterCopy { as_of } }
            }
            _ => Verdict::NotRegistered { card, did_you_mean },
        };
    };
    match judge(card, entry, Evidence::Register { as_of }, now) {
        Verdict::Valid(_) if now.at - as_of > known.stale_after => {
            Verdict::ValidUnverified { card, why: Unverified::RegisterCopyStale { as_of } }
        }
        v => v,
    }
}

/// The registered card a typed ID most likely meant: the first one a slip away.
fn meant<R: RegisterLookup + ?Sized>(card: CardId, register: &R) -> Option<CardId> {
    card.one_slip_away().into_iter().find(|other| register.lookup(other).is_some())
}

fn judge(card: CardId, entry: RegisterEntry, evidence: Evidence, now: Moment) -> Verdict {
    match entry.status {
        RegisterStatus::Revoked { reason, on } => Verdict::Revoked { card, reason, on },
        RegisterStatus::Unregistered => Verdict::NotRegistered { card, did_you_mean: None },
        RegisterStatus::Active if now.today > entry.valid_until => Verdict::Expired { card, on: entry.valid_until },
        RegisterStatus::Active => Verdict::Valid(Admission {
            card,
            kind: entry.kind,
            valid_until: entry.valid_until,
            minors_on_record: entry.minors_on_record,
            evidence,
        }),
    }
}

fn check_offer(verdict: Verdict, offer: OfferKind) -> Verdict {
    match verdict {
        Verdict::Valid(a) if a.kind == CardKind::Community && offer == OfferKind::CoursePlace => {
            Verdict::NotForOffer { card: a.card, why: NotForOffer::CommunityCardCoursePlace }
        }
        v => v,
    }
}

#[cfg(test)]
mod tests;
