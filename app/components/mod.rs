//! Reusable parts of the screens.

mod barcode;
mod card_face;
mod field;
mod form_parts;
mod live_clock;
mod notice;
mod qr;
mod settings_bar;
mod table_scroll;

pub use barcode::Barcode;
pub use card_face::CardFace;
pub use field::{FieldError, TextField};
pub use form_parts::{FormError, ServerSettings};
pub use live_clock::LiveClock;
pub use notice::ExpiryNotice;
pub use qr::QrCode;
pub use settings_bar::SettingsBar;
pub use table_scroll::TableScroll;
