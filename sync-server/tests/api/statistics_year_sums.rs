//! A calendar year's statistics may be read from sums kept per card (PostgreSQL keeps them, for
//! national scale); any other period is counted from its uses. Both must give the same figures:
//! the year 2026 of `statistics::dataset` (no use on 31 December) against 1 January to 30
//! December, for the country, a region and a distributor, and as cross-tabs, before and after
//! the register and the uses change under the sums.

use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_sync_server::import::ImportRow;
use kaiku_sync_server::stats::{CrossTab, Dimension, Scope, Statistics};
use kaiku_sync_server::store::{CardRecord, DateRange};

use crate::helpers::{date, noon};
use crate::statistics::{Dataset, dataset};

/// The store's exact answers for the year and for its days but the last, the period left out.
async fn year_and_counted(d: &Dataset, scope: Scope) -> Vec<(String, String)> {
    let year = DateRange { from: date(2026, 1, 1), to: date(2026, 12, 31) };
    let days = DateRange { to: date(2026, 12, 30), ..year };
    let dims: [&[Dimension]; 2] = [
        &[Dimension::AgeBand, Dimension::Gender],
        &[Dimension::LifeSituation, Dimension::PostalCode, Dimension::MotherTongue],
    ];
    let mut out = Vec::new();
    let (summed, counted) = (d.app.store.statistics(scope, year).await, d.app.store.statistics(scope, days).await);
    let (summed, counted) = (summed.expect("the year"), counted.expect("the days"));
    out.push((format!("{:?}", Statistics { to: days.to, ..summed }), format!("{counted:?}")));
    for by in dims {
        let summed = d.app.store.cross_tab(scope, year, by).await.expect("the year's cross-tab");
        let counted = d.app.store.cross_tab(scope, days, by).await.expect("the days' cross-tab");
        out.push((format!("{:?}", CrossTab { to: days.to, ..summed }), format!("{counted:?}")));
    }
    out
}

async fn assert_sums_are_counts(d: &Dataset, when: &str) {
    for scope in [Scope::All, Scope::Region(d.north), Scope::Distributor(d.social)] {
        for (summed, counted) in year_and_counted(d, scope).await {
            assert_eq!(summed, counted, "{when}: {scope:?}, the year against its days");
        }
    }
}

#[tokio::test]
async fn a_years_figures_read_the_same_as_its_days_counted_one_by_one_as_the_register_changes() {
    let d = dataset().await;
    assert_sums_are_counts(&d, "as made").await;

    // New uses, one taken back at the door, and a holder whose background changes.
    let pool = d.app.device(d.swimming).await;
    let card = d.app.personal_card(d.social, date(2026, 2, 1), 1).await;
    let first = pool.ticket(card.id, noon(date(2026, 11, 2)));
    let again = pool.ticket(card.id, noon(date(2026, 11, 3)));
    let taken_back = pool.correction(&again, noon(date(2026, 11, 3)));
    d.app.redeem_via_store(&pool, vec![first, again, taken_back]).await;
    let moved = Background {
        birth_year: 1950,
        gender: Gender::Male,
        mother_tongue: MotherTongue::Swedish,
        life_situations: vec![LifeSituation::Pensioner, LifeSituation::Student],
        postal_code: PostalCode::parse("96300").expect("a postal code"),
        minor_children: 0,
        minor_grandchildren: 0,
    };
    let row = ImportRow { line: 2, record: CardRecord { card: card.clone(), background: Some(moved) } };
    d.app.store.import_cards(d.social, vec![row], false).await.expect("the card's new background");
    assert_sums_are_counts(&d, "after new uses, a correction and a new background").await;
}

/// PostgreSQL folds noted card-years in the background; a request adds a few thousand itself.
/// With more noted it waits a moment for the fold, and answers 503 if the fold cannot go on.
#[tokio::test]
async fn with_much_noted_and_the_fold_held_up_a_year_answers_catching_up_and_then_the_figures() {
    let app = crate::helpers::spawn_app().await;
    if !app.on_postgres() {
        eprintln!("skipped: SQLite folds its year sums on the request itself");
        return;
    }
    app.execute("INSERT INTO stats_dirty SELECT 'X' || g, 2026 FROM generate_series(1, 4001) g");
    // Another session holds the noted rows: the fold skips locked rows, so it cannot take them.
    let url = app.settings.database.to_string_lossy().into_owned();
    let (holder, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connects");
    let running = tokio::spawn(connection);
    holder.batch_execute("BEGIN; SELECT 1 FROM stats_dirty FOR UPDATE").await.expect("holds the rows");

    let started = std::time::Instant::now();
    let held = app.get("/api/v1/statistics?year=2026", Some(&app.admin)).await;
    held.assert_error(503, "catching_up", &["ask again"]);
    assert!(held.headers.contains_key("retry-after"), "{:?}", held.headers);
    assert!(started.elapsed() >= std::time::Duration::from_secs(3), "it waited for the fold first");

    // Let go, the fold takes the rows (on a loaded machine it may take longer than a request
    // waits, so the test waits for it; the deadline only guards against a hang).
    holder.batch_execute("COMMIT").await.expect("lets go");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while app.count("SELECT count(*) FROM stats_dirty") > 4_000 {
        assert!(std::time::Instant::now() < deadline, "the fold never took the noted rows");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let answered = app.get("/api/v1/statistics?year=2026", Some(&app.admin)).await;
    assert_eq!(answered.status, 200, "{}", answered.text);
    drop(holder);
    let _ = running.await;
}
