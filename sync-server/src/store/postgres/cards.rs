//! Cards, their holders' background data, and activation codes. Every change of a card takes
//! the next register change number (`pool::next_changes`) in its own transaction.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{Client, GenericClient};
use kaiku_core::background::{Background, LifeSituation, PostalCode};
use kaiku_core::card::{CardStatus, RevocationReason};
use kaiku_core::ids::{DistributorId, RegionId};
use kaiku_core::{Card, CardId, KaikuId};
use tokio_postgres::Row;

use super::convert::{get, id, parse, parse_with, small, text};
use super::pool::{exec, next_changes, row, rows};
use crate::store::{CardRecord, CodeUse, StoreError, StoreResult};

/// How long after its first use an activation code still answers the same phone's retry.
pub const ACTIVATION_RETRY: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

pub(super) const CARD_COLUMNS: &str = "id, kind, region_id, distributor_id, issued_on, valid_until, status, revoked_reason, \
     revoked_on, minors, birth_year, gender, mother_tongue, postal_code, minor_children, minor_grandchildren, \
     legacy_id";

/// `$1` the id, `$2`..`$17` the other columns, `$18` the change number.
const INSERT: &str = "INSERT INTO cards (id, kind, region_id, distributor_id, issued_on, valid_until, status, \
     revoked_reason, revoked_on, minors, birth_year, gender, mother_tongue, postal_code, minor_children, \
     minor_grandchildren, legacy_id, change_seq) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
     ON CONFLICT (id) DO NOTHING";

const UPDATE: &str = "UPDATE cards SET kind = $2, region_id = $3, distributor_id = $4, issued_on = $5, \
     valid_until = $6, status = $7, revoked_reason = $8, revoked_on = $9, minors = $10, birth_year = $11, \
     gender = $12, mother_tongue = $13, postal_code = $14, minor_children = $15, minor_grandchildren = $16, \
     legacy_id = $17, change_seq = $18 WHERE id = $1";

/// A card's columns in `INSERT`/`UPDATE` order.
struct Columns {
    id: String,
    kind: String,
    region: i64,
    distributor: i64,
    issued_on: NaiveDate,
    valid_until: NaiveDate,
    status: &'static str,
    reason: Option<String>,
    revoked_on: Option<NaiveDate>,
    minors: i32,
    birth_year: Option<i32>,
    gender: Option<String>,
    mother_tongue: Option<String>,
    postal_code: Option<String>,
    minor_children: Option<i32>,
    minor_grandchildren: Option<i32>,
    legacy: i32,
}

impl Columns {
    fn of(r: &CardRecord) -> Self {
        let c = &r.card;
        let b = r.background.as_ref();
        let (status, reason, revoked_on) = match c.status {
            CardStatus::Active => ("active", None, None),
            CardStatus::Revoked { reason, on } => ("revoked", Some(text(&reason)), Some(on)),
        };
        Self {
            id: c.id.to_string(),
            kind: text(&c.kind),
            region: c.region.0.into(),
            distributor: c.distributor.0.into(),
            issued_on: c.issued_on,
            valid_until: c.valid_until,
            status,
            reason,
            revoked_on,
            minors: c.minors_on_record.into(),
            birth_year: b.map(|b| b.birth_year),
            gender: b.map(|b| text(&b.gender)),
            mother_tongue: b.map(|b| text(&b.mother_tongue)),
            postal_code: b.map(|b| b.postal_code.as_str().to_owned()),
            minor_children: b.map(|b| b.minor_children.into()),
            minor_grandchildren: b.map(|b| b.minor_grandchildren.into()),
            legacy: c.id.is_legacy().into(),
        }
    }

