//! A published count: a JSON number, or the string `"<5"` for 1 to 4. The same text is the
//! CSV cell, so the two formats say the same thing.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

/// How a count of 1 to 4 is written, in JSON and CSV alike.
pub const FEWER_THAN_FIVE: &str = "<5";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// 0, a multiple of 5 (below administrator) or an exact count (an administrator).
    Number(u64),
    /// 1 to 4, not told more exactly.
    FewerThanFive,
}

impl Count {
    pub fn number(self) -> Option<u64> {
        match self {
            Self::Number(n) => Some(n),
            Self::FewerThanFive => None,
        }
    }

    /// For sorting: "fewer than 5" between 0 and 5.
    pub fn order(self) -> u64 {
        match self {
            Self::Number(n) => n.saturating_mul(2),
            Self::FewerThanFive => 5,
        }
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::FewerThanFive => f.write_str(FEWER_THAN_FIVE),
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(n) => s.serialize_u64(*n),
            Self::FewerThanFive => s.serialize_str(FEWER_THAN_FIVE),
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Number(u64),
            Text(String),
        }
        match Wire::deserialize(d)? {
            Wire::Number(n) => Ok(Self::Number(n)),
            Wire::Text(t) if t == FEWER_THAN_FIVE => Ok(Self::FewerThanFive),
            Wire::Text(t) => Err(serde::de::Error::custom(format!("a count is a number or \"<5\", not {t:?}"))),
        }
    }
}

impl utoipa::PartialSchema for Count {
    fn schema() -> RefOr<Schema> {
        let number = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0))
            .description(Some("The count: exact for an administrator, otherwise 0 or a multiple of 5."));
        let fewer = ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some([FEWER_THAN_FIVE]))
            .description(Some("1 to 4, not told more exactly (below administrator)."));
        OneOfBuilder::new()
            .item(number)
            .item(fewer)
            .description(Some("A published count: a number, or \"<5\" for 1 to 4."))
            .into()
    }
}

impl utoipa::ToSchema for Count {}
