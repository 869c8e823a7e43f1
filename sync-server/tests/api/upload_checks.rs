//! The upload path's checks: an item naming another venue's offer is refused on its own, a scan
//! time ahead of the server's clock is kept with a flag, and an upload waits out a write by
//! another process (a CLI command) instead of failing with SQLITE_BUSY.

use std::time::Duration;

use chrono::TimeDelta;
use kaiku_core::Redemption;
use kaiku_core::redemption::OfferKind;
use kaiku_core::wire::{Flag, Outcome};
use kaiku_sync_server::store::NewOffer;

use crate::helpers::{date, item, spawn_app};

#[tokio::test]
async fn an_item_naming_another_venues_offer_is_refused_and_the_rest_of_the_batch_is_stored() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let hall = app.venue(Some(region), "Swimming hall").await;
    let theatre = app.venue(Some(region), "City theatre").await;
    let offer = |name: &str| NewOffer { name: name.into(), kind: OfferKind::Ticket, limit: None };
    let own = app.store.create_offer(hall, &offer("Morning swim")).await.expect("an offer");
    let closed = app.store.create_offer(hall, &offer("Summer swim")).await.expect("an offer");
    app.store.close_offer(closed, app.now()).await.expect("closes");
    let theirs = app.store.create_offer(theatre, &offer("Hamlet")).await.expect("an offer");
    let device = app.device(hall).await;
    let card = app.personal_card(distributor, date(2026, 1, 10), 0).await;
    let at = app.now() - TimeDelta::hours(1);

    let items = [
        Redemption { offer_id: Some(own), ..device.ticket(card.id, at) },
        Redemption { offer_id: Some(theirs), ..device.ticket(card.id, at) },
        // A scan recorded before the offer was closed still counts.
        Redemption { offer_id: Some(closed), ..device.ticket(card.id, at) },
        device.ticket(card.id, at),
    ];
    let outcomes = app.upload_ok(&device, &items.iter().map(item).collect::<Vec<_>>()).await;
    assert!(matches!(outcomes[0].outcome, Outcome::Accepted { .. }), "{outcomes:?}");
    match &outcomes[1].outcome {
        Outcome::Rejected { reason } => {
            assert!(reason.contains(&format!("offer {theirs}")), "{reason}");
            assert!(reason.contains("not an offer of venue"), "{reason}");
        }
        other => panic!("another venue's offer must be refused, got {other:?}"),
    }
    assert!(matches!(outcomes[2].outcome, Outcome::Accepted { .. }), "{outcomes:?}");
    assert!(matches!(outcomes[3].outcome, Outcome::Accepted { .. }), "{outcomes:?}");
    assert_eq!(app.count("SELECT count(*) FROM redemptions"), 3);
    // Kept on the server too, with the reason: nothing sent is lost.
    assert_eq!(app.count("SELECT count(*) FROM rejected_items WHERE reason LIKE '%not an offer of venue%'"), 1);
}

#[tokio::test]
async fn a_scan_ahead_of_the_servers_clock_is_kept_and_the_answer_says_the_clock_is_wrong() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let device = app.device(app.venue(Some(region), "Swimming hall").await).await;
    let card = app.personal_card(distributor, date(2026, 1, 10), 0).await;
    let now = app.now();

    let items = [
        device.ticket(card.id, now + TimeDelta::minutes(5)),
        device.ticket(card.id, now + TimeDelta::hours(3)),
        device.ticket(card.id, now + TimeDelta::days(2)),
    ];
    let outcomes = app.upload_ok(&device, &items.iter().map(item).collect::<Vec<_>>()).await;
    let flags: Vec<Vec<Flag>> = outcomes
        .into_iter()
        .map(|o| match o.outcome {
            Outcome::Accepted { flags } => flags,
            other => panic!("a redemption recorded at the door is kept, got {other:?}"),
        })
        .collect();
    assert_eq!(flags[0], [], "five minutes is within the tolerance of ten");
    assert_eq!(flags[1], [Flag::ClockAhead { minutes: 180 }]);
    assert_eq!(flags[2], [Flag::ClockAhead { minutes: 2 * 24 * 60 }]);
    assert_eq!(app.count("SELECT count(*) FROM redemptions"), 3);
    assert_eq!(app.count("SELECT count(*) FROM redemptions WHERE flags LIKE '%clock_ahead%'"), 2);
}

#[tokio::test]
async fn an_upload_waits_for_another_process_writing_and_then_stores_everything() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let device = app.device(app.venue(Some(region), "Swimming hall").await).await;
    let card = app.personal_card(distributor, date(2026, 1, 10), 0).await;
    let at = app.now() - TimeDelta::hours(1);
    // A first upload, so that the server's writer has read the tables before.
    app.upload_ok(&device, &[item(&device.ticket(card.id, at))]).await;

    // Another connection (as a CLI command would) holds the write lock while the upload comes.
    let written = "INSERT INTO regions (name) VALUES ('Written by a command')";
    let (is_locked, writer) =
        crate::backend::write_and_hold(&app.settings.database, written, Duration::from_millis(700));
    is_locked.await.expect("the other writer holds the lock");
    let batch: Vec<_> = (0..50).map(|i| item(&device.ticket(card.id, at + TimeDelta::seconds(i)))).collect();
    let outcomes = app.upload_ok(&device, &batch).await;
    writer.join().expect("the other writer finishes");

    assert!(outcomes.iter().all(|o| matches!(o.outcome, Outcome::Accepted { .. })), "{outcomes:?}");
    assert_eq!(app.count("SELECT count(*) FROM redemptions"), 51);
    assert_eq!(app.count("SELECT count(*) FROM regions WHERE name = 'Written by a command'"), 1);
}
