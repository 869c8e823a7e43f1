//! The coordinator's statistics dashboard driven through the app's router with real events
//! against a real sync server on 127.0.0.1: cards registered and redemptions uploaded over the
//! server's upload API by an enrolled device, then this year's figures, the month table, one
//! venue's figures, the hidden small cells of the cross-tabulation in fi/sv/en, and the CSV.

use std::rc::Rc;

use chrono::{DateTime, Datelike, TimeDelta, TimeZone, Utc};
use console::{Region, tab, text_of};
use kaiku::i18n::Lang;
use kaiku::storage::MemoryVault;
use kaiku::views::staff::client_stats::{Period, StatsScope};
use kaiku::views::staff::{PeriodErrors, month_name, number, percent, read_period};
use kaiku_core::background::{Background, Gender, MotherTongue, PostalCode};
use kaiku_core::card::Validity;
use kaiku_core::ids::VenueId;
use kaiku_core::redemption::{EntryMethod, OfferKind};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::{Card, CardId, CardKind, KaikuId, Redemption};
use kaiku_sync_server::store::{CardRecord, CodeUse, Store};
use kaiku_sync_server::{auth, codes};
use uuid::Uuid;

#[path = "support/console.rs"]
mod console;
#[path = "support/screen.rs"]
mod screen;

/// The region's year so far:
///
/// - nine personal cards issued on 1 January: F1-F6 women, M1 a man, O1 other, all born in
///   1980, F1 with two children on record; N1 never used;
/// - at the pool on 1 January: F1 (with 2 children) and F2-F6, one adult each = 6 uses;
/// - at the theatre just now: M1, O1, and F1 with 1 child = 3 uses.
///
/// So: 9 handed out, 8 used (88.9 %), 9 uses, 9 adults, 3 children; at the theatre 3 cards,
/// 3 uses, 1 child. By gender: women 6 cards (shown), men 1 and other 1 (hidden).
struct Scene {
    region: Region,
    theatre: VenueId,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
}

fn background(gender: Gender, children: u8) -> Background {
    Background {
        birth_year: 1980,
        gender,
        mother_tongue: MotherTongue::Finnish,
        life_situations: vec![],
        postal_code: PostalCode::parse("96100").expect("a postal code"),
        minor_children: children,
        minor_grandchildren: 0,
    }
}

/// A device of `venue`, enrolled through the store: its record and bearer token.
async fn device(region: &Region, venue: VenueId) -> (kaiku_sync_server::store::DeviceRecord, String) {
    let code = codes::new_one_time_code();
    let now = Utc::now();
    region
        .store
        .create_enrollment_code(venue, &codes::code_hash(&code), now + TimeDelta::hours(1))
        .await
        .expect("a code");
    let secret = codes::new_secret();
    let used = region.store.enroll_device(&codes::code_hash(&code), now, "door", &codes::hash(&secret)).await;
    let Ok(CodeUse::Taken(record)) = used else { panic!("enrollment failed: {used:?}") };
    let token = auth::device_token(record.id, &secret);
    (record, token)
}

/// Uploads `uses` (card, children, time) as the device would, over HTTP; all must be accepted.
async fn upload(
    region: &Region,
    device: &kaiku_sync_server::store::DeviceRecord,
    token: &str,
    uses: &[(CardId, u8, DateTime<Utc>)],
) {
    let items: Vec<Redemption> = uses
        .iter()
        .enumerate()
        .map(|(i, (card, children, at))| Redemption {
            id: Uuid::now_v7(),
            device: device.id,
            seq: i as u64 + 1,
            card: *card,
            venue: device.venue,
            offer: OfferKind::Ticket,
            offer_id: None,
            adults: 1,
            children: *children,
            group: vec![],
            scanned_at: *at,
            entry: EntryMethod::Qr,
            verdict: VerdictCode::Valid,
        })
        .collect();
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/redemptions/batch", region.address))
        .bearer_auth(token)
        .json(&serde_json::json!({ "items": items }))
        .send()
        .await
        .expect("the server answers");
    assert!(response.status().is_success(), "upload answered {}", response.status());
    let body: kaiku_core::wire::UploadResponse = response.json().await.expect("the upload's outcomes");
    let accepted =
        body.outcomes.iter().filter(|o| matches!(o.outcome, kaiku_core::wire::Outcome::Accepted { .. })).count();
    assert_eq!(accepted, uses.len(), "every use is accepted: {:?}", body.outcomes);
}

