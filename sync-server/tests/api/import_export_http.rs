//! Import and export over HTTP, as the console will use them: a distributor posts a cards CSV,
//! a coordinator downloads its region's cards and redemptions.

use kaiku_core::CardId;
use kaiku_core::ids::RegionId;
use kaiku_sync_server::import::ImportReport;
use kaiku_sync_server::routes::transfer::ImportRefused;
use kaiku_sync_server::store::Role;
use reqwest::StatusCode;

use crate::helpers::{date, item, noon};
use crate::import::{HEADER, Setup, cards_file, row, setup};

async fn post_csv(s: &Setup, token: &str, query: &str, csv: &str) -> crate::helpers::Reply {
    let path = format!("/api/v1/cards/import{query}");
    s.app.post_raw(&path, Some(token), Some("text/csv; charset=utf-8"), None, csv.as_bytes().to_vec()).await
}

#[tokio::test]
async fn a_distributor_imports_a_csv_over_http_after_a_dry_run_that_changes_nothing() {
    let s = setup().await;
    let (_, token) = s.app.user(Role::Distributor(s.distributor)).await;
    let csv = format!("{HEADER}\n{}\n", cards_file(2).join("\n"));

    let dry = post_csv(&s, &token, "?dry_run=true", &csv).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text);
    let dry: ImportReport = dry.json();
    assert_eq!((dry.new, dry.dry_run, dry.applied), (2, true, false));
    assert_eq!(s.app.count("SELECT count(*) FROM cards"), 0);

    let real: ImportReport = post_csv(&s, &token, "", &csv).await.json();
    assert_eq!((real.new, real.applied), (2, true));
    let again: ImportReport = post_csv(&s, &token, "", &csv).await.json();
    assert_eq!((again.new, again.unchanged), (0, 2));
}

#[tokio::test]
async fn bad_rows_and_name_columns_over_http_are_refused_with_what_is_wrong() {
    let s = setup().await;
    let (_, token) = s.app.user(Role::Distributor(s.distributor)).await;
    let mut rows = cards_file(5);
    rows[1] = row("AB1000001", "31.2.2027");
    rows[3] = rows[3].replace("personal", "family");
    let reply = post_csv(&s, &token, "", &format!("{HEADER}\n{}\n", rows.join("\n"))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
    let refused: ImportRefused = reply.json();
    assert_eq!(refused.code, "invalid_rows");
    let named: Vec<(u64, &str)> = refused.bad_rows.iter().map(|b| (b.line, b.column.as_str())).collect();
    assert_eq!(named, [(3, "valid_until"), (5, "kind")]);
    assert_eq!(refused.report.map(|r| (r.new, r.applied)), Some((3, false)));
    assert_eq!(s.app.count("SELECT count(*) FROM cards"), 0);

    let named = post_csv(&s, &token, "", &format!("Namn,{HEADER}\n")).await;
    named.assert_error(422, "personal_data_refused", &["names are never stored"]);
    let json = s.app.post("/api/v1/cards/import", Some(&token), serde_json::json!({})).await;
    json.assert_error(415, "unsupported_media_type", &["text/csv"]);
}

#[tokio::test]
async fn a_coordinator_downloads_its_own_regions_cards_and_redemptions() {
    let s = setup().await;
    s.import(&format!("{HEADER}\n{}\n", cards_file(3).join("\n")), false).await.expect("imports");
    let south = s.app.region("South").await;
    let parish = s.app.distributor(south, "Parish").await;
    s.app.community_card(parish, date(2026, 1, 5)).await;
    let card = CardId::parse("AB1000001").expect("an id");
    let uses = [s.device.ticket(card, noon(date(2026, 3, 1))), s.device.ticket(card, noon(date(2026, 5, 1)))];
    s.app.upload_ok(&s.device, &uses.iter().map(item).collect::<Vec<_>>()).await;
    let (_, coordinator) = s.app.user(Role::Coordinator(RegionId(1))).await;

    let cards = s.app.get("/api/v1/export/cards.csv", Some(&coordinator)).await;
    assert_eq!(cards.status, StatusCode::OK, "{}", cards.text);
    assert!(cards.content_type().starts_with("text/csv"), "{}", cards.content_type());
    let lines: Vec<&str> = cards.text.lines().collect();
    assert_eq!(lines.len(), 4, "a header and the region's three cards: {}", cards.text);
    assert!(lines[2].starts_with("AB1000001,personal,2025-05-01,2026-05-01,active,"), "{}", lines[2]);

    let period = "/api/v1/export/redemptions.csv?from=2026-04-01&to=2026-06-30";
    let redemptions = s.app.get(period, Some(&coordinator)).await.text;
    assert_eq!(redemptions.lines().count(), 2, "{redemptions}");
    assert!(redemptions.contains(",AB1000001,1,ticket,,1,0,,2026-05-01T12:00:00Z,"), "{redemptions}");
    let other = s.app.get(&format!("/api/v1/export/cards.csv?region={south}"), Some(&coordinator)).await;
    other.assert_error(403, "forbidden", &["coordinator"]);
}
