//! Trusted keys only, with the scanner engine against the real sync server on loopback: a key
//! the register lists without an endorsement (or with a forged one) is refused and its cards are
//! "invalid"; an endorsed key is taken in; a retired key's cards are refused from the retirement
//! day on, once the scanner has synced, and admitted before it.

#[path = "support/server.rs"]
mod server;

use std::time::Duration;

use chrono::{NaiveDate, TimeDelta, Utc};
use kaiku::scanner::enroll::enroll;
use kaiku::scanner::sync::{RetryPolicy, SyncClient, sync};
use kaiku::scanner::{ScannerStore, SqliteScannerStore};
use kaiku_core::ids::{DistributorId, RegionId};
use kaiku_core::keys::{Endorsement, Refusal, Refused};
use kaiku_core::verdict::{DeviceKnowledge, Invalid, Moment, Verdict, VerdictCode, decide};
use kaiku_core::{Card, CardKind, Credential, CredentialError, IssuerKey, KaikuId, KeyId, ScanInput, Validity};
use kaiku_sync_server::clock::SystemClock;
use kaiku_sync_server::keys;
use kaiku_sync_server::store::{CardRecord, KeyToAdd, Store};
use server::Server;
use tempfile::TempDir;

struct Scene {
    _dir: TempDir,
    server: Server,
    scanner: SqliteScannerStore,
    card: KaikuId,
}

fn client(address: &str) -> SyncClient {
    SyncClient::new(address).with_retry(RetryPolicy {
        attempts: 2,
        first_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
    })
}

/// A server with key 1, one community card, and a scanner enrolled while key 1 was the only key.
async fn enrolled() -> Scene {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let server = Server::start(&dir.path().join("server.sqlite"), 0, true).await;
    let region: RegionId = server.store.create_region("Lapland").await.expect("a region");
    let distributor: DistributorId = server.store.create_distributor(region, "Social services").await.expect("d");
    let venue = server.store.create_venue(Some(region), "Arctic hall").await.expect("a venue");
    let card = KaikuId::new('A', 101).expect("a card id");
    let issued = Utc::now().date_naive() - TimeDelta::days(10);
    let c = Card::issue(card.into(), CardKind::Community, region, distributor, issued, Validity::TwelveMonths, 0)
        .expect("issues");
    server.store.insert_card(&CardRecord { card: c, background: None }).await.expect("stored");
    let code = server.enrollment_code(venue).await;
    let scanner = SqliteScannerStore::open(&dir.path().join("scanner.sqlite")).expect("opens");
    enroll(&scanner, &client(&server.address()), &code, "Main door").await.expect("enrolls");
    Scene { _dir: dir, server, scanner, card }
}

impl Scene {
    /// The card's credential signed with `key`.
    fn credential(&self, key: &IssuerKey) -> ScanInput {
        let valid_until = Utc::now().date_naive() + TimeDelta::days(300);
        let c = Credential {
            key_id: key.id(),
            card: self.card,
            kind: CardKind::Community,
            valid_until,
            minors_on_record: 0,
            issued: None,
        };
        ScanInput::Credential(c.issue(key).expect("issues"))
    }

    /// The verdict at the door on `today`, by what the scanner knows.
    fn door(&self, scan: &ScanInput, today: NaiveDate) -> Verdict {
        let register = self.scanner.register();
        let keys = register.key_set().expect("the keys");
        let known = DeviceKnowledge {
            keys: &keys,
            register: &*register,
            register_as_of: register.meta.as_of,
            stale_after: TimeDelta::days(3),
        };
        let at = today.and_hms_opt(12, 0, 0).expect("noon").and_utc();
        decide(scan, &known, Moment { at, today }, kaiku_core::OfferKind::Ticket)
    }

    async fn sync(&mut self) {
        sync(&self.scanner, &client(&self.server.address())).await.expect("syncs");
    }

    fn refused(&self) -> Vec<Refused> {
        self.scanner.register().meta.keys.refused.clone()
    }
}

