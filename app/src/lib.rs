//! Hookline's shared crate: the data model, the server-function signatures (the public API), and the
//! dashboard's pages and components. Compiled twice: with `ssr` into the server, with `hydrate` to WASM.
#![forbid(unsafe_code)]
// Leptos view types nest deeply (the segment builder most); computing their layout needs more than the
// default depth.
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod components;
pub mod json_text;
mod lazy_routes;
pub mod model;
pub mod pages;
mod root;
pub mod sync_hydrated;

pub use root::{App, BrowserFilesRoot, shell};
