use proptest::prelude::*;

use super::*;

fn any_card_id() -> impl Strategy<Value = KaikuId> {
    (0usize..10, 0u32..=MAX_SERIAL)
        .prop_map(|(s, serial)| KaikuId::new(SERIES_LETTERS[s], serial).expect("valid parts"))
}

/// Every single-character substitution of `id`, with the characters each may take.
fn substitutions(id: &KaikuId) -> Vec<String> {
    let text = id.to_string();
    let mut out = Vec::new();
    for (pos, original) in text.chars().enumerate() {
        let choices: Vec<char> = if pos == 0 { SERIES_LETTERS.to_vec() } else { ('0'..='9').collect() };
        for c in choices.into_iter().filter(|c| *c != original) {
            let mut chars: Vec<char> = text.chars().collect();
            chars[pos] = c;
            out.push(chars.into_iter().collect());
        }
    }
    out
}

fn neighbour_swaps(id: &KaikuId) -> Vec<String> {
    let chars: Vec<char> = id.to_string().chars().collect();
    (0..chars.len() - 1)
        .filter(|&i| chars[i] != chars[i + 1])
        .map(|i| {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            swapped.into_iter().collect()
        })
        .collect()
}

/// A deterministic spread of IDs: every series, serials at the edges and scattered.
fn sample_ids() -> Vec<KaikuId> {
    let mut ids = Vec::new();
    for letter in SERIES_LETTERS {
        let mut serial: u32 = 0;
        while serial <= MAX_SERIAL {
            ids.push(KaikuId::new(letter, serial).expect("valid"));
            serial = serial.wrapping_mul(7).wrapping_add(1_234_567) % (MAX_SERIAL + 1);
            if ids.len() % 500 == 0 {
                break;
            }
        }
        ids.push(KaikuId::new(letter, MAX_SERIAL).expect("valid"));
    }
    ids
}

#[test]
fn the_check_digit_catches_every_single_substitution_in_a_sample_of_ids() {
    let ids = sample_ids();
    assert!(ids.len() > 4_000, "sample too small: {}", ids.len());
    let mut checked = 0;
    for id in &ids {
        for wrong in substitutions(id) {
            assert_eq!(KaikuId::parse(&wrong), Err(CardIdError::CheckDigitMismatch), "{id} -> {wrong}");
            checked += 1;
        }
    }
    assert_eq!(checked, ids.len() * 10 * 9);
}

#[test]
fn the_check_digit_catches_every_swap_of_neighbours_in_a_sample_of_ids() {
    for id in sample_ids() {
        for swapped in neighbour_swaps(&id) {
            assert!(KaikuId::parse(&swapped).is_err(), "{id} -> {swapped} was accepted");
        }
    }
}

#[test]
fn the_check_digit_catches_all_digit_substitutions_and_swaps_of_the_whole_quasigroup() {
    // The exhaustive property behind the sample tests: for every interim value and every
    // pair of distinct symbols, the Damm table keeps them apart.
    for interim in 0..10usize {
        for a in 0..10usize {
            for b in (0..10usize).filter(|&b| b != a) {
                assert_ne!(DAMM[interim][a], DAMM[interim][b], "substitution {a}->{b}");
                let ab = DAMM[DAMM[interim][a] as usize][b];
                let ba = DAMM[DAMM[interim][b] as usize][a];
                assert_ne!(ab, ba, "swap {a}{b} after interim {interim}");
            }
        }
    }
}

#[test]
fn typed_input_is_normalised() {
    let id = KaikuId::new('A', 99_912_345).expect("valid");
    let text = id.to_string();
    let messy = format!(" {}-{} {}\t", &text[..4].to_lowercase(), &text[4..7], &text[7..]);
    assert_eq!(KaikuId::parse(&messy), Ok(id));
}

