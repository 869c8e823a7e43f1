//! The screens of the app.

mod activate;
mod card;
pub mod scanner;
mod shell;
pub mod staff;
mod start;

pub use activate::Activate;
pub use card::CardScreen;
pub use scanner::{ReadActivation, ScanDevice, ScanHistory, Scanner, ScannerLayout};
pub use shell::Shell;
pub use start::Start;
