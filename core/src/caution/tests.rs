use chrono::{NaiveDate, TimeZone};
use proptest::prelude::*;

use super::*;
use crate::card::CardKind;
use crate::card_id::{CardId, KaikuId};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 14, 17, 0).single().expect("time")
}

fn admission(evidence: Evidence) -> Admission {
    Admission {
        card: CardId::from(KaikuId::new('A', 1).expect("valid")),
        kind: CardKind::Personal,
        valid_until: NaiveDate::from_ymd_opt(2027, 1, 1).expect("date"),
        minors_on_record: 0,
        evidence,
    }
}

#[test]
fn a_card_recorded_twelve_minutes_ago_is_seen_here_with_when() {
    let at = now() - TimeDelta::minutes(12);
    assert_eq!(seen_here(Some(at), now(), SEEN_WINDOW), Some(Caution::SeenHere { at, ago: TimeDelta::minutes(12) }));
}

#[test]
fn a_card_never_recorded_or_recorded_before_the_window_is_not_seen_here() {
    assert_eq!(seen_here(None, now(), SEEN_WINDOW), None);
    assert_eq!(seen_here(Some(now() - SEEN_WINDOW), now(), SEEN_WINDOW), None, "the window's edge is outside");
    assert_eq!(seen_here(Some(now() - TimeDelta::hours(5)), now(), SEEN_WINDOW), None);
}

#[test]
fn a_record_after_now_counts_as_just_now_and_a_zero_window_turns_the_caution_off() {
    let later = now() + TimeDelta::minutes(3);
    assert_eq!(
        seen_here(Some(later), now(), SEEN_WINDOW),
        Some(Caution::SeenHere { at: later, ago: TimeDelta::zero() })
    );
    assert_eq!(seen_here(Some(now()), now(), TimeDelta::zero()), None);
}

#[test]
fn a_credential_says_how_old_it_is_and_is_a_caution_from_a_week() {
    let issued = now() - TimeDelta::days(3);
    let fresh = admission(Evidence::SignedCredential { issued: Some(issued) });
    assert_eq!(credential_age(&fresh, now()), Some((issued, TimeDelta::days(3))));
    assert_eq!(old_credential(&fresh, now(), CREDENTIAL_RENEWED_WITHIN), None);

    let issued = now() - TimeDelta::days(9);
    let old = admission(Evidence::SignedCredential { issued: Some(issued) });
    assert_eq!(
        old_credential(&old, now(), CREDENTIAL_RENEWED_WITHIN),
        Some(Caution::OldCredential { issued, age: TimeDelta::days(9) })
    );
}

#[test]
fn no_age_without_an_issue_time() {
    let v1 = admission(Evidence::SignedCredential { issued: None });
    let register = admission(Evidence::Register { as_of: now() - TimeDelta::days(30) });
    for a in [v1, register] {
        assert_eq!(credential_age(&a, now()), None);
        assert_eq!(old_credential(&a, now(), CREDENTIAL_RENEWED_WITHIN), None);
    }
}

#[test]
fn a_credential_from_a_server_clock_ahead_is_just_issued() {
    let ahead = admission(Evidence::SignedCredential { issued: Some(now() + TimeDelta::minutes(2)) });
    assert_eq!(credential_age(&ahead, now()).map(|(_, age)| age), Some(TimeDelta::zero()));
}

proptest! {
    #[test]
    fn seen_here_exactly_within_the_window(ago in -100_000i64..100_000, window in 0i64..=1_440) {
        let window = TimeDelta::minutes(window);
        let at = now() - TimeDelta::seconds(ago);
        let caution = seen_here(Some(at), now(), window);
        // A record from the future counts as just now, so a zero window still says nothing.
        prop_assert_eq!(caution.is_some(), TimeDelta::seconds(ago.max(0)) < window);
        if let Some(Caution::SeenHere { at: said, ago: said_ago }) = caution {
            prop_assert_eq!(said, at);
            prop_assert!(said_ago >= TimeDelta::zero() && said_ago < window);
        }
    }

    #[test]
    fn an_old_credential_is_one_at_least_as_old_as_the_limit(age_min in -10_000i64..100_000, limit in 1i64..100_000) {
        let issued = now() - TimeDelta::minutes(age_min);
        let a = admission(Evidence::SignedCredential { issued: Some(issued) });
        let caution = old_credential(&a, now(), TimeDelta::minutes(limit));
        prop_assert_eq!(caution.is_some(), age_min >= limit);
    }
}
