//! Demo data: a region with its distributors and venues, cards and a year of redemptions, so
//! that every screen has something real to show. Deterministic per seed (and today's date).
//!
//! The size is chosen: the default is small (`serve --demo`); `demo --cards 100000
//! --redemptions 1000000` makes a region big enough to time the dashboard with. Cards go in
//! through the store's import (one transaction a chunk), redemptions through its upload.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::card::{RevocationReason, Validity};
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use kaiku_core::redemption::{DoorFields, EntryMethod, OfferKind, RedemptionDraft};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::wire::{Offer, Outcome};
use kaiku_core::{Card, CardId, CardKind, CardStatus, KaikuId, Redemption};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::clock::Clock;
use crate::codes;
use crate::import::ImportRow;
use crate::store::{CardRecord, CodeUse, DeviceRecord, IncomingItem, NewOffer, Role, Store, StoreError, StoreResult};
use crate::upload::UploadRules;

/// What a person needs to try the demo: tokens and one-time codes (shown once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccess {
    pub coordinator_token: String,
    pub distributor_tokens: Vec<(String, String)>,
    pub venue_tokens: Vec<(String, String)>,
    pub activation_codes: Vec<(CardId, String)>,
    pub enrollment_code: String,
    /// A printed card of the national register's numbering, as if imported.
    pub legacy_card: CardId,
    pub cards: usize,
    pub redemptions: usize,
}

/// How much demo data: cards handed out (over the last 18 months) and redemptions (over the
/// last year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSize {
    pub cards: usize,
    pub redemptions: usize,
}

impl DemoSize {
    /// What `serve --demo` makes: enough for every screen, quick to create.
    pub const SMALL: Self = Self { cards: 320, redemptions: 3_000 };
}

impl Default for DemoSize {
    fn default() -> Self {
        Self::SMALL
    }
}

const DISTRIBUTORS: [&str; 8] = [
    "Sosiaalitoimi (demo)",
    "Setlementti ry (demo)",
    "Seurakunta (demo)",
    "Mielenterveysseura (demo)",
    "Työllisyyspalvelut (demo)",
    "Maahanmuuttajapalvelut (demo)",
    "Nuorisopalvelut (demo)",
    "Vanhuspalvelut (demo)",
];

const VENUES: [(&str, &[(&str, OfferKind)]); 6] = [
    ("Uimahalli Vesihiisi", &[("Uinti", OfferKind::Ticket)]),
    ("Kaupunginteatteri", &[("Näytökset", OfferKind::Ticket)]),
    ("Kansalaisopisto", &[("Kurssit", OfferKind::CoursePlace), ("Konsertit", OfferKind::Ticket)]),
    ("Taidemuseo", &[("Näyttelyt", OfferKind::Ticket)]),
    ("Kaupunginorkesteri", &[("Konsertit", OfferKind::Ticket)]),
    ("Tiedekeskus", &[("Näyttelyt", OfferKind::Ticket)]),
];

/// A big demo gets the whole lists; the small one keeps two distributors and three venues.
fn orgs(size: DemoSize) -> (usize, usize) {
    if size.cards > DemoSize::SMALL.cards { (DISTRIBUTORS.len(), VENUES.len()) } else { (2, 3) }
}

/// How many items one upload call stores (one transaction).
const UPLOAD_CHUNK: usize = 20_000;
/// How many cards one import call stores (one transaction).
const IMPORT_CHUNK: usize = 25_000;

struct DemoVenue {
    id: VenueId,
    device: DeviceRecord,
    offers: Vec<Offer>,
    seq: u64,
    items: Vec<IncomingItem>,
}

/// Fills an initialised, empty register with the small demo.
pub async fn populate(store: &dyn Store, clock: &dyn Clock, seed: u64) -> StoreResult<DemoAccess> {
    populate_sized(store, clock, seed, DemoSize::SMALL).await
}

