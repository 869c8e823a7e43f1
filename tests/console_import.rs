//! Bringing in the old register from the distributor's console, driven through the app's router
//! in a VirtualDom with real events (`support/screen.rs`) against a real sync server on
//! 127.0.0.1: a bad row is shown with its line, column and reason and nothing is imported; the
//! fixed file is checked, then imported; a name column is refused in every language; and a
//! coordinator's or administrator's home offers the register's CSV files.

use std::rc::Rc;

use console::{Region, tab, text_of};
use dioxus::html::bytes::Bytes;
use dioxus::html::{SerializedFileData, SerializedFormData, SerializedFormObject};
use kaiku::i18n::Lang;
use kaiku::storage::{MemoryVault, save};
use kaiku::views::staff::client::StaffApi;
use kaiku::views::staff::{SESSION_KEY, StaffSession};
use kaiku_core::CardId;
use kaiku_sync_server::store::Store;

#[path = "support/console.rs"]
mod console;
#[path = "support/screen.rs"]
mod screen;
#[path = "support/server.rs"]
mod server;

const HEADER: &str = "id,kind,issued_on,valid_until,status,revoked_reason,revoked_on,birth_year,gender,\
                      mother_tongue,life_situations,postal_code,minor_children,minor_grandchildren";

/// A personal legacy card's row, valid until `until`.
fn row(id: &str, until: &str) -> String {
    format!("{id},personal,2025-05-01,{until},active,,,1980,female,finnish,unemployed,96100,1,0")
}

