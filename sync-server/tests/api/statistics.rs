//! Statistics against a small dataset whose figures are worked out by hand below, for each
//! scope (admin, region, distributor, venue), as JSON and CSV; and the small-cell suppression
//! of the cross-tabulation.

use chrono::TimeDelta;
use kaiku_core::CardKind;
use kaiku_core::background::{Background, Gender, MotherTongue};
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use kaiku_sync_server::stats::{Cell, CrossTab, Dimension, Frequency, MonthUses, Ranked, Statistics, UseCounts};
use kaiku_sync_server::store::Role;

use crate::helpers::{TestApp, background, date, noon, spawn_app};

/// The dataset, 2026 (plus one use in 2025 that the 2026 figures must leave out):
///
/// Regions North (distributors Social services, Settlement; venues Swimming hall, City
/// theatre) and South (distributor Parish; venue "Opisto, adult college").
///
/// | card | distributor     | issued     | valid until | minors |
/// |------|-----------------|------------|-------------|--------|
/// | P1   | Social services | 2026-02-01 | 2027-02-01  | 2      |
/// | P2   | Social services | 2026-03-01 | 2027-03-01  | 0      |
/// | P3   | Social services | 2025-06-01 | 2026-06-01  | 0      |
/// | C1   | Social services | 2026-01-10 | (community) |        |
/// | P8   | Social services | 2026-10-01 | 2027-10-01  | 0      | never used
/// | P4   | Settlement      | 2026-04-01 | 2027-04-01  | 1      |
/// | P5   | Settlement      | 2024-01-01 | 2025-01-01  | 0      | never valid in 2026
/// | P6   | Parish          | 2026-05-05 | 2027-05-05  | 0      |
/// | P7   | Parish          | 2026-07-07 | 2027-07-07  | 0      |
///
/// Uses (ticket for one adult unless said):
/// - P1: Swimming hall x4 (children 2, 1, 0, 0), City theatre x2, Opisto x1 (children 2) = 7
/// - P2: Swimming hall x1, City theatre x2 course places = 3
/// - P3: Swimming hall x2 in 2026 (and x1 on 2025-12-20) = 2
/// - C1: City theatre x2: group [P2] with 1 child (2 adults), group [P4, P6] (3 adults) = 2
/// - P4: Swimming hall x1 (1 child) = 1
/// - P6: Opisto x1 = 1
/// - P7: Swimming hall x6 (a card of South used in North) = 6
struct Dataset {
    app: TestApp,
    north: RegionId,
    south: RegionId,
    social: DistributorId,
    settlement: DistributorId,
    parish: DistributorId,
    swimming: VenueId,
    theatre: VenueId,
    opisto: VenueId,
}

async fn dataset() -> Dataset {
    let app = spawn_app().await;
    app.advance(TimeDelta::days(210)); // January 2027: the year is over.
    let north = app.region("North").await;
    let south = app.region("South").await;
    let social = app.distributor(north, "Social services").await;
    let settlement = app.distributor(north, "Settlement").await;
    let parish = app.distributor(south, "Parish").await;
    let swimming = app.venue(Some(north), "Swimming hall").await;
    let theatre = app.venue(Some(north), "City theatre").await;
    let opisto = app.venue(Some(south), "Opisto, adult college").await;

    let p1 = app.personal_card(social, date(2026, 2, 1), 2).await.id;
    let p2 = app.personal_card(social, date(2026, 3, 1), 0).await.id;
    let p3 = app.personal_card(social, date(2025, 6, 1), 0).await.id;
    let c1 = app.community_card(social, date(2026, 1, 10)).await.id;
    let _p8 = app.personal_card(social, date(2026, 10, 1), 0).await.id;
    let p4 = app.personal_card(settlement, date(2026, 4, 1), 1).await.id;
    let _p5 = app.personal_card(settlement, date(2024, 1, 1), 0).await.id;
    let p6 = app.personal_card(parish, date(2026, 5, 5), 0).await.id;
    let p7 = app.personal_card(parish, date(2026, 7, 7), 0).await.id;

    let day = |m: u32, d: u32| noon(date(2026, m, d));
    let pool = app.device(swimming).await;
    let mut at_pool = vec![
        pool.with_children(p1, day(2, 10), 2),
        pool.with_children(p1, day(3, 10), 1),
        pool.ticket(p1, day(4, 10)),
        pool.ticket(p1, day(5, 10)),
        pool.ticket(p2, day(3, 15)),
        pool.ticket(p3, noon(date(2025, 12, 20))),
        pool.ticket(p3, day(1, 15)),
        pool.ticket(p3, day(2, 15)),
        pool.with_children(p4, day(4, 20), 1),
    ];
    at_pool.extend((10..16).map(|d| pool.ticket(p7, day(7, d))));
    app.redeem_via_store(&pool, at_pool).await;

    let stage = app.device(theatre).await;
    let at_theatre = vec![
        stage.ticket(p1, day(6, 10)),
        stage.ticket(p1, day(7, 10)),
        stage.course_place(p2, day(9, 1)),
        stage.course_place(p2, day(9, 8)),
        stage.group(c1, day(3, 20), &[p2], 1),
        stage.group(c1, day(10, 20), &[p4, p6], 0),
    ];
    app.redeem_via_store(&stage, at_theatre).await;

    let college = app.device(opisto).await;
    app.redeem_via_store(&college, vec![college.with_children(p1, day(8, 10), 2), college.ticket(p6, day(6, 6))]).await;

    Dataset { app, north, south, social, settlement, parish, swimming, theatre, opisto }
}

