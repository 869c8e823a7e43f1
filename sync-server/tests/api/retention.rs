//! Retention: `kaiku-sync-server purge` (the real binary, on the running server's database)
//! removes the uses of the years before the cut and the background data of cards closed
//! before it, while the statistics of those years stay as they were, whole month by whole
//! month; and the daily run inside the server does the same while uploads go on.

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, NaiveDate, TimeDelta, Utc};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::card::RevocationReason;
use kaiku_core::{Card, CardKind};
use kaiku_sync_server::clock::Clock;
use kaiku_sync_server::retention;
use kaiku_sync_server::stats::Scope;
use kaiku_sync_server::store::{DateRange, Role, Store};

use crate::helpers::{TestApp, date, item, noon, spawn_app};

/// The first day the CLI keeps: it reads the system clock, not the test server's.
fn cli_keep_from() -> NaiveDate {
    retention::keep_from(Utc::now().date_naive(), 2)
}

fn varied(i: u32) -> Background {
    Background {
        birth_year: if i.is_multiple_of(3) { 1958 } else { 1991 },
        gender: if i.is_multiple_of(2) { Gender::Female } else { Gender::Male },
        mother_tongue: if i.is_multiple_of(4) { MotherTongue::Swedish } else { MotherTongue::Finnish },
        life_situations: if i.is_multiple_of(2) {
            vec![LifeSituation::Unemployed]
        } else {
            vec![LifeSituation::InDebt, LifeSituation::Student]
        },
        postal_code: PostalCode::parse(if i.is_multiple_of(5) { "00100" } else { "96100" }).expect("a postal code"),
        minor_children: 0,
        minor_grandchildren: 0,
    }
}

/// Cards whose background must go, cards that keep theirs, and the old year.
struct Scene {
    app: TestApp,
    old: i32,
    closed: Vec<Card>,
    kept: Vec<(Card, Background)>,
    queries: Vec<String>,
}

/// Two distributors and two venues of one region. Twenty regulars (closed in the old year)
/// and a revoked card are used only in the old year; a card closing the year after, a card
/// closed in the old year but used since, and an open card are used on both sides of the cut.
async fn scene() -> Scene {
    let app = spawn_app().await;
    let old = cli_keep_from().year() - 1;
    let region = app.region("Lappi").await;
    let (d1, d2) = (app.distributor(region, "Sosiaalitoimi").await, app.distributor(region, "Seurakunta").await);
    let (v1, v2) = (app.venue(Some(region), "Uimahalli").await, app.venue(Some(region), "Teatteri").await);
    let (dev1, dev2) = (app.device(v1).await, app.device(v2).await);
    let day = |y, m, d| date(y, m, d);
    let mut closed = Vec::new();
    let mut old_uses = Vec::new();
    let mut old_uses_2 = Vec::new();
    for i in 0..20u32 {
        let d = if i < 10 { d1 } else { d2 };
        let card = app.card(CardKind::Personal, d, day(old - 1, 6, 1), Some(varied(i))).await;
        for m in 1..=(1 + i % 3) {
            old_uses.push(dev1.ticket(card.id, noon(day(old, 2 + m, 3 + i))));
        }
        if i.is_multiple_of(2) {
            old_uses_2.push(dev2.with_children(card.id, noon(day(old, 3, 10 + i)), 0));
        }
        closed.push(card);
    }
    let mut revoked = app.card(CardKind::Personal, d1, day(old, 2, 1), Some(varied(7))).await;
    old_uses.push(dev1.ticket(revoked.id, noon(day(old, 4, 2))));
    revoked.revoke(RevocationReason::Lost, day(old, 6, 1)).expect("revokes");
    app.store.update_card(&revoked).await.expect("stored");
    closed.push(revoked);
    let community = app.card(CardKind::Community, d2, day(old, 1, 5), None).await;
    old_uses_2.push(dev2.group(community.id, noon(day(old, 5, 5)), &[closed[0].id, closed[1].id], 1));

    let mut kept = Vec::new();
    let mut new_uses = Vec::new();
    for (i, issued) in [(3, day(old, 10, 1)), (4, day(old - 1, 6, 1)), (5, day(app.now().year(), 1, 10))] {
        let b = varied(i);
        let card = app.card(CardKind::Personal, d1, issued, Some(b.clone())).await;
        old_uses.push(dev1.ticket(card.id, noon(day(old, 11, 20))));
        new_uses.push(dev1.ticket(card.id, noon(day(old + 2, 3, 3))));
        kept.push((card, b));
    }
    app.redeem_via_store(&dev1, old_uses).await;
    app.redeem_via_store(&dev2, old_uses_2).await;
    app.redeem_via_store(&dev1, new_uses).await;

    let scopes = [
        String::new(),
        format!("&region={region}"),
        format!("&distributor={d1}"),
        format!("&distributor={d2}"),
        format!("&venue={v1}"),
        format!("&venue={v2}"),
    ];
    let periods = [
        format!("year={old}"),
        format!("from={old}-03-01&to={old}-03-31"),
        format!("from={old}-11-01&to={old}-11-30"),
        format!("year={}", old + 2),
    ];
    let mut queries = Vec::new();
    for scope in &scopes {
        for period in &periods {
            for format in ["json", "csv"] {
                queries.push(format!("/api/v1/statistics?{period}{scope}&format={format}"));
                for by in ["age_band,gender", "gender,age_band", "life_situation,postal_code", "mother_tongue"] {
                    queries.push(format!("/api/v1/statistics/cross-tab?{period}{scope}&by={by}&format={format}"));
                }
            }
        }
    }
    Scene { app, old, closed, kept, queries }
}

