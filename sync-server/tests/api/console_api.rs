//! The staff console's listings over HTTP: cards by search and page, a distributor's counts,
//! regions, distributors, venues and users, each as the caller's role and scope allow.

use kaiku_core::ids::{DistributorId, RegionId};
use kaiku_sync_server::routes::listing::CardList;
use kaiku_sync_server::store::{CardCounts, DistributorEntry, Listed, RegionEntry, Role, UserEntry, VenueEntry};
use serde_json::json;

use crate::helpers::{TestApp, date, spawn_app};

/// The IDs of a card listing, in the order given.
fn ids(list: &CardList) -> Vec<String> {
    list.cards.iter().map(|c| c.card.id.to_string()).collect()
}

async fn cards(app: &TestApp, query: &str, token: &str) -> CardList {
    let r = app.get(&format!("/api/v1/cards{query}"), Some(token)).await;
    assert_eq!(r.status, 200, "GET /cards{query}: {}", r.text);
    r.json()
}

/// Region North with distributors `own` (3 cards) and `other` (2), region South with `far` (1).
struct Register {
    north: RegionId,
    own: DistributorId,
    other: DistributorId,
    far: DistributorId,
    own_cards: Vec<String>,
}

async fn register(app: &TestApp) -> Register {
    let (north, south) = (app.region("North").await, app.region("South").await);
    let own = app.distributor(north, "Social services").await;
    let other = app.distributor(north, "Settlement").await;
    let far = app.distributor(south, "Parish").await;
    let mut own_cards = Vec::new();
    for _ in 0..3 {
        own_cards.push(app.personal_card(own, date(2026, 3, 1), 1).await.id.to_string());
    }
    for d in [other, other, far] {
        app.personal_card(d, date(2026, 3, 1), 0).await;
    }
    Register { north, own, other, far, own_cards }
}

#[tokio::test]
async fn a_distributor_lists_its_own_cards_and_is_refused_another_distributors() {
    let app = spawn_app().await;
    let w = register(&app).await;
    let (_, distributor) = app.user(Role::Distributor(w.own)).await;

    let mine = cards(&app, "", &distributor).await;
    assert_eq!(ids(&mine), w.own_cards);
    assert_eq!(mine.total, 3);
    assert!(mine.cards.iter().all(|c| c.card.distributor == w.own && c.background.is_some()));
    assert_eq!(cards(&app, &format!("?distributor={}", w.own), &distributor).await.total, 3);

    app.get(&format!("/api/v1/cards?distributor={}", w.other), Some(&distributor)).await.assert_error(
        403,
        "forbidden",
        &["another distributor"],
    );
    let looked_up = cards(&app, &format!("?id={}", w.own_cards[0]), &distributor).await;
    assert_eq!(ids(&looked_up), vec![w.own_cards[0].clone()]);
}

#[tokio::test]
async fn a_coordinator_sees_its_regions_cards_an_admin_all_and_a_venue_none() {
    let app = spawn_app().await;
    let w = register(&app).await;
    let (_, coordinator) = app.user(Role::Coordinator(w.north)).await;

    let region = cards(&app, "", &coordinator).await;
    assert_eq!(region.total, 5, "three of one distributor and two of the other");
    assert!(region.cards.iter().all(|c| c.card.region == w.north));
    assert_eq!(cards(&app, &format!("?distributor={}", w.other), &coordinator).await.total, 2);
    app.get(&format!("/api/v1/cards?distributor={}", w.far), Some(&coordinator)).await.assert_error(
        403,
        "forbidden",
        &[],
    );
    assert_eq!(cards(&app, "", &app.admin).await.total, 6);
    assert_eq!(cards(&app, &format!("?distributor={}", w.far), &app.admin).await.total, 1);

    let venue = app.venue(Some(w.north), "Theatre").await;
    let (_, venue_user) = app.user(Role::Venue(venue)).await;
    app.get("/api/v1/cards", Some(&venue_user)).await.assert_error(403, "forbidden", &["no card listing"]);
    let device = app.device(venue).await;
    app.get("/api/v1/cards", Some(&device.token)).await.assert_error(403, "forbidden", &[]);
}