fn ranked(id: impl Into<u32>, name: &str, count: u64) -> Ranked {
    Ranked { id: id.into(), name: name.into(), count }
}

/// Uses, adults and children of each month of 2026, January first.
fn months_2026(figures: [(u64, u64, u64); 12]) -> Vec<MonthUses> {
    (1..=12)
        .zip(figures)
        .map(|(m, (uses, adults, children))| MonthUses { month: format!("2026-{m:02}"), uses, adults, children })
        .collect()
}

/// The CSV rows of `months`: each figure's months in turn.
fn month_rows(months: &[MonthUses]) -> String {
    let mut out = String::new();
    for (figure, value) in [
        ("uses_per_month", (|m: &MonthUses| m.uses) as fn(&MonthUses) -> u64),
        ("adults_per_month", |m| m.adults),
        ("children_per_month", |m| m.children),
    ] {
        for m in months {
            out.push_str(&format!("{figure},{},{}\n", m.month, value(m)));
        }
    }
    out
}

fn year_2026() -> (chrono::NaiveDate, chrono::NaiveDate) {
    (date(2026, 1, 1), date(2026, 12, 31))
}

async fn statistics(app: &TestApp, token: &str, query: &str) -> Statistics {
    let r = app.get(&format!("/api/v1/statistics?year=2026{query}"), Some(token)).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    assert!(r.content_type().starts_with("application/json"));
    r.json()
}

async fn csv(app: &TestApp, token: &str, query: &str) -> String {
    let r = app.get(&format!("/api/v1/statistics?year=2026&format=csv{query}"), Some(token)).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    assert!(r.content_type().starts_with("text/csv"), "{}", r.content_type());
    r.text
}

