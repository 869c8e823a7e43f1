//! The differencing attacks of the register's review, carried out against a real server: a
//! venue or coordinator asking about a single day or two overlapping day ranges (refused), and
//! "a region minus its distributors" to isolate one card with a distinctive background
//! (it isolates nothing). No key of a cell left out appears in any answer, and the
//! administrator still gets exact figures.

use kaiku_core::CardKind;
use kaiku_core::background::{Background, Gender, PostalCode};
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use kaiku_sync_server::disclosure::{Count, PublishedCrossTab, PublishedStatistics};
use kaiku_sync_server::stats::Statistics;
use kaiku_sync_server::store::Role;
use serde_json::Value;

use crate::helpers::{TestApp, background, date, noon, spawn_app};

/// Region North: distributor A ("Social services") with 38 cards, distributor B ("Parish")
/// with one, all issued on 10 January 2026 and each used once in March at the swimming hall.
///
/// | cards | born | gender | postal code | age band in 2026 |
/// |-------|------|--------|-------------|------------------|
/// | 21    | 1980 | female | 96100       | 45-54            |
/// | 6     | 1980 | male   | 96100       | 45-54            |
/// | 6     | 1960 | female | 96100       | 65-74            |
/// | 2     | 1980 | other  | 96100       | 45-54            |
/// | 2     | 2005 | female | 96200       | 16-24            |
/// | 1     | 1990 | male   | 96300       | 35-44            |
///
/// B's card is `lone`: the distinctive one (born 1940, other, 99999: 75+) or an ordinary one.
struct Register {
    app: TestApp,
    region: RegionId,
    a: DistributorId,
    b: DistributorId,
    venue: VenueId,
}

fn person(birth_year: i32, gender: Gender, postal_code: &str) -> Background {
    Background {
        postal_code: PostalCode::parse(postal_code).expect("a postal code"),
        ..background(birth_year, gender, 0)
    }
}

fn distinctive() -> Background {
    person(1940, Gender::Other, "99999")
}

async fn register(lone: Background) -> Register {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let a = app.distributor(region, "Social services").await;
    let b = app.distributor(region, "Parish").await;
    let venue = app.venue(Some(region), "Swimming hall").await;
    let device = app.device(venue).await;
    let groups = [
        (21, person(1980, Gender::Female, "96100")),
        (6, person(1980, Gender::Male, "96100")),
        (6, person(1960, Gender::Female, "96100")),
        (2, person(1980, Gender::Other, "96100")),
        (2, person(2005, Gender::Female, "96200")),
        (1, person(1990, Gender::Male, "96300")),
    ];
    let mut uses = Vec::new();
    for (cards, bg) in groups {
        for _ in 0..cards {
            let card = app.card(CardKind::Personal, a, date(2026, 1, 10), Some(bg.clone())).await;
            uses.push(device.ticket(card.id, noon(date(2026, 3, 2 + uses.len() as u32 % 20))));
        }
    }
    let card = app.card(CardKind::Personal, b, date(2026, 1, 10), Some(lone)).await;
    uses.push(device.ticket(card.id, noon(date(2026, 3, 25))));
    app.redeem_via_store(&device, uses).await;
    Register { app, region, a, b, venue }
}

/// Every way to cross-tabulate the attacker would try: each dimension, and the three that make
/// the lone card distinctive together.
const TABLES: [&str; 6] =
    ["age_band", "gender", "postal_code", "mother_tongue", "life_situation", "age_band,gender,postal_code"];

async fn answer(app: &TestApp, token: &str, path: &str) -> String {
    let r = app.get(path, Some(token)).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    r.text
}

/// Every answer a user gets for `scope` in 2026: the statistics and each cross-tabulation, as
/// JSON and as CSV.
async fn answers(app: &TestApp, token: &str, scope: &str) -> Vec<(String, String)> {
    let mut paths = vec![format!("/api/v1/statistics?year=2026{scope}")];
    paths.extend(TABLES.map(|by| format!("/api/v1/statistics/cross-tab?year=2026&by={by}{scope}")));
    let mut out = Vec::new();
    for path in paths {
        for format in ["", "&format=csv"] {
            let path = format!("{path}{format}");
            out.push((path.clone(), answer(app, token, &path).await));
        }
    }
    out
}

#[tokio::test]
async fn a_single_day_or_overlapping_day_ranges_are_refused_below_administrator() {
    let r = register(distinctive()).await;
    let (_, coordinator) = r.app.user(Role::Coordinator(r.region)).await;
    let (_, venue) = r.app.user(Role::Venue(r.venue)).await;
    let (_, distributor) = r.app.user(Role::Distributor(r.b)).await;
    // The lone card's day; the first half of March and that plus one day.
    for period in ["from=2026-03-25&to=2026-03-25", "from=2026-03-01&to=2026-03-15", "from=2026-03-01&to=2026-03-16"] {
        for token in [&coordinator, &venue, &distributor] {
            for path in ["/api/v1/statistics", "/api/v1/statistics/cross-tab"] {
                let reply = r.app.get(&format!("{path}?{period}"), Some(token)).await;
                reply.assert_error(422, "period_not_whole_months", &["whole calendar months", "year="]);
            }
        }
    }
    // Whole months are answered: March, and March to April.
    for period in ["from=2026-03-01&to=2026-03-31", "from=2026-03-01&to=2026-04-30"] {
        let reply = r.app.get(&format!("/api/v1/statistics?{period}"), Some(&venue)).await;
        assert_eq!(reply.status, 200, "{period}: {}", reply.text);
    }
}

