//! Sending webhooks: the guarded HTTP client, the SSRF address rules, and building a template's request.

pub mod client;
pub mod request;
pub mod ssrf;
