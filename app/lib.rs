//! The Kaiku app: the holder's mobile card and the venue scanner, in one Dioxus package.

pub mod views;
