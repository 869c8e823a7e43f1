//! Taking the register out and moving it to another server: the round trip keeps statistics
//! and the register copy identical; the command line imports and exports.

use std::process::{Command, Output};

use kaiku_core::ids::RegionId;
use kaiku_core::redemption::OfferKind;
use kaiku_sync_server::clock::Clock;
use kaiku_sync_server::export::{self, ExportFilter, RegisterDump};
use kaiku_sync_server::store::{NewOffer, StoreError};
use serde_json::Value;

use crate::helpers::{TestApp, date, item, noon, spawn_app};
use crate::import::{HEADER, Setup, cards_file, row, setup};

/// A register with imported legacy cards, a Kaiku card, a revoked card, and a community card
/// of a distributor whose name a spreadsheet would take for a formula; uses uploaded over HTTP.
async fn populated() -> (Setup, RegionId) {
    populated_in(setup().await).await
}

/// [`populated`] on a given setup.
pub async fn populated_in(s: Setup) -> (Setup, RegionId) {
    let mut rows = cards_file(30);
    rows[3] = row("AB1000003", "2026-05-01").replace(",active,,,", ",revoked,stolen,2026-02-01,");
    s.import(&format!("{HEADER}\n{}\n", rows.join("\n")), false).await.expect("imports");
    let kaiku = s.app.personal_card(s.distributor, date(2026, 1, 10), 2).await;
    let south = s.app.region("South").await;
    let formula = s.app.distributor(south, "=HYPERLINK(\"http://x\")").await;
    let community = s.app.community_card(formula, date(2026, 2, 1)).await;
    let id = |t: &str| kaiku_core::CardId::parse(t).expect("an id");
    let d = &s.device;
    let scans = [
        d.ticket(id("AB1000000"), noon(date(2026, 3, 1))),
        d.with_children(id("AB1000001"), noon(date(2026, 3, 2)), 1),
        d.course_place(id("AB1000002"), noon(date(2026, 3, 3))),
        d.ticket(id("AB1000000"), noon(date(2026, 4, 1))),
        d.with_children(kaiku.id, noon(date(2026, 5, 1)), 2),
        d.group(community.id, noon(date(2026, 5, 2)), &[id("AB1000010"), kaiku.id], 1),
        d.ticket(id("AB1000020"), noon(date(2025, 12, 30))),
    ];
    let items: Vec<Value> = scans.iter().map(item).collect();
    s.app.upload_ok(d, &items).await;
    (s, south)
}