#[tokio::test]
async fn the_administrator_sees_the_hand_computed_national_figures() {
    let d = dataset().await;
    let (from, to) = year_2026();
    let expected = Statistics {
        from,
        to,
        // Issued in 2026: P1 P2 C1 P8 P4 P6 P7.
        cards_registered: Some(7),
        // Valid on a day of 2026: those and P3; not P5.
        cards_valid: Some(8),
        // Used in 2026: all but P8 (and P5).
        cards_used: 7,
        usage_rate_percent: Some(87.5),
        all: UseCounts { uses: 22, adults: 25, children: 7 },
        community: UseCounts { uses: 2, adults: 5, children: 1 },
        course_places: 2,
        per_venue: vec![
            ranked(d.swimming.0, "Swimming hall", 14),
            ranked(d.theatre.0, "City theatre", 6),
            ranked(d.opisto.0, "Opisto, adult college", 2),
        ],
        per_distributor: vec![
            ranked(d.social.0, "Social services", 4),
            ranked(d.parish.0, "Parish", 2),
            ranked(d.settlement.0, "Settlement", 1),
        ],
        // Once: P4 P6; twice: P3 C1; 3-5: P2; more than 5: P1 (7) and P7 (6).
        frequency: Frequency { once: 2, twice: 2, three_to_five: 1, more_than_five: 2 },
        // January P3; February P1 (2 children) P3; March P1 (1 child) P2 C1 (2 adults, 1 child);
        // April P1 P4 (1 child); May P1; June P1 P6; July P7 x6 P1; August P1 (2 children);
        // September P2 x2; October C1 (3 adults); nothing in November and December.
        per_month: months_2026([
            (1, 1, 0),
            (2, 2, 2),
            (3, 4, 2),
            (2, 2, 1),
            (1, 1, 0),
            (2, 2, 0),
            (7, 7, 0),
            (1, 1, 2),
            (2, 2, 0),
            (1, 3, 0),
            (0, 0, 0),
            (0, 0, 0),
        ]),
    };
    assert_eq!(statistics(&d.app, &d.app.admin, "").await, expected);

    let expected_csv = "\
figure,name,value
period,from,2026-01-01
period,to,2026-12-31
cards,registered,7
cards,valid,8
cards,used,7
cards,usage_rate_percent,87.5
all,uses,22
all,adults,25
all,children,7
community,uses,2
community,adults,5
community,children,1
all,course_places,2
{months}uses_per_venue,Swimming hall,14
uses_per_venue,City theatre,6
uses_per_venue,\"Opisto, adult college\",2
cards_per_distributor,Social services,4
cards_per_distributor,Parish,2
cards_per_distributor,Settlement,1
cards_by_uses,1,2
cards_by_uses,2,2
cards_by_uses,3-5,1
cards_by_uses,>5,2
"
    .replace("{months}", &month_rows(&expected.per_month));
    assert_eq!(csv(&d.app, &d.app.admin, "").await, expected_csv);
}

#[tokio::test]
async fn a_region_sees_the_uses_of_its_own_cards_wherever_they_were_used() {
    let d = dataset().await;
    let (from, to) = year_2026();
    let north = Statistics {
        from,
        to,
        // North's cards: P1 P2 P3 C1 P8 P4 P5. Issued in 2026: P1 P2 C1 P8 P4.
        cards_registered: Some(5),
        cards_valid: Some(6),
        cards_used: 5,
        // 5 / 6 = 83.33 %.
        usage_rate_percent: Some(83.3),
        all: UseCounts { uses: 15, adults: 18, children: 7 },
        community: UseCounts { uses: 2, adults: 5, children: 1 },
        course_places: 2,
        per_venue: vec![
            ranked(d.swimming.0, "Swimming hall", 8),
            ranked(d.theatre.0, "City theatre", 6),
            ranked(d.opisto.0, "Opisto, adult college", 1),
        ],
        per_distributor: vec![ranked(d.social.0, "Social services", 4), ranked(d.settlement.0, "Settlement", 1)],
        frequency: Frequency { once: 1, twice: 2, three_to_five: 1, more_than_five: 1 },
        // The national months without South's P6 (June) and P7 (July).
        per_month: months_2026([
            (1, 1, 0),
            (2, 2, 2),
            (3, 4, 2),
            (2, 2, 1),
            (1, 1, 0),
            (1, 1, 0),
            (1, 1, 0),
            (1, 1, 2),
            (2, 2, 0),
            (1, 3, 0),
            (0, 0, 0),
            (0, 0, 0),
        ]),
    };
    let (_, coordinator) = d.app.user(Role::Coordinator(d.north)).await;
    assert_eq!(statistics(&d.app, &coordinator, "").await, north);
    assert_eq!(statistics(&d.app, &d.app.admin, &format!("&region={}", d.north)).await, north);

    let south = Statistics {
        from,
        to,
        cards_registered: Some(2),
        cards_valid: Some(2),
        cards_used: 2,
        usage_rate_percent: Some(100.0),
        all: UseCounts { uses: 7, adults: 7, children: 0 },
        community: UseCounts::default(),
        course_places: 0,
        per_venue: vec![ranked(d.swimming.0, "Swimming hall", 6), ranked(d.opisto.0, "Opisto, adult college", 1)],
        per_distributor: vec![ranked(d.parish.0, "Parish", 2)],
        frequency: Frequency { once: 1, twice: 0, three_to_five: 0, more_than_five: 1 },
        per_month: months_2026([
            (0, 0, 0),
            (0, 0, 0),
            (0, 0, 0),
            (0, 0, 0),
            (0, 0, 0),
            (1, 1, 0),
            (6, 6, 0),
            (0, 0, 0),
            (0, 0, 0),
            (0, 0, 0),
            (0, 0, 0),
            (0, 0, 0),
        ]),
    };
    let (_, coordinator) = d.app.user(Role::Coordinator(d.south)).await;
    assert_eq!(statistics(&d.app, &coordinator, "").await, south);

    let csv = csv(&d.app, &coordinator, "").await;
    assert!(csv.contains("cards,usage_rate_percent,100.0\n"), "{csv}");
    assert!(csv.contains("uses_per_venue,Swimming hall,6\n"), "{csv}");
}

