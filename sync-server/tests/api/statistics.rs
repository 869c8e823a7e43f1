//! Statistics against a small dataset whose figures are worked out by hand below, for each
//! scope (region, distributor, venue) exactly as the administrator sees them, and as the
//! region's, distributor's and venue's own users see them (rounded to 5, "<5" for 1-4), as
//! JSON and CSV. Periods other than a year are in `statistics_periods.rs`, the
//! cross-tabulation in `cross_tab.rs`.

use chrono::TimeDelta;
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use kaiku_sync_server::disclosure::{Audience, Count, PublishedStatistics, publish_statistics};
use kaiku_sync_server::stats::{Frequency, MonthUses, Ranked, Statistics, UseCounts};
use kaiku_sync_server::store::Role;

use crate::helpers::{TestApp, date, noon, spawn_app};

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
pub struct Dataset {
    pub app: TestApp,
    pub north: RegionId,
    pub south: RegionId,
    pub social: DistributorId,
    pub settlement: DistributorId,
    pub parish: DistributorId,
    pub swimming: VenueId,
    pub theatre: VenueId,
    pub opisto: VenueId,
}

pub async fn dataset() -> Dataset {
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

pub fn ranked(id: impl Into<u32>, name: &str, count: u64) -> Ranked {
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

/// The exact figures, as the administrator reads them.
async fn exact(app: &TestApp, query: &str) -> Statistics {
    let r = app.get(&format!("/api/v1/statistics?year=2026{query}"), Some(&app.admin)).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    assert!(r.content_type().starts_with("application/json"));
    assert_eq!(r.value()["rounded_to"], 1, "an administrator's counts are exact");
    r.json()
}

/// The figures as a user below administrator reads them.
async fn published(app: &TestApp, token: &str, query: &str) -> PublishedStatistics {
    let r = app.get(&format!("/api/v1/statistics?year=2026{query}"), Some(token)).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    r.json()
}

async fn csv(app: &TestApp, token: &str, query: &str) -> String {
    let r = app.get(&format!("/api/v1/statistics?year=2026&format=csv{query}"), Some(token)).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    assert!(r.content_type().starts_with("text/csv"), "{}", r.content_type());
    r.text
}

pub const FEWER: Count = Count::FewerThanFive;

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
        flagged_uses: 0,
    };
    assert_eq!(exact(&d.app, "").await, expected);

    let expected_csv = "\
figure,name,value
period,from,2026-01-01
period,to,2026-12-31
counts,rounded_to,1
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
async fn a_region_sees_the_uses_of_its_own_cards_wherever_they_were_used_rounded_to_five() {
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
        flagged_uses: 0,
    };
    assert_eq!(exact(&d.app, &format!("&region={}", d.north)).await, north);
    let (_, coordinator) = d.app.user(Role::Coordinator(d.north)).await;
    let seen = published(&d.app, &coordinator, "").await;
    assert_eq!(seen, publish_statistics(north, Audience::Protected));
    // By hand: 5 registered, 6 valid and 5 used are all 5, so the rate is 100 %; 18 adults are
    // 20, 7 children 5; the venues' 8 and 6 uses are 10 and 5, Opisto's 1 "<5".
    assert_eq!(
        (seen.rounded_to, seen.cards_registered, seen.cards_valid),
        (5, Some(Count::Number(5)), Some(Count::Number(5)))
    );
    assert_eq!(seen.usage_rate_percent, Some(100.0));
    assert_eq!((seen.all.adults, seen.all.children, seen.community.uses), (Count::Number(20), Count::Number(5), FEWER));
    let venues: Vec<(&str, Count)> = seen.per_venue.iter().map(|v| (v.name.as_str(), v.count)).collect();
    assert_eq!(
        venues,
        [("Swimming hall", Count::Number(10)), ("City theatre", Count::Number(5)), ("Opisto, adult college", FEWER)]
    );

    // South has two cards: every card figure is "<5", and so no rate.
    let (_, coordinator) = d.app.user(Role::Coordinator(d.south)).await;
    let seen = published(&d.app, &coordinator, "").await;
    assert_eq!((seen.cards_registered, seen.cards_used, seen.usage_rate_percent), (Some(FEWER), FEWER, None));
    assert_eq!(seen.all.uses, Count::Number(5), "7 uses");
    let csv = csv(&d.app, &coordinator, "").await;
    for line in [
        "counts,rounded_to,5\n",
        "cards,used,<5\n",
        "cards,usage_rate_percent,\n",
        "all,uses,5\n",
        "uses_per_venue,Swimming hall,5\n",
        "uses_per_venue,\"Opisto, adult college\",<5\n",
        "uses_per_month,2026-07,5\n",
        "uses_per_month,2026-06,<5\n",
    ] {
        assert!(csv.contains(line), "{line:?} missing from\n{csv}");
    }
}

