//! Importing an existing register's cards from CSV: dry runs, bad rows, re-imports, updates,
//! spreadsheet formats, refused name columns, and the seed's printed card redeemed at a venue.

use kaiku_core::ids::{DistributorId, VenueId};
use kaiku_core::wire::{Outcome, RegisterPage, RegisterRecord};
use kaiku_core::{CardId, CardStatus};
use kaiku_sync_server::import::{ImportError, ImportReport, import_cards_csv};
use kaiku_sync_server::stats::Statistics;

use crate::helpers::{Device, TestApp, date, item, noon, spawn_app};

pub const HEADER: &str = "id,kind,issued_on,valid_until,status,revoked_reason,revoked_on,birth_year,gender,\
                          mother_tongue,life_situations,postal_code,minor_children,minor_grandchildren";

/// A personal legacy card's row, valid until `until`.
pub fn row(id: &str, until: &str) -> String {
    format!("{id},personal,2025-05-01,{until},active,,,1980,female,finnish,unemployed|student,96100,1,0")
}

/// `n` personal cards with two-letter legacy IDs (never a Kaiku ID), valid until 2026-05-01.
pub fn cards_file(n: usize) -> Vec<String> {
    (0..n).map(|i| row(&format!("AB{:07}", 1_000_000 + i), "2026-05-01")).collect()
}

fn file(rows: &[String]) -> String {
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

/// A region with a distributor, a venue, and an enrolled scanner of the venue.
pub struct Setup {
    pub app: TestApp,
    pub distributor: DistributorId,
    pub venue: VenueId,
    pub device: Device,
}

pub async fn setup() -> Setup {
    setup_on(spawn_app().await).await
}

/// [`setup`] on a given server.
pub async fn setup_on(app: TestApp) -> Setup {
    let region = app.region("Lapland").await;
    let distributor = app.distributor(region, "Social services").await;
    let venue = app.venue(Some(region), "Swimming hall").await;
    let device = app.device(venue).await;
    Setup { app, distributor, venue, device }
}

impl Setup {
    pub async fn import(&self, csv: &str, dry_run: bool) -> Result<ImportReport, ImportError> {
        import_cards_csv(
            self.app.store.as_ref(),
            self.distributor,
            csv.as_bytes(),
            self.app.now().date_naive(),
            dry_run,
        )
        .await
    }

    /// The scanner's register copy from `after` (0: a full snapshot), over HTTP.
    pub async fn register(&self, after: u64) -> RegisterPage {
        let r = self.app.get(&format!("/api/v1/register?cursor={after}"), Some(&self.device.token)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    }
}

fn id(text: &str) -> CardId {
    CardId::parse(text).expect("a card id")
}

#[tokio::test]
async fn a_dry_run_counts_what_would_change_and_changes_nothing() {
    let s = setup().await;
    let report = s.import(&file(&cards_file(20)), true).await.expect("the file is read");
    assert_eq!((report.new, report.changed, report.unchanged, report.bad), (20, 0, 0, 0));
    assert!(report.dry_run && !report.applied);
    assert_eq!(s.app.count("SELECT count(*) FROM cards"), 0);
    assert_eq!(s.register(0).await.records, []);
}

#[tokio::test]
async fn three_bad_rows_among_a_thousand_import_nothing_and_each_is_named() {
    let s = setup().await;
    let mut rows = cards_file(1000);
    rows[9] = row("AB1000009", "2026-13-01"); // line 11
    rows[499] = row("1234", "2026-05-01"); // line 501
    rows[996] = rows[996].replace(",96100,", ",9610,"); // line 998
    let report = s.import(&file(&rows), false).await.expect("the file is read");
    assert_eq!((report.new, report.bad), (997, 3));
    assert!(!report.applied);
    let named: Vec<(u64, &str)> = report.bad_rows.iter().map(|b| (b.line, b.column.as_str())).collect();
    assert_eq!(named, [(11, "valid_until"), (501, "id"), (998, "postal_code")]);
    assert!(report.bad_rows[0].reason.contains("2026-13-01"), "{}", report.bad_rows[0].reason);
    assert!(report.to_string().contains("line 501, column id"), "{report}");
    assert_eq!(s.app.count("SELECT count(*) FROM cards"), 0);
}

#[tokio::test]
async fn importing_the_same_file_again_changes_nothing_and_scanners_get_no_delta() {
    let s = setup().await;
    let csv = file(&cards_file(50));
    let first = s.import(&csv, false).await.expect("imports");
    assert_eq!((first.new, first.applied), (50, true));
    let snapshot = s.register(0).await;
    assert_eq!(snapshot.records.len(), 50);

    let again = s.import(&csv, false).await.expect("imports");
    assert_eq!((again.new, again.changed, again.unchanged), (0, 0, 50));
    assert_eq!(again.changes, []);
    let delta = s.register(snapshot.next.0).await;
    assert_eq!((delta.records.len(), delta.next), (0, snapshot.next));
}

#[tokio::test]
async fn an_update_file_renews_and_revokes_and_the_register_delta_carries_both() {
    let s = setup().await;
    let rows = cards_file(10);
    s.import(&file(&rows), false).await.expect("imports");
    let before = s.register(0).await.next;

    let mut newer = rows.clone();
    newer[0] = row("AB1000000", "2027-05-01");
    newer[1] = row("AB1000001", "2026-05-01").replace(",active,,,", ",revoked,lost,2026-03-02,");
    let report = s.import(&file(&newer), false).await.expect("imports");
    assert_eq!((report.new, report.changed, report.unchanged), (0, 2, 8));
    let said: Vec<String> = report.changes.iter().map(|c| format!("{}: {}", c.card, c.changes.join("; "))).collect();
    assert_eq!(said, ["AB1000000: valid until 2026-05-01 -> 2027-05-01", "AB1000001: revoked (lost) on 2026-03-02"]);

    let delta = s.register(before.0).await;
    let cards: Vec<(CardId, RegisterRecord)> = delta.records.iter().map(|r| (r.card, *r)).collect();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0].1.entry.valid_until, date(2027, 5, 1));
    assert!(matches!(cards[1].1.entry.status, kaiku_core::verdict::RegisterStatus::Revoked { .. }));
    let stored = s.app.store.card(id("AB1000001")).await.expect("reads").expect("stored");
    assert!(matches!(stored.card.status, CardStatus::Revoked { .. }));
}