#[tokio::test]
async fn a_distributor_sees_the_figures_of_the_cards_it_handed_out() {
    let d = dataset().await;
    let (from, to) = year_2026();
    let expected = Statistics {
        from,
        to,
        // P1 P2 C1 P8 issued in 2026; P3 valid too; used: P1 P2 P3 C1.
        cards_registered: Some(4),
        cards_valid: Some(5),
        cards_used: 4,
        usage_rate_percent: Some(80.0),
        all: UseCounts { uses: 14, adults: 17, children: 6 },
        community: UseCounts { uses: 2, adults: 5, children: 1 },
        course_places: 2,
        per_venue: vec![
            ranked(d.swimming.0, "Swimming hall", 7),
            ranked(d.theatre.0, "City theatre", 6),
            ranked(d.opisto.0, "Opisto, adult college", 1),
        ],
        per_distributor: vec![ranked(d.social.0, "Social services", 4)],
        frequency: Frequency { once: 0, twice: 2, three_to_five: 1, more_than_five: 1 },
        // North's months without Settlement's P4 (April).
        per_month: months_2026([
            (1, 1, 0),
            (2, 2, 2),
            (3, 4, 2),
            (1, 1, 0),
            (1, 1, 0),
            (1, 1, 0),
            (1, 1, 0),
            (1, 1, 2),
            (2, 2, 0),
            (1, 3, 0),
            (0, 0, 0),
            (0, 0, 0),
        ]),
    };
    let (_, distributor) = d.app.user(Role::Distributor(d.social)).await;
    assert_eq!(statistics(&d.app, &distributor, "").await, expected);
    let (_, coordinator) = d.app.user(Role::Coordinator(d.north)).await;
    assert_eq!(statistics(&d.app, &coordinator, &format!("&distributor={}", d.social)).await, expected);

    let csv = csv(&d.app, &distributor, "").await;
    for line in [
        "cards,registered,4\n",
        "cards,usage_rate_percent,80.0\n",
        "all,children,6\n",
        "cards_per_distributor,Social services,4\n",
        "cards_by_uses,1,0\n",
    ] {
        assert!(csv.contains(line), "{line:?} missing from\n{csv}");
    }
}

#[tokio::test]
async fn a_venue_sees_every_use_at_the_venue_and_no_card_counts() {
    let d = dataset().await;
    let (from, to) = year_2026();
    let expected = Statistics {
        from,
        to,
        cards_registered: None,
        cards_valid: None,
        // P1 (4 uses here), P2 (1), P3 (2), P4 (1), P7 (6).
        cards_used: 5,
        usage_rate_percent: None,
        all: UseCounts { uses: 14, adults: 14, children: 4 },
        community: UseCounts::default(),
        course_places: 0,
        per_venue: vec![ranked(d.swimming.0, "Swimming hall", 14)],
        per_distributor: vec![],
        frequency: Frequency { once: 2, twice: 1, three_to_five: 1, more_than_five: 1 },
        // The pool's uses only: P3; P1 P3; P1 P2; P1 P4; P1; none; P7 x6.
        per_month: months_2026([
            (1, 1, 0),
            (2, 2, 2),
            (2, 2, 1),
            (2, 2, 1),
            (1, 1, 0),
            (0, 0, 0),
            (6, 6, 0),
            (0, 0, 0),
            (0, 0, 0),
            (0, 0, 0),
            (0, 0, 0),
            (0, 0, 0),
        ]),
    };
    let (_, venue) = d.app.user(Role::Venue(d.swimming)).await;
    assert_eq!(statistics(&d.app, &venue, "").await, expected);
    assert_eq!(statistics(&d.app, &d.app.admin, &format!("&venue={}", d.swimming)).await, expected);

    let expected_csv = "\
figure,name,value
period,from,2026-01-01
period,to,2026-12-31
cards,registered,
cards,valid,
cards,used,5
cards,usage_rate_percent,
all,uses,14
all,adults,14
all,children,4
community,uses,0
community,adults,0
community,children,0
all,course_places,0
{months}uses_per_venue,Swimming hall,14
cards_by_uses,1,2
cards_by_uses,2,1
cards_by_uses,3-5,1
cards_by_uses,>5,1
"
    .replace("{months}", &month_rows(&expected.per_month));
    assert_eq!(csv(&d.app, &venue, "").await, expected_csv);
}