/// A key put into the register's database beside the real ones, as someone who got at the
/// server or the network path would: listed on every register page.
async fn smuggle(server: &Server, id: u16, endorsement: Option<Endorsement>) -> IssuerKey {
    let seed = [id as u8; 32];
    let key = KeyToAdd { id: KeyId(id), seed, activate: false, endorsement };
    server.store.add_signing_key(key, Utc::now()).await.expect("added");
    IssuerKey::from_seed(KeyId(id), seed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_listed_without_an_endorsement_is_refused_and_its_cards_are_invalid() {
    let mut s = enrolled().await;
    let rogue = smuggle(&s.server, 9, None).await;
    let listed = s.scanner.register().meta.keys.keys.len();
    s.sync().await;

    assert_eq!(s.scanner.register().meta.keys.keys.len(), listed, "the trusted set is kept");
    assert_eq!(s.refused(), [Refused { key_id: KeyId(9), retirement: false, why: Refusal::NotEndorsed }]);
    let today = Utc::now().date_naive();
    let v = s.door(&s.credential(&rogue), today);
    assert_eq!(v, Verdict::Invalid(Invalid::Credential(CredentialError::UnknownKey(KeyId(9)))));
    let real = keys::active(s.server.store.as_ref()).await.expect("the active key");
    assert_eq!(s.door(&s.credential(&real), today).code(), VerdictCode::Valid, "real cards still pass");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_endorsement_is_refused_and_a_real_one_taken_in() {
    let mut s = enrolled().await;
    // Key 8 signs its own endorsement and says key 1 signed it.
    let forger = IssuerKey::from_seed(KeyId(8), [8; 32]);
    let forged = Endorsement { by: KeyId(1), ..Endorsement::sign(&forger.public(), &forger) };
    smuggle(&s.server, 8, Some(forged)).await;
    let next = keys::add(s.server.store.as_ref(), &SystemClock, false).await.expect("a new key");
    s.sync().await;

    assert_eq!(s.refused(), [Refused { key_id: KeyId(8), retirement: false, why: Refusal::BadSignature }]);
    let set = s.scanner.register().key_set().expect("keys");
    assert!(set.get(next).is_some(), "the key endorsed by the active key is trusted");
    assert!(set.get(KeyId(8)).is_none());
    assert_eq!(s.door(&s.credential(&forger), Utc::now().date_naive()).code(), VerdictCode::Invalid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retired_keys_cards_are_refused_from_the_retirement_day_after_the_next_sync() {
    let mut s = enrolled().await;
    let old = keys::active(s.server.store.as_ref()).await.expect("key 1");
    let card = s.credential(&old);
    let from = Utc::now().date_naive() + TimeDelta::days(2);
    keys::add(s.server.store.as_ref(), &SystemClock, true).await.expect("key 2, active");
    keys::retire(s.server.store.as_ref(), old.id(), from).await.expect("retired");

    let day_before = from - TimeDelta::days(1);
    assert_eq!(s.door(&card, from).code(), VerdictCode::Valid, "not known before the sync");
    s.sync().await;
    assert!(s.refused().is_empty(), "{:?}", s.refused());
    assert_eq!(s.door(&card, day_before).code(), VerdictCode::Valid, "admitted before the retirement day");
    let v = s.door(&card, from);
    assert_eq!(v, Verdict::Invalid(Invalid::RetiredKey { key: old.id(), from }));
    assert!(v.reason().contains("key 1"), "{}", v.reason());
    let fresh = keys::active(s.server.store.as_ref()).await.expect("key 2");
    assert_eq!(s.door(&s.credential(&fresh), from).code(), VerdictCode::Valid, "cards under the new key pass");

    // A scanner that restarts keeps what it learnt.
    let reopened = SqliteScannerStore::open(&s._dir.path().join("scanner.sqlite")).expect("opens again");
    assert_eq!(reopened.register().key_set().expect("keys").retired_from(old.id()), Some(from));
}