#[tokio::test]
async fn a_semicolon_separated_file_with_a_bom_and_finnish_dates_imports() {
    let s = setup().await;
    let csv = "\u{feff}Kortti;Tyyppi;Myönnetty;Voimassa;Syntymävuosi;Sukupuoli;Äidinkieli;Elämäntilanne;Postinumero\r\n\
               A999123453;personal;1.5.2025;1.5.2026;1975;nainen;suomi;\"työtön|opiskelija\";96100\r\n\
               ;;;;;;;;\r\n";
    let report = s.import(csv, false).await.expect("imports");
    assert_eq!((report.new, report.bad), (1, 0), "{report}");
    let card = s.app.store.card(id("A999123453")).await.expect("reads").expect("stored");
    assert!(card.card.id.is_legacy());
    assert_eq!((card.card.issued_on, card.card.valid_until), (date(2025, 5, 1), date(2026, 5, 1)));
    assert_eq!(card.background.map(|b| b.life_situations.len()), Some(2));
}

#[tokio::test]
async fn a_file_with_a_name_column_is_refused_whole() {
    let s = setup().await;
    let csv = format!("{HEADER},nimi\n{},Matti Meikäläinen\n", row("AB1000000", "2026-05-01"));
    let err = s.import(&csv, false).await.expect_err("refused");
    assert!(err.to_string().contains("names are never stored"), "{err}");
    assert_eq!(s.app.count("SELECT count(*) FROM cards"), 0);
}

#[tokio::test]
async fn another_distributors_card_is_a_bad_row() {
    let s = setup().await;
    s.import(&file(&cards_file(2)), false).await.expect("imports");
    let region = s.app.region("South").await;
    let other = s.app.distributor(region, "Parish").await;
    let report =
        import_cards_csv(s.app.store.as_ref(), other, file(&cards_file(1)).as_bytes(), s.app.now().date_naive(), false)
            .await
            .expect("read");
    assert_eq!((report.bad, report.applied), (1, false));
    assert!(report.bad_rows[0].reason.contains("another distributor"), "{}", report.bad_rows[0].reason);
}

#[tokio::test]
async fn the_seeds_printed_card_imported_is_redeemed_once_and_counted() {
    let s = setup().await;
    let csv = format!("{HEADER}\n{}\n", row("A999123453", "2027-05-01"));
    s.import(&csv, false).await.expect("imports");
    let scan = s.device.ticket(id("A999123453"), noon(date(2026, 6, 14)));

    let first = s.app.upload_ok(&s.device, &[item(&scan)]).await;
    assert!(matches!(first[0].outcome, Outcome::Accepted { .. }), "{first:?}");
    let again = s.app.upload_ok(&s.device, &[item(&scan)]).await;
    assert_eq!(again[0].outcome, Outcome::Duplicate);

    let stats: Statistics = s.app.get("/api/v1/statistics?year=2026", Some(&s.app.admin)).await.json();
    assert_eq!((stats.all.uses, stats.cards_used), (1, 1));
    assert_eq!(stats.per_venue[0].name, "Swimming hall");
    let csv = s.app.get("/api/v1/statistics?year=2026&format=csv", Some(&s.app.admin)).await.text;
    assert!(csv.contains("all,uses,1\n") && csv.contains("uses_per_venue,Swimming hall,1\n"), "{csv}");
    assert_eq!(s.register(0).await.records[0].card, id("A999123453"));
}