#[tokio::test]
async fn a_date_range_counts_only_the_days_in_it() {
    let d = dataset().await;
    let r = d.app.get("/api/v1/statistics?from=2025-12-01&to=2025-12-31", Some(&d.app.admin)).await;
    let s: Statistics = r.json();
    // Only P3's use on 2025-12-20; P3 is the only card valid then (P5 ended 2025-01-01).
    assert_eq!((s.cards_registered, s.cards_valid, s.cards_used), (Some(0), Some(1), 1));
    assert_eq!(s.usage_rate_percent, Some(100.0));
    assert_eq!(s.all, UseCounts { uses: 1, adults: 1, children: 0 });
    assert_eq!(s.per_venue, vec![ranked(d.swimming.0, "Swimming hall", 1)]);
    assert_eq!(s.frequency, Frequency { once: 1, ..Frequency::default() });
}

#[tokio::test]
async fn uses_per_month_cover_every_month_of_a_range_across_the_new_year_with_zeros_where_none() {
    let d = dataset().await;
    let r = d.app.get("/api/v1/statistics?from=2025-12-15&to=2026-03-05", Some(&d.app.admin)).await;
    let s: Statistics = r.json();
    let month = |month: &str, uses, adults, children| MonthUses { month: month.into(), uses, adults, children };
    // P3 on 2025-12-20; P3 in January; P1 (2 children) and P3 in February; none by 5 March.
    assert_eq!(
        s.per_month,
        vec![
            month("2025-12", 1, 1, 0),
            month("2026-01", 1, 1, 0),
            month("2026-02", 2, 2, 2),
            month("2026-03", 0, 0, 0)
        ]
    );
    let r = d.app.get("/api/v1/statistics?from=2025-12-15&to=2026-03-05&format=csv", Some(&d.app.admin)).await;
    for line in ["uses_per_month,2025-12,1\n", "children_per_month,2026-02,2\n", "adults_per_month,2026-03,0\n"] {
        assert!(r.text.contains(line), "{line:?} missing from\n{}", r.text);
    }
    // One day's month only: P7 at the pool and P1 at the theatre on 10 July.
    let r = d.app.get("/api/v1/statistics?from=2026-07-10&to=2026-07-10", Some(&d.app.admin)).await;
    assert_eq!(r.json::<Statistics>().per_month, vec![month("2026-07", 2, 2, 0)]);
}

#[tokio::test]
async fn the_openapi_document_describes_the_uses_per_month() {
    let app = spawn_app().await;
    let doc = app.get("/api/v1/openapi.json", None).await.value();
    let month = &doc["components"]["schemas"]["MonthUses"];
    for field in ["month", "uses", "adults", "children"] {
        assert!(month["properties"][field].is_object(), "MonthUses.{field} in {month}");
    }
    let per_month = &doc["components"]["schemas"]["Statistics"]["properties"]["per_month"];
    assert_eq!(per_month["items"]["$ref"], "#/components/schemas/MonthUses", "{per_month}");
}

// ----- Cross-tabulation and small-cell suppression -----

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

fn shown(key: &[&str], cards: u64, uses: u64) -> Cell {
    Cell { key: key.iter().map(|k| (*k).to_owned()).collect(), cards: Some(cards), uses: Some(uses), suppressed: false }
}