#[tokio::test]
async fn a_distributor_sees_the_figures_of_the_cards_it_handed_out_rounded_to_five() {
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
        flagged_uses: 0,
    };
    assert_eq!(exact(&d.app, &format!("&distributor={}", d.social)).await, expected);
    let (_, distributor) = d.app.user(Role::Distributor(d.social)).await;
    let (_, coordinator) = d.app.user(Role::Coordinator(d.north)).await;
    let as_published = publish_statistics(expected, Audience::Protected);
    assert_eq!(published(&d.app, &distributor, "").await, as_published);
    assert_eq!(published(&d.app, &coordinator, &format!("&distributor={}", d.social)).await, as_published);

    let csv = csv(&d.app, &distributor, "").await;
    for line in [
        "cards,registered,<5\n",
        "cards,valid,5\n",
        // 4 used is "<5": no rate.
        "cards,usage_rate_percent,\n",
        "all,uses,15\n",
        "all,adults,15\n",
        "all,children,5\n",
        "cards_per_distributor,Social services,<5\n",
        "cards_by_uses,1,0\n",
        "cards_by_uses,2,<5\n",
    ] {
        assert!(csv.contains(line), "{line:?} missing from\n{csv}");
    }
}

#[tokio::test]
async fn a_venue_sees_every_use_at_the_venue_rounded_to_five_and_no_card_counts() {
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
        flagged_uses: 0,
    };
    assert_eq!(exact(&d.app, &format!("&venue={}", d.swimming)).await, expected);
    let (_, venue) = d.app.user(Role::Venue(d.swimming)).await;
    assert_eq!(published(&d.app, &venue, "").await, publish_statistics(expected, Audience::Protected));

    // Worked out by hand from the exact figures above.
    let months =
        |values: [&str; 12]| values.iter().zip(1..).map(|(v, m)| format!("2026-{m:02},{v}\n")).collect::<Vec<_>>();
    let uses = ["<5", "<5", "<5", "<5", "<5", "0", "5", "0", "0", "0", "0", "0"];
    let children = ["0", "<5", "<5", "<5", "0", "0", "0", "0", "0", "0", "0", "0"];
    let mut month_lines = String::new();
    for (figure, values) in [("uses_per_month", uses), ("adults_per_month", uses), ("children_per_month", children)] {
        for line in months(values) {
            month_lines.push_str(&format!("{figure},{line}"));
        }
    }
    let expected_csv = "\
figure,name,value
period,from,2026-01-01
period,to,2026-12-31
counts,rounded_to,5
cards,registered,
cards,valid,
cards,used,5
cards,usage_rate_percent,
all,uses,15
all,adults,15
all,children,<5
community,uses,0
community,adults,0
community,children,0
all,course_places,0
{months}uses_per_venue,Swimming hall,15
cards_by_uses,1,<5
cards_by_uses,2,<5
cards_by_uses,3-5,<5
cards_by_uses,>5,<5
"
    .replace("{months}", &month_lines);
    assert_eq!(csv(&d.app, &venue, "").await, expected_csv);
}