    /// Runs `INSERT` or `UPDATE` with these columns; the rows it changed.
    async fn write(&self, c: &impl GenericClient, sql: &str, change: i64) -> StoreResult<u64> {
        exec(
            c,
            sql,
            &[
                &self.id,
                &self.kind,
                &self.region,
                &self.distributor,
                &self.issued_on,
                &self.valid_until,
                &self.status,
                &self.reason,
                &self.revoked_on,
                &self.minors,
                &self.birth_year,
                &self.gender,
                &self.mother_tongue,
                &self.postal_code,
                &self.minor_children,
                &self.minor_grandchildren,
                &self.legacy,
                &change,
            ],
        )
        .await
    }
}

async fn insert_situations(c: &impl GenericClient, r: &CardRecord) -> StoreResult<()> {
    let situations: Vec<String> =
        r.background.as_ref().map(|b| b.life_situations.iter().map(text).collect()).unwrap_or_default();
    if !situations.is_empty() {
        exec(
            c,
            "INSERT INTO card_life_situations (card_id, situation) SELECT $1, unnest($2::text[])",
            &[&r.card.id.to_string(), &situations],
        )
        .await?;
    }
    Ok(())
}

/// Inserts new cards, each with its change number, in two statements however many (an import:
/// one statement a card would fire the card-count trigger once a card, each time on the same
/// row); the IDs that were taken, by a card stored before or earlier in `records`.
pub(super) async fn insert_many(c: &impl GenericClient, records: &[(&CardRecord, i64)]) -> StoreResult<Vec<String>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let cols: Vec<Columns> = records.iter().map(|(r, _)| Columns::of(r)).collect();
    let texts = |f: fn(&Columns) -> &str| cols.iter().map(f).collect::<Vec<&str>>();
    let maybe = |f: fn(&Columns) -> Option<&str>| cols.iter().map(f).collect::<Vec<Option<&str>>>();
    let ints = |f: fn(&Columns) -> Option<i32>| cols.iter().map(f).collect::<Vec<Option<i32>>>();
    let dates = |f: fn(&Columns) -> Option<NaiveDate>| cols.iter().map(f).collect::<Vec<Option<NaiveDate>>>();
    let longs = |f: fn(&Columns) -> i64| cols.iter().map(f).collect::<Vec<i64>>();
    let changes: Vec<i64> = records.iter().map(|(_, change)| *change).collect();
    let inserted = rows(
        c,
        "INSERT INTO cards (id, kind, region_id, distributor_id, issued_on, valid_until, status, revoked_reason, \
         revoked_on, minors, birth_year, gender, mother_tongue, postal_code, minor_children, minor_grandchildren, \
         legacy_id, change_seq) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::date[], $6::date[], \
         $7::text[], $8::text[], $9::date[], $10::integer[], $11::integer[], $12::text[], $13::text[], $14::text[], \
         $15::integer[], $16::integer[], $17::integer[], $18::bigint[]) \
         ON CONFLICT (id) DO NOTHING RETURNING id",
        &[
            &texts(|c| &c.id),
            &texts(|c| &c.kind),
            &longs(|c| c.region),
            &longs(|c| c.distributor),
            &dates(|c| Some(c.issued_on)),
            &dates(|c| Some(c.valid_until)),
            &texts(|c| c.status),
            &maybe(|c| c.reason.as_deref()),
            &dates(|c| c.revoked_on),
            &ints(|c| Some(c.minors)),
            &ints(|c| c.birth_year),
            &maybe(|c| c.gender.as_deref()),
            &maybe(|c| c.mother_tongue.as_deref()),
            &maybe(|c| c.postal_code.as_deref()),
            &ints(|c| c.minor_children),
            &ints(|c| c.minor_grandchildren),
            &ints(|c| Some(c.legacy)),
            &changes,
        ],
    )
    .await?;
    let mut inserted: std::collections::HashSet<String> =
        inserted.iter().map(|r| get(r, 0)).collect::<Result<_, _>>()?;
    let (mut ids, mut situations, mut taken) = (Vec::new(), Vec::new(), Vec::new());
    for (r, _) in records {
        let id = r.card.id.to_string();
        // The first of an ID given twice is the one inserted.
        if !inserted.remove(&id) {
            taken.push(id);
            continue;
        }
        for s in r.background.iter().flat_map(|b| &b.life_situations) {
            ids.push(id.clone());
            situations.push(text(s));
        }
    }
    if !ids.is_empty() {
        exec(
            c,
            "INSERT INTO card_life_situations (card_id, situation) SELECT * FROM unnest($1::text[], $2::text[])",
            &[&ids, &situations],
        )
        .await?;
    }
    Ok(taken)
}

