//! Redemption uploads: idempotent by id, each item judged on its own, nothing silently lost.

use chrono::TimeDelta;
use kaiku_core::ids::VenueId;
use kaiku_core::verdict::VerdictCode;
use kaiku_core::wire::{Flag, ItemOutcome, Outcome};
use kaiku_core::{Card, CardId, KaikuId, Redemption};
use kaiku_sync_server::stats::Statistics;
use kaiku_sync_server::store::Role;
use serde_json::{Value, json};

use crate::helpers::{Device, TestApp, date, item, noon, spawn_app};

/// A venue with a device, a personal card with one child on record, a personal card with
/// none, and a community card, all of one distributor.
struct Scene {
    app: TestApp,
    device: Device,
    other_device: Device,
    personal: Card,
    childless: Card,
    community: Card,
    venue: VenueId,
}

async fn scene() -> Scene {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Swimming hall").await;
    let other_venue = app.venue(Some(region), "City theatre").await;
    let device = app.device(venue).await;
    let other_device = app.device(other_venue).await;
    let personal = app.personal_card(distributor, date(2026, 1, 10), 1).await;
    let childless = app.personal_card(distributor, date(2026, 1, 10), 0).await;
    let community = app.community_card(distributor, date(2026, 1, 10)).await;
    Scene { app, device, other_device, personal, childless, community, venue }
}

fn outcomes_of(outcomes: &[ItemOutcome]) -> Vec<&'static str> {
    outcomes
        .iter()
        .map(|o| match o.outcome {
            Outcome::Accepted { .. } => "accepted",
            Outcome::Duplicate => "duplicate",
            Outcome::Rejected { .. } => "rejected",
        })
        .collect()
}

