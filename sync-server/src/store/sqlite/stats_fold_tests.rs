//! The kept year sums (`stats_fold`, read by `stats_year`) against the pass over use_facts,
//! for every scope and calendar year and several cross-tabs: after they are built, after more
//! uploads folded in small chunks, after corrections, after register changes, after a purge.

use super::*;
use crate::stats::Dimension;
use crate::store::sqlite::{retention, stats_fold, stats_year};

/// Folds everything, at most `chunk` redemptions a step.
fn fold(conn: &mut Connection, chunk: i64) {
    while let Some(plan) = stats_fold::plan(conn, chunk).expect("plans") {
        stats_fold::apply(conn, plan).expect("applies");
    }
}

fn assert_sums_are_the_pass(r: &Region) {
    assert!(stats_fold::State::read(&r.conn).expect("reads").current(), "the sums are current");
    let mut scopes = vec![Scope::All, Scope::Region(r.region), Scope::Region(RegionId(r.region.0 + 1))];
    scopes.extend(r.distributors.iter().map(|d| Scope::Distributor(*d)));
    let dimensions: [&[Dimension]; 5] = [
        &[Dimension::Gender],
        &[Dimension::AgeBand, Dimension::Gender],
        &[Dimension::LifeSituation],
        &[Dimension::PostalCode, Dimension::MotherTongue],
        &[Dimension::AgeBand, Dimension::LifeSituation, Dimension::Gender],
    ];
    for scope in scopes {
        for year in [2025, 2026] {
            let range = DateRange { from: day(year, 1, 1), to: day(year, 12, 31) };
            let summed = stats_year::statistics(&r.conn, scope, range).expect("reads").expect("from the sums");
            assert_eq!(summed, counted_statistics(&r.conn, scope, range).expect("counts"), "{scope:?} {year}");
            for by in dimensions {
                let summed = stats_year::cross_tab(&r.conn, scope, range, by).expect("reads").expect("from the sums");
                let counted = counted_cross_tab(&r.conn, scope, range, by).expect("counts");
                assert_eq!(summed, counted, "cross-tab {by:?} {scope:?} {year}");
            }
        }
    }
}

#[test]
fn the_kept_year_sums_are_what_the_pass_counts_through_uploads_corrections_register_changes_and_a_purge() {
    let mut r = uploaded();
    let range = DateRange { from: day(2026, 1, 1), to: day(2026, 12, 31) };
    assert!(stats_year::statistics(&r.conn, Scope::All, range).expect("reads").is_none(), "not built yet");
    fold(&mut r.conn, stats_fold::CHUNK);
    assert_sums_are_the_pass(&r);

    // More uses, folded a few at a time.
    let (_, cards) = region();
    let mut rng = StdRng::seed_from_u64(11);
    let pool = device(1, r.venues[0]);
    let more = scans(&mut rng, &cards, &pool, 1_000, 200);
    assert_eq!(upload(&mut r.conn, &pool, &more), (200, 0));
    assert!(!stats_fold::State::read(&r.conn).expect("reads").current());
    fold(&mut r.conn, 37);
    assert_sums_are_the_pass(&r);

    // Corrections: of uses folded before, and of a use in the same upload.
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).single().expect("time");
    let mut corrections: Vec<Redemption> =
        more[..30].iter().enumerate().map(|(i, u)| u.correction(uuid::Uuid::now_v7(), 2_000 + i as u64, at)).collect();
    let fresh = scans(&mut rng, &cards, &pool, 2_100, 10);
    let taken_back = fresh[0].correction(uuid::Uuid::now_v7(), 2_200, at);
    corrections.extend(fresh);
    corrections.push(taken_back);
    assert_eq!(upload(&mut r.conn, &pool, &corrections).0, 41);
    fold(&mut r.conn, 13);
    assert_sums_are_the_pass(&r);

    // Register changes of used cards: another region and distributor, another background.
    let used: Vec<String> = more[..8].iter().map(|u| u.card.to_string()).collect();
    r.conn
        .execute(
            "UPDATE cards SET region_id = ?2, distributor_id = (SELECT id FROM distributors WHERE region_id = ?2) \
             WHERE id = ?1 AND region_id <> ?2",
            rusqlite::params![used[0], r.region.0 + 1],
        )
        .expect("moves");
    r.conn.execute("UPDATE cards SET birth_year = 1931, gender = 'x' WHERE id = ?1", [&used[1]]).expect("changes");
    r.conn.execute("UPDATE cards SET birth_year = NULL WHERE id = ?1", [&used[2]]).expect("changes");
    r.conn.execute("DELETE FROM card_life_situations WHERE card_id = ?1", [&used[3]]).expect("changes");
    r.conn
        .execute("INSERT OR IGNORE INTO card_life_situations (card_id, situation) VALUES (?1, 'retired')", [&used[4]])
        .expect("changes");
    assert!(!stats_fold::State::read(&r.conn).expect("reads").current(), "the changed cards are noted");
    fold(&mut r.conn, stats_fold::CHUNK);
    assert_sums_are_the_pass(&r);

    // A purge of 2025's uses, some folded in and some not yet: the fold takes off the ones it
    // counted, in small chunks, without a rebuild.
    assert_eq!(upload(&mut r.conn, &pool, &scans(&mut rng, &cards, &pool, 3_000, 50)).0, 50);
    while retention::purge_chunk(&mut r.conn, stats_facts::day_number(day(2026, 1, 1))).expect("purges") > 0 {}
    let state = stats_fold::State::read(&r.conn).expect("reads");
    assert!(!state.current() && state.purged > 0 && !state.rebuild(), "{state:?}");
    fold(&mut r.conn, 7);
    assert!(stats_fold::State::read(&r.conn).expect("reads").built);
    assert_sums_are_the_pass(&r);
    let purged = DateRange { from: day(2025, 1, 1), to: day(2025, 12, 31) };
    let s = stats_year::statistics(&r.conn, Scope::All, purged).expect("reads").expect("from the sums");
    assert_eq!(s.all.uses, 0, "no use of 2025 is left");
}