/// Inserts a new card with change number `change`; `false` if its id is taken.
pub(super) async fn insert_with(c: &impl GenericClient, r: &CardRecord, change: i64) -> StoreResult<bool> {
    if Columns::of(r).write(c, INSERT, change).await? == 0 {
        return Ok(false);
    }
    insert_situations(c, r).await?;
    Ok(true)
}

/// Replaces a card's every column and its life situations, with change number `change`.
pub(super) async fn replace_with(c: &impl GenericClient, r: &CardRecord, change: i64) -> StoreResult<()> {
    if Columns::of(r).write(c, UPDATE, change).await? != 1 {
        return Err(StoreError::NotFound(format!("card {} is not registered", r.card.id)));
    }
    exec(c, "DELETE FROM card_life_situations WHERE card_id = $1", &[&r.card.id.to_string()]).await?;
    insert_situations(c, r).await
}

pub async fn insert_card(c: &mut Client, record: &CardRecord) -> StoreResult<()> {
    let tx = c.transaction().await?;
    let change = next_changes(&tx, 1).await?;
    if !insert_with(&tx, record, change).await? {
        return Err(StoreError::Conflict(format!("card {} is already registered", record.card.id)));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn next_card_id(c: &impl GenericClient, letter: char) -> StoreResult<Option<KaikuId>> {
    let first = KaikuId::new(letter, 0).map_err(|e| StoreError::Backend(e.to_string()))?;
    // Imported legacy IDs share the table (and may start with the same letter): skip them.
    let r = row(c, "SELECT max(id) FROM cards WHERE legacy_id = 0 AND id LIKE $1", &[&format!("{letter}%")]).await?;
    match r.map(|r| get::<Option<String>>(&r, 0)).transpose()?.flatten() {
        None => Ok(Some(first)),
        Some(id) => Ok(KaikuId::parse(&id).ok().and_then(|id| id.next_in_series())),
    }
}

pub(super) fn card_from_row(r: &Row) -> StoreResult<Card> {
    let status = match get::<&str>(r, 6)? {
        "revoked" => CardStatus::Revoked {
            reason: parse::<RevocationReason>(get::<Option<&str>>(r, 7)?.unwrap_or_default())?,
            on: get::<Option<NaiveDate>>(r, 8)?.unwrap_or_default(),
        },
        _ => CardStatus::Active,
    };
    Ok(Card {
        id: parse_with(get::<&str>(r, 0)?, CardId::parse)?,
        kind: parse(get::<&str>(r, 1)?)?,
        region: RegionId(id(r, 2)?),
        distributor: DistributorId(id(r, 3)?),
        issued_on: get(r, 4)?,
        valid_until: get(r, 5)?,
        status,
        minors_on_record: small(r, 9)?,
    })
}

pub(super) fn background_from_row(r: &Row, situations: Vec<LifeSituation>) -> StoreResult<Option<Background>> {
    let Some(birth_year) = get::<Option<i32>>(r, 10)? else { return Ok(None) };
    let opt_small = |i: usize| -> StoreResult<u8> {
        let n: Option<i32> = get(r, i)?;
        u8::try_from(n.unwrap_or(0)).map_err(|_| StoreError::Backend("a stored count is out of range".into()))
    };
    Ok(Some(Background {
        birth_year,
        gender: parse(get::<Option<&str>>(r, 11)?.unwrap_or_default())?,
        mother_tongue: parse(get::<Option<&str>>(r, 12)?.unwrap_or_default())?,
        life_situations: situations,
        postal_code: parse_with(get::<Option<&str>>(r, 13)?.unwrap_or_default(), PostalCode::parse)?,
        minor_children: opt_small(14)?,
        minor_grandchildren: opt_small(15)?,
    }))
}

/// The life situations of `ids`, each card's in order.
pub(super) async fn situations_of(
    c: &impl GenericClient,
    ids: &[String],
) -> StoreResult<HashMap<String, Vec<LifeSituation>>> {
    let found = rows(
        c,
        "SELECT card_id, situation FROM card_life_situations WHERE card_id = ANY($1) ORDER BY card_id, situation",
        &[&ids],
    )
    .await?;
    let mut out: HashMap<String, Vec<LifeSituation>> = HashMap::new();
    for r in &found {
        out.entry(get(r, 0)?).or_default().push(parse(get::<&str>(r, 1)?)?);
    }
    Ok(out)
}

/// The cards of `ids` that are registered, with their backgrounds.
pub(super) async fn cards(c: &impl GenericClient, ids: &[String]) -> StoreResult<HashMap<String, CardRecord>> {
    let mut situations = situations_of(c, ids).await?;
    let sql = format!("SELECT {CARD_COLUMNS} FROM cards WHERE id = ANY($1)");
    let mut out = HashMap::new();
    for r in &rows(c, &sql, &[&ids]).await? {
        let id: String = get(r, 0)?;
        let background = background_from_row(r, situations.remove(&id).unwrap_or_default())?;
        out.insert(id, CardRecord { card: card_from_row(r)?, background });
    }
    Ok(out)
}

pub async fn card(c: &impl GenericClient, id: CardId) -> StoreResult<Option<CardRecord>> {
    Ok(cards(c, &[id.to_string()]).await?.into_values().next())
}

pub async fn update_card(c: &mut Client, card: &Card) -> StoreResult<()> {
    let tx = c.transaction().await?;
    let change = next_changes(&tx, 1).await?;
    let (status, reason, on) = match card.status {
        CardStatus::Active => ("active", None, None),
        CardStatus::Revoked { reason, on } => ("revoked", Some(text(&reason)), Some(on)),
    };
    let n = exec(
        &tx,
        "UPDATE cards SET valid_until = $2, status = $3, revoked_reason = $4, revoked_on = $5, change_seq = $6 \
         WHERE id = $1",
        &[&card.id.to_string(), &card.valid_until, &status, &reason, &on, &change],
    )
    .await?;
    if n != 1 {
        return Err(StoreError::NotFound(format!("card {} is not registered", card.id)));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn create_activation_code(
    c: &impl GenericClient,
    card: CardId,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    exec(
        c,
        "INSERT INTO activation_codes (code_hash, card_id, expires_at) VALUES ($1, $2, $3)",
        &[&hash, &card.to_string(), &expires_at],
    )
    .await?;
    Ok(())
}

pub async fn take_activation_code(c: &mut Client, hash: &[u8], now: DateTime<Utc>) -> StoreResult<CodeUse<CardId>> {
    let tx = c.transaction().await?;
    // Locked: a code used at two processes at once is used once.
    let found =
        row(&tx, "SELECT card_id, expires_at, used_at FROM activation_codes WHERE code_hash = $1 FOR UPDATE", &[&hash])
            .await?;
    let Some(r) = found else { return Ok(CodeUse::Unknown) };
    let (card, expires_at, used_at): (String, DateTime<Utc>, Option<DateTime<Utc>>) =
        (get(&r, 0)?, get(&r, 1)?, get(&r, 2)?);
    match used_at {
        // A phone that lost the answer may ask again for a short while.
        Some(used) if now - used <= ACTIVATION_RETRY => {}
        Some(_) => return Ok(CodeUse::AlreadyUsed),
        None if now > expires_at => return Ok(CodeUse::Expired),
        None => {
            exec(&tx, "UPDATE activation_codes SET used_at = $2 WHERE code_hash = $1", &[&hash, &now]).await?;
            tx.commit().await?;
        }
    }
    Ok(CodeUse::Taken(parse_with(&card, CardId::parse)?))
}
