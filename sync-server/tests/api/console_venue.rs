//! A venue in the staff console over HTTP: offers edited and closed (bad input refused,
//! nothing lost, closed offers no longer sent to scanners), devices with their last sync and
//! count, and the venue's uses per offer, each only for those whose venue it is.

use chrono::TimeDelta;
use kaiku_core::Redemption;
use kaiku_core::ids::{OfferId, VenueId};
use kaiku_core::wire::Offer;
use kaiku_sync_server::store::{DeviceActivity, OfferEntry, Role, VenueUses};
use serde_json::{Value, json};

use crate::helpers::{TestApp, date, item, spawn_app};

async fn new_offer(app: &TestApp, venue: VenueId, body: Value) -> OfferId {
    let r = app.post(&format!("/api/v1/venues/{venue}/offers"), Some(&app.admin), body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    OfferId(u32::try_from(r.value()["id"].as_u64().expect("an offer id")).expect("a small id"))
}

async fn patch(app: &TestApp, offer: OfferId, token: &str, body: Value) -> crate::helpers::Reply {
    app.send(reqwest::Method::PATCH, &format!("/api/v1/offers/{offer}"), Some(token), Some(&body)).await
}

#[tokio::test]
async fn an_offer_is_edited_and_bad_input_is_refused_with_nothing_lost() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let venue = app.venue(Some(region), "Theatre").await;
    let other = app.venue(Some(region), "Museum").await;
    let offer = new_offer(&app, venue, json!({"name": "Matinee", "kind": "ticket", "limit": 10})).await;
    let (_, venue_user) = app.user(Role::Venue(venue)).await;
    let (_, other_user) = app.user(Role::Venue(other)).await;

    patch(&app, offer, &venue_user, json!({"limit": -1})).await.assert_error(422, "invalid_value", &["limit", "-1"]);
    patch(&app, offer, &venue_user, json!({"name": "  "})).await.assert_error(422, "invalid_value", &["offer name"]);
    patch(&app, offer, &venue_user, json!({"kind": "concert"})).await.assert_error(422, "invalid_value", &["kind"]);
    patch(&app, offer, &other_user, json!({"limit": 5})).await.assert_error(403, "forbidden", &[]);
    let listed: Vec<OfferEntry> = app.get("/api/v1/offers", Some(&venue_user)).await.json();
    assert_eq!((listed[0].name.as_str(), listed[0].limit), ("Matinee", Some(10)), "the refused edits changed nothing");

    let edited: OfferEntry = patch(&app, offer, &venue_user, json!({"name": "Evening show", "limit": 25})).await.json();
    assert_eq!((edited.name.as_str(), edited.limit, edited.closed_at), ("Evening show", Some(25), None));
    let unlimited: OfferEntry = patch(&app, offer, &venue_user, json!({"limit": null})).await.json();
    assert_eq!((unlimited.name.as_str(), unlimited.limit), ("Evening show", None), "the name stays as it was");
    patch(&app, OfferId(9999), &venue_user, json!({})).await.assert_error(404, "not_found", &[]);
}

#[tokio::test]
async fn a_closed_offer_is_no_longer_sent_to_scanners_but_its_uses_still_count() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let d = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Theatre").await;
    let kept = new_offer(&app, venue, json!({"name": "Matinee", "kind": "ticket"})).await;
    let closing = new_offer(&app, venue, json!({"name": "Summer course", "kind": "course_place", "limit": 8})).await;
    let device = app.device(venue).await;
    let card = app.personal_card(d, date(2026, 3, 1), 0).await;
    let at = app.now() - TimeDelta::hours(1);
    let place = Redemption { offer_id: Some(closing), ..device.course_place(card.id, at) };
    app.upload_ok(&device, &[item(&place)]).await;

    let closed: OfferEntry =
        app.post(&format!("/api/v1/offers/{closing}/close"), Some(&app.admin), json!({})).await.json();
    assert_eq!(closed.closed_at, Some(app.now()));
    app.post(&format!("/api/v1/offers/{closing}/close"), Some(&app.admin), json!({})).await.assert_error(
        409,
        "conflict",
        &["closed already"],
    );
    patch(&app, closing, &app.admin, json!({"limit": 3})).await.assert_error(409, "conflict", &["closed"]);

    let scanner: Vec<Offer> = app.get(&format!("/api/v1/venues/{venue}/offers"), Some(&device.token)).await.json();
    assert_eq!(scanner.iter().map(|o| o.id).collect::<Vec<_>>(), vec![kept], "scanners get only open offers");
    let code = app.post("/api/v1/enrollment-codes", Some(&app.admin), json!({"venue": venue})).await;
    let code = code.value()["code"].as_str().expect("a code").to_owned();
    let enrolled = app.post("/api/v1/devices/enroll", None, json!({"code": code, "label": "Door 2"})).await;
    assert_eq!(enrolled.value()["offers"].as_array().map(Vec::len), Some(1), "{}", enrolled.text);

    // A scanner that was offline uploads a place it booked before the offer closed.
    let late = Redemption { offer_id: Some(closing), ..device.course_place(card.id, at + TimeDelta::minutes(30)) };
    app.upload_ok(&device, &[item(&late)]).await;

    let all: Vec<OfferEntry> = app.get(&format!("/api/v1/offers?venue={venue}"), Some(&app.admin)).await.json();
    assert_eq!(all.len(), 2, "the console still lists the closed offer");
    let uses: VenueUses =
        app.get(&format!("/api/v1/venues/{venue}/uses?day=2026-06-15"), Some(&app.admin)).await.json();
    let course = uses.offers.iter().find(|o| o.offer == Some(closing)).expect("the closed offer's uses");
    assert_eq!((course.closed, course.uses, course.course_places), (true, 2, 2));
}