async fn uses(app: &TestApp) -> u64 {
    let r = app.get("/api/v1/statistics?year=2026", Some(&app.admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json::<Statistics>().all.uses
}

#[tokio::test]
async fn the_same_batch_sent_three_times_is_stored_once() {
    let s = scene().await;
    let day = noon(date(2026, 6, 14));
    let batch: Vec<Value> = [
        s.device.ticket(s.personal.id, day),
        s.device.with_children(s.personal.id, day, 1),
        s.device.course_place(s.childless.id, day),
        s.device.group(s.community.id, day, &[s.personal.id, s.childless.id], 2),
        s.device.ticket(s.childless.id, day),
    ]
    .iter()
    .map(item)
    .collect();

    let first = s.app.upload_ok(&s.device, &batch).await;
    assert_eq!(outcomes_of(&first), ["accepted"; 5], "{first:?}");
    for attempt in [2, 3] {
        let again = s.app.upload_ok(&s.device, &batch).await;
        assert_eq!(outcomes_of(&again), ["duplicate"; 5], "attempt {attempt}: {again:?}");
        let ids: Vec<_> = again.iter().map(|o| o.id).collect();
        assert_eq!(ids, first.iter().map(|o| o.id).collect::<Vec<_>>(), "each outcome names its item");
    }

    assert_eq!(s.app.count("SELECT count(*) FROM redemptions"), 5);
    assert_eq!(s.app.count("SELECT count(*) FROM rejected_items"), 0);
    assert_eq!(uses(&s.app).await, 5);
}

#[tokio::test]
async fn the_same_batch_sent_concurrently_is_still_stored_once() {
    let s = scene().await;
    let day = noon(date(2026, 6, 14));
    let batch: Vec<Value> = (0..20).map(|_| item(&s.device.ticket(s.personal.id, day))).collect();
    let (a, b, c) =
        tokio::join!(s.app.upload(&s.device, &batch), s.app.upload(&s.device, &batch), s.app.upload(&s.device, &batch));
    let mut accepted = 0;
    for reply in [a, b, c] {
        assert_eq!(reply.status, 200, "{}", reply.text);
        let outcomes = reply.json::<kaiku_core::wire::UploadResponse>().outcomes;
        accepted += outcomes_of(&outcomes).iter().filter(|o| **o == "accepted").count();
        assert!(outcomes_of(&outcomes).iter().all(|o| *o != "rejected"), "{outcomes:?}");
    }
    assert_eq!(accepted, 20, "each item is accepted by exactly one of the three uploads");
    assert_eq!(s.app.count("SELECT count(*) FROM redemptions"), 20);
}

/// An item as JSON with `f` applied.
fn edited(r: &Redemption, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut v = item(r);
    f(v.as_object_mut().expect("an object"));
    v
}

/// A card ID with a wrong check digit.
fn mistyped(id: CardId) -> String {
    let text = id.to_string();
    let (body, check) = text.split_at(9);
    let digit = check.parse::<u8>().expect("a digit");
    format!("{body}{}", (digit + 1) % 10)
}

#[tokio::test]
async fn garbage_items_are_rejected_with_reasons_and_good_items_in_the_same_batch_are_stored() {
    let s = scene().await;
    let (d, day) = (&s.device, noon(date(2026, 6, 14)));
    let good = || item(&d.ticket(s.personal.id, day));
    let named = d.ticket(s.personal.id, day);
    let unknown_card = CardId::from(KaikuId::new('B', 4242).expect("valid"));
    let wrong_device = format!("names device {}, but device {} sent it", s.other_device.id, d.id);
    let wrong_venue = format!("names venue {}, but this device belongs to venue {}", s.other_device.venue, s.venue);
    let not_registered = format!("card {unknown_card} is not in the register");

    // (what is wrong, the item, what the reason must say)
    let garbage: Vec<(&str, Value, &str)> = vec![
        ("a number", json!(42), "invalid type: integer `42`"),
        ("a string", json!("hello"), "invalid type: string"),
        ("a list", json!([1, 2]), "not a valid redemption: invalid type: integer `1`"),
        ("null", Value::Null, "invalid type: null"),
        ("an empty object", json!({}), "missing field `id`"),
        ("no card", edited(&d.ticket(s.personal.id, day), |m| drop(m.remove("card"))), "missing field `card`"),
        (
            "a name",
            edited(&named, |m| drop(m.insert("name".into(), json!("Maija Meikäläinen")))),
            "unknown field `name`",
        ),
        (
            "a mistyped card id (read as a printed legacy ID the register does not hold)",
            edited(&d.ticket(s.personal.id, day), |m| drop(m.insert("card".into(), json!(mistyped(s.personal.id))))),
            "is not in the register",
        ),
        (
            "a bad scan time",
            edited(&d.ticket(s.personal.id, day), |m| drop(m.insert("scanned_at".into(), json!("yesterday")))),
            "not a valid redemption",
        ),
        (
            "negative children",
            edited(&d.ticket(s.personal.id, day), |m| drop(m.insert("children".into(), json!(-1)))),
            "invalid value: integer `-1`",
        ),
        (
            "another device's id",
            item(&Redemption { device: s.other_device.id, ..d.ticket(s.personal.id, day) }),
            &wrong_device,
        ),
        (
            "another venue",
            item(&Redemption { venue: s.other_device.venue, ..d.ticket(s.personal.id, day) }),
            &wrong_venue,
        ),
        ("an unknown card", item(&d.ticket(unknown_card, day)), &not_registered),
        (
            "a course place with children",
            item(&Redemption { children: 1, ..d.course_place(s.personal.id, day) }),
            "never with a course place",
        ),
        (
            "more children than on record",
            item(&d.with_children(s.personal.id, day, 2)),
            "2 children's tickets asked, but the card has 1 (grand)children on record",
        ),
        (
            "children on a card with none",
            item(&d.with_children(s.childless.id, day, 1)),
            "1 children's tickets asked, but the card has 0",
        ),
        (
            "a community card without a group",
            item(&d.ticket(s.community.id, day)),
            "a community card needs at least one group member",
        ),
        (
            "a community card for a course place",
            item(&Redemption {
                offer: kaiku_core::OfferKind::CoursePlace,
                ..d.group(s.community.id, day, &[s.personal.id], 0)
            }),
            "a community card is never for course places",
        ),
        (
            "a group on a personal card",
            item(&d.group(s.personal.id, day, &[s.childless.id], 0)),
            "a personal card has no group members",
        ),
        (
            "the wrong number of adults",
            item(&Redemption { adults: 3, ..d.ticket(s.personal.id, day) }),
            "3 adults recorded",
        ),
        (
            "a refused verdict",
            item(&Redemption { verdict: VerdictCode::Expired, ..d.ticket(s.personal.id, day) }),
            "is not admitted",
        ),
        (
            "sequence number 0",
            item(&Redemption { seq: 0, ..d.ticket(s.personal.id, day) }),
            "sequence numbers start at 1",
        ),
    ];

    // Good items before, between and after the garbage.
    let mut batch = Vec::new();
    let mut expected = Vec::new();
    for (what, value, says) in &garbage {
        batch.push(good());
        expected.push(None);
        batch.push(value.clone());
        expected.push(Some((*what, *says)));
    }
    batch.push(good());
    expected.push(None);
    let good_count = expected.iter().filter(|e| e.is_none()).count();

    let outcomes = s.app.upload_ok(&s.device, &batch).await;
    assert_eq!(outcomes.len(), batch.len());
    for (i, (o, want)) in outcomes.iter().zip(&expected).enumerate() {
        assert_eq!(o.index as usize, i, "outcomes come in the order sent");
        match (want, &o.outcome) {
            (None, Outcome::Accepted { flags }) => assert!(flags.is_empty(), "{flags:?}"),
            (Some((what, says)), Outcome::Rejected { reason }) => {
                assert!(reason.contains(says), "{what}: the reason should say '{says}', it says '{reason}'");
            }
            (want, got) => panic!("item {i} ({want:?}) got {got:?}"),
        }
    }
    let named_outcome = &outcomes[expected.iter().position(|e| e.is_some_and(|(w, _)| w == "a name")).expect("there")];
    assert_eq!(named_outcome.id, Some(named.id), "an unreadable item still names its id when it has one");

    assert_eq!(s.app.count("SELECT count(*) FROM redemptions"), good_count as i64);
    assert_eq!(s.app.count("SELECT count(*) FROM rejected_items"), garbage.len() as i64, "rejected items are kept");
    assert_eq!(uses(&s.app).await, good_count as u64);

    // Sent again: the good ones are duplicates, the garbage is rejected again and not kept twice.
    let again = s.app.upload_ok(&s.device, &batch).await;
    for (o, want) in again.iter().zip(&expected) {
        match want {
            None => assert_eq!(o.outcome, Outcome::Duplicate),
            Some(_) => assert!(matches!(o.outcome, Outcome::Rejected { .. }), "{o:?}"),
        }
    }
    assert_eq!(s.app.count("SELECT count(*) FROM redemptions"), good_count as i64);
    assert_eq!(s.app.count("SELECT count(*) FROM rejected_items"), garbage.len() as i64);
}

#[tokio::test]
async fn late_uploads_and_offline_admissions_the_register_would_refuse_are_accepted_with_flags() {
    let s = scene().await;
    let region = s.app.region("South").await;
    let distributor = s.app.distributor(region, "Parish").await;
    let token = s.app.user(Role::Distributor(distributor)).await.1;
    let expired = s.app.personal_card(distributor, date(2025, 1, 1), 0).await;
    let revoked = s.app.personal_card(distributor, date(2026, 1, 1), 0).await;
    let r = s.app.post(&format!("/api/v1/cards/{}/revoke", revoked.id), Some(&token), json!({"reason": "lost"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Four days later a device that was offline sends what it admitted three days ago,
    // after the revocation: the register would refuse it now, so it is flagged.
    s.app.clock.advance(TimeDelta::days(4));

    let now = s.app.now();
    let items = [
        Redemption { verdict: VerdictCode::ValidUnverified, ..s.device.ticket(revoked.id, now - TimeDelta::hours(70)) },
        Redemption { verdict: VerdictCode::ValidUnverified, ..s.device.ticket(expired.id, noon(date(2026, 3, 1))) },
        s.device.ticket(s.personal.id, now - TimeDelta::hours(23)),
    ];
    let outcomes = s.app.upload_ok(&s.device, &items.iter().map(item).collect::<Vec<_>>()).await;
    let flags: Vec<Vec<Flag>> = outcomes
        .into_iter()
        .map(|o| match o.outcome {
            Outcome::Accepted { flags } => flags,
            other => panic!("nothing is rolled back, yet got {other:?}"),
        })
        .collect();
    assert_eq!(flags[0][0], Flag::LateUpload { hours: 70 });
    assert!(
        matches!(&flags[0][1], Flag::WouldRefuseOnline { verdict: VerdictCode::Revoked, reason } if reason.contains("revoked on 2026-06-15")),
        "{flags:?}"
    );
    assert!(matches!(flags[1][0], Flag::LateUpload { .. }), "{flags:?}");
    assert_eq!(
        flags[1][1],
        Flag::WouldRefuseOnline { verdict: VerdictCode::Expired, reason: "card expired on 2026-01-01".into() }
    );
    assert!(flags[2].is_empty(), "a scan uploaded within a day is not late: {flags:?}");
    assert_eq!(s.app.count("SELECT count(*) FROM redemptions WHERE late = 1"), 2);
}

#[tokio::test]
async fn a_scan_made_before_the_card_was_revoked_is_not_flagged() {
    let s = scene().await;
    let region = s.app.region("West").await;
    let distributor = s.app.distributor(region, "Parish").await;
    let token = s.app.user(Role::Distributor(distributor)).await.1;
    let card = s.app.personal_card(distributor, date(2026, 1, 1), 0).await;
    let scanned = s.app.now() - TimeDelta::hours(30);
    let r = s.app.post(&format!("/api/v1/cards/{}/revoke", card.id), Some(&token), json!({"reason": "stolen"})).await;
    assert_eq!(r.status, 200, "{}", r.text);

    let scan = Redemption { verdict: VerdictCode::ValidUnverified, ..s.device.ticket(card.id, scanned) };
    let outcomes = s.app.upload_ok(&s.device, &[item(&scan)]).await;
    assert_eq!(outcomes[0].outcome, Outcome::Accepted { flags: vec![Flag::LateUpload { hours: 30 }] });
}

#[tokio::test]
async fn an_empty_batch_is_answered_with_no_outcomes() {
    let s = scene().await;
    assert!(s.app.upload_ok(&s.device, &[]).await.is_empty());
}
