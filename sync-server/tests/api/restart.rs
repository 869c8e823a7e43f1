//! What the server answered before a restart is still there after it.

use kaiku_core::wire::Outcome;
use kaiku_sync_server::stats::Statistics;
use serde_json::Value;

use crate::helpers::{date, item, noon, spawn_app};

#[tokio::test]
async fn statistics_show_every_upload_after_the_server_restarts_on_the_same_database() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Swimming hall").await;
    let device = app.device(venue).await;
    let holder = app.personal_card(distributor, date(2026, 2, 1), 2).await.id;
    let student = app.personal_card(distributor, date(2026, 2, 1), 0).await.id;
    let community = app.community_card(distributor, date(2026, 2, 1)).await.id;
    let day = noon(date(2026, 6, 14));
    let batch: Vec<Value> = [
        device.with_children(holder, day, 2),
        device.ticket(holder, day),
        device.course_place(student, day),
        device.group(community, day, &[holder, student], 1),
    ]
    .iter()
    .map(item)
    .collect();
    let outcomes = app.upload_ok(&device, &batch).await;
    assert!(outcomes.iter().all(|o| matches!(o.outcome, Outcome::Accepted { .. })), "{outcomes:?}");

    let path = "/api/v1/statistics?year=2026";
    let before: Statistics = app.get(path, Some(&app.admin)).await.json();
    assert_eq!(before.all.uses, 4);
    assert_eq!(before.all.adults, 6);
    assert_eq!(before.all.children, 3);
    assert_eq!(before.course_places, 1);
    assert_eq!(before.community.uses, 1);
    let csv_before = app.get(&format!("{path}&format=csv"), Some(&app.admin)).await.text;

    let app = app.restart().await;
    let after = app.get(path, Some(&app.admin)).await;
    assert_eq!(after.status, 200, "{}", after.text);
    assert_eq!(after.json::<Statistics>(), before);
    assert_eq!(app.get(&format!("{path}&format=csv"), Some(&app.admin)).await.text, csv_before);
    assert_eq!(app.count("SELECT count(*) FROM redemptions"), 4);

    // The device's token and the de-duplication survive too.
    let again = app.upload_ok(&device, &batch).await;
    assert!(again.iter().all(|o| o.outcome == Outcome::Duplicate), "{again:?}");
    assert_eq!(app.get(path, Some(&app.admin)).await.json::<Statistics>(), before);
}
