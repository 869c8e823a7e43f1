//! Prints one JSON example of each sync wire type, made from the real types, for
//! `docs/sync-protocol.md`. Run: `cargo run -p kaiku-core --example wire_json`.
//!
//! The issuer key here is a fixed test seed, never a real key.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kaiku_core::card::CardKind;
use kaiku_core::ids::{DeviceId, OfferId, VenueId};
use kaiku_core::keys::{Endorsement, Retirement};
use kaiku_core::redemption::{CardFacts, DoorFields, RedemptionDraft};
use kaiku_core::verdict::{RegisterEntry, RegisterStatus, VerdictCode};
use kaiku_core::wire::{
    ActivateRequest, ActivateResponse, CardState, CardSummary, Cursor, EnrollRequest, EnrollResponse, ErrorBody, Flag,
    ItemOutcome, Offer, Outcome, RefreshRequest, RefreshResponse, RegisterPage, RegisterRecord, UploadBatch,
    UploadResponse,
};
use kaiku_core::{CardId, Credential, EntryMethod, IssuerKey, KaikuId, KeyId, OfferKind, Redemption, RevocationReason};
use serde::Serialize;
use uuid::Uuid;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = IssuerKey::from_seed(KeyId(1), [7; 32]);
    let next_key = IssuerKey::from_seed(KeyId(2), [8; 32]);
    let holder_kaiku = KaikuId::new('A', 99_912_345)?;
    let holder = CardId::from(holder_kaiku);
    let community = CardId::from(KaikuId::new('B', 1_024)?);
    let member = CardId::from(KaikuId::new('A', 12_345_678)?);
    let valid_until = date(2027, 6, 30)?;
    let scanned_at = time(2026, 11, 21, 17, 42, 5)?;
    let received_at = time(2026, 11, 22, 9, 0, 12)?;

    let draft = |id: &str, seq: u64, card: CardId, group: Vec<CardId>, children: u8, entry: EntryMethod| {
        Ok::<_, Box<dyn std::error::Error>>(RedemptionDraft {
            id: Uuid::parse_str(id)?,
            device: DeviceId(17),
            seq,
            door: DoorFields {
                card,
                venue: VenueId(4),
                offer: OfferKind::Ticket,
                offer_id: Some(OfferId(31)),
                children,
                group,
                scanned_at,
                entry,
                verdict: VerdictCode::Valid,
            },
        })
    };
    let personal = Redemption::new(
        draft("01936a3e-8f4b-7c3d-9a2e-5b6c7d8e9f01", 41, holder, vec![], 2, EntryMethod::Qr)?,
        Some(CardFacts { kind: CardKind::Personal, minors_on_record: 2 }),
    )?;
    let group = Redemption::new(
        draft("01936a3e-9a10-7e21-8c44-0f1e2d3c4b5a", 42, community, vec![member], 0, EntryMethod::Barcode)?,
        Some(CardFacts { kind: CardKind::Community, minors_on_record: 0 }),
    )?;
    print("UploadBatch", &UploadBatch { items: vec![personal.clone(), group.clone()] })?;

    let response = UploadResponse {
        outcomes: vec![
            ItemOutcome { index: 0, id: Some(personal.id), outcome: Outcome::Accepted { flags: vec![] } },
            ItemOutcome {
                index: 1,
                id: Some(group.id),
                outcome: Outcome::Accepted {
                    flags: vec![
                        Flag::LateUpload { hours: 15 },
                        Flag::WouldRefuseOnline {
                            verdict: VerdictCode::Revoked,
                            reason: format!("group member {member} was revoked on 2026-11-20"),
                        },
                    ],
                },
            },
            ItemOutcome {
                index: 2,
                id: Some(Uuid::parse_str("01936a3e-8f4b-7c3d-9a2e-5b6c7d8e9f01")?),
                outcome: Outcome::Duplicate,
            },
            ItemOutcome {
                index: 3,
                id: None,
                outcome: Outcome::Rejected { reason: "item 3: missing field `card`".into() },
            },
        ],
        received_at,
    };
    print("UploadResponse", &response)?;

    let entry = |kind, minors_on_record, status| RegisterEntry { kind, valid_until, minors_on_record, status };
    let page = RegisterPage {
        snapshot: false,
        records: vec![
            RegisterRecord { card: holder, entry: entry(CardKind::Personal, 2, RegisterStatus::Active) },
            RegisterRecord { card: community, entry: entry(CardKind::Community, 0, RegisterStatus::Active) },
            RegisterRecord {
                card: member,
                entry: entry(
                    CardKind::Personal,
                    0,
                    RegisterStatus::Revoked { reason: RevocationReason::Lost, on: date(2026, 11, 20)? },
                ),
            },
            RegisterRecord {
                card: CardId::from(KaikuId::new('C', 5)?),
                entry: entry(CardKind::Personal, 0, RegisterStatus::Unregistered),
            },
        ],
        next: Cursor(1_843),
        more: false,
        as_of: received_at,
        keys: vec![key.public().into(), next_key.public().into()],
        endorsements: vec![Endorsement::sign(&next_key.public(), &key)],
        retirements: vec![Retirement::sign(key.id(), date(2027, 3, 1)?, &next_key)],
    };
    print("RegisterPage", &page)?;

    let offers = vec![
        Offer { id: OfferId(31), name: "Autumn concert".into(), kind: OfferKind::Ticket, limit: Some(20) },
        Offer { id: OfferId(32), name: "Ceramics course".into(), kind: OfferKind::CoursePlace, limit: None },
    ];
    print("EnrollRequest", &EnrollRequest { code: "7Q4K-M2XD".into(), label: "Main door phone".into() })?;
    print(
        "EnrollResponse",
        &EnrollResponse {
            device: DeviceId(17),
            token: "kd17.3q9V0mYpN1c8rT5wLx2bZ7eHfA4sJ6uG".into(),
            venue: VenueId(4),
            venue_name: "City Theatre".into(),
            offers,
            keys: vec![key.public().into()],
            endorsements: Vec::new(),
            retirements: Vec::new(),
        },
    )?;

    let credential = Credential {
        key_id: key.id(),
        card: holder_kaiku,
        kind: CardKind::Personal,
        valid_until,
        minors_on_record: 2,
        issued: Some(received_at),
    }
    .issue(&key)?;
    let summary = CardSummary {
        card: holder,
        kind: CardKind::Personal,
        valid_until,
        minors_on_record: 2,
        organisation: None,
        status: CardState::Valid { until: valid_until },
    };
    print("ActivateRequest", &ActivateRequest { code: "H8RW-2KPC-Q7".into() })?;
    print(
        "ActivateResponse",
        &ActivateResponse {
            credential: credential.clone(),
            card: summary.clone(),
            refresh_secret: Some("9c1e4b7a0f3d58e2a6b4c9d01f7e3a5b8c2d6e9f0a1b3c5d7e9f1a2b4c6d8e0f".into()),
        },
    )?;
    print(
        "RefreshRequest",
        &RefreshRequest {
            credential,
            refresh_secret: Some("9c1e4b7a0f3d58e2a6b4c9d01f7e3a5b8c2d6e9f0a1b3c5d7e9f1a2b4c6d8e0f".into()),
        },
    )?;
    let revoked_on = date(2026, 11, 20)?;
    print(
        "RefreshResponse",
        &RefreshResponse {
            credential: None,
            card: CardSummary { status: CardState::Revoked { on: revoked_on }, ..summary },
        },
    )?;
    for state in [
        CardState::Valid { until: valid_until },
        CardState::Expired { on: date(2026, 3, 14)? },
        CardState::Revoked { on: date(2026, 11, 20)? },
        CardState::NotRegistered,
    ] {
        print("CardState", &state)?;
    }
    print(
        "ErrorBody",
        &ErrorBody {
            code: "invalid_body".into(),
            error: "field `label`: expected a string of 1 to 60 characters".into(),
        },
    )?;
    Ok(())
}

fn print(name: &str, value: &impl Serialize) -> serde_json::Result<()> {
    println!("// {name}\n{}\n", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, &'static str> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or("no such date")
}

fn time(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Result<DateTime<Utc>, &'static str> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().ok_or("no such time")
}
