use proptest::prelude::*;

use super::*;

#[test]
fn text_is_sorted_by_its_form_into_one_kind() {
    assert!(matches!(CardId::parse("A999123459"), Ok(CardId::Kaiku(_))));
    let sample = CardId::parse("a999 123-453").expect("the printed sample");
    assert!(sample.is_legacy());
    assert_eq!(sample.to_string(), "A999123453");
    assert_eq!(sample.kaiku(), None);
    assert!(matches!(CardId::parse("XY1234567"), Ok(CardId::Legacy(_))));
}

#[test]
fn neither_kind_reports_what_a_kaiku_id_needs() {
    assert_eq!(CardId::parse(""), Err(CardIdError::Empty));
    assert_eq!(CardId::parse("A9991"), Err(CardIdError::TooShort(5)));
    assert_eq!(CardId::parse("A99912345X"), Err(CardIdError::NotADigit { position: 10, found: 'X' }));
}

#[test]
fn serde_carries_both_kinds_as_their_text() {
    let ids = [CardId::parse("A999123459").expect("kaiku"), CardId::parse("A999123453").expect("legacy")];
    let json = serde_json::to_string(&ids).expect("ser");
    assert_eq!(json, r#"["A999123459","A999123453"]"#);
    assert_eq!(serde_json::from_str::<Vec<CardId>>(&json).expect("de"), ids);
    assert!(serde_json::from_str::<CardId>(r#""not a card""#).is_err());
}

#[test]
fn one_slip_away_finds_the_meant_id_for_each_kind_of_slip() {
    let meant = CardId::parse("AB1234567").expect("legacy");
    for typed in ["AB1234568", "AB1243567", "AB123457", "AB12345677", "AC1234567"] {
        let typed = CardId::parse(typed).expect(typed);
        assert!(typed.one_slip_away().contains(&meant), "{typed} should reach {meant}");
    }
    let far = CardId::parse("AB1234999").expect("legacy");
    assert!(!far.one_slip_away().contains(&meant));
    assert!(!meant.one_slip_away().contains(&meant));
}

#[test]
fn a_mistyped_kaiku_id_is_one_slip_from_the_card_it_meant() {
    let card = CardId::from(KaikuId::new('A', 100_000).expect("valid"));
    let mut typed = card.to_string().into_bytes();
    typed[5] = if typed[5] == b'7' { b'8' } else { b'7' };
    let typed = CardId::parse(std::str::from_utf8(&typed).expect("ascii")).expect("a legacy-shaped typo");
    assert!(typed.is_legacy());
    assert!(typed.one_slip_away().contains(&card));
}

proptest! {
    #[test]
    fn parse_of_display_is_the_same_id_for_any_text(text in "[A-Za-z]{1,3}[0-9 -]{5,14}") {
        if let Ok(id) = CardId::parse(&text) {
            prop_assert_eq!(CardId::parse(&id.to_string()), Ok(id));
        }
    }
}
