use super::*;

fn legacy(text: &str, status: RegisterStatus) -> RegisterRecord {
    let card = CardId::parse(text).expect("an id");
    assert!(card.is_legacy());
    RegisterRecord { card, ..rec('A', 1, status, 2) }
}

#[test]
fn legacy_cards_live_beside_kaiku_cards_and_survive_encoding() {
    let mut reg = CompactRegister::default();
    let records = vec![
        rec('A', 1, RegisterStatus::Active, 1),
        legacy("A999123453", RegisterStatus::Active),
        legacy("XYZ000000000001", revoked()),
        legacy("Q12345", RegisterStatus::Unregistered),
    ];
    reg.apply(&records);
    reg.apply(&[legacy("A999123454", RegisterStatus::Active)]);
    assert_eq!(reg.len(), 5);
    for r in &records {
        assert_eq!(reg.get(&r.card), Some(r.entry), "{}", r.card);
    }
    assert_eq!(reg.get(&CardId::parse("A999123455").expect("id")), None);
    let back = CompactRegister::decode(&reg.encode()).expect("decodes");
    assert_eq!(back, reg);
    assert_eq!(back.records().count(), 5);
}

#[test]
fn a_format_1_copy_from_an_older_app_is_still_read() {
    // Format 1: version, count, (delta, value)..., revocations (key, reason, day).
    let value = pack(&rec('A', 5, RegisterStatus::Active, 1).entry);
    let mut bytes = vec![1, 2, 5];
    put_varint(&mut bytes, u64::from(value));
    bytes.push(2);
    put_varint(&mut bytes, u64::from(value | REVOKED << 18));
    bytes.extend([1, 7, 2]);
    put_varint(&mut bytes, 9_800);
    let reg = CompactRegister::decode(&bytes).expect("format 1 decodes");
    assert_eq!(reg.len(), 2);
    let seven = CardId::from(KaikuId::new('A', 7).expect("id"));
    assert!(matches!(reg.get(&seven).map(|e| e.status), Some(RegisterStatus::Revoked { .. })));
}

fn rec(letter: char, serial: u32, status: RegisterStatus, minors: u8) -> RegisterRecord {
    RegisterRecord {
        card: CardId::from(KaikuId::new(letter, serial).expect("a card id")),
        entry: RegisterEntry {
            kind: if minors == 0 { CardKind::Community } else { CardKind::Personal },
            valid_until: NaiveDate::from_ymd_opt(2027, 3, 31).expect("a date"),
            minors_on_record: minors,
            status,
        },
    }
}

fn revoked() -> RegisterStatus {
    RegisterStatus::Revoked {
        reason: RevocationReason::Stolen,
        on: NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date"),
    }
}

#[test]
fn every_entry_reads_back_as_written_and_survives_encoding() {
    let records = vec![
        rec('K', MAX_SERIAL, RegisterStatus::Active, 3),
        rec('A', 0, RegisterStatus::Unregistered, 0),
        rec('C', 77, revoked(), 200),
    ];
    let mut reg = CompactRegister::default();
    reg.apply(&records);
    for r in &records {
        assert_eq!(reg.get(&r.card), Some(r.entry), "{}", r.card);
    }
    assert_eq!(reg.get(&CardId::from(KaikuId::new('C', 78).expect("id"))), None);
    let back = CompactRegister::decode(&reg.encode()).expect("decodes");
    assert_eq!(back, reg);
    assert_eq!(back.records().count(), 3);
}

#[test]
fn a_delta_changes_cards_in_place_and_merges_new_ones_in_order() {
    let mut reg = CompactRegister::default();
    reg.apply(&(0..100).map(|i| rec('B', i * 2, RegisterStatus::Active, 1)).collect::<Vec<_>>());
    reg.apply(&[rec('B', 3, RegisterStatus::Active, 2), rec('B', 4, revoked(), 1), rec('A', 9, revoked(), 0)]);
    assert_eq!(reg.len(), 102);
    assert_eq!(reg.get(&CardId::from(KaikuId::new('B', 4).expect("id"))).map(|e| e.status), Some(revoked()));
    assert_eq!(reg.get(&CardId::from(KaikuId::new('B', 3).expect("id"))).map(|e| e.minors_on_record), Some(2));
    reg.apply(&[rec('B', 4, RegisterStatus::Active, 1)]);
    assert_eq!(
        reg.get(&CardId::from(KaikuId::new('B', 4).expect("id"))).map(|e| e.status),
        Some(RegisterStatus::Active)
    );
    let keys: Vec<u32> = reg.kaiku.keys.clone();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
}

#[test]
fn bad_bytes_are_an_error_never_a_panic() {
    let mut reg = CompactRegister::default();
    reg.apply(&[rec('A', 1, revoked(), 1), rec('A', 5, RegisterStatus::Active, 1)]);
    let bytes = reg.encode();
    for cut in 0..bytes.len() {
        assert!(CompactRegister::decode(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    assert_eq!(CompactRegister::decode(&[9]), Err(CompactError::Version(9)));
    assert!(
        CompactRegister::decode(&[VERSION, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]).is_err()
    );
}