/// Fills an initialised, empty register with demo data of `size`.
pub async fn populate_sized(
    store: &dyn Store,
    clock: &dyn Clock,
    seed: u64,
    size: DemoSize,
) -> StoreResult<DemoAccess> {
    let mut rng = StdRng::seed_from_u64(seed);
    let now = clock.now();
    let (n_distributors, n_venues) = orgs(size);
    let region = store.create_region("Rovaniemi (demo)").await?;
    let coordinator_token = new_user(store, Role::Coordinator(region), "Demo coordinator").await?;
    let mut distributor_tokens = Vec::new();
    let mut distributors = Vec::new();
    for name in &DISTRIBUTORS[..n_distributors] {
        let d = store.create_distributor(region, name).await?;
        distributor_tokens.push(((*name).to_owned(), new_user(store, Role::Distributor(d), name).await?));
        distributors.push(d);
    }
    let mut venues = Vec::new();
    let mut venue_tokens = Vec::new();
    for (name, offers) in &VENUES[..n_venues] {
        let id = store.create_venue(Some(region), name).await?;
        for (offer, kind) in *offers {
            store.create_offer(id, &NewOffer { name: (*offer).to_owned(), kind: *kind, limit: None }).await?;
        }
        venue_tokens.push(((*name).to_owned(), new_user(store, Role::Venue(id), name).await?));
        let device = enroll(store, id, now, "Demo door phone").await?;
        venues.push(DemoVenue { id, device, offers: store.offers(id).await?, seq: 0, items: Vec::new() });
    }
    let mut cards = register_cards(store, &mut rng, region, &distributors, now.date_naive(), size.cards).await?;
    let legacy = legacy_card(store, &mut rng, region, distributors[0], now.date_naive()).await?;
    let legacy_card = legacy.id;
    let redemptions = redeem(store, &mut rng, &cards, &mut venues, now, size.redemptions).await?;
    cards.push(legacy);
    let mut activation_codes = Vec::new();
    let today = now.date_naive();
    // Personal Kaiku cards go on the phone (the printed legacy card gets no activation code), so
    // the first code printed opens a card that one tap at the door records.
    let phone_ready = |c: &&Card| {
        matches!(c.id, CardId::Kaiku(_))
            && c.kind == CardKind::Personal
            && c.valid_until >= today
            && c.status == CardStatus::Active
    };
    for card in cards.iter().rev().filter(phone_ready).take(5) {
        let code = codes::new_one_time_code();
        store.create_activation_code(card.id, &codes::code_hash(&code), now + TimeDelta::days(30)).await?;
        activation_codes.push((card.id, code));
    }
    let enrollment_code = codes::new_one_time_code();
    store.create_enrollment_code(venues[0].id, &codes::code_hash(&enrollment_code), now + TimeDelta::days(1)).await?;
    Ok(DemoAccess {
        coordinator_token,
        distributor_tokens,
        venue_tokens,
        activation_codes,
        enrollment_code,
        legacy_card,
        cards: cards.len(),
        redemptions,
    })
}

async fn new_user(store: &dyn Store, role: Role, label: &str) -> StoreResult<String> {
    let secret = codes::new_secret();
    let id = store.create_user(role, label, &codes::hash(&secret)).await?;
    Ok(crate::auth::user_token(id, &secret))
}

async fn enroll(store: &dyn Store, venue: VenueId, now: DateTime<Utc>, label: &str) -> StoreResult<DeviceRecord> {
    let code = codes::new_one_time_code();
    store.create_enrollment_code(venue, &codes::code_hash(&code), now + TimeDelta::hours(1)).await?;
    match store.enroll_device(&codes::code_hash(&code), now, label, &codes::hash(&codes::new_secret())).await? {
        CodeUse::Taken(d) => Ok(d),
        other => Err(StoreError::Backend(format!("demo enrollment failed: {other:?}"))),
    }
}

