//! Demo data: a region, two distributors, three venues, a few hundred cards and a year of
//! redemptions, so that every screen has something real to show. Deterministic per seed.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use kaiku_core::background::{Background, Gender, LifeSituation, MotherTongue, PostalCode};
use kaiku_core::card::{RevocationReason, Validity};
use kaiku_core::ids::{DistributorId, RegionId, VenueId};
use kaiku_core::redemption::{DoorFields, EntryMethod, OfferKind, RedemptionDraft};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::wire::Offer;
use kaiku_core::{Card, CardId, CardKind, KaikuId, Redemption};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::clock::Clock;
use crate::codes;
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

const VENUES: [(&str, &[(&str, OfferKind)]); 3] = [
    ("Uimahalli Vesihiisi", &[("Uinti", OfferKind::Ticket)]),
    ("Kaupunginteatteri", &[("Näytökset", OfferKind::Ticket)]),
    ("Kansalaisopisto", &[("Kurssit", OfferKind::CoursePlace), ("Konsertit", OfferKind::Ticket)]),
];

struct DemoVenue {
    id: VenueId,
    device: DeviceRecord,
    offers: Vec<Offer>,
}

/// Fills an initialised, empty register with demo data.
pub async fn populate(store: &dyn Store, clock: &dyn Clock, seed: u64) -> StoreResult<DemoAccess> {
    let mut rng = StdRng::seed_from_u64(seed);
    let now = clock.now();
    let region = store.create_region("Rovaniemi (demo)").await?;
    let coordinator_token = new_user(store, Role::Coordinator(region), "Demo coordinator").await?;
    let mut distributor_tokens = Vec::new();
    let mut distributors = Vec::new();
    for name in ["Sosiaalitoimi (demo)", "Setlementti ry (demo)"] {
        let d = store.create_distributor(region, name).await?;
        distributor_tokens.push((name.to_owned(), new_user(store, Role::Distributor(d), name).await?));
        distributors.push(d);
    }
    let mut venues = Vec::new();
    let mut venue_tokens = Vec::new();
    for (name, offers) in VENUES {
        let id = store.create_venue(Some(region), name).await?;
        for (offer, kind) in offers {
            store.create_offer(id, &NewOffer { name: (*offer).to_owned(), kind: *kind, limit: None }).await?;
        }
        venue_tokens.push((name.to_owned(), new_user(store, Role::Venue(id), name).await?));
        let device = enroll(store, id, now, "Demo door phone").await?;
        venues.push(DemoVenue { id, device, offers: store.offers(id).await? });
    }
    let mut cards = register_cards(store, &mut rng, region, &distributors, now.date_naive()).await?;
    let legacy = legacy_card(store, &mut rng, region, distributors[0], now.date_naive()).await?;
    let legacy_card = legacy.id;
    cards.push(legacy);
    let redemptions = redeem(store, &mut rng, &cards, &venues, now).await?;
    let mut activation_codes = Vec::new();
    for card in cards.iter().filter(|c| c.valid_until >= now.date_naive()).take(5) {
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

async fn register_cards(
    store: &dyn Store,
    rng: &mut StdRng,
    region: RegionId,
    distributors: &[DistributorId],
    today: NaiveDate,
) -> StoreResult<Vec<Card>> {
    let mut cards = Vec::new();
    let mut id = KaikuId::new('A', 10_000).map_err(|e| StoreError::Backend(e.to_string()))?;
    for i in 0..320u32 {
        let kind = if i % 16 == 15 { CardKind::Community } else { CardKind::Personal };
        let issued = today - TimeDelta::days(rng.random_range(0..540));
        let bg = match kind {
            CardKind::Personal => Some(background(rng, issued.year())?),
            CardKind::Community => None,
        };
        let distributor = distributors[usize::from(rng.random_bool(0.35))];
        let minors = bg.as_ref().map_or(0, Background::minors_on_record);
        let mut card = Card::issue(id.into(), kind, region, distributor, issued, Validity::TwelveMonths, minors)
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        if i % 40 == 7 {
            card.revoke(RevocationReason::Lost, issued + TimeDelta::days(60))
                .map_err(|e| StoreError::Backend(e.to_string()))?;
        }
        store.insert_card(&CardRecord { card: card.clone(), background: bg }).await?;
        cards.push(card);
        id = id.next_in_series().ok_or_else(|| StoreError::Backend("demo series full".into()))?;
    }
    Ok(cards)
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
    let id = CardId::parse("A999123453").map_err(|e| StoreError::Backend(e.to_string()))?;
    let issued = today - TimeDelta::days(90);
    let bg = background(rng, issued.year())?;
    let card =
        Card::issue(id, CardKind::Personal, region, distributor, issued, Validity::TwelveMonths, bg.minors_on_record())
            .map_err(|e| StoreError::Backend(e.to_string()))?;
    store.insert_card(&CardRecord { card: card.clone(), background: Some(bg) }).await?;
    Ok(card)
}

async fn redeem(
    store: &dyn Store,
    rng: &mut StdRng,
    cards: &[Card],
    venues: &[DemoVenue],
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let mut by_venue: Vec<Vec<IncomingItem>> = venues.iter().map(|_| Vec::new()).collect();
    let mut seqs = vec![0u64; venues.len()];
    let personal: Vec<&Card> = cards.iter().filter(|c| c.kind == CardKind::Personal).collect();
    for _ in 0..3_000 {
        let card = &cards[rng.random_range(0..cards.len())];
        let v = [0, 0, 0, 1, 2][rng.random_range(0..5usize)];
        let scanned_at = now - TimeDelta::minutes(rng.random_range(60..365 * 24 * 60));
        if scanned_at.date_naive() < card.issued_on || scanned_at.date_naive() > card.valid_until {
            continue;
        }
        let offer = &venues[v].offers[rng.random_range(0..venues[v].offers.len())];
        let community = card.kind == CardKind::Community;
        if community && offer.kind == OfferKind::CoursePlace {
            continue;
        }
        let group: Vec<CardId> = if community {
            (0..rng.random_range(1..4)).map(|_| personal[rng.random_range(0..personal.len())].id).collect()
        } else {
            vec![]
        };
        let mut group_unique = group.clone();
        group_unique.sort();
        group_unique.dedup();
        let children = match offer.kind {
            OfferKind::CoursePlace => 0,
            OfferKind::Ticket if community => rng.random_range(0..3),
            OfferKind::Ticket => rng.random_range(0..=card.minors_on_record),
        };
        seqs[v] += 1;
        let draft = RedemptionDraft {
            id: Uuid::now_v7(),
            device: venues[v].device.id,
            seq: seqs[v],
            door: DoorFields {
                card: card.id,
                venue: venues[v].id,
                offer: offer.kind,
                offer_id: Some(offer.id),
                children,
                group: group_unique,
                scanned_at,
                entry: [EntryMethod::Qr, EntryMethod::Qr, EntryMethod::Barcode, EntryMethod::Typed]
                    [rng.random_range(0..4usize)],
                verdict: VerdictCode::Valid,
            },
        };
        if let Ok(r) = Redemption::new(draft, None) {
            by_venue[v].push(IncomingItem::Readable(r));
        }
    }
    let rules = UploadRules { late_after: TimeDelta::days(400) };
    let mut stored = 0;
    for (venue, items) in venues.iter().zip(by_venue) {
        let outcomes = store.upload(&venue.device, items, now, rules).await?;
        stored += outcomes.iter().filter(|o| matches!(o.outcome, kaiku_core::wire::Outcome::Accepted { .. })).count();
    }
    Ok(stored)
}
