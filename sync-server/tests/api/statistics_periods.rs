//! Statistics of periods other than a calendar year on the dataset of `statistics.rs`: day
//! ranges and months across the new year for the administrator, whole months below it; and
//! the OpenAPI description of a published count.

use kaiku_sync_server::disclosure::{Count, PublishedStatistics};
use kaiku_sync_server::stats::{Frequency, MonthUses, Statistics, UseCounts};
use kaiku_sync_server::store::Role;

use crate::helpers::spawn_app;
use crate::statistics::{FEWER, dataset, ranked};

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
async fn below_administrator_a_range_of_whole_months_across_the_new_year_is_answered() {
    let d = dataset().await;
    let (_, coordinator) = d.app.user(Role::Coordinator(d.north)).await;
    let r = d.app.get("/api/v1/statistics?from=2025-12-01&to=2026-03-31", Some(&coordinator)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let s: PublishedStatistics = r.json();
    let months: Vec<(&str, Count)> = s.per_month.iter().map(|m| (m.month.as_str(), m.uses)).collect();
    assert_eq!(months, [("2025-12", FEWER), ("2026-01", FEWER), ("2026-02", FEWER), ("2026-03", FEWER)]);
    assert_eq!(s.all.uses, Count::Number(5), "P3 three times, P1 twice, P2 and C1 once");
}

#[tokio::test]
async fn the_openapi_document_describes_counts_as_a_number_or_fewer_than_five() {
    let app = spawn_app().await;
    let doc = app.get("/api/v1/openapi.json", None).await.value();
    let schemas = &doc["components"]["schemas"];
    let month = &schemas["MonthUses"];
    for field in ["month", "uses", "adults", "children"] {
        assert!(month["properties"][field].is_object(), "MonthUses.{field} in {month}");
    }
    assert_eq!(month["properties"]["uses"]["$ref"], "#/components/schemas/Count", "{month}");
    let per_month = &schemas["Statistics"]["properties"]["per_month"];
    assert_eq!(per_month["items"]["$ref"], "#/components/schemas/MonthUses", "{per_month}");
    assert_eq!(schemas["Statistics"]["properties"]["rounded_to"]["type"], "integer");
    let count = &schemas["Count"]["oneOf"];
    assert_eq!(count[0]["type"], "integer", "{count}");
    assert_eq!((count[1]["type"].clone(), count[1]["enum"][0].clone()), ("string".into(), "<5".into()), "{count}");
    let cross_tab = &schemas["CrossTab"]["properties"];
    assert_eq!(cross_tab["other"]["$ref"], "#/components/schemas/OtherCells", "{cross_tab}");
    assert!(schemas["Cell"]["properties"].get("suppressed").is_none(), "a listed cell is never suppressed");
}