fn background(rng: &mut StdRng, year: i32) -> StoreResult<Background> {
    const SITUATIONS: [LifeSituation; 6] = [
        LifeSituation::SingleParent,
        LifeSituation::Unemployed,
        LifeSituation::Student,
        LifeSituation::Pensioner,
        LifeSituation::LongTermIll,
        LifeSituation::InDebt,
    ];
    let gender = match rng.random_range(0..100) {
        0..55 => Gender::Female,
        55..95 => Gender::Male,
        95..98 => Gender::Other,
        _ => Gender::NotSaid,
    };
    let tongue =
        [MotherTongue::Finnish, MotherTongue::Swedish, MotherTongue::Russian, MotherTongue::Arabic, MotherTongue::Sami]
            [rng.random_range(0..20usize).saturating_sub(15).min(4)];
    let situation = SITUATIONS[rng.random_range(0..SITUATIONS.len())];
    let postal = ["96100", "96200", "96300", "96400", "96460"][rng.random_range(0..5usize)];
    let children =
        if situation == LifeSituation::SingleParent { rng.random_range(1..4u8) } else { rng.random_range(0..2u8) };
    Ok(Background {
        birth_year: year - rng.random_range(16..80),
        gender,
        mother_tongue: tongue,
        life_situations: vec![situation],
        postal_code: PostalCode::parse(postal).map_err(|e| StoreError::Backend(e.to_string()))?,
        minor_children: children,
        minor_grandchildren: u8::from(rng.random_bool(0.1)),
    })
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// `n` cards issued over the last 540 days, oldest first (so the cards valid on a day are
/// one run of the list); every 16th a community card, every 40th revoked after two months.
async fn register_cards(
    store: &dyn Store,
    rng: &mut StdRng,
    region: RegionId,
    distributors: &[DistributorId],
    today: NaiveDate,
    n: usize,
) -> StoreResult<Vec<Card>> {
    let mut cards = Vec::with_capacity(n);
    let mut by_distributor: Vec<Vec<ImportRow>> = distributors.iter().map(|_| Vec::new()).collect();
    let mut id = KaikuId::new('A', 10_000).map_err(backend)?;
    let first_day = today - TimeDelta::days(539);
    for i in 0..n {
        let kind = if i % 16 == 15 { CardKind::Community } else { CardKind::Personal };
        let issued = first_day + TimeDelta::days(i64::try_from(i * 540 / n.max(1)).unwrap_or(0));
        let bg = match kind {
            CardKind::Personal => Some(background(rng, issued.year())?),
            CardKind::Community => None,
        };
        // The first distributor hands out the most, the others fewer and fewer.
        let d = (0..distributors.len()).find(|_| rng.random_bool(0.45)).unwrap_or(0);
        let minors = bg.as_ref().map_or(0, Background::minors_on_record);
        let mut card = Card::issue(id.into(), kind, region, distributors[d], issued, Validity::TwelveMonths, minors)
            .map_err(backend)?;
        if i % 40 == 7 {
            card.revoke(RevocationReason::Lost, issued + TimeDelta::days(60)).map_err(backend)?;
        }
        let line = u64::try_from(i).unwrap_or(u64::MAX) + 2;
        by_distributor[d].push(ImportRow { line, record: CardRecord { card: card.clone(), background: bg } });
        if by_distributor[d].len() >= IMPORT_CHUNK {
            import(store, distributors[d], std::mem::take(&mut by_distributor[d])).await?;
        }
        cards.push(card);
        id = id.next_in_series().ok_or_else(|| backend("demo series full"))?;
    }
    for (d, rows) in distributors.iter().zip(by_distributor) {
        import(store, *d, rows).await?;
    }
    Ok(cards)
}

async fn import(store: &dyn Store, distributor: DistributorId, rows: Vec<ImportRow>) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let outcome = store.import_cards(distributor, rows, false).await?;
    match outcome.iter().find(|(_, c)| matches!(c, crate::import::RowChange::Refused(_))) {
        Some((row, why)) => Err(backend(format!("demo card {} refused: {why:?}", row.record.card.id))),
        None => Ok(()),
    }
}

/// The seeds' sample card `A999123453`, handed out before Kaiku and brought over with the
/// register, so the demo door admits a printed card of today's numbering.
async fn legacy_card(
    store: &dyn Store,
    rng: &mut StdRng,
    region: RegionId,
    distributor: DistributorId,
    today: NaiveDate,
) -> StoreResult<Card> {
    let id = CardId::parse("A999123453").map_err(backend)?;
    let issued = today - TimeDelta::days(90);
    let bg = background(rng, issued.year())?;
    let card =
        Card::issue(id, CardKind::Personal, region, distributor, issued, Validity::TwelveMonths, bg.minors_on_record())
            .map_err(backend)?;
    store.insert_card(&CardRecord { card: card.clone(), background: Some(bg) }).await?;
    Ok(card)
}

