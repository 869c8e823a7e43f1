//! The statistics from the compact rows (`use_facts`, `card_numbers`) against the same figures
//! counted straight from the redemptions and the cards, after uploads with duplicates and their
//! projection, and after the rows are made again by the projector from the first row (as after
//! a dump's import) and by migration 6's backfill.

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::card::Validity;
use kaiku_core::ids::{DeviceId, DistributorId, RegionId, VenueId};
use kaiku_core::redemption::{DoorFields, EntryMethod, OfferKind, RedemptionDraft};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::wire::Outcome;
use kaiku_core::{Card, CardId, CardKind, KaikuId, Redemption};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::Connection;

use super::*;
use crate::stats::{Frequency, UseCounts};
use crate::store::sqlite::{cards, migrations, orgs, projector, stats_facts, sync};
use crate::store::{CardRecord, DeviceRecord, IncomingItem};
use crate::upload::UploadRules;

struct Region {
    conn: Connection,
    _dir: tempfile::TempDir,
    region: RegionId,
    distributors: Vec<DistributorId>,
    venues: Vec<VenueId>,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// A region with two distributors and two venues, and a second region whose cards are used at
/// the first one's venues; 90 cards, every ninth a community card, some without background.
fn region() -> (Region, Vec<Card>) {
    let dir = tempfile::tempdir().expect("a folder");
    let mut conn = Connection::open(dir.path().join("stats.sqlite")).expect("opens");
    migrations::apply(&mut conn).expect("migrates");
    let region = orgs::create_region(&conn, "Region").expect("region");
    let other = orgs::create_region(&conn, "Other region").expect("region");
    let distributors = ["First", "Second"]
        .iter()
        .map(|name| orgs::create_distributor(&conn, region, name).expect("distributor"))
        .collect::<Vec<_>>();
    let elsewhere = orgs::create_distributor(&conn, other, "Elsewhere").expect("distributor");
    let venues = ["Pool", "Theatre"]
        .iter()
        .map(|name| orgs::create_venue(&conn, Some(region), name).expect("venue"))
        .collect::<Vec<_>>();
    let mut rng = StdRng::seed_from_u64(9);
    let mut issued = Vec::new();
    for i in 0..90u32 {
        let kind = if i % 9 == 8 { CardKind::Community } else { CardKind::Personal };
        let (in_region, distributor) = match i % 5 {
            4 => (other, elsewhere),
            n => (region, distributors[usize::from(n % 2 == 1)]),
        };
        let id = CardId::from(KaikuId::new('A', 20_000 + i).expect("card id"));
        let minors = if kind == CardKind::Personal { 2 } else { 0 };
        let card = Card::issue(id, kind, in_region, distributor, day(2025, 6, 1), Validity::TwelveMonths, minors)
            .expect("issues");
        let background = (kind == CardKind::Personal && i % 7 != 3).then(|| Background {
            birth_year: 1950 + rng.random_range(0..50),
            gender: [Gender::Female, Gender::Male][usize::from(rng.random_bool(0.5))],
            mother_tongue: MotherTongue::Finnish,
            life_situations: vec![LifeSituation::Student],
            postal_code: PostalCode::parse("96100").expect("postal code"),
            minor_children: 2,
            minor_grandchildren: 0,
        });
        cards::insert_card(&mut conn, &CardRecord { card: card.clone(), background }).expect("inserts");
        issued.push(card);
    }
    (Region { conn, _dir: dir, region, distributors, venues }, issued)
}

fn device(id: u32, venue: VenueId) -> DeviceRecord {
    let enrolled_at = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).single().expect("time");
    DeviceRecord { id: DeviceId(id), venue, label: "door".into(), secret_hash: vec![], enrolled_at, revoked: false }
}

