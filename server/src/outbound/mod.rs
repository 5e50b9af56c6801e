//! The one HTTP client every outgoing request goes through (test requests, campaign deliveries, token
//! requests, and what comes next), with its SSRF guard. A leaf: it knows HTTP and addresses, nothing
//! of templates, OAuth or campaigns.

pub mod basic;
pub mod client;
pub mod ssrf;

pub use client::{Answer, OutboundClient, OutboundRequest, SendError};

/// `HTTP 503 Service Unavailable`: failures group by it in the statistics.
pub fn status_reason(status: u16) -> String {
    let text = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    format!("HTTP {status} {text}").trim_end().to_owned()
}