/// Every answer, as sent.
async fn answers(app: &TestApp, token: &str, queries: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for q in queries {
        let r = app.get(q, Some(token)).await;
        assert_eq!(r.status, 200, "{q}: {}", r.text);
        out.push(r.text);
    }
    out
}

fn purge_cli(app: &TestApp, dry_run: bool) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kaiku-sync-server"));
    cmd.arg("--database").arg(&app.settings.database).arg("purge");
    if dry_run {
        cmd.arg("--dry-run");
    }
    let out = cmd.output().expect("the server binary runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "purge failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    text
}

/// Counts that any purge changes, straight from the file.
/// On PostgreSQL statistics read the redemptions themselves: SQLite's compact statistics rows
/// (`use_facts`, `card_numbers`) are counted there as the redemptions and the cards.
fn counts(app: &TestApp, cut: NaiveDate) -> Vec<i64> {
    let day = (cut - NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date")).num_days();
    let (facts_before, facts, numbers) = if app.on_postgres() {
        (format!("SELECT count(*) FROM redemptions WHERE scanned_on < '{cut}'"), "redemptions", "cards")
    } else {
        (format!("SELECT count(*) FROM use_facts WHERE day < {day}"), "use_facts", "card_numbers")
    };
    [
        format!("SELECT count(*) FROM redemptions WHERE scanned_on < '{cut}'"),
        "SELECT count(*) FROM redemptions".into(),
        facts_before,
        format!("SELECT count(*) FROM {facts}"),
        format!("SELECT count(*) FROM {numbers}"),
        "SELECT count(*) FROM cards WHERE birth_year IS NOT NULL".into(),
        "SELECT count(*) FROM card_life_situations".into(),
        "SELECT count(*) FROM cards".into(),
        "SELECT count(*) FROM statistics_archive".into(),
    ]
    .iter()
    .map(|sql| app.count(sql))
    .collect()
}

async fn register_copy(app: &TestApp, device_token: &str) -> String {
    let r = app.get("/api/v1/register", Some(device_token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.text
}

#[tokio::test]
async fn a_purge_removes_old_uses_and_closed_cards_backgrounds_and_keeps_the_statistics() {
    let Scene { app, old, closed, kept, queries } = scene().await;
    let cut = cli_keep_from();
    let region = kaiku_core::ids::RegionId(1);
    let (_, coordinator) = app.user(Role::Coordinator(region)).await;
    let scanner = app.device(kaiku_core::ids::VenueId(1)).await;
    let before = answers(&app, &app.admin, &queries).await;
    assert!(before[0].contains("\"cards_used\":2"), "the old year's figures are there to keep: {}", before[0]);
    assert!(before[1].contains("25-34"), "the old year's cross-tab has cells: {}", before[1]);
    let before_coordinator = answers(&app, &coordinator, &queries[..40]).await;
    let register_before = register_copy(&app, &scanner.token).await;
    let counts_before = counts(&app, cut);
    assert!(counts_before[0] > 40, "the old year has uses: {counts_before:?}");

    let dry = purge_cli(&app, true);
    assert!(dry.contains(&format!("redemptions: {} would be deleted", counts_before[0])), "{dry}");
    assert!(dry.contains(&format!("closed cards' background data: {} would be deleted", closed.len())), "{dry}");
    assert_eq!(counts(&app, cut), counts_before, "a dry run changes nothing");
    assert_eq!(app.count("SELECT count(*) FROM retention"), 0, "a dry run marks nothing purged");

    let done = purge_cli(&app, false);
    assert!(done.contains(&format!("redemptions: {} were deleted", counts_before[0])), "{done}");
    assert!(done.contains(&format!("years: {old}")), "{done}");
    let after = counts(&app, cut);
    assert_eq!(after[0], 0, "no redemption of the old year is left");
    assert_eq!(after[1], counts_before[1] - counts_before[0], "the kept years' redemptions stay");
    assert_eq!(after[2], 0, "no statistics row of an old use is left");
    assert_eq!(after[3], counts_before[3] - counts_before[2]);
    if !app.skip_on_postgres("SQLite's own lookup rows (card_numbers, scan_hours) are not kept there") {
        let numbered = app.count("SELECT count(*) FROM card_numbers WHERE id IN (SELECT id FROM cards)");
        assert_eq!(numbered, after[7], "every registered card keeps the number it got when it was made");
        let stray = "SELECT count(*) FROM card_numbers WHERE id NOT IN (SELECT id FROM cards) \
                     AND n NOT IN (SELECT card FROM use_facts)";
        assert_eq!(app.count(stray), 0, "no number of an unregistered card used only before the cut is left");
        let orphans = "SELECT count(*) FROM scan_hours WHERE redemption NOT IN (SELECT rowid FROM redemptions)";
        assert_eq!(app.count(orphans), 0, "the flag lookups' rows of purged uses are gone");
    }
    assert_eq!(after[7], counts_before[7], "every card stays in the register");
    assert!(after[8] > 13, "the old year's answers are archived: {after:?}");
    for card in &closed {
        let record = app.store.card(card.id).await.expect("reads").expect("the card stays");
        assert_eq!(record.card, *card, "the card itself is unchanged");
        assert_eq!(record.background, None, "card {} closed before {cut} keeps no background", card.id);
        let situations = format!("SELECT count(*) FROM card_life_situations WHERE card_id = '{}'", card.id);
        assert_eq!(app.count(&situations), 0);
    }
    for (card, background) in &kept {
        let record = app.store.card(card.id).await.expect("reads").expect("the card stays");
        assert_eq!(record.background.as_ref(), Some(background), "card {} keeps its background", card.id);
    }

    assert_eq!(answers(&app, &app.admin, &queries).await, before, "the statistics are the same after the purge");
    assert_eq!(answers(&app, &coordinator, &queries[..40]).await, before_coordinator);
    assert_eq!(register_copy(&app, &scanner.token).await, register_before, "scanners' register copies are unchanged");

    // Only whole months and years of the purged range can be asked now.
    for period in [format!("from={old}-03-01&to={old}-04-30"), format!("from={old}-12-01&to={}-01-31", old + 1)] {
        let r = app.get(&format!("/api/v1/statistics?{period}"), Some(&app.admin)).await;
        r.assert_error(422, "period_purged", &[&old.to_string(), "retention", "whole months"]);
    }

    let again = purge_cli(&app, false);
    assert!(again.contains("years: none"), "{again}");
    for line in again.lines().filter(|l| l.contains("deleted")) {
        assert!(line.contains(": 0 were deleted"), "a second purge removes nothing more: {again}");
    }
    assert_eq!(counts(&app, cut), after);
}

#[tokio::test]
async fn the_daily_run_purges_in_short_steps_while_uploads_go_on() {
    let app = spawn_app().await;
    let cut = retention::keep_from(app.now().date_naive(), 2);
    let region = app.region("Pohjanmaa").await;
    let d = app.distributor(region, "Kaupunki").await;
    let venue = app.venue(Some(region), "Museo").await;
    let (old_device, device) = (app.device(venue).await, app.device(venue).await);
    let cards: Vec<Card> = closed_cards(&app, d, cut.pred_opt().expect("a day")).await;
    let old_day = noon(cut - TimeDelta::days(100));
    let many: Vec<_> = (0..6_000).map(|i| old_device.ticket(cards[i % cards.len()].id, old_day)).collect();
    for chunk in many.chunks(1_000) {
        app.redeem_via_store(&old_device, chunk.to_vec()).await;
    }
    let year = DateRange { from: date(cut.year() - 1, 1, 1), to: date(cut.year() - 1, 12, 31) };
    let stats_before = app.store.statistics(Scope::Region(region), year).await.expect("counts");

    let store: Arc<dyn Store> = app.store.clone();
    let clock: Arc<dyn Clock> = app.clock.clone();
    let daily = retention::spawn_daily(store, clock, 2, Duration::ZERO, Duration::from_millis(300));
    let started = std::time::Instant::now();
    let mut uploads = 0;
    while app.count(&format!("SELECT count(*) FROM redemptions WHERE scanned_on < '{cut}'")) > 0 {
        assert!(!daily.is_finished(), "the daily run stopped without purging");
        // Only a hang guard: archiving a year on PostgreSQL takes half a minute alone, longer
        // beside the rest of the suite.
        assert!(started.elapsed() < Duration::from_secs(600), "the daily run did not purge within ten minutes");
        let scan = device.ticket(cards[uploads % cards.len()].id, app.now() - TimeDelta::minutes(5));
        app.upload_ok(&device, &[item(&scan)]).await;
        uploads += 1;
    }
    daily.abort();
    assert_eq!(app.count("SELECT count(*) FROM redemptions WHERE scanned_on >= '2026-01-01'"), uploads as i64);
    let stats_after = app.store.statistics(Scope::Region(region), year).await.expect("archived");
    assert_eq!(stats_after, stats_before, "the purged year's statistics are archived");
}

/// Five cards closed before `closed_by`, with backgrounds.
async fn closed_cards(app: &TestApp, d: kaiku_core::ids::DistributorId, closed_by: NaiveDate) -> Vec<Card> {
    let issued = closed_by - TimeDelta::days(400);
    let mut out = Vec::new();
    for i in 0..5 {
        out.push(app.card(CardKind::Personal, d, issued, Some(varied(i))).await);
    }
    out
}