/// `n` scans between October and March at `venue`, numbered from `seq`.
fn scans(rng: &mut StdRng, cards: &[Card], device: &DeviceRecord, seq: u64, n: u64) -> Vec<Redemption> {
    let personal: Vec<CardId> = cards.iter().filter(|c| c.kind == CardKind::Personal).map(|c| c.id).collect();
    (seq..seq + n)
        .map(|seq| {
            // A few cards come often, so that every frequency bucket has some.
            let card =
                &cards[if rng.random_bool(0.3) { rng.random_range(0..6) } else { rng.random_range(0..cards.len()) }];
            let community = card.kind == CardKind::Community;
            let offer = if !community && rng.random_bool(0.2) { OfferKind::CoursePlace } else { OfferKind::Ticket };
            let group = if community { vec![personal[rng.random_range(0..personal.len())]] } else { vec![] };
            let scanned_at = Utc.with_ymd_and_hms(2025, 10, 1, 10, 0, 0).single().expect("time")
                + TimeDelta::hours(rng.random_range(0..180 * 24));
            let door = DoorFields {
                card: card.id,
                venue: device.venue,
                offer,
                offer_id: None,
                children: if offer == OfferKind::Ticket { rng.random_range(0..3) } else { 0 },
                group,
                scanned_at,
                entry: EntryMethod::Qr,
                verdict: VerdictCode::Valid,
            };
            let draft = RedemptionDraft { id: uuid::Uuid::now_v7(), device: device.id, seq, door };
            Redemption::new(draft, None).expect("valid")
        })
        .collect()
}

/// Projects every stored redemption not done yet.
fn project(conn: &mut Connection) {
    while projector::step(conn).expect("projects") {}
}

/// Uploads `items` and projects them; how many were accepted and how many were duplicates.
fn upload(conn: &mut Connection, device: &DeviceRecord, items: &[Redemption]) -> (usize, usize) {
    let at = Utc.with_ymd_and_hms(2026, 4, 1, 12, 0, 0).single().expect("time");
    let items = items.iter().cloned().map(IncomingItem::Readable).collect();
    let rules = UploadRules { late_after: TimeDelta::days(400), ..UploadRules::default() };
    let outcomes = sync::upload(conn, &mut sync::CardCache::default(), device, items, at, rules).expect("uploads");
    project(conn);
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(&o.outcome)).count();
    (count(|o| matches!(o, Outcome::Accepted { .. })), count(|o| matches!(o, Outcome::Duplicate)))
}

/// The figures counted straight from `redemptions` joined with `cards`.
#[derive(Debug, PartialEq, Eq)]
struct Figures {
    all: UseCounts,
    community: UseCounts,
    course_places: u64,
    per_venue: Vec<(u32, u64)>,
    per_month: Vec<(String, u64, u64, u64)>,
    frequency: Frequency,
    cards_used: u64,
}

/// A count column as a `u64`.
fn n(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
}

/// The scope as a condition on `redemptions r` and `cards c`, with its parameter `?3`.
fn condition(scope: Scope) -> (&'static str, Option<u32>) {
    match scope {
        Scope::Region(r) => ("c.region_id = ?3", Some(r.0)),
        Scope::Distributor(d) => ("c.distributor_id = ?3", Some(d.0)),
        Scope::Venue(v) => ("r.venue_id = ?3", Some(v.0)),
        Scope::All => ("?3 IS NULL", None),
    }
}

/// Uses, adults and children per `key`, from the redemptions of the scope and period.
fn grouped(conn: &Connection, scope: Scope, range: DateRange, key: &str, and: &str) -> Vec<(String, u64, u64, u64)> {
    let (scope_condition, param) = condition(scope);
    let sql = format!(
        "SELECT CAST({key} AS TEXT), count(*), sum(r.adults), sum(r.children) \
         FROM redemptions r JOIN cards c ON c.id = r.card_id \
         WHERE r.scanned_on BETWEEN ?1 AND ?2 AND {scope_condition} {and} GROUP BY 1 ORDER BY 1"
    );
    let mut stmt = conn.prepare(&sql).expect("prepares");
    let rows = stmt
        .query_map(rusqlite::params![range.from, range.to, param], |r| Ok((r.get(0)?, n(r, 1)?, n(r, 2)?, n(r, 3)?)))
        .expect("reads");
    rows.map(|r| r.expect("a row")).collect()
}

