//! The cards file's columns, matched by their English, Finnish or Swedish header. A header
//! that could hold a name or other personal data refuses the whole file.

use std::collections::HashMap;

use super::FileError;
use super::csv_table::header_key;

/// The columns of the cards file, in the order the export writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Id,
    Kind,
    IssuedOn,
    ValidUntil,
    Status,
    RevokedReason,
    RevokedOn,
    MinorsOnRecord,
    Organisation,
    BirthYear,
    Gender,
    MotherTongue,
    LifeSituations,
    PostalCode,
    MinorChildren,
    MinorGrandchildren,
    Distributor,
}

impl Column {
    pub const ALL: [Column; 17] = [
        Self::Id,
        Self::Kind,
        Self::IssuedOn,
        Self::ValidUntil,
        Self::Status,
        Self::RevokedReason,
        Self::RevokedOn,
        Self::MinorsOnRecord,
        Self::Organisation,
        Self::BirthYear,
        Self::Gender,
        Self::MotherTongue,
        Self::LifeSituations,
        Self::PostalCode,
        Self::MinorChildren,
        Self::MinorGrandchildren,
        Self::Distributor,
    ];

    /// The header the export writes; the first of the names matched.
    pub fn name(self) -> &'static str {
        self.names()[0]
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            Self::Id => &["id", "card", "card_id", "card_number", "kortti", "kortin_numero", "tunnus", "kortnummer"],
            Self::Kind => &["kind", "type", "card_type", "tyyppi", "korttityyppi", "laji", "typ"],
            Self::IssuedOn => &["issued_on", "issued", "registered_on", "myönnetty", "rekisteröity", "utfärdad"],
            Self::ValidUntil => &["valid_until", "voimassa", "voimassa_asti", "giltig_till"],
            Self::Status => &["status", "tila"],
            Self::RevokedReason => &["revoked_reason", "revocation_reason", "peruutuksen_syy", "orsak"],
            Self::RevokedOn => &["revoked_on", "peruttu", "återkallad"],
            Self::MinorsOnRecord => &["minors_on_record", "minors", "alaikäiset"],
            Self::Organisation => &["organisation", "organization", "organisation_name", "yhteisö", "organisaatio"],
            Self::BirthYear => &["birth_year", "syntymävuosi", "födelseår"],
            Self::Gender => &["gender", "sukupuoli", "kön"],
            Self::MotherTongue => &["mother_tongue", "äidinkieli", "modersmål"],
            Self::LifeSituations => &["life_situations", "life_situation", "elämäntilanne", "livssituation"],
            Self::PostalCode => &["postal_code", "postcode", "postinumero", "postnummer"],
            Self::MinorChildren => &["minor_children", "alaikäiset_lapset", "minderåriga_barn"],
            Self::MinorGrandchildren => &["minor_grandchildren", "alaikäiset_lapsenlapset", "minderåriga_barnbarn"],
            Self::Distributor => &["distributor", "jakaja", "utdelare"],
        }
    }

    fn of_header(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.names().contains(&key))
    }
}

const NAME_HEADERS: &[&str] = &[
    "holder",
    "holder_name",
    "haltija",
    "kortinhaltija",
    "innehavare",
    "surname",
    "etunimi",
    "sukunimi",
    "förnamn",
    "efternamn",
    "firstname",
    "lastname",
];
const PERSONAL_HEADERS: &[&str] = &[
    "hetu",
    "henkilötunnus",
    "ssn",
    "personal_id",
    "personal_identity_number",
    "personnummer",
    "personbeteckning",
    "address",
    "osoite",
    "katuosoite",
    "adress",
    "phone",
    "puhelin",
    "telefon",
    "email",
    "e_mail",
    "sähköposti",
    "e_post",
];

/// The column of every header, or why the file is refused.
pub fn columns(headers: &[String]) -> Result<HashMap<Column, usize>, FileError> {
    let mut found = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let key = header_key(h);
        if let Some(c) = Column::of_header(&key) {
            if found.insert(c, i).is_some() {
                return Err(FileError::DuplicateColumn(h.clone()));
            }
        } else if NAME_HEADERS.contains(&key.as_str()) || ["name", "nimi", "namn"].iter().any(|n| key.ends_with(n)) {
            return Err(FileError::NameColumn(h.clone()));
        } else if PERSONAL_HEADERS.contains(&key.as_str()) {
            return Err(FileError::PersonalColumn(h.clone()));
        } else {
            let known = Column::ALL.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ");
            return Err(FileError::UnknownColumn { column: h.clone(), known });
        }
    }
    for required in [Column::Id, Column::Kind, Column::IssuedOn, Column::ValidUntil] {
        if !found.contains_key(&required) {
            return Err(FileError::MissingColumn(required.name()));
        }
    }
    Ok(found)
}