fn hidden(key: &[&str]) -> Cell {
    Cell { key: key.iter().map(|k| (*k).to_owned()).collect(), cards: None, uses: None, suppressed: true }
}

async fn cross_tab(app: &TestApp, token: &str, by: &str) -> CrossTab {
    let r = app.get(&format!("/api/v1/statistics/cross-tab?year=2026&by={by}"), Some(token)).await;
    assert_eq!(r.status, 200, "{by}: {}", r.text);
    r.json()
}

#[tokio::test]
async fn a_lone_small_cell_is_suppressed_together_with_the_smallest_shown_cell() {
    let (app, _, _) = cross_tab_dataset().await;
    let t = cross_tab(&app, &app.admin, "gender").await;
    assert_eq!(
        (t.from, t.to, t.by.clone(), t.min_cell),
        (date(2026, 1, 1), date(2026, 12, 31), vec![Dimension::Gender], 5)
    );
    // "other" (2 cards) is under 5: hidden. It alone would be given away by the total, so the
    // smallest shown cell, "female" (6 cards, fewer than male's 7), is hidden too.
    assert_eq!(t.cells, vec![hidden(&["female"]), shown(&["male"], 7, 7), hidden(&["other"])]);

    let r = app.get("/api/v1/statistics/cross-tab?year=2026&by=gender&format=csv", Some(&app.admin)).await;
    assert!(r.content_type().starts_with("text/csv"));
    assert_eq!(r.text, "gender,cards,uses\nfemale,<5,<5\nmale,7,7\nother,<5,<5\n");
}

#[tokio::test]
async fn two_or_more_small_cells_are_suppressed_without_hiding_a_shown_one() {
    let (app, _, _) = cross_tab_dataset().await;
    let t = cross_tab(&app, &app.admin, "mother_tongue").await;
    assert_eq!(t.cells, vec![shown(&["finnish"], 10, 13), hidden(&["sami"]), hidden(&["swedish"])]);

    let t = cross_tab(&app, &app.admin, "gender,mother_tongue").await;
    assert_eq!(
        t.cells,
        vec![
            shown(&["female", "finnish"], 5, 8),
            hidden(&["female", "swedish"]),
            shown(&["male", "finnish"], 5, 5),
            hidden(&["male", "swedish"]),
            hidden(&["other", "sami"]),
        ]
    );
    let r =
        app.get("/api/v1/statistics/cross-tab?year=2026&by=gender,mother_tongue&format=csv", Some(&app.admin)).await;
    assert_eq!(
        r.text,
        "gender,mother_tongue,cards,uses\nfemale,finnish,5,8\nfemale,swedish,<5,<5\nmale,finnish,5,5\n\
         male,swedish,<5,<5\nother,sami,<5,<5\n"
    );
}

#[tokio::test]
async fn every_scope_gets_the_same_suppression_and_a_single_card_is_never_shown() {
    let (app, distributor, venue) = cross_tab_dataset().await;
    let (_, distributor_user) = app.user(Role::Distributor(distributor)).await;
    let (_, venue_user) = app.user(Role::Venue(venue)).await;
    for token in [&distributor_user, &venue_user] {
        let t = cross_tab(&app, token, "gender").await;
        assert_eq!(t.cells, vec![hidden(&["female"]), shown(&["male"], 7, 7), hidden(&["other"])]);
    }

    // Another distributor with one used card: its only cell is hidden.
    let region = app.region("South").await;
    let small = app.distributor(region, "Parish").await;
    let venue2 = app.venue(Some(region), "Library").await;
    let device = app.device(venue2).await;
    let card = app.personal_card(small, date(2026, 2, 1), 0).await.id;
    app.redeem_via_store(&device, vec![device.ticket(card, noon(date(2026, 2, 2)))]).await;
    let (_, parish) = app.user(Role::Distributor(small)).await;
    let t = cross_tab(&app, &parish, "age_band,gender,postal_code").await;
    assert_eq!(t.cells, vec![hidden(&["45-54", "female", "96100"])]);
    assert!(t.cells.iter().all(|c| c.cards.is_none() && c.uses.is_none()));
}