#[tokio::test]
async fn paging_through_cards_gives_each_card_once_in_id_order() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let d = app.distributor(region, "Social services").await;
    let mut all = Vec::new();
    for _ in 0..7 {
        all.push(app.community_card(d, date(2026, 2, 1)).await.id.to_string());
    }
    all.sort();

    let mut seen = Vec::new();
    let mut cursor = String::new();
    let mut pages = Vec::new();
    loop {
        let page = cards(&app, &format!("?limit=3{cursor}"), &app.admin).await;
        assert_eq!(page.total, 7, "every page says how many match in all");
        pages.push(page.cards.len());
        seen.extend(ids(&page));
        match page.next_cursor {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pages, vec![3, 3, 1]);
    assert_eq!(seen, all, "no card twice, none left out, in card ID order");
}

#[tokio::test]
async fn cards_are_found_by_id_prefix_status_and_validity() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let d = app.distributor(region, "Social services").await;
    let old = app.personal_card(d, date(2025, 5, 1), 0).await; // twelve months: ended by June 2026
    let current = app.personal_card(d, date(2026, 3, 1), 0).await;
    let revoked = app.personal_card(d, date(2026, 3, 1), 0).await;
    let r =
        app.post(&format!("/api/v1/cards/{}/revoke", revoked.id), Some(&app.admin), json!({"reason": "lost"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(old.valid_until < date(2026, 6, 15) && current.valid_until > date(2026, 12, 31));

    assert_eq!(ids(&cards(&app, "?status=active", &app.admin).await), vec![current.id.to_string()]);
    assert_eq!(ids(&cards(&app, "?status=revoked", &app.admin).await), vec![revoked.id.to_string()]);
    assert_eq!(ids(&cards(&app, "?status=expired", &app.admin).await), vec![old.id.to_string()]);
    assert_eq!(
        ids(&cards(&app, "?status=active&on=2026-01-10", &app.admin).await),
        vec![old.id.to_string()],
        "before March only the old"
    );
    // The day after the old card ended, before the revocation: the other two were active.
    let after_old = old.valid_until + chrono::TimeDelta::days(1);
    let mut then_active = vec![current.id.to_string(), revoked.id.to_string()];
    then_active.sort();
    let q = format!("?status=active&on={after_old}");
    assert_eq!(ids(&cards(&app, &q, &app.admin).await), then_active, "revoked only on {}", app.now().date_naive());
    let q = format!("?status=revoked&on={after_old}");
    assert!(ids(&cards(&app, &q, &app.admin).await).is_empty());
    let q = format!("?valid_on={after_old}");
    assert_eq!(ids(&cards(&app, &q, &app.admin).await), then_active, "valid_on judges the card as it stood");
    assert_eq!(ids(&cards(&app, "?expires_before=2026-12-31", &app.admin).await), vec![old.id.to_string()]);

    let id = current.id.to_string();
    let prefix = &id[..id.len() - 1];
    let by_prefix = ids(&cards(&app, &format!("?id_prefix={}", prefix.to_lowercase()), &app.admin).await);
    assert!(by_prefix.contains(&id) && by_prefix.iter().all(|c| c.starts_with(prefix)), "{by_prefix:?}");
    assert_eq!(ids(&cards(&app, &format!("?id={id}"), &app.admin).await), vec![id.clone()]);
    assert!(ids(&cards(&app, "?id_prefix=Z", &app.admin).await).is_empty());
}

#[tokio::test]
async fn bad_card_queries_are_refused_saying_what_is_wrong() {
    let app = spawn_app().await;
    for (query, says) in [
        ("limit=0", "limit must be 1 to 200"),
        ("limit=500", "limit must be 1 to 200"),
        ("limit=-1", "limit"),
        ("status=lost", "status"),
        ("id=A12", "id 'A12'"),
        ("id_prefix=A-1", "id_prefix must be"),
        ("on=2026-01-01", "give status too"),
        ("valid_on=yesterday", "valid_on"),
        ("colour=blue", "colour"),
    ] {
        app.get(&format!("/api/v1/cards?{query}"), Some(&app.admin)).await.assert_error(400, "invalid_query", &[says]);
    }
}

#[tokio::test]
async fn a_distributor_sees_its_years_counts() {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let d = app.distributor(region, "Social services").await;
    let other = app.distributor(region, "Settlement").await;
    app.personal_card(d, date(2025, 7, 1), 0).await; // last year, expires 2026-06-30: within 30 days
    app.personal_card(d, date(2026, 1, 10), 0).await;
    let revoked = app.personal_card(d, date(2026, 2, 10), 0).await;
    app.personal_card(other, date(2026, 2, 10), 0).await;
    let r =
        app.post(&format!("/api/v1/cards/{}/revoke", revoked.id), Some(&app.admin), json!({"reason": "lost"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (_, distributor) = app.user(Role::Distributor(d)).await;

    let counts: CardCounts = app.get("/api/v1/card-counts", Some(&distributor)).await.json();
    assert_eq!(
        (counts.year, counts.handed_out, counts.active, counts.revoked, counts.expiring_soon),
        (2026, 2, 2, 1, 1)
    );
    let last_year: CardCounts = app.get("/api/v1/card-counts?year=2025", Some(&distributor)).await.json();
    assert_eq!((last_year.handed_out, last_year.revoked), (1, 0));
    app.get(&format!("/api/v1/card-counts?distributor={other}"), Some(&distributor)).await.assert_error(
        403,
        "forbidden",
        &[],
    );
    app.get("/api/v1/card-counts", Some(&app.admin)).await.assert_error(400, "invalid_query", &["distributor"]);
}

#[tokio::test]
async fn organisations_are_listed_for_an_admin_and_for_a_coordinator_only_its_region() {
    let app = spawn_app().await;
    let (north, south) = (app.region("North").await, app.region("South").await);
    let d1 = app.distributor(north, "Social services").await;
    app.distributor(south, "Parish").await;
    let v1 = app.venue(Some(north), "Theatre").await;
    app.venue(None, "Pop-up festival").await;
    let (_, coordinator) = app.user(Role::Coordinator(north)).await;

    let regions: Vec<RegionEntry> = app.get("/api/v1/regions", Some(&app.admin)).await.json();
    assert_eq!(regions.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["North", "South"]);
    let own: Vec<RegionEntry> = app.get("/api/v1/regions", Some(&coordinator)).await.json();
    assert_eq!(own, vec![RegionEntry { id: north, name: "North".into() }]);

    let all: Listed<DistributorEntry> = app.get("/api/v1/distributors", Some(&app.admin)).await.json();
    assert_eq!(all.total, 2);
    let mine: Listed<DistributorEntry> = app.get("/api/v1/distributors", Some(&coordinator)).await.json();
    assert_eq!(mine.items, vec![DistributorEntry { id: d1, region: north, name: "Social services".into() }]);
    app.get(&format!("/api/v1/distributors?region={south}"), Some(&coordinator)).await.assert_error(
        403,
        "forbidden",
        &[],
    );

    let venues: Listed<VenueEntry> = app.get("/api/v1/venues?limit=1", Some(&app.admin)).await.json();
    assert_eq!((venues.total, venues.items.len()), (2, 1), "one page of one, of two venues");
    let second: Listed<VenueEntry> = app.get("/api/v1/venues?limit=1&offset=1", Some(&app.admin)).await.json();
    assert_eq!(second.items[0].region, None, "the pop-up venue comes second");
    let region_venues: Listed<VenueEntry> = app.get("/api/v1/venues", Some(&coordinator)).await.json();
    assert_eq!(region_venues.items.iter().map(|v| v.id).collect::<Vec<_>>(), vec![v1]);

    let (_, distributor) = app.user(Role::Distributor(d1)).await;
    for path in ["/api/v1/regions", "/api/v1/distributors", "/api/v1/venues", "/api/v1/users"] {
        app.get(path, Some(&distributor)).await.assert_error(403, "forbidden", &[]);
    }
    app.get("/api/v1/venues?limit=201", Some(&app.admin)).await.assert_error(400, "invalid_query", &["limit"]);
}

#[tokio::test]
async fn users_are_listed_with_username_and_sign_in_state_and_a_coordinator_sees_its_regions() {
    let app = spawn_app().await;
    let (north, south) = (app.region("North").await, app.region("South").await);
    let d1 = app.distributor(north, "Social services").await;
    let v1 = app.venue(Some(north), "Theatre").await;
    let far = app.distributor(south, "Parish").await;
    let (coordinator_id, coordinator) = app.user(Role::Coordinator(north)).await;
    let (token_user, _) = app.user(Role::Venue(v1)).await;
    let (far_user, _) = app.user(Role::Distributor(far)).await;
    let invited = app
        .post(
            "/api/v1/users/invitations",
            Some(&coordinator),
            json!({"role": "distributor", "scope": d1, "label": "Sari"}),
        )
        .await;
    assert_eq!(invited.status, 201, "{}", invited.text);
    let code = invited.value()["code"].as_str().expect("an invitation code").to_owned();
    let accepted = app
        .post(
            "/api/v1/auth/accept-invitation",
            None,
            json!({"code": code, "username": "sari.k", "password": "a long enough password"}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert_eq!(app.post(&format!("/api/v1/users/{token_user}/revoke"), Some(&app.admin), json!({})).await.status, 204);

    let region: Listed<UserEntry> = app.get("/api/v1/users", Some(&coordinator)).await.json();
    assert_eq!(region.total, 2, "the venue user and the invited distributor user: {:?}", region.items);
    let sari = region.items.iter().find(|u| u.label == "Sari").expect("the invited user is listed");
    assert_eq!((sari.role, sari.username.as_deref(), sari.can_sign_in), (Role::Distributor(d1), Some("sari.k"), true));
    let revoked = region.items.iter().find(|u| u.id == token_user).expect("the token user is listed");
    assert!(revoked.revoked && !revoked.can_sign_in && revoked.username.is_none());
    assert!(region.items.iter().all(|u| u.id != coordinator_id && u.id != far_user));

    let all: Listed<UserEntry> = app.get("/api/v1/users", Some(&app.admin)).await.json();
    assert!(all.items.iter().any(|u| u.id == far_user) && all.items.iter().any(|u| u.role == Role::Admin));
    let text = app.get("/api/v1/users", Some(&app.admin)).await.text;
    assert!(!text.contains("hash") && !text.contains("secret"), "no secret is ever listed: {text}");
}

#[tokio::test]
async fn every_console_route_is_in_the_openapi_document_beside_the_routes_sharing_its_path() {
    let app = spawn_app().await;
    let doc = app.get("/api/v1/openapi.json", None).await.value();
    let paths = &doc["paths"];
    let path = |p: &str| if paths.get(p).is_some() { paths[p].clone() } else { paths[format!("/api/v1{p}")].clone() };
    for (p, methods) in [
        ("/cards", &["get", "post"][..]),
        ("/card-counts", &["get"]),
        ("/regions", &["get", "post"]),
        ("/distributors", &["get", "post"]),
        ("/venues", &["get", "post"]),
        ("/users", &["get", "post"]),
        ("/offers", &["get"]),
        ("/offers/{id}", &["patch"]),
        ("/offers/{id}/close", &["post"]),
        ("/venues/{id}/devices", &["get"]),
        ("/venues/{id}/uses", &["get"]),
    ] {
        for m in methods {
            assert!(path(p)[m]["operationId"].is_string(), "{m} {p} is not documented: {}", path(p));
        }
    }
}
