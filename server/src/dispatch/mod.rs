//! Sending webhooks: the guarded HTTP client, the SSRF address rules, a template's request, and the
//! outbox dispatcher with its retry rules.

pub mod authorized;
pub mod client;
pub mod delivery;
mod in_flight;
pub mod recorder;
pub mod request;
pub mod retry;
pub mod ssrf;
pub mod target;
pub mod worker;