/// `total` redemptions spread over the last 365 days (more on weekends, fewer in summer), each
/// by a card valid that day; one card in eight is a regular who comes about twice as often.
async fn redeem(
    store: &dyn Store,
    rng: &mut StdRng,
    cards: &[Card],
    venues: &mut [DemoVenue],
    now: DateTime<Utc>,
    total: usize,
) -> StoreResult<usize> {
    let personal: Vec<CardId> = cards.iter().filter(|c| c.kind == CardKind::Personal).map(|c| c.id).collect();
    let today = now.date_naive();
    let days: Vec<NaiveDate> = (1..=365).rev().map(|back| today - TimeDelta::days(back)).collect();
    let weight = |d: NaiveDate| {
        let weekend = if d.weekday().number_from_monday() >= 6 { 1.6 } else { 1.0 };
        let summer = if (6..=8).contains(&d.month()) { 0.7 } else { 1.0 };
        weekend * summer
    };
    let all_weight: f64 = days.iter().map(|d| weight(*d)).sum();
    let (mut stored, mut made, mut buffered, mut carry) = (0, 0, 0, 0.0);
    for (n, day) in days.iter().enumerate() {
        // Today's share, rounded so that the days add up to exactly `total`.
        carry += total as f64 * weight(*day) / all_weight;
        let share = if n + 1 == days.len() { total - made } else { (carry.round() as usize).min(total - made) };
        carry -= share as f64;
        made += share;
        let lo = cards.partition_point(|c| c.valid_until < *day);
        let hi = cards.partition_point(|c| c.issued_on <= *day);
        if lo >= hi {
            continue;
        }
        let mut minutes: Vec<i64> = (0..share).map(|_| rng.random_range(9 * 60..21 * 60)).collect();
        minutes.sort_unstable();
        for minute in minutes {
            let at = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or(now) + TimeDelta::minutes(minute);
            // A revoked card or a community card at a course is turned away: someone else comes.
            for _ in 0..8 {
                let mut i = rng.random_range(lo..hi);
                if rng.random_bool(0.5) && (i / 8) * 8 >= lo {
                    i = (i / 8) * 8;
                }
                let card = &cards[i];
                if matches!(card.status, CardStatus::Revoked { on, .. } if on <= *day) {
                    continue;
                }
                let v = [0, 0, 0, 1, 2, 3, 4, 5][rng.random_range(0..8usize)] % venues.len();
                if let Some(item) = door(rng, card, &personal, &mut venues[v], at) {
                    venues[v].items.push(item);
                    buffered += 1;
                    break;
                }
            }
        }
        if buffered >= UPLOAD_CHUNK || n + 1 == days.len() {
            stored += flush(store, venues, now).await?;
            buffered = 0;
        }
    }
    Ok(stored)
}

/// One scan at the door, as the venue's phone would record it.
fn door(
    rng: &mut StdRng,
    card: &Card,
    personal: &[CardId],
    venue: &mut DemoVenue,
    at: DateTime<Utc>,
) -> Option<IncomingItem> {
    let offer = &venue.offers[rng.random_range(0..venue.offers.len())];
    let community = card.kind == CardKind::Community;
    if community && offer.kind == OfferKind::CoursePlace {
        return None;
    }
    let mut group: Vec<CardId> = if community {
        (0..rng.random_range(1..4)).map(|_| personal[rng.random_range(0..personal.len())]).collect()
    } else {
        vec![]
    };
    group.sort();
    group.dedup();
    let children = match offer.kind {
        OfferKind::CoursePlace => 0,
        OfferKind::Ticket if community => rng.random_range(0..3),
        OfferKind::Ticket => rng.random_range(0..=card.minors_on_record),
    };
    // A version 7 id from the scan's time and the seeded generator: the same seed, the same ids.
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    let id = uuid::Builder::from_unix_timestamp_millis(millis, &rng.random()).into_uuid();
    venue.seq += 1;
    let draft = RedemptionDraft {
        id,
        device: venue.device.id,
        seq: venue.seq,
        door: DoorFields {
            card: card.id,
            venue: venue.id,
            offer: offer.kind,
            offer_id: Some(offer.id),
            children,
            group,
            scanned_at: at,
            entry: [EntryMethod::Qr, EntryMethod::Qr, EntryMethod::Barcode, EntryMethod::Typed]
                [rng.random_range(0..4usize)],
            verdict: VerdictCode::Valid,
        },
    };
    Redemption::new(draft, None).ok().map(IncomingItem::Readable)
}

/// Uploads what each venue's phone has gathered, one transaction a venue.
async fn flush(store: &dyn Store, venues: &mut [DemoVenue], now: DateTime<Utc>) -> StoreResult<usize> {
    let rules = UploadRules { late_after: TimeDelta::days(400), ..UploadRules::default() };
    let mut stored = 0;
    for venue in venues.iter_mut() {
        let items = std::mem::take(&mut venue.items);
        if items.is_empty() {
            continue;
        }
        let outcomes = store.upload(&venue.device, items, now, rules).await?;
        stored += outcomes.iter().filter(|o| matches!(o.outcome, Outcome::Accepted { .. })).count();
    }
    Ok(stored)
}