#[tokio::test]
async fn a_venues_uses_are_counted_per_offer_for_a_day_and_a_period() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let d = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Theatre").await;
    let other = app.venue(Some(region), "Museum").await;
    let show = new_offer(&app, venue, json!({"name": "Matinee", "kind": "ticket"})).await;
    let device = app.device(venue).await;
    let family = app.personal_card(d, date(2026, 3, 1), 2).await;
    let single = app.personal_card(d, date(2026, 3, 1), 0).await;
    let community = app.community_card(d, date(2026, 3, 1)).await;
    let member = app.personal_card(d, date(2026, 3, 1), 0).await;
    let today = app.now() - TimeDelta::hours(1);
    let last_week = app.now() - TimeDelta::days(7);
    let items = [
        Redemption { offer_id: Some(show), ..device.with_children(family.id, today, 2) },
        Redemption { offer_id: Some(show), ..device.group(community.id, today, &[member.id], 0) },
        device.ticket(single.id, today),
        Redemption { offer_id: Some(show), ..device.ticket(single.id, last_week) },
    ];
    app.upload_ok(&device, &items.iter().map(item).collect::<Vec<_>>()).await;
    let (_, venue_user) = app.user(Role::Venue(venue)).await;

    let day: VenueUses =
        app.get(&format!("/api/v1/venues/{venue}/uses?day=2026-06-15"), Some(&venue_user)).await.json();
    assert_eq!((day.uses, day.adults, day.children, day.community_uses, day.course_places), (3, 4, 2, 1, 0));
    let matinee = &day.offers[0];
    assert_eq!(
        (matinee.offer, matinee.name.as_deref(), matinee.uses, matinee.children),
        (Some(show), Some("Matinee"), 2, 2)
    );
    assert_eq!((day.offers[1].offer, day.offers[1].uses), (None, 1), "a scan naming no offer is counted apart");

    let month: VenueUses =
        app.get(&format!("/api/v1/venues/{venue}/uses?from=2026-06-01&to=2026-06-30"), Some(&venue_user)).await.json();
    assert_eq!((month.uses, month.offers[0].uses), (4, 3));

    let (_, other_user) = app.user(Role::Venue(other)).await;
    let (_, far_coordinator) = app.user(Role::Coordinator(app.region("South").await)).await;
    let (_, coordinator) = app.user(Role::Coordinator(region)).await;
    let path = format!("/api/v1/venues/{venue}/uses?day=2026-06-15");
    app.get(&path, Some(&other_user)).await.assert_error(403, "forbidden", &[]);
    app.get(&path, Some(&far_coordinator)).await.assert_error(403, "forbidden", &[]);
    assert_eq!(app.get(&path, Some(&coordinator)).await.json::<VenueUses>().uses, 3);
    for bad in ["", "?day=2026-13-01", "?from=2026-06-30&to=2026-06-01", "?day=2026-06-01&from=2026-06-01"] {
        app.get(&format!("/api/v1/venues/{venue}/uses{bad}"), Some(&venue_user)).await.assert_error(
            400,
            "invalid_query",
            &[],
        );
    }
}

#[tokio::test]
async fn each_devices_last_sync_and_count_match_what_its_uploads_did() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let d = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Theatre").await;
    let other = app.venue(Some(region), "Museum").await;
    let busy = app.device(venue).await;
    let idle = app.device(venue).await;
    let card = app.personal_card(d, date(2026, 3, 1), 0).await;
    let first_sync = app.now();
    let at = app.now() - TimeDelta::hours(1);
    app.upload_ok(&busy, &[item(&busy.ticket(card.id, at)), item(&busy.ticket(card.id, at))]).await;
    app.advance(TimeDelta::hours(3));
    let second_sync = app.now();
    app.upload_ok(&busy, &[item(&busy.ticket(card.id, second_sync - TimeDelta::minutes(5)))]).await;
    assert!(second_sync > first_sync);
    let (_, venue_user) = app.user(Role::Venue(venue)).await;

    let devices: Vec<DeviceActivity> =
        app.get(&format!("/api/v1/venues/{venue}/devices"), Some(&venue_user)).await.json();
    let busy_row = devices.iter().find(|x| x.id == busy.id).expect("the busy device is listed");
    let idle_row = devices.iter().find(|x| x.id == idle.id).expect("the idle device is listed");
    assert_eq!((busy_row.redemptions, busy_row.last_sync), (3, Some(second_sync)));
    assert_eq!((idle_row.redemptions, idle_row.last_sync), (0, None));

    let (_, other_user) = app.user(Role::Venue(other)).await;
    app.get(&format!("/api/v1/venues/{venue}/devices"), Some(&other_user)).await.assert_error(403, "forbidden", &[]);
    app.get(&format!("/api/v1/venues/{venue}/devices"), Some(&busy.token)).await.assert_error(403, "forbidden", &[]);
    app.get("/api/v1/venues/9999/devices", Some(&app.admin)).await.assert_error(404, "not_found", &[]);
}
