//! The upload bench's register and redemptions: regions with their cards, venues with their
//! offers, enrolled devices, and each device's scans drawn from a card pool.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use kaiku_core::card::Validity;
use kaiku_core::ids::{DistributorId, OfferId, RegionId, VenueId};
use kaiku_core::redemption::{CardFacts, DoorFields, EntryMethod, OfferKind, RedemptionDraft};
use kaiku_core::verdict::VerdictCode;
use kaiku_core::{Card, CardId, CardKind, KaikuId, Redemption, RevocationReason};
use kaiku_sync_server::auth;
use kaiku_sync_server::codes;
use kaiku_sync_server::store::sqlite::SqliteStore;
use kaiku_sync_server::store::{CardRecord, CodeUse, DeviceRecord, NewOffer, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A card the generator can pick, with what the register knows of it.
#[derive(Debug, Clone, Copy)]
pub struct BenchCard {
    pub id: CardId,
    pub kind: CardKind,
    pub minors: u8,
    pub region: RegionId,
}

/// A venue's two offers.
#[derive(Debug, Clone, Copy)]
pub struct Offers {
    pub ticket: OfferId,
    pub course: OfferId,
}

/// An enrolled device: its record, token and its venue's offers.
#[derive(Debug, Clone)]
pub struct BenchDevice {
    pub record: DeviceRecord,
    pub token: String,
    pub offers: Offers,
}

/// The register the runs upload against.
pub struct Register {
    pub cards: Vec<BenchCard>,
    /// Runs A, B and C: all at one venue of the first region.
    pub devices: Vec<BenchDevice>,
    /// Run D: two venues in each region, one device each.
    pub regional: Vec<BenchDevice>,
}

/// Regions, the cards (in turn to each region) and the devices: `shared` at one venue, and a
/// device at each of two venues in every region.
pub async fn register(
    store: &SqliteStore,
    cards: u32,
    regions: u32,
    shared: usize,
    today: NaiveDate,
) -> anyhow::Result<Register> {
    let mut rng = StdRng::seed_from_u64(2026);
    let now = Utc::now();
    let mut by_region = Vec::new();
    let mut regional = Vec::new();
    for n in 1..=regions {
        let region = store.create_region(&format!("Bench region {n}")).await?;
        let distributor = store.create_distributor(region, &format!("Bench distributor {n}")).await?;
        by_region.push((region, distributor));
        for v in 1..=2 {
            let venue = store.create_venue(Some(region), &format!("Venue {v} of region {n}")).await?;
            regional.push(enroll(store, venue, offers(store, venue).await?, now, &format!("Door {n}.{v}")).await?);
        }
    }
    let venue = store.create_venue(Some(by_region[0].0), "Bench venue").await?;
    let venue_offers = offers(store, venue).await?;
    let mut devices = Vec::new();
    for i in 0..shared {
        devices.push(enroll(store, venue, venue_offers, now, &format!("Door {i}")).await?);
    }
    let mut registered = Vec::with_capacity(cards as usize);
    for serial in 0..cards {
        // In blocks of 50, so that each region has community cards (every 50th).
        let (region, distributor) = by_region[((serial / 50) % regions) as usize];
        registered.push(register_card(store, &mut rng, serial, region, distributor, today).await?);
    }
    Ok(Register { cards: registered, devices, regional })
}

async fn offers(store: &SqliteStore, venue: VenueId) -> anyhow::Result<Offers> {
    let ticket = NewOffer { name: "Concerts".into(), kind: OfferKind::Ticket, limit: None };
    let course = NewOffer { name: "Ceramics course".into(), kind: OfferKind::CoursePlace, limit: Some(12) };
    Ok(Offers { ticket: store.create_offer(venue, &ticket).await?, course: store.create_offer(venue, &course).await? })
}

/// Registers one card through the store: 2% community cards, personal cards with 0-3 minors on
/// record, every 250th card revoked (its uploads are accepted with a flag).
async fn register_card(
    store: &SqliteStore,
    rng: &mut StdRng,
    serial: u32,
    region: RegionId,
    distributor: DistributorId,
    today: NaiveDate,
) -> anyhow::Result<BenchCard> {
    let id = CardId::from(KaikuId::new('A', 1_000_000 + serial)?);
    let kind = if serial % 50 == 49 { CardKind::Community } else { CardKind::Personal };
    let minors = match (kind, rng.random_range(0..10)) {
        (CardKind::Community, _) | (_, 0..6) => 0,
        (_, 6..8) => 1,
        (_, 8) => 2,
        _ => 3,
    };
    let issued = today - TimeDelta::days(rng.random_range(10..300));
    let mut card = Card::issue(id, kind, region, distributor, issued, Validity::TwelveMonths, minors)?;
    if serial % 250 == 17 {
        card.revoke(RevocationReason::Lost, today - TimeDelta::days(5))?;
    }
    store.insert_card(&CardRecord { card, background: None }).await?;
    Ok(BenchCard { id, kind, minors, region })
}

async fn enroll(
    store: &SqliteStore,
    venue: VenueId,
    offers: Offers,
    now: DateTime<Utc>,
    label: &str,
) -> anyhow::Result<BenchDevice> {
    let code = codes::new_one_time_code();
    store.create_enrollment_code(venue, &codes::code_hash(&code), now + TimeDelta::hours(1)).await?;
    let secret = codes::new_secret();
    match store.enroll_device(&codes::code_hash(&code), now, label, &codes::hash(&secret)).await? {
        CodeUse::Taken(record) => Ok(BenchDevice { token: auth::device_token(record.id, &secret), record, offers }),
        other => anyhow::bail!("enrollment failed: {other:?}"),
    }
}

/// `count` redemptions of one device from the cards `pool`, seq 1.., scan times rising over
/// about three days from `start`, the id a UUIDv7 of the scan time (the device makes it when it
/// records the scan). About 20% with children, 10% course places, 2% community cards with 1-4
/// group members (from the pool's personal cards).
pub fn make_redemptions(
    rng: &mut StdRng,
    device: &BenchDevice,
    count: usize,
    pool: &[BenchCard],
    start: DateTime<Utc>,
    subsecond: bool,
) -> Vec<Redemption> {
    let personal: Vec<&BenchCard> = pool.iter().filter(|c| c.kind == CardKind::Personal).collect();
    let with_minors: Vec<&BenchCard> = personal.iter().copied().filter(|c| c.minors > 0).collect();
    let community: Vec<&BenchCard> = pool.iter().filter(|c| c.kind == CardKind::Community).collect();
    // Spread over about three days whatever the count.
    let mean_gap_ms = (3 * 24 * 3_600_000 / count.max(1)) as i64;
    let mut at = start;
    let mut out = Vec::with_capacity(count);
    for seq in 1..=count as u64 {
        at += TimeDelta::milliseconds(rng.random_range(0..2 * mean_gap_ms));
        let scanned_at = if subsecond { at } else { DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at) };
        let mut random = [0u8; 10];
        rng.fill(&mut random);
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        let id = uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid();
        let roll = rng.random_range(0..100);
        let (card, offer, children, group) = match roll {
            0..2 => {
                let card = community[rng.random_range(0..community.len())];
                let mut group: Vec<CardId> = Vec::new();
                while group.len() < rng.random_range(1..=4) {
                    let member = personal[rng.random_range(0..personal.len())].id;
                    if !group.contains(&member) {
                        group.push(member);
                    }
                }
                (card, OfferKind::Ticket, rng.random_range(0..3u8), group)
            }
            2..12 => (personal[rng.random_range(0..personal.len())], OfferKind::CoursePlace, 0, vec![]),
            12..32 => {
                let card = with_minors[rng.random_range(0..with_minors.len())];
                (card, OfferKind::Ticket, rng.random_range(1..=card.minors), vec![])
            }
            _ => (personal[rng.random_range(0..personal.len())], OfferKind::Ticket, 0, vec![]),
        };
        let draft = RedemptionDraft {
            id,
            device: device.record.id,
            seq,
            door: DoorFields {
                card: card.id,
                venue: device.record.venue,
                offer,
                offer_id: Some(match offer {
                    OfferKind::Ticket => device.offers.ticket,
                    OfferKind::CoursePlace => device.offers.course,
                }),
                children,
                group,
                scanned_at,
                entry: match rng.random_range(0..10) {
                    0..7 => EntryMethod::Qr,
                    7..9 => EntryMethod::Barcode,
                    _ => EntryMethod::Typed,
                },
                verdict: if rng.random_bool(0.9) { VerdictCode::Valid } else { VerdictCode::ValidUnverified },
            },
        };
        let facts = CardFacts { kind: card.kind, minors_on_record: card.minors };
        out.push(Redemption::new(draft, Some(facts)).expect("the generator keeps the card's rules"));
    }
    out
}

/// `items` in upload batches of `size`.
pub fn batches(items: Vec<Redemption>, size: usize) -> Vec<Vec<Redemption>> {
    items.chunks(size).map(<[Redemption]>::to_vec).collect()
}