fn recount(conn: &Connection, scope: Scope, range: DateRange) -> Figures {
    let total = |and: &str| {
        grouped(conn, scope, range, "'all'", and).first().map_or(UseCounts::default(), |(_, uses, adults, children)| {
            UseCounts { uses: *uses, adults: *adults, children: *children }
        })
    };
    let mut frequency = Frequency::default();
    for (_, uses, _, _) in grouped(conn, scope, range, "r.card_id", "") {
        match uses {
            1 => frequency.once += 1,
            2 => frequency.twice += 1,
            3..=5 => frequency.three_to_five += 1,
            _ => frequency.more_than_five += 1,
        }
    }
    let mut per_venue: Vec<(u32, u64)> = grouped(conn, scope, range, "r.venue_id", "")
        .into_iter()
        .map(|(venue, uses, _, _)| (venue.parse().expect("a venue id"), uses))
        .collect();
    per_venue.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Figures {
        all: total(""),
        community: total("AND r.community = 1"),
        course_places: total("AND r.offer = 'course_place'").uses,
        per_venue,
        per_month: grouped(conn, scope, range, "substr(r.scanned_on, 1, 7)", ""),
        cards_used: frequency.once + frequency.twice + frequency.three_to_five + frequency.more_than_five,
        frequency,
    }
}

/// The same figures as `statistics` gives them.
fn counted(conn: &Connection, scope: Scope, range: DateRange) -> Figures {
    let s = statistics(conn, scope, range).expect("counts");
    Figures {
        all: s.all,
        community: s.community,
        course_places: s.course_places,
        per_venue: s.per_venue.iter().map(|v| (v.id, v.count)).collect(),
        per_month: s
            .per_month
            .iter()
            .filter(|m| m.uses > 0)
            .map(|m| (m.month.clone(), m.uses, m.adults, m.children))
            .collect(),
        frequency: s.frequency,
        cards_used: s.cards_used,
    }
}

/// The cross-tab by gender counted straight from the redemptions.
fn recount_cross_tab(conn: &Connection, scope: Scope, range: DateRange) -> Vec<crate::stats::CellCounts> {
    let (scope_condition, param) = condition(scope);
    let sql = format!(
        "SELECT c.gender, count(DISTINCT c.id), count(*) FROM redemptions r JOIN cards c ON c.id = r.card_id \
         WHERE r.scanned_on BETWEEN ?1 AND ?2 AND {scope_condition} AND c.birth_year IS NOT NULL GROUP BY 1 ORDER BY 1"
    );
    let mut stmt = conn.prepare(&sql).expect("prepares");
    let rows = stmt
        .query_map(rusqlite::params![range.from, range.to, param], |r| {
            Ok(crate::stats::CellCounts { key: vec![r.get(0)?], cards: n(r, 1)?, uses: n(r, 2)? })
        })
        .expect("reads");
    rows.map(|r| r.expect("a row")).collect()
}

fn scopes(r: &Region) -> Vec<Scope> {
    let mut scopes = vec![Scope::All, Scope::Region(r.region), Scope::Region(RegionId(r.region.0 + 1))];
    scopes.extend(r.distributors.iter().map(|d| Scope::Distributor(*d)));
    scopes.extend(r.venues.iter().map(|v| Scope::Venue(*v)));
    scopes
}

fn ranges() -> Vec<DateRange> {
    [
        (day(2025, 1, 1), day(2025, 12, 31)),
        (day(2026, 1, 1), day(2026, 12, 31)),
        (day(2026, 1, 1), day(2026, 1, 31)),
        (day(2025, 11, 15), day(2026, 2, 10)),
        (day(2025, 10, 1), day(2026, 3, 31)),
        (day(2026, 4, 1), day(2026, 4, 30)),
    ]
    .into_iter()
    .map(|(from, to)| DateRange { from, to })
    .collect()
}

