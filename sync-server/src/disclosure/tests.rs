use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn cell(key: &str, cards: u64, uses: u64) -> CellCounts {
    CellCounts { key: vec![key.into()], cards, uses }
}

fn table(cells: Vec<CellCounts>) -> CrossTab {
    CrossTab { from: day(2026, 1, 1), to: day(2026, 12, 31), by: vec![Dimension::Gender], cells }
}

fn keys(t: &PublishedCrossTab) -> Vec<&str> {
    t.cells.iter().map(|c| c.key[0].as_str()).collect()
}

#[test]
fn zero_stays_zero_one_to_four_is_fewer_than_five_and_the_rest_rounds_to_the_nearest_five() {
    let published: Vec<String> = [0, 1, 4, 5, 7, 8, 12, 13, 100, 1_234_567].map(|n| protect(n).to_string()).to_vec();
    assert_eq!(published, ["0", "<5", "<5", "5", "5", "10", "10", "15", "100", "1234565"]);
    assert_eq!(Audience::Exact.count(3), Count::Number(3));
    assert_eq!(Audience::of(Role::Admin), Audience::Exact);
    assert_eq!(Audience::of(Role::Venue(kaiku_core::ids::VenueId(1))), Audience::Protected);
}

#[test]
fn a_count_is_a_json_number_or_the_string_fewer_than_five_and_reads_back() {
    let json = serde_json::to_string(&[Count::Number(10), Count::FewerThanFive]).expect("serialises");
    assert_eq!(json, r#"[10,"<5"]"#);
    assert_eq!(serde_json::from_str::<Vec<Count>>(&json).expect("reads"), [Count::Number(10), Count::FewerThanFive]);
    assert!(serde_json::from_str::<Count>(r#""<6""#).is_err());
}

#[test]
fn only_whole_calendar_months_are_accepted_below_administrator() {
    let range = |from, to| DateRange { from, to };
    for whole in [
        range(day(2026, 1, 1), day(2026, 12, 31)),
        range(day(2026, 2, 1), day(2026, 2, 28)),
        range(day(2024, 2, 1), day(2024, 2, 29)),
        range(day(2025, 11, 1), day(2026, 3, 31)),
    ] {
        assert!(check_period(Audience::Protected, whole).is_ok(), "{whole:?}");
    }
    for part in [
        range(day(2026, 3, 10), day(2026, 3, 10)),
        range(day(2026, 3, 1), day(2026, 3, 30)),
        range(day(2026, 3, 2), day(2026, 3, 31)),
        range(day(2024, 2, 1), day(2024, 2, 28)),
    ] {
        let refused = check_period(Audience::Protected, part).expect_err("a part of a month");
        assert!(matches!(refused, ApiError::UnprocessableWith { code: "period_not_whole_months", .. }), "{part:?}");
        assert!(check_period(Audience::Exact, part).is_ok(), "an administrator may ask {part:?}");
    }
}

#[test]
fn small_cells_are_left_out_by_key_and_added_up_in_other() {
    let t = publish_cross_tab(
        table(vec![cell("a", 2, 2), cell("b", 9, 9), cell("c", 6, 6), cell("d", 3, 4)]),
        Audience::Exact,
    );
    assert_eq!(keys(&t), ["b", "c"]);
    assert_eq!(t.other, OtherCells { cards: Count::Number(5), uses: Count::Number(6) });
    let t = publish_cross_tab(
        table(vec![cell("a", 2, 2), cell("b", 9, 9), cell("c", 6, 6), cell("d", 3, 4)]),
        Audience::Protected,
    );
    assert_eq!(
        (t.cells[0].cards, t.cells[1].cards, t.other.cards),
        (Count::Number(10), Count::Number(5), Count::Number(5))
    );
}

#[test]
fn a_lone_small_cell_takes_the_smallest_listed_cell_with_it() {
    let t = publish_cross_tab(table(vec![cell("a", 2, 2), cell("b", 9, 9), cell("c", 6, 6)]), Audience::Exact);
    assert_eq!(keys(&t), ["b"]);
    assert_eq!(t.other, OtherCells { cards: Count::Number(8), uses: Count::Number(8) });
    let none_small = publish_cross_tab(table(vec![cell("b", 9, 9), cell("c", 6, 6)]), Audience::Exact);
    assert_eq!((keys(&none_small), none_small.other.cards), (vec!["b", "c"], Count::Number(0)));
}

fn statistics() -> Statistics {
    let ranked = |id, count| Ranked { id, name: format!("#{id}"), count };
    Statistics {
        from: day(2026, 1, 1),
        to: day(2026, 12, 31),
        cards_registered: Some(12),
        cards_valid: Some(18),
        cards_used: 13,
        usage_rate_percent: Some(72.2),
        all: UseCounts { uses: 41, adults: 44, children: 3 },
        community: UseCounts::default(),
        course_places: 1,
        per_venue: vec![ranked(1, 12), ranked(2, 11), ranked(3, 4), ranked(4, 9)],
        per_distributor: vec![ranked(7, 12)],
        frequency: Frequency { once: 4, twice: 6, three_to_five: 2, more_than_five: 1 },
        per_month: vec![MonthUses { month: "2026-01".into(), uses: 41, adults: 44, children: 3 }],
        flagged_uses: 2,
    }
}

#[test]
fn every_count_of_the_statistics_is_protected_and_the_rate_comes_from_the_published_figures() {
    let p = publish_statistics(statistics(), Audience::Protected);
    let n = Count::Number;
    assert_eq!((p.rounded_to, p.cards_registered, p.cards_valid, p.cards_used), (5, Some(n(10)), Some(n(20)), n(15)));
    // 15 of 20 as published, not 13 of 18.
    assert_eq!(p.usage_rate_percent, Some(75.0));
    assert_eq!(p.all, PublishedUses { uses: n(40), adults: n(45), children: Count::FewerThanFive });
    assert_eq!(p.course_places, Count::FewerThanFive);
    let f = p.frequency;
    assert_eq!(
        [f.once, f.twice, f.three_to_five, f.more_than_five],
        [Count::FewerThanFive, n(5), Count::FewerThanFive, Count::FewerThanFive]
    );
    // 12 and 11 both publish as 10: ordered by id, not by the exact count; 9 as 10 too.
    let venues: Vec<(u32, Count)> = p.per_venue.iter().map(|r| (r.id, r.count)).collect();
    assert_eq!(venues, [(1, n(10)), (2, n(10)), (4, n(10)), (3, Count::FewerThanFive)]);
    assert_eq!((p.per_month[0].children, p.flagged_uses), (Count::FewerThanFive, Count::FewerThanFive));
}

#[test]
fn an_administrator_sees_the_exact_statistics() {
    let p = publish_statistics(statistics(), Audience::Exact);
    assert_eq!((p.rounded_to, p.cards_used, p.usage_rate_percent), (1, Count::Number(13), Some(72.2)));
    assert_eq!(p.per_venue.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 2, 4, 3]);
    let json = serde_json::to_value(&p).expect("serialises");
    let exact: Statistics = serde_json::from_value(json).expect("reads back as the exact figures");
    assert_eq!(exact.all, statistics().all);
}
