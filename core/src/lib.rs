//! kaiku-core: the rules of the Culture for All card as pure Rust, shared by the app and the sync server.
//!
//! Nothing here does I/O: no files, no network, no clock, no randomness. Callers pass the
//! current time and any random bytes in, which keeps every rule testable and lets this
//! crate build for `wasm32-unknown-unknown`.

pub mod background;
pub mod base45;
pub mod card;
pub mod card_id;
pub mod caution;
pub mod credential;
pub mod ids;
pub mod keys;
pub mod redemption;
pub mod scan;
pub mod verdict;
pub mod wire;

pub use card::{Card, CardKind, CardStatus, RevocationReason, Validity};
pub use card_id::{CardId, CardIdError, KaikuId, LegacyId};
pub use credential::{CREDENTIAL_PREFIX, Credential, CredentialError};
pub use keys::{IssuerKey, KeyId, KeySet};
pub use redemption::{EntryMethod, OfferKind, Redemption, RedemptionError};
pub use scan::ScanInput;
pub use verdict::{DeviceKnowledge, Verdict};
