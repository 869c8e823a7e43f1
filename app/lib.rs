//! The Kaiku app: the holder's mobile card and the venue scanner, in one Dioxus package.
//! Runs on the web (wasm), desktop and mobile; components render in plain tests too.

pub mod api;
pub mod camera;
pub mod codes;
pub mod components;
pub mod decode;
pub mod holder;
pub mod i18n;
pub mod links;
pub mod parts;
pub mod print;
pub mod routes;
pub mod scanner;
pub mod server_url;
pub mod state;
pub mod storage;
pub mod views;
pub mod wait;

pub use parts::App;
