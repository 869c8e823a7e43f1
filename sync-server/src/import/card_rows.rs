//! The checks of each row of a cards file: every bad cell is reported with its line and column.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use kaiku_core::background::{Background, BackgroundError, MAX_MINORS, PostalCode};
use kaiku_core::card::{CardStatus, RevocationReason};
use kaiku_core::{Card, CardId, CardKind};
use serde::de::DeserializeOwned;

use super::columns::{Column, columns};
use super::csv_table::{self, Row, header_key};
use super::{BadRow, FileError, ImportRow};
use crate::store::{CardRecord, DistributorInfo};

/// Reads a cards file for `distributor`: the good rows, and every bad cell of the others.
pub fn read_cards(
    bytes: &[u8],
    distributor: &DistributorInfo,
    today: NaiveDate,
) -> Result<(Vec<ImportRow>, Vec<BadRow>), FileError> {
    let table = csv_table::read(bytes)?;
    let cols = columns(&table.headers)?;
    let mut good = Vec::with_capacity(table.rows.len());
    let mut bad = Vec::new();
    let mut seen: HashMap<CardId, u64> = HashMap::with_capacity(table.rows.len());
    for row in &table.rows {
        let mut cells = Cells { row, cols: &cols, headers: &table.headers, bad: Vec::new() };
        if row.cells.len() > table.headers.len() && row.cells[table.headers.len()..].iter().any(|c| !c.is_empty()) {
            cells.bad(None, format!("{} cells, but the header has {}", row.cells.len(), table.headers.len()));
        }
        let record = card(&mut cells, distributor, today);
        if let Some(r) = &record
            && let Some(first) = seen.insert(r.card.id, row.line)
        {
            cells.bad(Some(Column::Id), format!("card {} is also on line {first}", r.card.id));
        }
        match record {
            Some(record) if cells.bad.is_empty() => good.push(ImportRow { line: row.line, record }),
            _ => bad.append(&mut cells.bad),
        }
    }
    Ok((good, bad))
}

/// One row's cells by column, collecting what is wrong with them.
struct Cells<'a> {
    row: &'a Row,
    cols: &'a HashMap<Column, usize>,
    headers: &'a [String],
    bad: Vec<BadRow>,
}

impl Cells<'_> {
    fn get(&self, c: Column) -> &str {
        self.cols.get(&c).map_or("", |&i| self.row.cell(i))
    }

    fn bad(&mut self, c: Option<Column>, reason: String) {
        let column = match c {
            None => String::new(),
            Some(c) => self.cols.get(&c).map_or_else(|| c.name().to_owned(), |&i| self.headers[i].clone()),
        };
        self.bad.push(BadRow { line: self.row.line, column, reason });
    }

    /// The cell parsed by `f`, or `None` (empty, or bad and noted).
    fn parse<T>(&mut self, c: Column, f: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let text = self.get(c);
        if text.is_empty() {
            return None;
        }
        match f(text) {
            Ok(v) => Some(v),
            Err(reason) => {
                self.bad(Some(c), reason);
                None
            }
        }
    }

    /// Like `parse`, but an empty cell is bad too.
    fn required<T>(&mut self, c: Column, f: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        if self.get(c).is_empty() {
            self.bad(Some(c), "missing".into());
            return None;
        }
        self.parse(c, f)
    }
}

/// `YYYY-MM-DD`, or `D.M.YYYY` as Finnish spreadsheets write dates.
pub fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .map_err(|_| format!("'{text}' is not a date: write YYYY-MM-DD or D.M.YYYY"))
}

fn number(text: &str) -> Result<u8, String> {
    text.parse::<u8>().map_err(|_| format!("'{text}' is not a whole number from 0 to {MAX_MINORS}")).and_then(|n| {
        if n > MAX_MINORS { Err(format!("{n} is more than the register accepts ({MAX_MINORS})")) } else { Ok(n) }
    })
}

/// A value by its English name in snake_case, or a Finnish or Swedish word for it.
fn named<T: DeserializeOwned>(text: &str, aliases: &[(&str, &str)], what: &str, choices: &str) -> Result<T, String> {
    let key = header_key(text);
    let key = aliases.iter().find(|(a, _)| *a == key).map_or(key.as_str(), |(_, to)| to);
    serde_json::from_value(serde_json::Value::String(key.to_owned()))
        .map_err(|_| format!("unknown {what} '{text}': {choices}"))
}

