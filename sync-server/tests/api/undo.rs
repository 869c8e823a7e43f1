//! Corrections (the door's undo): an uploaded item with `undoes` takes back an earlier use of
//! the same device and card. Both stay on record and in the exports; neither counts in the
//! statistics, the console's counts or uses to check. Anything else is refused with its reason.

use chrono::TimeDelta;
use kaiku_core::Redemption;
use kaiku_core::ids::VenueId;
use kaiku_core::redemption::OfferKind;
use kaiku_core::wire::Outcome;
use kaiku_sync_server::export::{self, ExportFilter};
use kaiku_sync_server::store::flags::FlaggedUse;
use kaiku_sync_server::store::{DeviceActivity, Listed, NewOffer};
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::{Device, TestApp, date, item, noon, spawn_app};

/// Everything derived from the uses that a correction must leave as it was: the statistics
/// (every figure, per month, frequency), a cross-tab, uses to check, the venue's uses per offer
/// on the day and in the month, and its devices' counts.
async fn derived(app: &TestApp, venue: VenueId) -> Vec<String> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/statistics?year=2026".to_owned(),
        "/api/v1/statistics?year=2026&format=csv".to_owned(),
        "/api/v1/statistics/cross-tab?year=2026&by=gender".to_owned(),
        "/api/v1/flagged-uses?from=2026-06-01&to=2026-06-30".to_owned(),
        format!("/api/v1/venues/{venue}/uses?day=2026-06-14"),
        format!("/api/v1/venues/{venue}/uses?from=2026-06-01&to=2026-06-30"),
    ] {
        let r = app.get(&path, Some(&app.admin)).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        out.push(r.text);
    }
    let devices: Vec<DeviceActivity> =
        app.get(&format!("/api/v1/venues/{venue}/devices"), Some(&app.admin)).await.json();
    out.push(format!("{:?}", devices.iter().map(|d| d.redemptions).collect::<Vec<_>>()));
    out
}

fn outcome(app_answer: &[kaiku_core::wire::ItemOutcome]) -> &Outcome {
    &app_answer[0].outcome
}

#[tokio::test]
async fn a_use_and_its_correction_are_kept_and_exported_and_count_nowhere() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "City theatre").await;
    let hamlet = NewOffer { name: "Hamlet".into(), kind: OfferKind::Ticket, limit: None };
    let hamlet = app.store.create_offer(venue, &hamlet).await.expect("an offer");
    let door = app.device(venue).await;
    let at = noon(date(2026, 6, 14));
    let family = app.personal_card(distributor, date(2026, 1, 10), 2).await;
    // Other uses, so that every figure has something in it.
    let mut others = Vec::new();
    for i in 0..6 {
        let card = app.personal_card(distributor, date(2026, 1, 10), 1).await;
        others.push(item(&door.with_children(card.id, at + TimeDelta::minutes(i), 1)));
    }
    app.upload_ok(&door, &others).await;
    let before = derived(&app, venue).await;

    let used = Redemption { offer_id: Some(hamlet), ..door.with_children(family.id, at + TimeDelta::hours(1), 2) };
    assert!(matches!(outcome(&app.upload_ok(&door, &[item(&used)]).await), Outcome::Accepted { .. }));
    let counted = derived(&app, venue).await;
    for (i, (b, c)) in before.iter().zip(&counted).enumerate() {
        // Uses to check (3) has nothing to add: one device.
        assert!(i == 3 || b != c, "the use counts before it is taken back: {c}");
    }

    let undo = door.correction(&used, used.scanned_at + TimeDelta::minutes(2));
    let answer = app.upload_ok(&door, &[item(&undo)]).await;
    assert_eq!(*outcome(&answer), Outcome::Accepted { flags: vec![] });
    assert_eq!(derived(&app, venue).await, before, "neither the use nor its correction counts anywhere");
    // Sent again (its answer was lost): a duplicate. Taken back twice: refused.
    assert_eq!(*outcome(&app.upload_ok(&door, &[item(&undo)]).await), Outcome::Duplicate);
    let twice = door.correction(&used, used.scanned_at + TimeDelta::minutes(3));
    let answer = app.upload_ok(&door, &[item(&twice)]).await;
    let Outcome::Rejected { reason } = outcome(&answer) else { panic!("{answer:?}") };
    assert!(reason.contains(&format!("correction {} has already taken back", undo.id)), "{reason}");

    // Both are on record and in every export, the correction naming what it takes back.
    let stored =
        format!("SELECT count(*) FROM redemptions WHERE id IN ({}, {})", app.id_sql(used.id), app.id_sql(undo.id));
    assert_eq!(app.count(&stored), 2);
    let csv = app.get("/api/v1/export/redemptions.csv?from=2026-06-01&to=2026-06-30", Some(&app.admin)).await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert!(csv.text.lines().next().is_some_and(|h| h.ends_with(",undoes")), "{}", csv.text);
    let line = csv.text.lines().find(|l| l.starts_with(&undo.id.to_string())).expect("the correction is exported");
    assert!(line.ends_with(&format!(",{}", used.id)), "{line}");
    assert!(csv.text.lines().any(|l| l.starts_with(&used.id.to_string())), "the use taken back is exported");

    // Moved to another server: still kept, still counted nowhere.
    let dump = app.store.export_register(ExportFilter::default(), app.now()).await.expect("exports");
    let new = spawn_app().await;
    new.store.import_dump(dump.clone()).await.expect("imports");
    let again = new.store.export_register(ExportFilter::default(), new.now()).await.expect("exports");
    assert_eq!(export::redemptions_csv(&again.redemptions), export::redemptions_csv(&dump.redemptions));
    assert!(again.redemptions.iter().any(|r| r.id == undo.id && r.undoes == Some(used.id)));
    for query in ["year=2026", "from=2026-06-14&to=2026-06-14"] {
        let path = format!("/api/v1/statistics?{query}");
        let (old, moved) = (app.get(&path, Some(&app.admin)).await, new.get(&path, Some(&new.admin)).await);
        assert_eq!(old.text, moved.text, "{query}");
    }
}

