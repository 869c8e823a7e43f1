//! The cross-tabulation of uses by background data: a cell of fewer than 5 cards is never
//! listed, for anyone; the cells left out are added up in `other`; below administrator the
//! counts are rounded to 5.

use kaiku_core::CardKind;
use kaiku_core::background::{Background, Gender, MotherTongue};
use kaiku_core::ids::{DistributorId, VenueId};
use kaiku_sync_server::disclosure::{Count, OtherCells, PublishedCell, PublishedCrossTab};
use kaiku_sync_server::stats::Dimension;
use kaiku_sync_server::store::Role;

use crate::helpers::{TestApp, background, date, noon, spawn_app};

/// 15 used personal cards and one community card (which has no background, so never shows):
///
/// | cards  | gender | mother tongue | uses each |
/// |--------|--------|---------------|-----------|
/// | F1-F3  | female | finnish       | 2         |
/// | F4-F5  | female | finnish       | 1         |
/// | F6     | female | swedish       | 1         |
/// | M1-M5  | male   | finnish       | 1         |
/// | M6-M7  | male   | swedish       | 1         |
/// | O1     | other  | sami          | 2         |
/// | O2     | other  | sami          | 1         |
///
/// By gender: female 6 cards / 9 uses, male 7 / 7, other 2 / 3.
/// By mother tongue: finnish 10 / 13, sami 2 / 3, swedish 3 / 3.
async fn cross_tab_dataset() -> (TestApp, DistributorId, VenueId) {
    let app = spawn_app().await;
    let region = app.region("North").await;
    let distributor = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Swimming hall").await;
    let device = app.device(venue).await;
    let people: [(Gender, MotherTongue, usize, u32); 7] = [
        (Gender::Female, MotherTongue::Finnish, 3, 2),
        (Gender::Female, MotherTongue::Finnish, 2, 1),
        (Gender::Female, MotherTongue::Swedish, 1, 1),
        (Gender::Male, MotherTongue::Finnish, 5, 1),
        (Gender::Male, MotherTongue::Swedish, 2, 1),
        (Gender::Other, MotherTongue::Sami, 1, 2),
        (Gender::Other, MotherTongue::Sami, 1, 1),
    ];
    let mut uses = Vec::new();
    for (gender, mother_tongue, cards, each) in people {
        for _ in 0..cards {
            let bg = Background { mother_tongue, ..background(1980, gender, 0) };
            let card = app.card(CardKind::Personal, distributor, date(2026, 1, 10), Some(bg)).await;
            for day in 0..each {
                uses.push(device.ticket(card.id, noon(date(2026, 3, 1 + day))));
            }
        }
    }
    let community = app.community_card(distributor, date(2026, 1, 10)).await.id;
    let member = app.personal_card(distributor, date(2026, 1, 10), 0).await.id;
    uses.push(device.group(community, noon(date(2026, 4, 1)), &[member], 0));
    app.redeem_via_store(&device, uses).await;
    (app, distributor, venue)
}

fn listed(key: &[&str], cards: Count, uses: Count) -> PublishedCell {
    PublishedCell { key: key.iter().map(|k| (*k).to_owned()).collect(), cards, uses }
}

fn n(v: u64) -> Count {
    Count::Number(v)
}

async fn cross_tab(app: &TestApp, token: &str, by: &str) -> PublishedCrossTab {
    let r = app.get(&format!("/api/v1/statistics/cross-tab?year=2026&by={by}"), Some(token)).await;
    assert_eq!(r.status, 200, "{by}: {}", r.text);
    r.json()
}

#[tokio::test]
async fn a_lone_small_cell_is_left_out_together_with_the_smallest_listed_cell() {
    let (app, _, _) = cross_tab_dataset().await;
    let t = cross_tab(&app, &app.admin, "gender").await;
    assert_eq!(
        (t.from, t.to, t.by.clone(), t.min_cell, t.rounded_to),
        (date(2026, 1, 1), date(2026, 12, 31), vec![Dimension::Gender], 5, 1)
    );
    // "other" (2 cards) is under 5: left out. Alone, `other` would be its counts under the one
    // gender not listed, so the smallest listed cell, "female" (6 cards), goes with it.
    assert_eq!(t.cells, vec![listed(&["male"], n(7), n(7))]);
    assert_eq!(t.other, OtherCells { cards: n(8), uses: n(12) });

    let r = app.get("/api/v1/statistics/cross-tab?year=2026&by=gender&format=csv", Some(&app.admin)).await;
    assert!(r.content_type().starts_with("text/csv"));
    assert_eq!(r.text, "gender,cards,uses\nmale,7,7\n(other),8,12\n");
}

#[tokio::test]
async fn two_or_more_small_cells_are_left_out_without_taking_a_listed_one() {
    let (app, _, _) = cross_tab_dataset().await;
    let t = cross_tab(&app, &app.admin, "mother_tongue").await;
    assert_eq!(t.cells, vec![listed(&["finnish"], n(10), n(13))]);
    assert_eq!(t.other, OtherCells { cards: n(5), uses: n(6) });

    let t = cross_tab(&app, &app.admin, "gender,mother_tongue").await;
    assert_eq!(t.cells, vec![listed(&["female", "finnish"], n(5), n(8)), listed(&["male", "finnish"], n(5), n(5))]);
    assert_eq!(t.other, OtherCells { cards: n(5), uses: n(6) });
    let r =
        app.get("/api/v1/statistics/cross-tab?year=2026&by=gender,mother_tongue&format=csv", Some(&app.admin)).await;
    assert_eq!(r.text, "gender,mother_tongue,cards,uses\nfemale,finnish,5,8\nmale,finnish,5,5\n(other),,5,6\n");
    for key in ["swedish", "sami", "other,"] {
        assert!(!r.text.contains(key), "{key} in\n{}", r.text);
    }
}

#[tokio::test]
async fn below_administrator_the_listed_cells_are_rounded_and_a_single_card_is_never_shown() {
    let (app, distributor, venue) = cross_tab_dataset().await;
    let (_, distributor_user) = app.user(Role::Distributor(distributor)).await;
    let (_, venue_user) = app.user(Role::Venue(venue)).await;
    for token in [&distributor_user, &venue_user] {
        let t = cross_tab(&app, token, "gender").await;
        // Male 7 / 7 is 5 / 5; the rest, 8 cards and 12 uses, both 10.
        assert_eq!(
            (t.cells, t.other, t.rounded_to),
            (vec![listed(&["male"], n(5), n(5))], OtherCells { cards: n(10), uses: n(10) }, 5)
        );
    }

    // Another distributor with one used card: nothing is listed, and its values are nowhere.
    let region = app.region("South").await;
    let small = app.distributor(region, "Parish").await;
    let venue2 = app.venue(Some(region), "Library").await;
    let device = app.device(venue2).await;
    let card = app.personal_card(small, date(2026, 2, 1), 0).await.id;
    app.redeem_via_store(&device, vec![device.ticket(card, noon(date(2026, 2, 2)))]).await;
    let (_, parish) = app.user(Role::Distributor(small)).await;
    let t = cross_tab(&app, &parish, "age_band,gender,postal_code").await;
    assert_eq!((t.cells, t.other), (vec![], OtherCells { cards: Count::FewerThanFive, uses: Count::FewerThanFive }));
    let path = "/api/v1/statistics/cross-tab?year=2026&by=age_band,gender,postal_code";
    for format in ["", "&format=csv"] {
        let text = app.get(&format!("{path}{format}"), Some(&parish)).await.text;
        for value in ["45-54", "female", "96100"] {
            assert!(!text.contains(value), "{value} in {text}");
        }
    }
}