#[test]
fn errors_say_what_is_wrong() {
    assert_eq!(KaikuId::parse("  "), Err(CardIdError::Empty));
    assert_eq!(KaikuId::parse("A12"), Err(CardIdError::TooShort(3)));
    assert_eq!(KaikuId::parse("A1234567890"), Err(CardIdError::TooLong(11)));
    assert_eq!(KaikuId::parse("I123456789"), Err(CardIdError::BadSeriesLetter('I')));
    assert_eq!(KaikuId::parse("Ä123456789"), Err(CardIdError::BadSeriesLetter('Ä')));
    assert_eq!(KaikuId::parse("A1234X6789"), Err(CardIdError::NotADigit { position: 6, found: 'X' }));
    assert_eq!(KaikuId::parse("A999123453"), Err(CardIdError::CheckDigitMismatch));
    assert_eq!(
        CardIdError::CheckDigitMismatch.to_string(),
        "check digit does not match: a character is probably mistyped"
    );
    assert_eq!(CardIdError::TooShort(3).to_string(), "too short: a card ID has 10 characters, this has 3");
}

#[test]
fn the_sample_from_the_printed_card_has_a_documented_kaiku_check_digit() {
    assert_eq!(KaikuId::parse("A999123459").map(|id| id.serial()), Ok(99_912_345));
}

#[test]
fn the_series_generator_counts_up_and_stops_at_the_end() {
    let first = KaikuId::new('B', 0).expect("valid");
    let second = first.next_in_series().expect("has a next");
    assert_eq!((second.letter(), second.serial()), ('B', 1));
    assert_ne!(first.to_string(), second.to_string());
    assert_eq!(KaikuId::new('B', MAX_SERIAL).expect("valid").next_in_series(), None);
    assert!(KaikuId::new('B', MAX_SERIAL + 1).is_err());
}

#[test]
fn serde_uses_the_plain_text_form_and_refuses_bad_ids() {
    let id = KaikuId::new('C', 42).expect("valid");
    let json = serde_json::to_string(&id).expect("serialises");
    assert_eq!(json, format!("\"{id}\""));
    assert_eq!(serde_json::from_str::<KaikuId>(&json).expect("parses"), id);
    let mut wrong = id.to_string();
    let last = wrong.pop().expect("ten characters");
    wrong.push(if last == '0' { '1' } else { '0' });
    let err = serde_json::from_str::<KaikuId>(&format!("\"{wrong}\"")).expect_err("bad check digit");
    assert!(err.to_string().contains("check digit does not match"), "{err}");
}

proptest! {
    #[test]
    fn parse_of_format_gives_the_same_id(id in any_card_id()) {
        prop_assert_eq!(KaikuId::parse(&id.to_string()), Ok(id));
    }

    #[test]
    fn any_single_substitution_is_caught(id in any_card_id(), pos in 0usize..10, delta in 1u8..10) {
        let mut chars: Vec<char> = id.to_string().chars().collect();
        chars[pos] = if pos == 0 {
            let i = SERIES_LETTERS.iter().position(|&l| l == chars[0]).unwrap_or(0);
            SERIES_LETTERS[(i + delta as usize) % 10]
        } else {
            char::from(b'0' + ((chars[pos] as u8 - b'0' + delta) % 10))
        };
        let wrong: String = chars.into_iter().collect();
        prop_assert_eq!(KaikuId::parse(&wrong), Err(CardIdError::CheckDigitMismatch));
    }

    #[test]
    fn any_neighbour_swap_is_caught(id in any_card_id(), pos in 0usize..9) {
        let mut chars: Vec<char> = id.to_string().chars().collect();
        prop_assume!(chars[pos] != chars[pos + 1]);
        chars.swap(pos, pos + 1);
        let wrong: String = chars.into_iter().collect();
        prop_assert!(KaikuId::parse(&wrong).is_err());
    }

    #[test]
    fn arbitrary_text_either_fails_or_gives_an_id_that_formats_back(text in ".{0,40}") {
        if let Ok(id) = KaikuId::parse(&text) {
            let normalised: String = text.chars().filter(|c| !is_separator(*c)).collect();
            prop_assert_eq!(id.to_string(), normalised.to_ascii_uppercase());
        }
    }
}
