//! Background data a distributor records when it hands out a card: never a name, never an
//! identity number, never an address. Only these fields exist, and each is validated.

use serde::{Deserialize, Serialize};

/// The youngest age at which a person can hold a personal card.
pub const MIN_HOLDER_AGE: i32 = 16;
/// Upper bound for minor children plus grandchildren on record.
pub const MAX_MINORS: u8 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    Other,
    NotSaid,
}

/// Mother tongue groups as the statistics report them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MotherTongue {
    Finnish,
    Swedish,
    Sami,
    Russian,
    Estonian,
    Arabic,
    Somali,
    English,
    Other,
    NotSaid,
}

/// Life situations; a holder may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LifeSituation {
    SingleParent,
    Unemployed,
    Student,
    Pensioner,
    LongTermIll,
    InDebt,
    Disabled,
    Immigrant,
    Other,
}

/// A Finnish postal code: five digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(text: &str) -> Result<Self, BackgroundError> {
        let t = text.trim();
        if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(t.to_owned()))
        } else {
            Err(BackgroundError::PostalCode(text.chars().take(20).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PostalCode {
    type Error = BackgroundError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PostalCode> for String {
    fn from(p: PostalCode) -> Self {
        p.0
    }
}

/// On the wire a postal code is its five digits as text.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PostalCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("A Finnish postal code: five digits."))
            .pattern(Some("^[0-9]{5}$"))
            .examples(["96100"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for PostalCode {}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackgroundError {
    #[error("birth year {year} is not possible: a holder is at least {MIN_HOLDER_AGE} and born after 1900")]
    BirthYear { year: i32 },
    #[error("postal code '{0}' is not five digits")]
    PostalCode(String),
    #[error("{0} minor children and grandchildren is more than the register accepts ({MAX_MINORS})")]
    TooManyMinors(u16),
    #[error("life situation '{0:?}' is listed twice")]
    DuplicateSituation(LifeSituation),
}

/// The holder's background data, as the distributor records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Background {
    pub birth_year: i32,
    pub gender: Gender,
    pub mother_tongue: MotherTongue,
    #[serde(default)]
    pub life_situations: Vec<LifeSituation>,
    pub postal_code: PostalCode,
    #[serde(default)]
    pub minor_children: u8,
    #[serde(default)]
    pub minor_grandchildren: u8,
}

impl Background {
    /// Checks the values against the year of registration.
    pub fn validate(&self, registration_year: i32) -> Result<(), BackgroundError> {
        if self.birth_year < 1900 || self.birth_year > registration_year - MIN_HOLDER_AGE {
            return Err(BackgroundError::BirthYear { year: self.birth_year });
        }
        let minors = u16::from(self.minor_children) + u16::from(self.minor_grandchildren);
        if minors > u16::from(MAX_MINORS) {
            return Err(BackgroundError::TooManyMinors(minors));
        }
        let mut seen = Vec::with_capacity(self.life_situations.len());
        for s in &self.life_situations {
            if seen.contains(s) {
                return Err(BackgroundError::DuplicateSituation(*s));
            }
            seen.push(*s);
        }
        Ok(())
    }

    /// Minor children and grandchildren together: the children's tickets on record.
    pub fn minors_on_record(&self) -> u8 {
        self.minor_children.saturating_add(self.minor_grandchildren)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Background {
        Background {
            birth_year: 1980,
            gender: Gender::Female,
            mother_tongue: MotherTongue::Finnish,
            life_situations: vec![LifeSituation::SingleParent, LifeSituation::Unemployed],
            postal_code: PostalCode::parse("96100").expect("valid"),
            minor_children: 2,
            minor_grandchildren: 1,
        }
    }

    #[test]
    fn valid_background_passes_and_counts_minors() {
        assert_eq!(sample().validate(2026), Ok(()));
        assert_eq!(sample().minors_on_record(), 3);
    }

    #[test]
    fn a_holder_younger_than_sixteen_is_refused() {
        let b = Background { birth_year: 2011, ..sample() };
        assert_eq!(b.validate(2026), Err(BackgroundError::BirthYear { year: 2011 }));
        assert_eq!(Background { birth_year: 2010, ..sample() }.validate(2026), Ok(()));
    }

    #[test]
    fn a_name_field_or_any_unknown_field_is_refused() {
        let json =
            r#"{"birth_year":1980,"gender":"male","mother_tongue":"swedish","postal_code":"00100","name":"Matti"}"#;
        let err = serde_json::from_str::<Background>(json).expect_err("name is refused");
        assert!(err.to_string().contains("unknown field `name`"), "{err}");
    }

    #[test]
    fn postal_codes_are_five_digits() {
        assert!(PostalCode::parse("0010").is_err());
        assert!(PostalCode::parse("00A00").is_err());
        assert_eq!(PostalCode::parse(" 00100 ").map(|p| p.as_str().to_owned()), Ok("00100".to_owned()));
        assert!(serde_json::from_str::<PostalCode>("\"123456\"").is_err());
    }

    #[test]
    fn repeated_life_situations_and_too_many_minors_are_refused() {
        let b = Background { life_situations: vec![LifeSituation::Student, LifeSituation::Student], ..sample() };
        assert_eq!(b.validate(2026), Err(BackgroundError::DuplicateSituation(LifeSituation::Student)));
        let b = Background { minor_children: 20, minor_grandchildren: 11, ..sample() };
        assert_eq!(b.validate(2026), Err(BackgroundError::TooManyMinors(31)));
    }
}
