//! The coordinator's statistics dashboard driven through the app's router with real events
//! against a real sync server on 127.0.0.1: cards registered and redemptions uploaded over the
//! server's upload API by an enrolled device, then this year's figures as the coordinator sees
//! them (rounded to 5, "fewer than 5" for 1-4, with a note saying so), the month table, one
//! venue's figures, the small groups of the cross-tabulation added up in one row in fi/sv/en,
//! the CSV, a range of whole months; and the administrator's exact figures.

use std::rc::Rc;

use chrono::{DateTime, Datelike, TimeDelta, TimeZone, Utc};
use console::{Region, tab, text_of};
use kaiku::i18n::Lang;
use kaiku::storage::{MemoryVault, save};
use kaiku::views::staff::client::NewUser;
use kaiku::views::staff::client_stats::{Period, StatsScope};
use kaiku::views::staff::{PeriodErrors, SESSION_KEY, month_name, number, percent, read_period};
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
/// So, exactly: 9 handed out, 8 used (88.9 %), 9 uses, 9 adults, 3 children; at the theatre 3
/// cards, 3 uses, 1 child. By gender: women 6 cards and 7 uses (listed), men 1 and other 1
/// (added up). The coordinator sees 10 handed out, 10 used (10 of 10 valid: 100 %), 10 uses,
/// 10 adults, fewer than 5 children; women 5 cards and 5 uses.
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
            undoes: None,
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
        ("fig-cards-registered", "10"),
        ("fig-cards-used", "10"),
        ("fig-usage-rate", "100.0%"),
        ("fig-uses", "10"),
        ("fig-adults", "10"),
        ("fig-children", "fewer than 5"),
        ("fig-community-uses", "0"),
        ("fig-community-people", "0"),
        ("fig-course-places", "0"),
    ] {
        assert_eq!(text_of(&html, id), value, "{id}");
    }
    assert!(
        text_of(&html, "stats-rounded").contains("rounded to the nearest 5"),
        "the note says the figures are rounded"
    );
    // The month table: January's six uses at the pool and this month's three at the theatre.
    let (a, b) = (s.first.format("%Y-%m").to_string(), s.last.format("%Y-%m").to_string());
    let fewer = "fewer than 5";
    let expected: Vec<(String, [&str; 3])> = if a == b {
        vec![(a, ["10", "10", fewer])]
    } else {
        vec![(a, ["5", "5", fewer]), (b.clone(), [fewer, fewer, fewer])]
    };
    for (month, [uses, adults, children]) in &expected {
        assert_eq!(text_of(&html, &format!("month-{month}-0")), *uses, "{month}");
        assert_eq!(text_of(&html, &format!("month-{month}-1")), *adults, "{month}");
        assert_eq!(text_of(&html, &format!("month-{month}-2")), *children, "{month}");
    }
    assert!(
        html.contains(&format!(">{}<", month_name(Lang::En, &format!("{year}-12")))),
        "every month is in the table"
    );
    assert!(html.contains(r#"role="img""#) && html.contains("Column chart: 10 uses over 12 months"), "{html}");
    assert!(html.contains(r#"<th scope="row">Teatteri</th>"#) && html.contains(r#"<th scope="row">Uimahalli</th>"#));
    assert_eq!(text_of(&html, "freq-once-0"), "5", "7 cards");
    assert_eq!(text_of(&html, "freq-twice-0"), fewer, "1 card");
    // The CSV button fetches the server's CSV of the same period and scope.
    let html = html.replace("&#38;", "&");
    assert!(html.contains(&format!(r#"data-query="/api/v1/statistics?year={year}&format=csv""#)), "{html}");

    // One venue: the theatre's three uses.
    screen.choose("stats-scope", &StatsScope::Venue(i64::from(s.theatre.0)).value());
    screen.submit("stats-form");
    let html = screen.until(&format!("The year {year}: Teatteri")).await;
    assert_eq!(text_of(&html, "fig-cards-used"), fewer);
    assert_eq!(text_of(&html, "fig-uses"), fewer);
    assert_eq!(text_of(&html, "fig-children"), fewer);
    assert!(!html.contains("fig-cards-registered"), "a venue hands out no cards");
    let query = format!(r#"data-query="/api/v1/statistics?year={year}&venue={}&format=csv""#, s.theatre.0);
    assert!(html.replace("&#38;", "&").contains(&query), "the CSV asks for the venue: {html}");

    // The CSV the button fetches has the same figures.
    let csv = session
        .api()
        .statistics_csv(Period::Year(year), StatsScope::Venue(i64::from(s.theatre.0)))
        .await
        .expect("the CSV");
    assert!(csv.contains("cards,used,<5\n") && csv.contains("all,children,<5\n"), "{csv}");

    // A range of whole months, from January to this month.
    screen.choose("period-kind", "range");
    assert_eq!(input_type(&screen.html(), "period-from"), "month");
    screen.type_in("period-from", &format!("{year}-01"));
    screen.type_in("period-to", &s.last.format("%Y-%m").to_string());
    screen.submit("stats-form");
    let html = screen.until(&format!("January {year} – {}", month_name(Lang::En, &b))).await;
    assert_eq!(text_of(&html, "fig-uses"), fewer, "the theatre's three uses");
}

#[tokio::test(flavor = "current_thread")]
async fn the_administrator_sees_the_exact_figures_without_the_note() {
    let s = scene().await;
    let vault = Rc::new(MemoryVault::default());
    let admin = NewUser { role: "admin".into(), scope: None, label: "Pääkäyttäjä".into() };
    let session = s.region.accept(&s.region.invite(&admin).await, "paakayttaja").await;
    save(vault.as_ref(), SESSION_KEY, &session).await.expect("kept");
    let mut screen = tab(Lang::En, &s.region, &vault, "/staff/statistics");
    let html = screen.until("fig-cards-used").await;
    for (id, value) in
        [("fig-cards-registered", "9"), ("fig-cards-used", "8"), ("fig-usage-rate", "88.9%"), ("fig-children", "3")]
    {
        assert_eq!(text_of(&html, id), value, "{id}");
    }
    assert!(!html.contains("stats-rounded"), "no note for exact figures");
    // Women 6 cards and 7 uses, exactly; men and other, 1 card each, added up.
    assert_eq!((text_of(&html, "cell-0-1"), text_of(&html, "cell-0-2")), ("6".into(), "7".into()));
    assert_eq!((text_of(&html, "cell-other-1"), text_of(&html, "cell-other-2")), ("2".into(), "2".into()));
    // The range is of days for the administrator.
    screen.choose("period-kind", "range");
    assert_eq!(input_type(&screen.html(), "period-from"), "date");
}

/// The `type` of the input with `id`.
fn input_type(html: &str, id: &str) -> String {
    let at = html.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no {id} in {html}"));
    let start = html[..at].rfind("<input").expect("an input");
    let tag = &html[start..at + html[at..].find('>').expect("the tag ends")];
    let value = tag.split(r#"type=""#).nth(1).expect("a type");
    value[..value.find('"').expect("quoted")].to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn a_small_group_of_the_cross_tab_says_fewer_than_five_in_every_language() {
    let s = scene().await;
    let vault = Rc::new(MemoryVault::default());
    s.region.coordinator_signed_in(&vault, "kaarina").await;
    for (lang, woman, man, others, hidden, rate, note) in [
        (
            Lang::Fi,
            "Nainen",
            "Mies",
            "Pienemmät ryhmät yhteensä",
            "alle 5",
            "100,0\u{a0}%",
            "pyöristetty lähimpään viiteen",
        ),
        (
            Lang::Sv,
            "Kvinna",
            "Man",
            "Mindre grupper sammanlagt",
            "färre än 5",
            "100,0\u{a0}%",
            "avrundade till närmaste fem",
        ),
        (Lang::En, "Woman", "Man", "Smaller groups together", "fewer than 5", "100.0%", "rounded to the nearest 5"),
    ] {
        let mut screen = tab(lang, &s.region, &vault, "/staff/statistics");
        let html = screen.until("cross-tab").await;
        assert_eq!(text_of(&html, "fig-usage-rate"), rate, "{lang:?}");
        assert!(text_of(&html, "stats-rounded").contains(note), "{lang:?}");
        assert_eq!(text_of(&html, "fig-children"), hidden, "{lang:?}");
        // Women: 6 cards and 7 uses, listed as 5 and 5; men and other: one card each, added up
        // in the last row, their genders nowhere.
        assert_eq!(text_of(&html, "cell-0-0"), woman, "{lang:?}");
        assert_eq!(text_of(&html, "cell-0-1"), "5", "{lang:?}");
        assert_eq!(text_of(&html, "cell-0-2"), "5", "{lang:?}");
        assert!(!html.contains("cell-1-0") && !html.contains(&format!(">{man}<")), "{lang:?}: no row of men");
        assert!(html.contains(&format!(r#"<th scope="row">{others}</th>"#)), "{lang:?}");
        assert_eq!(text_of(&html, "cell-other-1"), hidden, "{lang:?}");
        assert_eq!(text_of(&html, "cell-other-2"), hidden, "{lang:?}");
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
    assert_eq!(text_of(&html, "fig-cards-used"), "10", "the figures shown stay");
    // The coordinator's range is of whole months: a day is not one.
    screen.choose("period-kind", "range");
    screen.type_in("period-from", "2026-05-01");
    screen.type_in("period-to", "2026-04");
    screen.submit("stats-form");
    assert_eq!(text_of(&screen.html(), "period-from-error"), "Kirjoita kuukausi muodossa 2026-03 tai 3/2026.");
    screen.type_in("period-from", "2026-05");
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
    for whole_months in [true, false] {
        assert_eq!(read_period("year", "2026", "", "", "", whole_months), Ok(Period::Year(2026)));
        assert_eq!(read_period("month", "", "2026-02", "", "", whole_months), Ok(Period::Month(2026, 2)));
        assert_eq!(read_period("month", "", "3/2026", "", "", whole_months), Ok(Period::Month(2026, 3)));
    }
    assert_eq!(Period::Month(2026, 2).query(), "from=2026-02-01&to=2026-02-28");
    assert_eq!(Period::Year(2026).query(), "year=2026");
    let day = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2026, m, d).expect("a day");
    // An administrator's range is of days; everyone else's of whole months.
    assert_eq!(read_period("range", "", "", "1.3.2026", "2026-03-31", false), Ok(Period::Range(day(3, 1), day(3, 31))));
    let months = read_period("range", "", "", "2/2026", "2026-04", true);
    assert_eq!(months, Ok(Period::Range(day(2, 1), day(4, 30))));
    assert_eq!(months.map(Period::query), Ok("from=2026-02-01&to=2026-04-30".into()));
    assert_eq!(Period::Range(day(2, 1), day(4, 30)).whole_months(), Some(((2026, 2), (2026, 4))));
    assert_eq!(Period::Range(day(2, 1), day(4, 29)).whole_months(), None);
    assert_eq!(
        read_period("year", "26", "", "", "", true),
        Err(PeriodErrors { year: Some("stats-error-year"), ..PeriodErrors::default() })
    );
    assert_eq!(
        read_period("month", "", "2026-13", "", "", true),
        Err(PeriodErrors { month: Some("stats-error-month"), ..PeriodErrors::default() })
    );
    let e = read_period("range", "", "", "yesterday", "2026-03-31", false).expect_err("a bad day");
    assert_eq!((e.from, e.to), (Some("stats-error-day"), None));
    let e = read_period("range", "", "", "2026-03-01", "2026-03", true).expect_err("a day is not a month");
    assert_eq!((e.from, e.to), (Some("stats-error-month"), None));
    let e = read_period("range", "", "", "2026-05", "2026-04", true).expect_err("backwards");
    assert_eq!((e.from, e.to), (None, Some("stats-error-order")));
}