async fn scene() -> Scene {
    let region = Region::start(5).await;
    let info = region.store.distributor(region.distributor).await.expect("reads").expect("the distributor");
    let pool = region.store.create_venue(Some(info.region), "Uimahalli").await.expect("a venue");
    let theatre = region.store.create_venue(Some(info.region), "Teatteri").await.expect("a venue");
    let now = Utc::now();
    let first = Utc.with_ymd_and_hms(now.year(), 1, 1, 0, 0, 1).single().expect("new year");
    let last = now - TimeDelta::seconds(1);
    let people = [
        (Gender::Female, 2),
        (Gender::Female, 0),
        (Gender::Female, 0),
        (Gender::Female, 0),
        (Gender::Female, 0),
        (Gender::Female, 0),
        (Gender::Male, 0),
        (Gender::Other, 0),
        (Gender::Female, 0),
    ];
    let mut ids = Vec::new();
    for (i, (gender, children)) in people.into_iter().enumerate() {
        let id = CardId::from(KaikuId::new('A', 500 + u32::try_from(i).expect("few")).expect("an id"));
        let card = Card::issue(
            id,
            CardKind::Personal,
            info.region,
            region.distributor,
            first.date_naive(),
            Validity::TwelveMonths,
            children,
        )
        .expect("issues");
        region
            .store
            .insert_card(&CardRecord { card, background: Some(background(gender, children)) })
            .await
            .expect("stored");
        ids.push(id);
    }
    let (pool_device, pool_token) = device(&region, pool).await;
    let at_pool: Vec<_> = (0..6).map(|i| (ids[i], if i == 0 { 2 } else { 0 }, first)).collect();
    upload(&region, &pool_device, &pool_token, &at_pool).await;
    let (stage, stage_token) = device(&region, theatre).await;
    upload(&region, &stage, &stage_token, &[(ids[6], 0, last), (ids[7], 0, last), (ids[0], 1, last)]).await;
    Scene { region, theatre, first, last }
}