fn kind(text: &str) -> Result<CardKind, String> {
    let aliases = [("henkilökohtainen", "personal"), ("personlig", "personal"), ("yhteisö", "community")];
    named(text, &aliases, "kind", "personal or community")
}

fn revocation_reason(text: &str) -> Result<RevocationReason, String> {
    let aliases =
        [("kadonnut", "lost"), ("varastettu", "stolen"), ("väärinkäyttö", "misuse"), ("korvattu", "replaced")];
    named(text, &aliases, "revocation reason", "lost, stolen, misuse or replaced")
}

fn status_revoked(text: &str) -> Result<bool, String> {
    match header_key(text).as_str() {
        "active" | "aktiivinen" | "voimassa" | "aktiv" => Ok(false),
        "revoked" | "peruttu" | "återkallad" => Ok(true),
        _ => Err(format!("unknown status '{text}': active or revoked")),
    }
}

fn situations(text: &str) -> Result<Vec<kaiku_core::background::LifeSituation>, String> {
    let aliases = [
        ("yksinhuoltaja", "single_parent"),
        ("työtön", "unemployed"),
        ("opiskelija", "student"),
        ("eläkeläinen", "pensioner"),
        ("pitkäaikaissairas", "long_term_ill"),
        ("velkaantunut", "in_debt"),
        ("vammainen", "disabled"),
        ("maahanmuuttaja", "immigrant"),
        ("muu", "other"),
    ];
    let choices = "single_parent, unemployed, student, pensioner, long_term_ill, in_debt, disabled, immigrant or \
                   other, separated by |";
    text.split(['|', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| named(s, &aliases, "life situation", choices))
        .collect()
}

const BACKGROUND: [Column; 7] = [
    Column::BirthYear,
    Column::Gender,
    Column::MotherTongue,
    Column::LifeSituations,
    Column::PostalCode,
    Column::MinorChildren,
    Column::MinorGrandchildren,
];

fn card(cells: &mut Cells<'_>, distributor: &DistributorInfo, today: NaiveDate) -> Option<CardRecord> {
    let id = cells.required(Column::Id, |t| CardId::parse(t).map_err(|e| format!("'{t}' is not a card ID: {e}")));
    let kind = cells.required(Column::Kind, kind);
    let issued_on = cells.required(Column::IssuedOn, date);
    let valid_until = cells.required(Column::ValidUntil, date);
    if let Some(d) = issued_on.filter(|d| *d > today) {
        cells.bad(Some(Column::IssuedOn), format!("{d} is in the future"));
    }
    if let (Some(i), Some(v)) = (issued_on, valid_until)
        && v < i
    {
        cells.bad(Some(Column::ValidUntil), format!("valid until {v} is before issued on {i}"));
    }
    let own = distributor.id.0.to_string();
    if let Some(d) = cells.parse(Column::Distributor, |t| Ok(t.to_owned())).filter(|d| *d != own) {
        cells.bad(
            Some(Column::Distributor),
            format!("the card belongs to distributor {d}, but this import is for distributor {own}"),
        );
    }
    let status = status(cells, issued_on);
    let background = background(cells, kind, issued_on);
    let minors = cells.parse(Column::MinorsOnRecord, number);
    if kind == Some(CardKind::Community) && minors.is_some_and(|m| m > 0) {
        cells.bad(Some(Column::MinorsOnRecord), "a community card has no minors on record".into());
    }
    if kind == Some(CardKind::Personal) && !cells.get(Column::Organisation).is_empty() {
        cells.bad(Some(Column::Organisation), "a personal card belongs to no organisation: leave it empty".into());
    }
    let minors = minors.or_else(|| background.as_ref().map(Background::minors_on_record)).unwrap_or(0);
    let card = Card {
        id: id?,
        kind: kind?,
        region: distributor.region,
        distributor: distributor.id,
        issued_on: issued_on?,
        valid_until: valid_until?,
        status: status?,
        minors_on_record: minors,
    };
    Some(CardRecord { card, background })
}

fn status(cells: &mut Cells<'_>, issued_on: Option<NaiveDate>) -> Option<CardStatus> {
    let said = cells.parse(Column::Status, status_revoked);
    let reason = cells.parse(Column::RevokedReason, revocation_reason);
    let on = cells.parse(Column::RevokedOn, date);
    let revoked = said.unwrap_or(reason.is_some() || on.is_some());
    if !revoked {
        if reason.is_some() || on.is_some() {
            cells.bad(Some(Column::Status), "an active card has no revocation reason or date".into());
        }
        let status_bad = said.is_none() && !cells.get(Column::Status).is_empty();
        return (!status_bad).then_some(CardStatus::Active);
    }
    if reason.is_none() && cells.get(Column::RevokedReason).is_empty() {
        cells.bad(Some(Column::RevokedReason), "missing: a revoked card needs lost, stolen, misuse or replaced".into());
    }
    if on.is_none() && cells.get(Column::RevokedOn).is_empty() {
        cells.bad(Some(Column::RevokedOn), "missing: the day the card was revoked".into());
    }
    if let (Some(on), Some(issued)) = (on, issued_on)
        && on < issued
    {
        cells.bad(Some(Column::RevokedOn), format!("revoked on {on}, before the card was issued on {issued}"));
    }
    Some(CardStatus::Revoked { reason: reason?, on: on? })
}

fn background(cells: &mut Cells<'_>, kind: Option<CardKind>, issued_on: Option<NaiveDate>) -> Option<Background> {
    let given: Vec<Column> = BACKGROUND.into_iter().filter(|c| !cells.get(*c).is_empty()).collect();
    if given.is_empty() {
        // Older registers may hold a personal card without background data: it is kept so.
        return None;
    }
    if kind == Some(CardKind::Community) {
        cells.bad(Some(given[0]), "a community card belongs to an organisation: leave background data empty".into());
        return None;
    }
    let birth_year =
        cells.required(Column::BirthYear, |t| t.parse::<i32>().map_err(|_| format!("'{t}' is not a year")));
    let gender = cells.required(Column::Gender, |t| {
        let aliases = [("nainen", "female"), ("kvinna", "female"), ("mies", "male"), ("man", "male"), ("muu", "other")];
        named(t, &aliases, "gender", "female, male, other or not_said")
    });
    let mother_tongue = cells.required(Column::MotherTongue, |t| {
        let aliases = [
            ("suomi", "finnish"),
            ("finska", "finnish"),
            ("ruotsi", "swedish"),
            ("svenska", "swedish"),
            ("saame", "sami"),
            ("venäjä", "russian"),
            ("viro", "estonian"),
            ("arabia", "arabic"),
            ("englanti", "english"),
            ("muu", "other"),
        ];
        named(
            t,
            &aliases,
            "mother tongue",
            "finnish, swedish, sami, russian, estonian, arabic, somali, english, other or not_said",
        )
    });
    let life_situations = cells.parse(Column::LifeSituations, situations).unwrap_or_default();
    let postal_code = cells.required(Column::PostalCode, |t| PostalCode::parse(t).map_err(|e| e.to_string()));
    let minor_children = cells.parse(Column::MinorChildren, number).unwrap_or(0);
    let minor_grandchildren = cells.parse(Column::MinorGrandchildren, number).unwrap_or(0);
    // Background's own rules are checked even when another cell is bad, so that all are reported.
    let placeholder = || PostalCode::parse("00000").ok();
    let b = Background {
        birth_year: birth_year.unwrap_or(1970),
        gender: gender.unwrap_or(kaiku_core::background::Gender::NotSaid),
        mother_tongue: mother_tongue.unwrap_or(kaiku_core::background::MotherTongue::NotSaid),
        life_situations,
        postal_code: postal_code.clone().or_else(placeholder)?,
        minor_children,
        minor_grandchildren,
    };
    if let Err(e) = b.validate(issued_on?.year()) {
        let column = match e {
            BackgroundError::BirthYear { .. } => Column::BirthYear,
            BackgroundError::PostalCode(_) => Column::PostalCode,
            BackgroundError::TooManyMinors(_) => Column::MinorChildren,
            BackgroundError::DuplicateSituation(_) => Column::LifeSituations,
        };
        cells.bad(Some(column), e.to_string());
        return None;
    }
    (birth_year.is_some() && gender.is_some() && mother_tongue.is_some() && postal_code.is_some()).then_some(b)
}