async fn flagged(app: &TestApp) -> u64 {
    let path = "/api/v1/flagged-uses?from=2026-06-14&to=2026-06-14";
    app.get(path, Some(&app.admin)).await.json::<Listed<FlaggedUse>>().total
}

fn rejected(answer: &[kaiku_core::wire::ItemOutcome]) -> String {
    match outcome(answer) {
        Outcome::Rejected { reason } => reason.clone(),
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test]
async fn a_correction_of_another_devices_or_an_unknown_use_is_refused_with_its_reason() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Swimming hall").await;
    let (gate_a, gate_b) = (app.device(venue).await, app.device(venue).await);
    let (card, other) = (
        app.personal_card(distributor, date(2026, 1, 10), 0).await,
        app.personal_card(distributor, date(2026, 1, 10), 0).await,
    );
    let at = noon(date(2026, 6, 14));
    let used = gate_a.ticket(card.id, at);
    app.upload_ok(&gate_a, &[item(&used)]).await;

    // Gate B cannot take back gate A's use.
    let by_b = Redemption { device: gate_b.id, ..gate_b.correction(&used, at + TimeDelta::minutes(1)) };
    let reason = rejected(&app.upload_ok(&gate_b, &[item(&by_b)]).await);
    assert!(reason.contains(&format!("which device {} recorded", gate_a.id)), "{reason}");
    // A use the server never stored.
    let unknown = Redemption { undoes: Some(Uuid::now_v7()), ..gate_a.ticket(card.id, at) };
    let reason = rejected(&app.upload_ok(&gate_a, &[item(&unknown)]).await);
    assert!(reason.contains("which is not on record"), "{reason}");
    // Another card than the use's.
    let wrong_card = Redemption { card: other.id, ..gate_a.correction(&used, at + TimeDelta::minutes(1)) };
    let reason = rejected(&app.upload_ok(&gate_a, &[item(&wrong_card)]).await);
    assert!(reason.contains(&format!("a use of card {}, not of card {}", card.id, other.id)), "{reason}");
    assert_eq!(app.count("SELECT count(*) FROM rejected_items"), 3, "what was refused is kept");
    // The use still counts: nothing took it back.
    let stats: Value = app.get("/api/v1/statistics?year=2026", Some(&app.admin)).await.value();
    assert_eq!(stats["all"]["uses"], 1, "{stats}");
}

#[tokio::test]
async fn a_use_taken_back_leaves_uses_to_check_and_raises_no_flag() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let (hall, theatre) = (app.venue(Some(region), "Swimming hall").await, app.venue(Some(region), "Theatre").await);
    let (hall_door, theatre_door): (Device, Device) = (app.device(hall).await, app.device(theatre).await);
    let (shared, lent) = (
        app.personal_card(distributor, date(2026, 1, 10), 0).await,
        app.personal_card(distributor, date(2026, 1, 10), 0).await,
    );
    let at = noon(date(2026, 6, 14));

    // A pair is flagged, then the hall's use is taken back: the pair goes.
    let at_hall = hall_door.ticket(shared.id, at);
    app.upload_ok(&hall_door, &[item(&at_hall)]).await;
    app.upload_ok(&theatre_door, &[item(&theatre_door.ticket(shared.id, at + TimeDelta::minutes(25)))]).await;
    assert_eq!(flagged(&app).await, 1);
    let undo = hall_door.correction(&at_hall, at + TimeDelta::minutes(1));
    app.upload_ok(&hall_door, &[item(&undo)]).await;
    assert_eq!(flagged(&app).await, 0, "an undone use is in no pair to check");

    // A use taken back in the same batch, then the card at the theatre: nothing to check.
    let mistake = hall_door.ticket(lent.id, at + TimeDelta::hours(2));
    let undo = hall_door.correction(&mistake, at + TimeDelta::hours(2) + TimeDelta::minutes(1));
    app.upload_ok(&hall_door, &[item(&mistake), item(&undo)]).await;
    let later = theatre_door.ticket(lent.id, at + TimeDelta::hours(2) + TimeDelta::minutes(10));
    app.upload_ok(&theatre_door, &[item(&later)]).await;
    assert_eq!(flagged(&app).await, 0, "an undone use raises no flag");
    let stats: Value = app.get("/api/v1/statistics?year=2026", Some(&app.admin)).await.value();
    assert_eq!((stats["flagged_uses"].clone(), stats["all"]["uses"].clone()), (0.into(), 2.into()), "{stats}");
}
