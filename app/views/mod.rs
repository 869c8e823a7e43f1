//! Screens of the app.

mod start;

pub use start::Start;
