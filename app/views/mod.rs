//! The screens of the app.

mod activate;
mod card;
mod scanner;
mod shell;
mod start;

pub use activate::Activate;
pub use card::CardScreen;
pub use scanner::Scanner;
pub use shell::Shell;
pub use start::Start;
