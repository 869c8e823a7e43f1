//! Uses to check: the same card scanned at two venues (or by two devices) within the flag
//! window is flagged when the second scan is uploaded, kept durably, listed for the venue and
//! the coordinator (never a holder's name) and counted in the statistics.

use chrono::TimeDelta;
use kaiku_core::Redemption;
use kaiku_core::redemption::OfferKind;
use kaiku_core::wire::Outcome;
use kaiku_sync_server::store::flags::FlaggedUse;
use kaiku_sync_server::store::{Listed, NewOffer, Role};

use crate::helpers::{date, item, noon, spawn_app, spawn_app_with};

fn listed(r: &crate::helpers::Reply) -> Listed<FlaggedUse> {
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

#[tokio::test]
async fn the_same_card_at_two_venues_within_the_window_is_flagged_for_both_venues_and_the_coordinator() {
    let app = spawn_app().await;
    let north = app.region("North").await;
    let south = app.region("South").await;
    let distributor = app.distributor(north, "Social services").await;
    let hall = app.venue(Some(north), "Swimming hall").await;
    let theatre = app.venue(Some(north), "City theatre").await;
    let museum = app.venue(Some(south), "Art museum").await;
    let hamlet = app
        .store
        .create_offer(theatre, &NewOffer { name: "Hamlet".into(), kind: OfferKind::Ticket, limit: None })
        .await
        .expect("an offer");
    let (hall_door, theatre_door, museum_door) =
        (app.device(hall).await, app.device(theatre).await, app.device(museum).await);
    let shared = app.personal_card(distributor, date(2026, 1, 10), 0).await;
    let family = app.personal_card(distributor, date(2026, 1, 10), 2).await;
    let at = noon(date(2026, 6, 14));

    // The shared card: at the hall at noon, at the theatre 25 minutes later.
    app.upload_ok(&hall_door, &[item(&hall_door.ticket(shared.id, at))]).await;
    let theatre_scan =
        Redemption { offer_id: Some(hamlet), ..theatre_door.ticket(shared.id, at + TimeDelta::minutes(25)) };
    let outcomes = app.upload_ok(&theatre_door, &[item(&theatre_scan)]).await;
    assert!(matches!(outcomes[0].outcome, Outcome::Accepted { .. }), "flagged, never refused: {outcomes:?}");
    // Not flagged: the same card twice by one device (the door's business), and the museum
    // two hours later (outside the 60 minutes).
    let again = [
        item(&hall_door.with_children(family.id, at, 2)),
        item(&hall_door.ticket(family.id, at + TimeDelta::minutes(10))),
    ];
    app.upload_ok(&hall_door, &again).await;
    app.upload_ok(&museum_door, &[item(&museum_door.ticket(shared.id, at + TimeDelta::hours(3)))]).await;
    assert_eq!(app.count("SELECT count(*) FROM flagged_uses"), 1);

    // Kept durably: after a restart the flag is still there.
    let app = app.restart().await;
    let hall_user = app.user(Role::Venue(hall)).await.1;
    let theatre_user = app.user(Role::Venue(theatre)).await.1;
    let museum_user = app.user(Role::Venue(museum)).await.1;
    let coordinator = app.user(Role::Coordinator(north)).await.1;
    let other_coordinator = app.user(Role::Coordinator(south)).await.1;
    let period = "from=2026-06-01&to=2026-06-30";

    let seen = listed(&app.get(&format!("/api/v1/flagged-uses?{period}"), Some(&hall_user)).await);
    assert_eq!(seen.total, 1);
    let flag = &seen.items[0];
    assert_eq!(flag.card, shared.id);
    assert_eq!(flag.minutes_apart, 25);
    assert_eq!((flag.first.venue, flag.first.venue_name.as_str()), (hall, "Swimming hall"));
    assert_eq!((flag.first.device, flag.first.scanned_at), (hall_door.id, at));
    assert_eq!((flag.second.venue, flag.second.venue_name.as_str()), (theatre, "City theatre"));
    assert_eq!((flag.second.offer_id, flag.second.offer_name.as_deref()), (Some(hamlet), Some("Hamlet")));
    assert_eq!(flag.second.scanned_at, at + TimeDelta::minutes(25));
    let text = app.get(&format!("/api/v1/flagged-uses?{period}"), Some(&hall_user)).await.text;
    for about_the_holder in ["birth_year", "gender", "mother_tongue", "postal_code", "life_situation"] {
        assert!(!text.contains(about_the_holder), "nothing about the holder: {text}");
    }

    for (who, total) in
        [(&theatre_user, 1), (&coordinator, 1), (&app.admin, 1), (&museum_user, 0), (&other_coordinator, 0)]
    {
        let seen = listed(&app.get(&format!("/api/v1/flagged-uses?{period}"), Some(who)).await);
        assert_eq!(seen.total, total, "{}", serde_json::to_string(&seen.items).unwrap_or_default());
    }
    // A period without either scan lists nothing.
    let july = listed(&app.get("/api/v1/flagged-uses?from=2026-07-01&to=2026-07-31", Some(&coordinator)).await);
    assert_eq!(july.total, 0);
    // Scope is enforced: another venue, another region, a distributor.
    let r = app.get(&format!("/api/v1/flagged-uses?venue={hall}"), Some(&museum_user)).await;
    r.assert_error(403, "forbidden", &["outside your scope"]);
    let r = app.get(&format!("/api/v1/flagged-uses?venue={hall}"), Some(&other_coordinator)).await;
    r.assert_error(403, "forbidden", &[]);
    let d_user = app.user(Role::Distributor(distributor)).await.1;
    app.get("/api/v1/flagged-uses", Some(&d_user)).await.assert_error(403, "forbidden", &["venues and coordinators"]);
    app.get("/api/v1/flagged-uses?from=2026-07-01&to=2026-06-01", Some(&coordinator)).await.assert_error(
        400,
        "invalid_query",
        &["from must not be after to"],
    );

    // The statistics count it for the administrator (exactly) and the venue's own figures.
    let stats = app.get("/api/v1/statistics?year=2026", Some(&app.admin)).await;
    assert_eq!(stats.status, 200, "{}", stats.text);
    assert_eq!(stats.value()["flagged_uses"], 1, "{}", stats.text);
    // So do the card's distributor's figures; another distributor's do not.
    let other = app.distributor(north, "Library").await;
    for (d, flagged) in [(distributor, 1), (other, 0)] {
        let stats = app.get(&format!("/api/v1/statistics?year=2026&distributor={d}"), Some(&app.admin)).await;
        assert_eq!(stats.status, 200, "{}", stats.text);
        assert_eq!(stats.value()["flagged_uses"], flagged, "distributor {d}: {}", stats.text);
    }
}

#[tokio::test]
async fn a_scan_uploaded_late_is_flagged_against_one_stored_earlier_and_the_window_is_a_setting() {
    let app = spawn_app_with(|s| s.flag_window_minutes = 10).await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Festival").await;
    let (gate_a, gate_b) = (app.device(venue).await, app.device(venue).await);
    let card = app.personal_card(distributor, date(2026, 1, 10), 0).await;
    let other = app.personal_card(distributor, date(2026, 1, 10), 0).await;
    let at = noon(date(2026, 6, 14));

    // Gate B was offline: its scans (8 and 15 minutes after gate A's) arrive after gate A's.
    app.upload_ok(&gate_a, &[item(&gate_a.ticket(card.id, at)), item(&gate_a.ticket(other.id, at))]).await;
    let late = [
        item(&gate_b.ticket(card.id, at - TimeDelta::minutes(8))),
        item(&gate_b.ticket(other.id, at + TimeDelta::minutes(15))),
    ];
    app.upload_ok(&gate_b, &late).await;

    let flags = listed(&app.get("/api/v1/flagged-uses?from=2026-06-14&to=2026-06-14", Some(&app.admin)).await);
    assert_eq!(flags.total, 1, "15 minutes is outside a 10-minute window");
    let flag = &flags.items[0];
    assert_eq!(flag.card, card.id);
    assert_eq!((flag.first.device, flag.second.device), (gate_b.id, gate_a.id), "in the order scanned");
    assert_eq!(flag.minutes_apart, 8);
    // Sending the same batch again flags nothing more.
    app.upload_ok(&gate_b, &late).await;
    assert_eq!(app.count("SELECT count(*) FROM flagged_uses"), 1);
}
