//! Hookline's engine and process: storage, ingestion, authentication, outgoing HTTP, and the web server.
#![forbid(unsafe_code)]
// Leptos view types nest deeply; computing their layout needs more than the default depth.
#![recursion_limit = "256"]

pub mod auth;
pub mod backend;
pub mod backoff;
pub mod breaker;
pub mod campaigns;
pub mod charts;
pub mod clock;
pub mod config;
pub mod csv;
pub mod dispatch;
mod engine;
pub mod error;
pub mod halts;
pub mod health;
pub mod http;
pub mod ingest;
pub mod linked;
pub mod live;
pub mod metrics;
pub mod oauth;
pub mod outbound;
pub mod outgoing;
pub mod quoted;
pub mod redact;
pub mod render;
pub mod retention;
pub mod saved_segments;
pub mod schedule;
pub mod secrets;
pub mod segments;
mod serve;
pub mod store;
pub mod templates;
pub mod time;
pub mod web;
pub mod workers;

pub use engine::Engine;