#[tokio::test]
async fn a_region_minus_its_big_distributor_leaves_nothing_of_the_lone_card() {
    let r = register(distinctive()).await;
    let (_, coordinator) = r.app.user(Role::Coordinator(r.region)).await;
    let get = |path: String| {
        let (app, token) = (&r.app, coordinator.clone());
        async move { answer(app, &token, &path).await }
    };
    // The statistics of the region and of A: the same in every figure but the ranking of the
    // distributors (which names B with "<5" cards, as B's own statistics do).
    let region: PublishedStatistics =
        serde_json::from_str(&get("/api/v1/statistics?year=2026".into()).await).expect("JSON");
    let a: PublishedStatistics =
        serde_json::from_str(&get(format!("/api/v1/statistics?year=2026&distributor={}", r.a)).await).expect("JSON");
    assert_eq!(region.cards_used, Count::Number(40), "39 cards");
    assert_eq!(a.cards_used, Count::Number(40), "38 cards");
    let without_ranking = |s: &PublishedStatistics| PublishedStatistics { per_distributor: vec![], ..s.clone() };
    assert_eq!(without_ranking(&region), without_ranking(&a), "region minus A is zero in every figure");
    let ranking: Vec<(&str, Count)> = region.per_distributor.iter().map(|d| (d.name.as_str(), d.count)).collect();
    assert_eq!(ranking, [("Social services", Count::Number(40)), ("Parish", Count::FewerThanFive)]);

    // Each cross-tabulation of the region is A's, cell for cell, and B's lists nothing.
    for by in TABLES {
        let table = |scope: String| get(format!("/api/v1/statistics/cross-tab?year=2026&by={by}{scope}"));
        let region: PublishedCrossTab = serde_json::from_str(&table(String::new()).await).expect("JSON");
        let a: PublishedCrossTab = serde_json::from_str(&table(format!("&distributor={}", r.a)).await).expect("JSON");
        let b: PublishedCrossTab = serde_json::from_str(&table(format!("&distributor={}", r.b)).await).expect("JSON");
        assert_eq!((&region.cells, region.other), (&a.cells, a.other), "by {by}: region minus A");
        assert!(b.cells.is_empty(), "by {by}: B's one card is never listed: {b:?}");
        assert_eq!(b.other.cards, Count::FewerThanFive, "by {by}");
    }
}

#[tokio::test]
async fn every_answer_is_the_same_whatever_the_lone_cards_background() {
    let odd = register(distinctive()).await;
    let plain = register(person(1980, Gender::Female, "96100")).await;
    let mut compared = 0;
    for r in [&odd, &plain] {
        assert_eq!((r.region, r.a, r.b, r.venue), (odd.region, odd.a, odd.b, odd.venue), "the same ids in both");
    }
    let scopes = [
        (Role::Coordinator(odd.region), String::new()),
        (Role::Coordinator(odd.region), format!("&distributor={}", odd.a)),
        (Role::Coordinator(odd.region), format!("&distributor={}", odd.b)),
        (Role::Coordinator(odd.region), format!("&venue={}", odd.venue)),
        (Role::Distributor(odd.b), String::new()),
        (Role::Venue(odd.venue), String::new()),
    ];
    for (role, scope) in scopes {
        let (_, in_odd) = odd.app.user(role).await;
        let (_, in_plain) = plain.app.user(role).await;
        let (seen_odd, seen_plain) =
            (answers(&odd.app, &in_odd, &scope).await, answers(&plain.app, &in_plain, &scope).await);
        for ((path, odd_text), (_, plain_text)) in seen_odd.iter().zip(&seen_plain) {
            assert_eq!(odd_text, plain_text, "{role:?} {path}: the answer tells the lone card's background");
            // No value of a cell left out appears anywhere: not the lone card's, not A's small groups'.
            for value in ["75+", "99999", "96200", "96300", "16-24", "35-44"] {
                assert!(!odd_text.contains(value), "{role:?} {path}: {value} in\n{odd_text}");
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 6 * 14, "every scope's statistics and six tables, as JSON and CSV");
}

#[tokio::test]
async fn the_administrator_still_gets_exact_figures_for_any_period() {
    let r = register(distinctive()).await;
    let admin = &r.app.admin;
    let s: Statistics = r.app.get("/api/v1/statistics?year=2026", Some(admin)).await.json();
    assert_eq!((s.cards_registered, s.cards_used, s.all.uses), (Some(39), 39, 39));
    let day: Statistics = r.app.get("/api/v1/statistics?from=2026-03-25&to=2026-03-25", Some(admin)).await.json();
    assert_eq!((day.cards_used, day.all.uses), (1, 1), "the lone card's day, exactly");

    let path = "/api/v1/statistics/cross-tab?year=2026&by=age_band,gender,postal_code";
    let t: Value = r.app.get(path, Some(admin)).await.value();
    assert_eq!(t["rounded_to"], 1);
    let cells: Vec<(String, u64)> = t["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| {
            (
                c["key"]
                    .as_array()
                    .expect("a key")
                    .iter()
                    .map(|k| k.as_str().unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join(" "),
                c["cards"].as_u64().expect("exact"),
            )
        })
        .collect();
    let expected = [("45-54 female 96100", 21), ("45-54 male 96100", 6), ("65-74 female 96100", 6)];
    assert_eq!(cells, expected.map(|(k, n)| (k.to_owned(), n)));
    // Left out even for the administrator: 2 + 2 + 1 of A's and the lone card, exactly.
    assert_eq!(t["other"]["cards"], 6, "{t}");
    let csv = r.app.get(&format!("{path}&format=csv"), Some(admin)).await.text;
    assert!(csv.ends_with("(other),,,6,6\n") && !csv.contains("99999"), "{csv}");
}
