//! Every CSV the server writes neutralises a cell a spreadsheet would run: a name starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return comes out with a `'` in front (and the import
//! takes it off again).

use kaiku_core::ids::RegionId;
use kaiku_sync_server::store::Role;

use crate::helpers::{TestApp, date, noon, spawn_app};

const NAMES: [&str; 6] = ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "\tcmd", "\rx", "+1+1", "-2+3"];

/// The cells of a CSV text, row by row.
fn cells(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    reader.records().map(|r| r.expect("a CSV row").iter().map(str::to_owned).collect()).collect()
}

/// No cell starts as a formula, and each name is there with its `'`.
fn assert_neutralised(what: &str, text: &str, names: &[&str]) {
    let rows = cells(text);
    for cell in rows.iter().flatten() {
        assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{what}: a cell starts as a formula: {cell:?}");
    }
    for name in names {
        let guarded = format!("'{name}");
        assert!(rows.iter().flatten().any(|c| *c == guarded), "{what}: {guarded:?} missing from\n{text}");
    }
}

/// A region whose venues and distributors have the formula names; one community card of each
/// distributor used once at each venue.
async fn region() -> (TestApp, RegionId) {
    let app = spawn_app().await;
    let region = app.region("North").await;
    for (i, name) in NAMES.iter().enumerate() {
        let distributor = app.distributor(region, name).await;
        let venue = app.venue(Some(region), name).await;
        let device = app.device(venue).await;
        let card = app.community_card(distributor, date(2026, 1, 10)).await;
        let member = app.personal_card(distributor, date(2026, 1, 10), 0).await;
        app.redeem_via_store(&device, vec![device.group(card.id, noon(date(2026, 3, 1 + i as u32)), &[member.id], 0)])
            .await;
    }
    (app, region)
}

#[tokio::test]
async fn the_statistics_csv_writes_formula_names_as_text_for_every_role() {
    let (app, region) = region().await;
    let (_, coordinator) = app.user(Role::Coordinator(region)).await;
    for token in [&app.admin, &coordinator] {
        let text = app.get("/api/v1/statistics?year=2026&format=csv", Some(token)).await.text;
        assert_neutralised("statistics", &text, &NAMES);
        assert!(text.contains("uses_per_venue,'@SUM(A1),"), "{text}");
        assert!(text.contains("cards_per_distributor,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), "{text}");
        // A carriage return inside a cell is quoted, so the row stays one row.
        assert!(text.contains("uses_per_venue,\"'\rx\","), "{text:?}");
    }
}

#[tokio::test]
async fn the_cross_tab_csv_holds_no_free_text_and_no_formula() {
    let (app, _) = region().await;
    let path = "/api/v1/statistics/cross-tab?year=2026&by=age_band,gender,postal_code&format=csv";
    let text = app.get(path, Some(&app.admin)).await.text;
    assert_neutralised("cross-tab", &text, &[]);
    assert!(text.starts_with("age_band,gender,postal_code,cards,uses\n"), "{text}");
}

#[tokio::test]
async fn the_cards_and_redemptions_exports_write_formula_names_as_text_and_the_import_reads_them_back() {
    let (app, region) = region().await;
    let (_, coordinator) = app.user(Role::Coordinator(region)).await;
    let cards = app.get("/api/v1/export/cards.csv", Some(&coordinator)).await;
    assert_eq!(cards.status, 200, "{}", cards.text);
    // A community card's row names its distributor, the organisation.
    assert_neutralised("cards.csv", &cards.text, &NAMES);
    let redemptions = app.get("/api/v1/export/redemptions.csv?from=2026-03-01&to=2026-03-31", Some(&coordinator)).await;
    assert_eq!(cells(&redemptions.text).len(), 1 + NAMES.len(), "{}", redemptions.text);
    assert_neutralised("redemptions.csv", &redemptions.text, &[]);

    // The import reads the guarded names back as they were: each distributor's own rows are
    // unchanged.
    let distributors = app.store.export_register(Default::default(), app.now()).await.expect("exports").distributors;
    for d in distributors {
        let own: Vec<&str> = cards.text.lines().filter(|l| l.ends_with(&format!(",{}", d.id))).collect();
        let header = cards.text.lines().next().expect("a header");
        let file = format!("{header}\n{}\n", own.join("\n"));
        let report = kaiku_sync_server::import::import_cards_csv(
            app.store.as_ref(),
            d.id,
            file.as_bytes(),
            app.now().date_naive(),
            true,
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}\n{file}", d.name));
        assert_eq!((report.unchanged, report.bad), (own.len() as u64, 0), "{}: {report}", d.name);
    }
}
