//! Hookline's shared crate: the data model, the server-function signatures (the public API), and the
//! dashboard's pages and components. Compiled twice: with `ssr` into the server, with `hydrate` to WASM.
#![forbid(unsafe_code)]

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod components;
pub mod model;
pub mod pages;
mod root;

pub use root::{App, shell};
