//! The "hand out a card" form as data: what was typed, and its check into the register's
//! `Background` with one message per field. Pure, so the rules are tested without a screen.

use kaiku_core::CardKind;
use kaiku_core::background::{Background, Gender, LifeSituation, MAX_MINORS, MIN_HOLDER_AGE, MotherTongue, PostalCode};

use crate::i18n::{Lang, t, t_args};

pub const GENDERS: [(Gender, &str); 4] =
    [(Gender::NotSaid, "not_said"), (Gender::Female, "female"), (Gender::Male, "male"), (Gender::Other, "other")];

pub const TONGUES: [(MotherTongue, &str); 10] = [
    (MotherTongue::NotSaid, "not_said"),
    (MotherTongue::Finnish, "finnish"),
    (MotherTongue::Swedish, "swedish"),
    (MotherTongue::Sami, "sami"),
    (MotherTongue::Russian, "russian"),
    (MotherTongue::Estonian, "estonian"),
    (MotherTongue::Arabic, "arabic"),
    (MotherTongue::Somali, "somali"),
    (MotherTongue::English, "english"),
    (MotherTongue::Other, "other"),
];

pub const SITUATIONS: [(LifeSituation, &str); 9] = [
    (LifeSituation::SingleParent, "single_parent"),
    (LifeSituation::Unemployed, "unemployed"),
    (LifeSituation::Student, "student"),
    (LifeSituation::Pensioner, "pensioner"),
    (LifeSituation::LongTermIll, "long_term_ill"),
    (LifeSituation::InDebt, "in_debt"),
    (LifeSituation::Disabled, "disabled"),
    (LifeSituation::Immigrant, "immigrant"),
    (LifeSituation::Other, "other"),
];

/// What the distributor typed and chose, as text until it is checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub kind: CardKind,
    pub birth_year: String,
    pub gender: Gender,
    pub mother_tongue: MotherTongue,
    pub situations: Vec<LifeSituation>,
    pub postal_code: String,
    pub children: String,
    pub grandchildren: String,
}

impl Default for Draft {
    fn default() -> Self {
        Self {
            kind: CardKind::Personal,
            birth_year: String::new(),
            gender: Gender::NotSaid,
            mother_tongue: MotherTongue::NotSaid,
            situations: Vec::new(),
            postal_code: String::new(),
            children: "0".into(),
            grandchildren: "0".into(),
        }
    }
}

/// One message per field that is wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    pub birth_year: Option<String>,
    pub postal_code: Option<String>,
    pub children: Option<String>,
    pub grandchildren: Option<String>,
}

impl FieldErrors {
    pub fn any(&self) -> bool {
        self.birth_year.is_some()
            || self.postal_code.is_some()
            || self.children.is_some()
            || self.grandchildren.is_some()
    }
}

fn count(text: &str, lang: Lang) -> Result<u8, String> {
    let t_ = text.trim();
    let t_ = if t_.is_empty() { "0" } else { t_ };
    match t_.parse::<u8>() {
        Ok(n) if n <= MAX_MINORS => Ok(n),
        _ => Err(t_args(lang, "staff-minors-bad", &[("max", MAX_MINORS.into())])),
    }
}

/// The card to register, or what is wrong, field by field. `year`: this year, for the age rule.
pub fn check_draft(d: &Draft, year: i32, lang: Lang) -> Result<(CardKind, Option<Background>), FieldErrors> {
    if d.kind == CardKind::Community {
        return Ok((CardKind::Community, None));
    }
    let mut errors = FieldErrors::default();
    let latest = year - MIN_HOLDER_AGE;
    let typed = d.birth_year.trim();
    let birth_year = match typed.parse::<i32>() {
        _ if typed.is_empty() => Err(t(lang, "staff-birth-year-empty")),
        Ok(y) if typed.len() == 4 && (1900..=latest).contains(&y) => Ok(y),
        Ok(_) if typed.len() == 4 => Err(t_args(lang, "staff-birth-year-range", &[("latest", latest.into())])),
        _ => Err(t(lang, "staff-birth-year-bad")),
    };
    let postal = PostalCode::parse(&d.postal_code).map_err(|_| t(lang, "staff-postal-code-bad"));
    let children = count(&d.children, lang);
    let grandchildren = count(&d.grandchildren, lang);
    errors.birth_year = birth_year.as_ref().err().cloned();
    errors.postal_code = postal.as_ref().err().cloned();
    errors.children = children.as_ref().err().cloned();
    errors.grandchildren = grandchildren.as_ref().err().cloned();
    if let (Ok(c), Ok(g)) = (&children, &grandchildren)
        && u16::from(*c) + u16::from(*g) > u16::from(MAX_MINORS)
    {
        errors.grandchildren = Some(t_args(lang, "staff-minors-total", &[("max", MAX_MINORS.into())]));
    }
    match (birth_year, postal, children, grandchildren) {
        (Ok(birth_year), Ok(postal_code), Ok(minor_children), Ok(minor_grandchildren)) if !errors.any() => {
            let mut life_situations = d.situations.clone();
            life_situations.dedup();
            Ok((
                CardKind::Personal,
                Some(Background {
                    birth_year,
                    gender: d.gender,
                    mother_tongue: d.mother_tongue,
                    life_situations,
                    postal_code,
                    minor_children,
                    minor_grandchildren,
                }),
            ))
        }
        _ => Err(errors),
    }
}