fn assert_counted_as_recounted(r: &Region) {
    for scope in scopes(r) {
        for range in ranges() {
            assert_eq!(counted(&r.conn, scope, range), recount(&r.conn, scope, range), "{scope:?} {range:?}");
            let t = cross_tab(&r.conn, scope, range, &[crate::stats::Dimension::Gender]).expect("cross-tab");
            assert_eq!(t.cells, recount_cross_tab(&r.conn, scope, range), "cross-tab {scope:?} {range:?}");
        }
    }
}

/// The use facts as the IDs of their cards, in day order.
fn facts(conn: &Connection) -> Vec<(i64, i64, String, i64)> {
    let mut stmt = conn
        .prepare(
            "SELECT f.day, f.redemption, n.id, f.facts FROM use_facts f JOIN card_numbers n ON n.n = f.card \
             ORDER BY f.day, f.redemption",
        )
        .expect("prepares");
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).expect("reads");
    rows.map(|r| r.expect("a row")).collect()
}

/// Four uploads at two venues: the second resends half of the first and one of its ids with
/// another card, the fourth the whole third again.
fn uploaded() -> Region {
    let (mut r, cards) = region();
    let mut rng = StdRng::seed_from_u64(5);
    let (pool, theatre) = (device(1, r.venues[0]), device(2, r.venues[1]));
    let first = scans(&mut rng, &cards, &pool, 1, 400);
    assert_eq!(upload(&mut r.conn, &pool, &first), (400, 0));
    let mut second = first[..200].to_vec();
    second.push(Redemption { card: cards[1].id, ..first[200].clone() });
    second.extend(scans(&mut rng, &cards, &pool, 401, 100));
    assert_eq!(upload(&mut r.conn, &pool, &second), (100, 201));
    let third = scans(&mut rng, &cards, &theatre, 1, 300);
    assert_eq!(upload(&mut r.conn, &theatre, &third), (300, 0));
    assert_eq!(upload(&mut r.conn, &theatre, &third), (0, 300));
    r
}

#[test]
fn statistics_from_the_compact_rows_are_those_counted_from_the_redemptions_after_duplicates() {
    let r = uploaded();
    let count = |sql: &str| r.conn.query_row(sql, [], |row| row.get::<_, i64>(0)).expect("counts");
    assert_eq!(count("SELECT count(*) FROM redemptions"), 800);
    assert_eq!(count("SELECT count(*) FROM use_facts"), 800, "one row of facts per stored use");
    // The data reaches every figure: each frequency bucket, community uses, course places,
    // uses of the other region's cards.
    let whole = DateRange { from: day(2025, 10, 1), to: day(2026, 3, 31) };
    let all = recount(&r.conn, Scope::All, whole);
    let f = all.frequency;
    assert!(f.once > 0 && f.twice > 0 && f.three_to_five > 0 && f.more_than_five > 0, "{f:?}");
    assert!(all.community.uses > 0 && all.course_places > 0, "{all:?}");
    assert!(recount(&r.conn, Scope::Region(r.region), whole).all.uses < all.all.uses);
    assert_counted_as_recounted(&r);
}

#[test]
fn the_projector_from_the_first_row_and_migration_6_write_the_same_facts() {
    let mut r = uploaded();
    let uploaded = facts(&r.conn);
    // As after a dump's import: nothing derived yet, the projector starts from the first row.
    r.conn
        .execute_batch(
            "DELETE FROM use_facts; DELETE FROM scan_hours; DELETE FROM flagged_uses; DELETE FROM venue_day_uses; \
             DELETE FROM device_uses; UPDATE projection SET through = 0",
        )
        .expect("deletes");
    project(&mut r.conn);
    assert_eq!(facts(&r.conn), uploaded, "after the projection from the first row");
    let tx = r.conn.transaction().expect("a transaction");
    tx.execute_batch("DELETE FROM use_facts; DELETE FROM card_numbers").expect("deletes");
    stats_facts::backfill_after(&tx, 0).expect("backfills everything, as migration 6 does");
    tx.commit().expect("commits");
    assert_eq!(facts(&r.conn), uploaded, "after the migration's backfill");
    assert_counted_as_recounted(&r);
}
