//! Moving a register from SQLite to PostgreSQL (`migrate-to`, the real binary): statistics,
//! cross-tabs, the register copy and the export are the same after, and the tokens and keys
//! moved with it: scanners, staff and holders carry on without enrolling or activating again.

use kaiku_core::wire::{Outcome, RegisterRecord};
use kaiku_sync_server::export::ExportFilter;
use serde_json::Value;

use crate::backend::{new_database_named, postgres_server};
use crate::export::{dump_of, populated_in, register, run, stats, stdout};
use crate::helpers::{TestApp, date, item, noon, spawn_app_on_sqlite, spawn_app_with};
use crate::import::setup_on;

const QUERIES: [&str; 5] =
    ["year=2026", "year=2025", "year=2026&region=1", "year=2026&venue=1", "from=2026-03-01&to=2026-03-31"];
const CROSS_TAB: &str = "/api/v1/statistics/cross-tab?year=2026&by=gender,life_situation";

/// What must read the same before and after: statistics, a cross-tab, the register copy.
async fn answers(app: &TestApp, admin: &str, device_token: &str) -> (Vec<Value>, String, Vec<RegisterRecord>) {
    let mut figures = Vec::new();
    for query in QUERIES {
        let r = app.get(&format!("/api/v1/statistics?{query}"), Some(admin)).await;
        assert_eq!(r.status, 200, "{query}: {}", r.text);
        figures.push(r.value());
    }
    let cross = app.get(CROSS_TAB, Some(admin)).await;
    assert_eq!(cross.status, 200, "{}", cross.text);
    (figures, cross.text, register(app, device_token).await)
}

#[tokio::test]
async fn an_sqlite_register_moved_to_postgresql_answers_the_same_and_keeps_its_tokens() {
    if postgres_server().is_none() {
        eprintln!("skipped: moving into PostgreSQL needs one (KAIKU_TEST_POSTGRES, set by tools/with-postgres)");
        return;
    }
    let (s, _) = populated_in(setup_on(spawn_app_on_sqlite().await).await).await;
    // A second scanner of the same venue scans a card within the flag window: a use to check.
    let other = s.app.device(s.venue).await;
    let card = kaiku_core::CardId::parse("AB1000000").expect("an id");
    s.app.upload_ok(&other, &[item(&other.ticket(card, noon(date(2026, 3, 1)) + chrono::TimeDelta::minutes(5)))]).await;
    assert_eq!(s.app.count("SELECT count(*) FROM flagged_uses"), 1);
    // A card registered with a request key, whose answer the client will not have seen.
    let staff = s.app.user(kaiku_sync_server::store::Role::Distributor(s.distributor)).await.1;
    let community = serde_json::json!({ "kind": "community" });
    let registered =
        s.app.post_with("/api/v1/cards", Some(&staff), ("Idempotency-Key", "before-the-move"), &community).await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    let before = answers(&s.app, &s.app.admin, &s.device.token).await;
    assert_eq!(stats(&s.app, "year=2026").await["flagged_uses"], 1);
    let now = s.app.now();
    let dump_before = dump_of(&s.app, ExportFilter::default()).await;
    let mut old = s.app;
    old.shut_down().await;

    let dir = tempfile::tempdir().expect("a folder");
    let target = new_database_named(dir.path(), "unused").await;
    let moved = stdout(&run(&old.settings.database, &["migrate-to", target.to_str().expect("a URL")]));
    assert!(moved.contains("redemptions: 8\n") && moved.contains("signing_keys: 1\n"), "{moved}");
    assert!(moved.contains("card_requests: 1\n"), "{moved}");
    let again = run(&old.settings.database, &["migrate-to", target.to_str().expect("a URL")]);
    assert!(!again.status.success(), "a second move into the same database is refused");

    let new = spawn_app_with(|settings| settings.database = target.clone()).await;
    assert!(new.on_postgres());
    // The old administrator's and scanner's tokens work on the moved register.
    let after = answers(&new, &old.admin, &s.device.token).await;
    assert_eq!(after, before, "statistics, cross-tab and register copy are the same");
    let mut dump_after = dump_of(&new, ExportFilter::default()).await;
    dump_after.exported_at = now;
    let mut dump_before = dump_before;
    dump_before.exported_at = now;
    assert_eq!(dump_after, dump_before, "every card and redemption moved as it was");

    let resent = new.upload_ok(&s.device, &[item(&s.device.ticket(card, noon(date(2026, 3, 1))))]).await;
    assert!(matches!(resent[0].outcome, Outcome::Accepted { .. }), "a new scan is stored: {resent:?}");
    let repeat = dump_before.redemptions.iter().find(|r| r.device == s.device.id).expect("a scan of the device");
    let body = serde_json::json!({ "items": [serde_json::to_value(repeat_item(repeat)).expect("json")] });
    let r = new.post("/api/v1/redemptions/batch", Some(&s.device.token), body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("\"duplicate\""), "a moved redemption sent again is a duplicate: {}", r.text);
    assert_eq!(new.count("SELECT count(*) FROM redemptions"), 9, "no redemption lost or doubled");

    // Sent again after the move, the registration finds the card it made.
    let cards = new.count("SELECT count(*) FROM cards");
    let resent = new.post_with("/api/v1/cards", Some(&staff), ("Idempotency-Key", "before-the-move"), &community).await;
    assert_eq!(resent.value(), registered.value(), "the same card, as it was registered");
    assert_eq!(new.count("SELECT count(*) FROM cards"), cards);
}

/// A stored redemption as its scanner sent it.
fn repeat_item(r: &kaiku_sync_server::export::RedemptionRow) -> kaiku_core::Redemption {
    kaiku_core::Redemption {
        id: r.id,
        device: r.device,
        seq: r.seq,
        card: r.card,
        venue: r.venue,
        offer: r.offer,
        offer_id: r.offer_id,
        adults: r.adults,
        children: r.children,
        group: r.group.clone(),
        scanned_at: r.scanned_at,
        entry: r.entry,
        verdict: r.verdict,
        undoes: None,
    }
}
