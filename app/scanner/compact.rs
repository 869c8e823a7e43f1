//! The register copy in memory and on disk: every card in 8 bytes, sorted for binary search,
//! stored as delta-encoded varints (about 4 bytes a card) on every platform.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kaiku_core::card_id::{MAX_SERIAL, SERIES_LETTERS};
use kaiku_core::verdict::{RegisterEntry, RegisterLookup, RegisterStatus};
use kaiku_core::wire::RegisterRecord;
use kaiku_core::{CardId, CardKind, RevocationReason};

/// Format version of [`CompactRegister::encode`].
const VERSION: u8 = 1;

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

/// Every card the device knows, sorted by card number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompactRegister {
    keys: Vec<u32>,
    vals: Vec<u32>,
    /// Why and when, for the (few) revoked cards.
    revoked: BTreeMap<u32, (RevocationReason, NaiveDate)>,
}

fn key(card: &CardId) -> u32 {
    let series = SERIES_LETTERS.iter().position(|l| *l == card.letter()).unwrap_or(0);
    // Fits: 10 series x 10^8 serials < 2^32.
    u32::try_from(series).unwrap_or(0) * (MAX_SERIAL + 1) + card.serial()
}

fn card(key: u32) -> Option<CardId> {
    let letter = *SERIES_LETTERS.get(usize::try_from(key / (MAX_SERIAL + 1)).ok()?)?;
    CardId::new(letter, key % (MAX_SERIAL + 1)).ok()
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
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// What the copy says of `card`.
    pub fn get(&self, card: &CardId) -> Option<RegisterEntry> {
        let k = key(card);
        let i = self.keys.binary_search(&k).ok()?;
        self.unpack(k, *self.vals.get(i)?)
    }

    fn unpack(&self, k: u32, v: u32) -> Option<RegisterEntry> {
        let status = match (v >> 18) & 3 {
            ACTIVE => RegisterStatus::Active,
            REVOKED => {
                let (reason, on) = *self.revoked.get(&k)?;
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
        let mut new: Vec<(u32, u32)> = Vec::new();
        for r in records {
            let (k, v) = (key(&r.card), pack(&r.entry));
            match &r.entry.status {
                RegisterStatus::Revoked { reason, on } => self.revoked.insert(k, (*reason, *on)),
                _ => self.revoked.remove(&k),
            };
            match self.keys.binary_search(&k) {
                Ok(i) => self.vals[i] = v,
                Err(_) => new.push((k, v)),
            }
        }
        if !new.is_empty() {
            self.merge(new);
        }
    }

    fn merge(&mut self, mut new: Vec<(u32, u32)>) {
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

    /// The copy as bytes: version, count, then per card its key as a varint delta and its value
    /// as a varint; then the revocations.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.keys.len() * 5 + 16);
        out.push(VERSION);
        put_varint(&mut out, self.keys.len() as u64);
        let mut prev = 0u32;
        for (k, v) in self.keys.iter().zip(&self.vals) {
            put_varint(&mut out, u64::from(k - prev));
            put_varint(&mut out, u64::from(*v));
            prev = *k;
        }
        put_varint(&mut out, self.revoked.len() as u64);
        for (k, (reason, on)) in &self.revoked {
            put_varint(&mut out, u64::from(*k));
            out.push(revocation_byte(*reason));
            put_varint(&mut out, u64::from(days(*on)));
        }
        out
    }

    /// Reads what [`encode`](Self::encode) wrote; never panics on bad bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, CompactError> {
        let mut r = Reader { bytes, pos: 0 };
        let version = r.byte()?;
        if version != VERSION {
            return Err(CompactError::Version(version));
        }
        let n = r.count()?;
        let mut reg = Self { keys: Vec::with_capacity(n), vals: Vec::with_capacity(n), ..Self::default() };
        let mut prev = 0u32;
        for i in 0..n {
            let delta = r.u32()?;
            if i > 0 && delta == 0 {
                return Err(CompactError::Bad("cards out of order"));
            }
            prev = prev.checked_add(delta).ok_or(CompactError::Bad("card number too large"))?;
            reg.keys.push(prev);
            reg.vals.push(r.u32()?);
        }
        for _ in 0..r.count()? {
            let k = r.u32()?;
            let reason = revocation_from(r.byte()?).ok_or(CompactError::Bad("revocation reason"))?;
            reg.revoked.insert(k, (reason, date(r.u32()?)));
        }
        Ok(reg)
    }

    /// Every card, in order (for tests and diagnostics).
    pub fn records(&self) -> impl Iterator<Item = RegisterRecord> + '_ {
        self.keys
            .iter()
            .zip(&self.vals)
            .filter_map(|(k, v)| Some(RegisterRecord { card: card(*k)?, entry: self.unpack(*k, *v)? }))
    }
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
mod tests {
    use super::*;

    fn rec(letter: char, serial: u32, status: RegisterStatus, minors: u8) -> RegisterRecord {
        RegisterRecord {
            card: CardId::new(letter, serial).expect("a card id"),
            entry: RegisterEntry {
                kind: if minors == 0 { CardKind::Community } else { CardKind::Personal },
                valid_until: NaiveDate::from_ymd_opt(2027, 3, 31).expect("a date"),
                minors_on_record: minors,
                status,
            },
        }
    }

    fn revoked() -> RegisterStatus {
        RegisterStatus::Revoked {
            reason: RevocationReason::Stolen,
            on: NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date"),
        }
    }

    #[test]
    fn every_entry_reads_back_as_written_and_survives_encoding() {
        let records = vec![
            rec('K', MAX_SERIAL, RegisterStatus::Active, 3),
            rec('A', 0, RegisterStatus::Unregistered, 0),
            rec('C', 77, revoked(), 200),
        ];
        let mut reg = CompactRegister::default();
        reg.apply(&records);
        for r in &records {
            assert_eq!(reg.get(&r.card), Some(r.entry), "{}", r.card);
        }
        assert_eq!(reg.get(&CardId::new('C', 78).expect("id")), None);
        let back = CompactRegister::decode(&reg.encode()).expect("decodes");
        assert_eq!(back, reg);
        assert_eq!(back.records().count(), 3);
    }

    #[test]
    fn a_delta_changes_cards_in_place_and_merges_new_ones_in_order() {
        let mut reg = CompactRegister::default();
        reg.apply(&(0..100).map(|i| rec('B', i * 2, RegisterStatus::Active, 1)).collect::<Vec<_>>());
        reg.apply(&[rec('B', 3, RegisterStatus::Active, 2), rec('B', 4, revoked(), 1), rec('A', 9, revoked(), 0)]);
        assert_eq!(reg.len(), 102);
        assert_eq!(reg.get(&CardId::new('B', 4).expect("id")).map(|e| e.status), Some(revoked()));
        assert_eq!(reg.get(&CardId::new('B', 3).expect("id")).map(|e| e.minors_on_record), Some(2));
        reg.apply(&[rec('B', 4, RegisterStatus::Active, 1)]);
        assert_eq!(reg.get(&CardId::new('B', 4).expect("id")).map(|e| e.status), Some(RegisterStatus::Active));
        let keys: Vec<u32> = reg.keys.clone();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
    }

    #[test]
    fn bad_bytes_are_an_error_never_a_panic() {
        let mut reg = CompactRegister::default();
        reg.apply(&[rec('A', 1, revoked(), 1), rec('A', 5, RegisterStatus::Active, 1)]);
        let bytes = reg.encode();
        for cut in 0..bytes.len() {
            assert!(CompactRegister::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert_eq!(CompactRegister::decode(&[9]), Err(CompactError::Version(9)));
        assert!(
            CompactRegister::decode(&[VERSION, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
                .is_err()
        );
    }
}
