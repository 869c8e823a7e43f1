//! The register copy in memory and on disk: a Kaiku card in 8 bytes, a printed legacy card in
//! 12, each kind sorted for binary search, stored as delta-encoded varints (about 4 bytes a
//! Kaiku card) on every platform.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kaiku_core::card_id::{KaikuId, LegacyId, MAX_SERIAL, SERIES_LETTERS};
use kaiku_core::verdict::{RegisterEntry, RegisterLookup, RegisterStatus};
use kaiku_core::wire::RegisterRecord;
use kaiku_core::{CardId, CardKind, RevocationReason};

/// Format version of [`CompactRegister::encode`]; 1 (Kaiku IDs only) is still read.
const VERSION: u8 = 2;

/// Why stored register bytes cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompactError {
    #[error("the stored register copy is cut short")]
    Truncated,
    #[error("the stored register copy has format {0}, this app reads {VERSION}")]
    Version(u8),
    #[error("the stored register copy holds a bad record: {0}")]
    Bad(&'static str),
}

/// One kind of card number with its packed entries, sorted by number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Table<K> {
    keys: Vec<K>,
    vals: Vec<u32>,
}

impl<K: Ord + Copy> Table<K> {
    fn get(&self, k: K) -> Option<u32> {
        self.keys.binary_search(&k).ok().and_then(|i| self.vals.get(i).copied())
    }

    /// Changes `k` in place if present; else hands it back to be merged.
    fn set(&mut self, k: K, v: u32) -> Option<(K, u32)> {
        match self.keys.binary_search(&k) {
            Ok(i) => {
                self.vals[i] = v;
                None
            }
            Err(_) => Some((k, v)),
        }
    }

    fn merge(&mut self, mut new: Vec<(K, u32)>) {
        if new.is_empty() {
            return;
        }
        new.sort_by_key(|(k, _)| *k);
        // The last change of a card wins.
        new.reverse();
        new.dedup_by_key(|(k, _)| *k);
        new.reverse();
        let (old_keys, old_vals) = (std::mem::take(&mut self.keys), std::mem::take(&mut self.vals));
        self.keys.reserve(old_keys.len() + new.len());
        self.vals.reserve(old_keys.len() + new.len());
        let mut old = old_keys.into_iter().zip(old_vals).peekable();
        let mut add = new.into_iter().peekable();
        loop {
            let take_old = match (old.peek(), add.peek()) {
                (Some(o), Some(a)) => o.0 < a.0,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_old { old.next() } else { add.next() };
            if let Some((k, v)) = next {
                self.keys.push(k);
                self.vals.push(v);
            }
        }
    }

    fn iter(&self) -> impl Iterator<Item = (K, u32)> + '_ {
        self.keys.iter().copied().zip(self.vals.iter().copied())
    }
}

/// Every card the device knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompactRegister {
    kaiku: Table<u32>,
    /// Printed legacy IDs in their 59-bit packed form.
    legacy: Table<u64>,
    /// Why and when, for the (few) revoked cards.
    revoked: BTreeMap<CardId, (RevocationReason, NaiveDate)>,
}

fn kaiku_key(card: &KaikuId) -> u32 {
    let series = SERIES_LETTERS.iter().position(|l| *l == card.letter()).unwrap_or(0);
    // Fits: 10 series x 10^8 serials < 2^32.
    u32::try_from(series).unwrap_or(0) * (MAX_SERIAL + 1) + card.serial()
}

