//! The cards file's checks and the comparison with the register, without storage.

use chrono::NaiveDate;
use kaiku_core::CardId;
use kaiku_core::background::{Gender, LifeSituation, MotherTongue};
use kaiku_core::card::{CardStatus, RevocationReason};
use kaiku_core::ids::{DistributorId, RegionId};

use super::*;
use crate::store::DistributorInfo;

fn distributor() -> DistributorInfo {
    DistributorInfo { id: DistributorId(7), region: RegionId(3), name: "Social services".into() }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).expect("a date")
}

fn read(text: &str) -> Result<(Vec<ImportRow>, Vec<BadRow>), FileError> {
    read_cards(text.as_bytes(), &distributor(), today())
}

const HEADER: &str = "id,kind,issued_on,valid_until,status,revoked_reason,revoked_on,birth_year,gender,\
                      mother_tongue,life_situations,postal_code,minor_children,minor_grandchildren";

#[test]
fn a_personal_legacy_card_with_background_is_read_whole() {
    let text = format!(
        "{HEADER}\nA999123453,personal,1.5.2025,2026-05-01,active,,,1980,female,finnish,unemployed|single_parent,96100,2,1\n"
    );
    let (rows, bad) = read(&text).expect("reads");
    assert_eq!(bad, []);
    let r = &rows[0];
    assert_eq!(r.line, 2);
    assert_eq!(r.record.card.id, CardId::parse("A999123453").expect("an id"));
    assert!(r.record.card.id.is_legacy());
    assert_eq!(r.record.card.region, RegionId(3));
    assert_eq!(r.record.card.issued_on, NaiveDate::from_ymd_opt(2025, 5, 1).expect("a date"));
    assert_eq!(r.record.card.minors_on_record, 3);
    let b = r.record.background.as_ref().expect("background");
    assert_eq!((b.birth_year, b.gender, b.mother_tongue), (1980, Gender::Female, MotherTongue::Finnish));
    assert_eq!(b.life_situations, [LifeSituation::Unemployed, LifeSituation::SingleParent]);
}

#[test]
fn every_bad_cell_is_named_by_line_and_column() {
    let text = format!(
        "{HEADER}\nA1,personal,2026-01-01,2027-01-01,,,,1980,female,finnish,,96100,0,0\n\
         B12345,club,2026-13-01,2025-01-01,,,,,,,,,,\n\
         C12345,personal,2026-01-01,2025-12-31,,,,2015,female,finnish,,9610,25,10\n"
    );
    let (rows, bad) = read(&text).expect("reads");
    assert_eq!(rows, []);
    let said: Vec<(u64, &str)> = bad.iter().map(|b| (b.line, b.column.as_str())).collect();
    assert_eq!(
        said,
        [(2, "id"), (3, "kind"), (3, "issued_on"), (4, "valid_until"), (4, "postal_code"), (4, "birth_year")]
    );
    assert!(bad[4].reason.contains("not five digits"), "{}", bad[4].reason);
}

#[test]
fn a_name_column_refuses_the_whole_file() {
    for header in ["Nimi", "name", "namn", "first_name", "Sukunimi", "holder"] {
        let err = read(&format!("id;{header};kind;issued_on;valid_until\n")).expect_err("refused");
        assert_eq!(err, FileError::NameColumn(header.into()));
        assert!(err.to_string().contains("names are never stored"));
    }
    assert!(matches!(read("id,hetu,kind,issued_on,valid_until\n"), Err(FileError::PersonalColumn(_))));
    assert!(matches!(read("id,kind,issued_on\n"), Err(FileError::MissingColumn("valid_until"))));
}

#[test]
fn a_revoked_card_needs_its_reason_and_day() {
    let header = "id,kind,issued_on,valid_until,status,revoked_reason,revoked_on";
    let (rows, bad) = read(&format!(
        "{header}\nA12345,community,2026-01-01,2027-01-01,revoked,lost,2026-03-01\nB12345,community,2026-01-01,2027-01-01,revoked,,\n"
    ))
    .expect("reads");
    assert_eq!(
        rows[0].record.card.status,
        CardStatus::Revoked {
            reason: RevocationReason::Lost,
            on: NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date")
        }
    );
    let cols: Vec<&str> = bad.iter().map(|b| b.column.as_str()).collect();
    assert_eq!(cols, ["revoked_reason", "revoked_on"]);
}

#[test]
fn a_second_row_of_the_same_card_is_bad() {
    let header = "id,kind,issued_on,valid_until";
    let (rows, bad) =
        read(&format!("{header}\nA12345,community,2026-01-01,2027-01-01\na-12345,community,2026-01-01,2027-01-01\n"))
            .expect("reads");
    assert_eq!(rows.len(), 1);
    assert_eq!(bad[0].line, 3);
    assert!(bad[0].reason.contains("also on line 2"), "{}", bad[0].reason);
}

#[test]
fn the_comparison_names_a_renewal_and_a_revocation_and_ignores_order() {
    let text = format!(
        "{HEADER}\nA999123453,personal,2025-05-01,2026-05-01,,,,1980,female,finnish,unemployed|student,96100,0,0\n"
    );
    let (rows, _) = read(&text).expect("reads");
    let old = rows[0].record.clone();
    let mut new = old.clone();
    assert_eq!(diff(None, &new, DistributorId(7)), RowChange::New);
    new.background.as_mut().expect("background").life_situations.reverse();
    assert_eq!(diff(Some(&old), &new, DistributorId(7)), RowChange::Unchanged);
    new.card.valid_until = NaiveDate::from_ymd_opt(2027, 5, 1).expect("a date");
    new.card.status = CardStatus::Revoked {
        reason: RevocationReason::Lost,
        on: NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date"),
    };
    assert_eq!(
        diff(Some(&old), &new, DistributorId(7)),
        RowChange::Changed(vec!["valid until 2026-05-01 -> 2027-05-01".into(), "revoked (lost) on 2026-06-01".into()])
    );
    assert!(matches!(diff(Some(&old), &new, DistributorId(8)), RowChange::Refused(_)));
}