#[tokio::test(flavor = "current_thread")]
async fn the_coordinator_sees_this_years_figures_two_clicks_from_home_and_narrows_them_to_one_venue() {
    let s = scene().await;
    let vault = Rc::new(MemoryVault::default());
    let session = s.region.coordinator_signed_in(&vault, "kaarina").await;
    let mut screen = tab(Lang::En, &s.region, &vault, "/staff");
    screen.until("go-statistics").await;
    screen.click("go-statistics");
    let html = screen.until("fig-cards-used").await;
    let year = Utc::now().year();
    assert_eq!(text_of(&html, "stats-heading"), format!("The year {year}: All of my area"));
    for (id, value) in [
        ("fig-cards-registered", "9"),
        ("fig-cards-used", "8"),
        ("fig-usage-rate", "88.9%"),
        ("fig-uses", "9"),
        ("fig-adults", "9"),
        ("fig-children", "3"),
        ("fig-community-uses", "0"),
        ("fig-course-places", "0"),
    ] {
        assert_eq!(text_of(&html, id), value, "{id}");
    }
    // The month table: January's six uses at the pool and this month's three at the theatre.
    let (a, b) = (s.first.format("%Y-%m").to_string(), s.last.format("%Y-%m").to_string());
    let expected: Vec<(String, [&str; 3])> =
        if a == b { vec![(a, ["9", "9", "3"])] } else { vec![(a, ["6", "6", "2"]), (b, ["3", "3", "1"])] };
    for (month, [uses, adults, children]) in &expected {
        assert_eq!(text_of(&html, &format!("month-{month}-0")), *uses, "{month}");
        assert_eq!(text_of(&html, &format!("month-{month}-1")), *adults, "{month}");
        assert_eq!(text_of(&html, &format!("month-{month}-2")), *children, "{month}");
    }
    assert!(
        html.contains(&format!(">{}<", month_name(Lang::En, &format!("{year}-12")))),
        "every month is in the table"
    );
    assert!(html.contains(r#"role="img""#) && html.contains("Column chart: 9 uses over 12 months"), "{html}");
    assert!(html.contains(r#"<th scope="row">Teatteri</th>"#) && html.contains(r#"<th scope="row">Uimahalli</th>"#));
    assert_eq!(text_of(&html, "freq-once-0"), "7");
    assert_eq!(text_of(&html, "freq-twice-0"), "1");
    // The CSV button fetches the server's CSV of the same period and scope.
    let html = html.replace("&#38;", "&");
    assert!(html.contains(&format!(r#"data-query="/api/v1/statistics?year={year}&format=csv""#)), "{html}");

    // One venue: the theatre's three uses.
    screen.choose("stats-scope", &StatsScope::Venue(i64::from(s.theatre.0)).value());
    screen.submit("stats-form");
    let html = screen.until(&format!("The year {year}: Teatteri")).await;
    assert_eq!(text_of(&html, "fig-cards-used"), "3");
    assert_eq!(text_of(&html, "fig-uses"), "3");
    assert_eq!(text_of(&html, "fig-children"), "1");
    assert!(!html.contains("fig-cards-registered"), "a venue hands out no cards");
    let query = format!(r#"data-query="/api/v1/statistics?year={year}&venue={}&format=csv""#, s.theatre.0);
    assert!(html.replace("&#38;", "&").contains(&query), "the CSV asks for the venue: {html}");

    // The CSV the button fetches has the same figures.
    let csv = session
        .api()
        .statistics_csv(Period::Year(year), StatsScope::Venue(i64::from(s.theatre.0)))
        .await
        .expect("the CSV");
    assert!(csv.contains("cards,used,3\n") && csv.contains("all,children,1\n"), "{csv}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_small_group_of_the_cross_tab_says_fewer_than_five_in_every_language() {
    let s = scene().await;
    let vault = Rc::new(MemoryVault::default());
    s.region.coordinator_signed_in(&vault, "kaarina").await;
    for (lang, woman, man, hidden, rate) in [
        (Lang::Fi, "Nainen", "Mies", "alle 5", "88,9\u{a0}%"),
        (Lang::Sv, "Kvinna", "Man", "färre än 5", "88,9\u{a0}%"),
        (Lang::En, "Woman", "Man", "fewer than 5", "88.9%"),
    ] {
        let mut screen = tab(lang, &s.region, &vault, "/staff/statistics");
        let html = screen.until("cross-tab").await;
        assert_eq!(text_of(&html, "fig-usage-rate"), rate, "{lang:?}");
        // Women: 6 cards and 7 uses, shown; men and other: one card each, hidden.
        assert_eq!(text_of(&html, "cell-0-0"), woman, "{lang:?}");
        assert_eq!(text_of(&html, "cell-0-1"), "6", "{lang:?}");
        assert_eq!(text_of(&html, "cell-0-2"), "7", "{lang:?}");
        assert_eq!(text_of(&html, "cell-1-0"), man, "{lang:?}");
        assert_eq!(text_of(&html, "cell-1-1"), hidden, "{lang:?}");
        assert_eq!(text_of(&html, "cell-1-2"), hidden, "{lang:?}");
        assert_eq!(text_of(&html, "cell-2-1"), hidden, "{lang:?}");
        assert!(html.contains("<caption>"), "the tables have captions");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_bad_period_is_told_next_to_its_field_and_the_figures_shown_stay() {
    let s = scene().await;
    let vault = Rc::new(MemoryVault::default());
    s.region.coordinator_signed_in(&vault, "kaarina").await;
    let mut screen = tab(Lang::Fi, &s.region, &vault, "/staff/statistics");
    screen.until("fig-cards-used").await;
    screen.type_in("period-year", "20x6");
    screen.submit("stats-form");
    let html = screen.html();
    assert_eq!(text_of(&html, "period-year-error"), "Vuosi on neljä numeroa, esimerkiksi 2026.");
    assert_eq!(text_of(&html, "fig-cards-used"), "8", "the figures shown stay");
    screen.choose("period-kind", "range");
    screen.type_in("period-from", "2026-05-01");
    screen.type_in("period-to", "2026-04-01");
    screen.submit("stats-form");
    assert_eq!(text_of(&screen.html(), "period-to-error"), "Päättymispäivä ei voi olla ennen alkupäivää.");
}

#[test]
fn numbers_are_written_the_way_each_language_writes_them() {
    assert_eq!(number(Lang::Fi, 1_234_567), "1\u{a0}234\u{a0}567");
    assert_eq!(number(Lang::Sv, 12_345), "12\u{a0}345");
    assert_eq!(number(Lang::En, 12_345), "12,345");
    assert_eq!(number(Lang::Fi, 999), "999");
    assert_eq!(number(Lang::En, 0), "0");
    assert_eq!(percent(Lang::Fi, 87.5), "87,5\u{a0}%");
    assert_eq!(percent(Lang::Sv, 100.0), "100,0\u{a0}%");
    assert_eq!(percent(Lang::En, 83.33), "83.3%");
    assert_eq!(percent(Lang::En, 1234.5), "1,234.5%");
    assert_eq!(month_name(Lang::Fi, "2026-03"), "maaliskuu 2026");
    assert_eq!(month_name(Lang::Sv, "2026-12"), "december 2026");
}

#[test]
fn a_period_is_read_from_its_fields_or_told_what_is_wrong() {
    assert_eq!(read_period("year", "2026", "", "", ""), Ok(Period::Year(2026)));
    assert_eq!(read_period("month", "", "2026-02", "", ""), Ok(Period::Month(2026, 2)));
    assert_eq!(read_period("month", "", "3/2026", "", ""), Ok(Period::Month(2026, 3)));
    assert_eq!(Period::Month(2026, 2).query(), "from=2026-02-01&to=2026-02-28");
    assert_eq!(Period::Year(2026).query(), "year=2026");
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 3, d).expect("a day");
    assert_eq!(read_period("range", "", "", "1.3.2026", "2026-03-31"), Ok(Period::Range(day(1), day(31))));
    assert_eq!(
        read_period("year", "26", "", "", ""),
        Err(PeriodErrors { year: Some("stats-error-year"), ..PeriodErrors::default() })
    );
    assert_eq!(
        read_period("month", "", "2026-13", "", ""),
        Err(PeriodErrors { month: Some("stats-error-month"), ..PeriodErrors::default() })
    );
    let e = read_period("range", "", "", "yesterday", "2026-03-31").expect_err("a bad day");
    assert_eq!((e.from, e.to), (Some("stats-error-day"), None));
}
