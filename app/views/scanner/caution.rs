//! The door's cautions in words: "seen here 12 minutes ago (14:05)" and how old a mobile card's
//! credential is. The rules are core's (`kaiku_core::caution`); this asks the store and speaks.

use std::cell::Cell;
use std::rc::Rc;

use chrono::{DateTime, TimeDelta, Utc};
use kaiku_core::caution::{CREDENTIAL_RENEWED_WITHIN, Caution, credential_age, old_credential, seen_here};
use kaiku_core::verdict::{Signal as Door, Verdict};

use super::ctx::ScannerCtx;
use super::verdict::clock;
use crate::i18n::{Lang, t, t_args};
use crate::scanner::StoreError;

/// The door's clock: the device's, moved ahead by a set amount. Tests put one into context
/// to scan "12 minutes later"; without one the door uses the device clock as it is.
#[derive(Debug, Clone, Default)]
pub struct DoorClock(Rc<Cell<TimeDelta>>);

impl DoorClock {
    /// Moves the clock ahead by `by` (for every holder of this clock).
    pub fn advance(&self, by: TimeDelta) {
        self.0.set(self.0.get() + by);
    }

    pub fn now(&self) -> DateTime<Utc> {
        crate::state::now() + self.0.get()
    }
}

impl PartialEq for DoorClock {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The cautions for `verdict`, scanned `at`: only for a card the door lets in (a refused one
/// is refused anyway). `window` is the device's "seen here" setting.
pub async fn cautions(
    ctx: &ScannerCtx,
    verdict: &Verdict,
    at: DateTime<Utc>,
    window: TimeDelta,
) -> Result<Vec<Caution>, StoreError> {
    let Some(card) = verdict.card().filter(|_| verdict.signal() != Door::Refuse) else {
        return Ok(Vec::new());
    };
    let last = ctx.store().last_recorded(card).await?;
    let mut found: Vec<Caution> = seen_here(last, at, window).into_iter().collect();
    if let Verdict::Valid(a) = verdict {
        found.extend(old_credential(a, at, CREDENTIAL_RENEWED_WITHIN));
    }
    Ok(found)
}

/// "3 days ago", "5 hours ago", "12 minutes ago", "just now": the caution's way of saying it.
fn ago(lang: Lang, d: TimeDelta) -> String {
    let minutes = d.num_minutes().max(0);
    match minutes {
        0 => t(lang, "scan-ago-now"),
        1..=119 => t_args(lang, "scan-ago-minutes", &[("n", minutes.into())]),
        120..=2879 => t_args(lang, "scan-ago-hours", &[("n", (minutes / 60).into())]),
        _ => t_args(lang, "scan-ago-days", &[("n", (minutes / 1440).into())]),
    }
}

/// One caution in words, in `lang`.
pub fn caution_text(c: &Caution, lang: Lang) -> String {
    match c {
        Caution::SeenHere { at, ago: d } => {
            t_args(lang, "scan-seen-here", &[("ago", ago(lang, *d).into()), ("time", clock(lang, *at).into())])
        }
        Caution::OldCredential { age, .. } => t_args(lang, "scan-credential-old", &[("ago", ago(lang, *age).into())]),
    }
}

/// "The mobile card's code was issued 3 days ago.", for a credential that says when (version 2)
/// and is not old enough for a caution.
pub fn credential_age_text(verdict: &Verdict, at: DateTime<Utc>, lang: Lang) -> Option<String> {
    let Verdict::Valid(a) = verdict else { return None };
    let (_, age) = credential_age(a, at)?;
    (age < CREDENTIAL_RENEWED_WITHIN).then(|| t_args(lang, "scan-credential-issued", &[("ago", ago(lang, age).into())]))
}