pub async fn stats(app: &TestApp, query: &str) -> Value {
    let r = app.get(&format!("/api/v1/statistics?{query}"), Some(&app.admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.value()
}

pub async fn register(app: &TestApp, token: &str) -> Vec<kaiku_core::wire::RegisterRecord> {
    app.get("/api/v1/register", Some(token)).await.json::<kaiku_core::wire::RegisterPage>().records
}

pub async fn dump_of(app: &TestApp, filter: ExportFilter) -> RegisterDump {
    app.store.export_register(filter, app.now()).await.expect("exports")
}

#[tokio::test]
async fn export_then_import_into_an_empty_server_gives_identical_statistics_and_register() {
    let (s, _) = populated().await;
    let new_offer = NewOffer { name: "Kesäteatteri 2025".into(), kind: OfferKind::Ticket, limit: Some(20) };
    let summer = s.app.store.create_offer(s.venue, &new_offer).await.expect("an offer");
    let closed = s.app.store.close_offer(summer, s.app.clock.now()).await.expect("closes");
    let dir = tempfile::tempdir().expect("a folder");
    export::write_dir(dir.path(), &dump_of(&s.app, ExportFilter::default()).await).expect("writes");

    let new = spawn_app().await;
    let dump = export::read_dump(&std::fs::read(dir.path().join("register.json")).expect("reads")).expect("a dump");
    let counts = new.store.import_dump(dump.clone()).await.expect("imports");
    assert_eq!((counts.cards, counts.redemptions, counts.devices), (32, 7, 1));

    for query in ["year=2026", "year=2025", "year=2026&region=1", "from=2026-03-01&to=2026-03-31"] {
        assert_eq!(stats(&s.app, query).await, stats(&new, query).await, "statistics for {query}");
    }
    let cross = "/api/v1/statistics/cross-tab?year=2026&by=gender,life_situation";
    assert_eq!(s.app.get(cross, Some(&s.app.admin)).await.text, new.get(cross, Some(&new.admin)).await.text);
    assert_eq!(new.store.offer(summer).await.expect("reads"), Some(closed), "a closed offer stays closed");
    let device = new.device(s.venue).await;
    assert_eq!(register(&s.app, &s.device.token).await, register(&new, &device.token).await);

    let again = dump_of(&new, ExportFilter::default()).await;
    assert_eq!(export::cards_csv(&again), std::fs::read_to_string(dir.path().join("cards.csv")).expect("reads"));
    assert_eq!(
        export::redemptions_csv(&again.redemptions),
        std::fs::read_to_string(dir.path().join("redemptions.csv")).expect("reads")
    );
    let refused = new.store.import_dump(dump).await.expect_err("not empty any more");
    assert!(matches!(refused, StoreError::Conflict(ref m) if m.contains("not empty")), "{refused}");
}

#[tokio::test]
async fn a_formula_in_a_cell_is_guarded_on_export_and_reads_back_on_import() {
    let (s, south) = populated().await;
    let dump = dump_of(&s.app, ExportFilter { region: Some(south), range: None }).await;
    let csv = export::cards_csv(&dump);
    assert!(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","), "{csv}");
    assert_eq!(dump.cards.len(), 1);
    let distributor = dump.distributors[0].id;
    let report = kaiku_sync_server::import::import_cards_csv(
        s.app.store.as_ref(),
        distributor,
        csv.as_bytes(),
        s.app.now().date_naive(),
        false,
    )
    .await
    .expect("reads");
    assert_eq!((report.unchanged, report.bad), (1, 0), "{report}");
}

#[tokio::test]
async fn a_regions_export_holds_its_cards_and_their_uses_in_the_period() {
    let (s, _) = populated().await;
    let range = kaiku_sync_server::store::DateRange { from: date(2026, 3, 1), to: date(2026, 3, 31) };
    let dump = dump_of(&s.app, ExportFilter { region: Some(RegionId(1)), range: Some(range) }).await;
    assert_eq!((dump.regions.len(), dump.cards.len(), dump.redemptions.len()), (1, 31, 3));
    let csv = export::redemptions_csv(&dump.redemptions);
    assert!(csv.starts_with("id,device,seq,card,venue,offer,offer_id,adults,children,group_cards,"), "{csv}");
    assert!(csv.contains(",AB1000002,1,course_place,,1,0,,2026-03-03T12:00:00Z,"), "{csv}");
}

pub fn run(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaiku-sync-server"))
        .arg("--database")
        .arg(db)
        .args(args)
        .env_remove("KAIKU_CONFIG")
        .output()
        .expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn the_command_line_dry_runs_imports_refuses_bad_files_and_moves_the_register() {
    let dir = tempfile::tempdir().expect("a folder");
    let db = crate::backend::new_database_named(dir.path(), "kaiku.sqlite").await;
    stdout(&run(&db, &["init"]));
    {
        let store = kaiku_sync_server::store::open(&db).await.expect("opens");
        let region = store.create_region("Lapland").await.expect("a region");
        store.create_distributor(region, "Social services").await.expect("a distributor");
    }
    let good = dir.path().join("cards.csv");
    std::fs::write(&good, format!("{HEADER}\n{}\n", cards_file(3).join("\n"))).expect("writes");
    let dry = stdout(&run(&db, &["import", "cards", good.to_str().expect("utf-8"), "--distributor", "1", "--dry-run"]));
    assert!(dry.starts_with("Dry run, nothing changed: 3 new, 0 changed, 0 unchanged, 0 bad."), "{dry}");
    let real = stdout(&run(&db, &["import", "cards", good.to_str().expect("utf-8"), "--distributor", "1"]));
    assert!(real.starts_with("Imported: 3 new"), "{real}");

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, format!("{HEADER}\n{}\n", row("AB1000000", "someday"))).expect("writes");
    let refused = run(&db, &["import", "cards", bad.to_str().expect("utf-8"), "--distributor", "1"]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stdout);
    assert!(said.contains("line 2, column valid_until: 'someday' is not a date"), "{said}");

    let out = dir.path().join("out");
    let exported = stdout(&run(&db, &["export", "--out", out.to_str().expect("utf-8")]));
    assert!(exported.starts_with("Exported 3 cards and 0 redemptions"), "{exported}");
    let other = crate::backend::new_database_named(dir.path(), "other.sqlite").await;
    stdout(&run(&other, &["init"]));
    let dump = out.join("register.json");
    let moved = stdout(&run(&other, &["import", "dump", dump.to_str().expect("utf-8")]));
    assert!(moved.starts_with("Imported 1 regions, 1 distributors"), "{moved}");
    let reimport = stdout(&run(
        &other,
        &["import", "cards", out.join("cards.csv").to_str().expect("utf-8"), "--distributor", "1"],
    ));
    assert!(reimport.starts_with("Imported: 0 new, 0 changed, 3 unchanged, 0 bad."), "{reimport}");
}

#[tokio::test]
async fn a_dump_with_a_card_twice_is_refused_and_imports_nothing() {
    let (s, _) = populated().await;
    let mut dump = dump_of(&s.app, ExportFilter::default()).await;
    let twice = dump.cards[3].clone();
    dump.cards.push(twice.clone());
    let new = spawn_app().await;
    let refused = new.store.import_dump(dump).await.expect_err("a card twice");
    assert!(
        matches!(refused, StoreError::Conflict(ref m) if m.contains(&twice.card.id.to_string()) && m.contains("twice")),
        "{refused}"
    );
    assert_eq!(new.count("SELECT count(*) FROM cards"), 0, "nothing of the dump is kept");
}