fn kaiku_card(key: u32) -> Option<KaikuId> {
    let letter = *SERIES_LETTERS.get(usize::try_from(key / (MAX_SERIAL + 1)).ok()?)?;
    KaikuId::new(letter, key % (MAX_SERIAL + 1)).ok()
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

/// Days since 2000-01-01, clamped to 16 bits (2000..2179).
fn days(d: NaiveDate) -> u32 {
    u32::try_from((d - epoch()).num_days().clamp(0, 0xFFFF)).unwrap_or(0)
}

fn date(days: u32) -> NaiveDate {
    epoch() + chrono::TimeDelta::days(i64::from(days & 0xFFFF))
}

const ACTIVE: u32 = 0;
const REVOKED: u32 = 1;
const UNREGISTERED: u32 = 2;

/// days: bits 0-15, kind: 16-17, status: 18-19, minors: 20-27.
fn pack(e: &RegisterEntry) -> u32 {
    let status = match e.status {
        RegisterStatus::Active => ACTIVE,
        RegisterStatus::Revoked { .. } => REVOKED,
        RegisterStatus::Unregistered => UNREGISTERED,
    };
    days(e.valid_until) | u32::from(e.kind.to_byte() & 3) << 16 | status << 18 | u32::from(e.minors_on_record) << 20
}

fn revocation_byte(r: RevocationReason) -> u8 {
    match r {
        RevocationReason::Lost => 1,
        RevocationReason::Stolen => 2,
        RevocationReason::Misuse => 3,
        RevocationReason::Replaced => 4,
    }
}

fn revocation_from(b: u8) -> Option<RevocationReason> {
    Some(match b {
        1 => RevocationReason::Lost,
        2 => RevocationReason::Stolen,
        3 => RevocationReason::Misuse,
        4 => RevocationReason::Replaced,
        _ => return None,
    })
}

impl CompactRegister {
    pub fn len(&self) -> usize {
        self.kaiku.keys.len() + self.legacy.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// What the copy says of `card`.
    pub fn get(&self, card: &CardId) -> Option<RegisterEntry> {
        let v = match card {
            CardId::Kaiku(id) => self.kaiku.get(kaiku_key(id))?,
            CardId::Legacy(id) => self.legacy.get(id.packed())?,
        };
        self.unpack(card, v)
    }

    fn unpack(&self, card: &CardId, v: u32) -> Option<RegisterEntry> {
        let status = match (v >> 18) & 3 {
            ACTIVE => RegisterStatus::Active,
            REVOKED => {
                let (reason, on) = *self.revoked.get(card)?;
                RegisterStatus::Revoked { reason, on }
            }
            _ => RegisterStatus::Unregistered,
        };
        Some(RegisterEntry {
            kind: CardKind::from_byte(u8::try_from((v >> 16) & 3).ok()?)?,
            valid_until: date(v),
            minors_on_record: u8::try_from((v >> 20) & 0xFF).ok()?,
            status,
        })
    }

    /// Adds or changes the cards of `records`: changes in place, new cards merged in one pass.
    pub fn apply(&mut self, records: &[RegisterRecord]) {
        let (mut new_kaiku, mut new_legacy) = (Vec::new(), Vec::new());
        for r in records {
            let v = pack(&r.entry);
            match &r.entry.status {
                RegisterStatus::Revoked { reason, on } => self.revoked.insert(r.card, (*reason, *on)),
                _ => self.revoked.remove(&r.card),
            };
            match r.card {
                CardId::Kaiku(id) => new_kaiku.extend(self.kaiku.set(kaiku_key(&id), v)),
                CardId::Legacy(id) => new_legacy.extend(self.legacy.set(id.packed(), v)),
            }
        }
        self.kaiku.merge(new_kaiku);
        self.legacy.merge(new_legacy);
    }

    /// The copy as bytes: version; the Kaiku cards (count, then per card its key as a varint
    /// delta and its value as a varint); the legacy cards the same way; then the revocations
    /// (kind byte, key, reason, day).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.kaiku.keys.len() * 5 + self.legacy.keys.len() * 7 + 16);
        out.push(VERSION);
        encode_table(&mut out, self.kaiku.iter().map(|(k, v)| (u64::from(k), v)), self.kaiku.keys.len());
        encode_table(&mut out, self.legacy.iter(), self.legacy.keys.len());
        put_varint(&mut out, self.revoked.len() as u64);
        for (card, (reason, on)) in &self.revoked {
            match card {
                CardId::Kaiku(id) => {
                    out.push(0);
                    put_varint(&mut out, u64::from(kaiku_key(id)));
                }
                CardId::Legacy(id) => {
                    out.push(1);
                    put_varint(&mut out, id.packed());
                }
            }
            out.push(revocation_byte(*reason));
            put_varint(&mut out, u64::from(days(*on)));
        }
        out
    }

    /// Reads what [`encode`](Self::encode) wrote, or format 1; never panics on bad bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, CompactError> {
        let mut r = Reader { bytes, pos: 0 };
        let version = r.byte()?;
        if version != VERSION && version != 1 {
            return Err(CompactError::Version(version));
        }
        let mut reg = Self::default();
        for (k, v) in decode_table(&mut r)? {
            u32::try_from(k).ok().and_then(kaiku_card).ok_or(CompactError::Bad("Kaiku card number"))?;
            reg.kaiku.keys.push(k as u32);
            reg.kaiku.vals.push(v);
        }
        if version == VERSION {
            for (k, v) in decode_table(&mut r)? {
                LegacyId::from_packed(k).ok_or(CompactError::Bad("legacy card number"))?;
                reg.legacy.keys.push(k);
                reg.legacy.vals.push(v);
            }
        }
        for _ in 0..r.count()? {
            let kind = if version == VERSION { r.byte()? } else { 0 };
            let card = match kind {
                0 => r.u32().ok().and_then(kaiku_card).map(CardId::Kaiku),
                1 => LegacyId::from_packed(r.varint()?).map(CardId::Legacy),
                _ => None,
            }
            .ok_or(CompactError::Bad("revoked card number"))?;
            let reason = revocation_from(r.byte()?).ok_or(CompactError::Bad("revocation reason"))?;
            reg.revoked.insert(card, (reason, date(r.u32()?)));
        }
        Ok(reg)
    }

    /// Every card, in order (for tests and diagnostics).
    pub fn records(&self) -> impl Iterator<Item = RegisterRecord> + '_ {
        let kaiku = self.kaiku.iter().filter_map(|(k, v)| Some((CardId::Kaiku(kaiku_card(k)?), v)));
        let legacy = self.legacy.iter().filter_map(|(k, v)| Some((CardId::Legacy(LegacyId::from_packed(k)?), v)));
        kaiku.chain(legacy).filter_map(|(card, v)| Some(RegisterRecord { card, entry: self.unpack(&card, v)? }))
    }
}