fn file(rows: &[String]) -> String {
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

fn cards(region: &Region) -> i64 {
    server::count(&region.db, "SELECT COUNT(*) FROM cards")
}

fn id(text: &str) -> CardId {
    CardId::parse(text).expect("a card id")
}

/// Lets any stray request land before counting.
async fn settle(s: &mut screen::Screen) {
    let _ = tokio::time::timeout(std::time::Duration::from_millis(200), s.vdom.wait_for_work()).await;
    s.vdom.render_immediate(&mut s.dom);
}

#[tokio::test(flavor = "current_thread")]
async fn a_bad_row_is_shown_and_nothing_is_imported_then_the_fixed_file_is_checked_and_imported() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    region.signed_in(&vault, "kaisa").await;
    let mut s = tab(Lang::En, &region, &vault, "/staff");
    s.until("Bring in cards from the old register").await;
    s.click("go-import");
    s.until("Check the file").await;

    // Checking with nothing chosen says so next to the text, and sends nothing.
    s.submit("import-form");
    assert_eq!(text_of(&s.html(), "import-text-error"), "Choose a file or paste its text first.");

    // Line 3 has a month 13.
    let bad = file(&[row("A999123453", "2027-05-01"), row("AB1000001", "2027-13-01"), row("AB1000002", "2027-05-01")]);
    s.type_in("import-text", &bad);
    s.submit("import-form");
    let html = s.until("bad-rows").await;
    assert_eq!(
        text_of(&html, "import-bad"),
        "1 row cannot be imported, so nothing will be. Fix it in the file and check again."
    );
    assert_eq!(text_of(&html, "bad-line-0"), "3", "{html}");
    assert_eq!(text_of(&html, "bad-column-0"), "valid_until", "{html}");
    assert!(!text_of(&html, "bad-reason-0").is_empty(), "a reason is given: {html}");
    assert_eq!(text_of(&html, "count-new"), "2", "the good rows are counted: {html}");
    assert!(!html.contains("id=\"import-run\""), "no import with a bad row: {html}");
    settle(&mut s).await;
    assert_eq!(cards(&region), 0, "nothing was imported");
    assert!(region.store.card(id("A999123453")).await.expect("reads").is_none());

    // Fixed: checked, counted, still nothing imported until asked.
    let fixed =
        file(&[row("A999123453", "2027-05-01"), row("AB1000001", "2027-12-01"), row("AB1000002", "2027-05-01")]);
    s.type_in("import-text", &fixed);
    assert!(!s.html().contains("id=\"bad-rows\""), "a new text needs a new check");
    s.submit("import-form");
    let html = s.until("Import 3 cards").await;
    assert_eq!(
        (text_of(&html, "count-new"), text_of(&html, "count-changed"), text_of(&html, "count-unchanged")),
        ("3".into(), "0".into(), "0".into()),
        "{html}"
    );
    settle(&mut s).await;
    assert_eq!(cards(&region), 0, "a check imports nothing");

    s.click("import-run");
    let html = s.until("import-done").await;
    assert_eq!(text_of(&html, "count-new"), "3", "{html}");
    assert_eq!(cards(&region), 3);
    let card = region.store.card(id("A999123453")).await.expect("reads").expect("the card is in the register");
    assert_eq!(card.card.distributor, region.distributor);
    assert_eq!(card.card.valid_until, chrono::NaiveDate::from_ymd_opt(2027, 5, 1).expect("a date"));

    // The same file again changes nothing, and says so.
    s.submit("import-form");
    let html = s.until("import-nothing").await;
    assert_eq!(text_of(&html, "count-unchanged"), "3", "{html}");
    assert!(!html.contains("id=\"import-run\""), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_file_with_a_name_column_is_refused_in_every_language_because_names_are_never_stored() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    region.signed_in(&vault, "sari").await;
    let named =
        "id,name,kind,issued_on,valid_until\nA999123453,Maija Meikäläinen,personal,2025-05-01,2027-05-01\n".to_owned();
    let cases = [
        (Lang::Fi, "Nimiä, henkilötunnuksia ja osoitteita ei koskaan tallenneta rekisteriin"),
        (Lang::Sv, "Namn, personbeteckningar och adresser lagras aldrig i registret"),
        (Lang::En, "Names, identity numbers and addresses are never stored in the register"),
    ];
    for (lang, words) in cases {
        let mut s = tab(lang, &region, &vault, "/staff/cards/import");
        s.until("import-file").await;
        // Chosen as a file, read as the browser's or desktop's file input gives it.
        let chosen = SerializedFileData {
            path: "vanha-rekisteri.csv".into(),
            size: named.len() as u64,
            last_modified: 0,
            content_type: Some("text/csv".into()),
            contents: Some(Bytes::from(named.clone())),
        };
        let object = SerializedFormObject { key: "file".into(), text: None, file: Some(chosen) };
        s.fire("change", "import-file", Box::new(SerializedFormData::new(String::new(), vec![object])));
        s.until("vanha-rekisteri.csv").await;
        s.submit("import-form");
        let html = s.until(words).await;
        assert!(!html.contains("id=\"import-run\""), "{lang:?}: {html}");
    }
    assert_eq!(cards(&region), 0, "nothing was imported");
}

#[tokio::test(flavor = "current_thread")]
async fn an_administrators_home_offers_the_register_as_csv_fetched_with_the_token() {
    let region = Region::start(5).await;
    let vault = Rc::new(MemoryVault::default());
    region.signed_in(&vault, "kaisa").await;
    let distributor =
        StaffApi::new(&region.address, None).sign_in("kaisa", console::PASSWORD).await.expect("signed in");
    let api = StaffApi::new(&region.address, Some(distributor.token));
    api.import_cards(&file(&[row("A999123453", "2027-05-01")]), false).await.expect("imported");

    let admin = StaffApi::new(&region.address, Some(region.admin.clone()));
    let me = admin.me().await.expect("the administrator");
    let session = StaffSession { server: region.address.clone(), token: region.admin.clone(), me };
    save(vault.as_ref(), SESSION_KEY, &session).await.expect("kept");
    let mut s = tab(Lang::En, &region, &vault, "/staff");
    let html = s.until("Download the cards (cards.csv)").await;
    assert!(html.contains("Download the uses (redemptions.csv)"), "{html}");

    // What the buttons fetch: the token goes in the header, the CSV comes back.
    let cards_csv = admin.export("cards.csv").await.expect("cards.csv");
    assert!(cards_csv.lines().any(|l| l.starts_with("A999123453")), "{cards_csv}");
    let uses = admin.export("redemptions.csv").await.expect("redemptions.csv");
    assert!(uses.lines().count() <= 1, "no uses yet, at most the header: {uses}");
    let refused = api.export("cards.csv").await.expect_err("a distributor does not export");
    assert_eq!(refused.code(), "forbidden");
}