fn encode_table(out: &mut Vec<u8>, rows: impl Iterator<Item = (u64, u32)>, len: usize) {
    put_varint(out, len as u64);
    let mut prev = 0u64;
    for (k, v) in rows {
        put_varint(out, k - prev);
        put_varint(out, u64::from(v));
        prev = k;
    }
}

fn decode_table(r: &mut Reader<'_>) -> Result<Vec<(u64, u32)>, CompactError> {
    let n = r.count()?;
    let mut rows = Vec::with_capacity(n);
    let mut prev = 0u64;
    for i in 0..n {
        let delta = r.varint()?;
        if i > 0 && delta == 0 {
            return Err(CompactError::Bad("cards out of order"));
        }
        prev = prev.checked_add(delta).ok_or(CompactError::Bad("card number too large"))?;
        rows.push((prev, r.u32()?));
    }
    Ok(rows)
}

impl RegisterLookup for CompactRegister {
    fn lookup(&self, card: &CardId) -> Option<RegisterEntry> {
        self.get(card)
    }
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, CompactError> {
        let b = *self.bytes.get(self.pos).ok_or(CompactError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, CompactError> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Ok(n);
            }
        }
        Err(CompactError::Bad("varint too long"))
    }

    fn u32(&mut self) -> Result<u32, CompactError> {
        u32::try_from(self.varint()?).map_err(|_| CompactError::Bad("number too large"))
    }

    /// A count, bounded by the bytes left (each item takes at least one byte).
    fn count(&mut self) -> Result<usize, CompactError> {
        let n = usize::try_from(self.varint()?).map_err(|_| CompactError::Truncated)?;
        if n > self.bytes.len() - self.pos {
            return Err(CompactError::Truncated);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
